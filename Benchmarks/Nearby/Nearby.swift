// Nearby suite: `GridIndex` k-nearest and radius queries, filtered and unfiltered, and its build.
//
// Outlets and query points are placed like real ones (BenchmarkSupport's `SettlementPlacement`):
// drawn from the mainland places of Geodata/settlements-cn.csv by population, then spread around
// them by a Gaussian of 0.6-12 km. Sizes: 1,458 (the bank's branch count), 100,000 and 1,000,000
// outlets. Query points are drawn the same way from another seed: where people are.
//
// Shapes:
// - per query (`scalingFactor: .kilo`): one iteration answers the next 1,000 of 10,000 seeded query
//   points (wrapping); figures marked `*` are per query. Distances are part of every answer.
// - `build-1M` (`scalingFactor: .one`): one iteration builds the index over 1,000,000 positions. It
//   also records `bytesPerOutlet`, the index's own memory (`GridIndex.indexBytes`) divided by the
//   outlet count.
// - worst case: `nearest-k10-Taklamakan-1M` asks from the middle of the Taklamakan desert
//   (83.0 E, 39.0 N), hundreds of kilometres from any outlet, so the search crosses many empty cells
//   and its distances come from Karney's method.
// - filtered: `nearest-k10-filtered-1M` keeps one outlet in five (a seeded flag, as "has a smart
//   counter" would be), applied inside the search.
//
// Besides the framework's metrics, each iteration records `threadCPU (ns)`, the measuring thread's CPU
// time. CI gates `build-1M` and `nearest-k10-Taklamakan-1M` on `mallocCountTotal` through the
// committed `Thresholds/` (the per-query benchmarks' slices differ by a few mallocs, so their p90
// depends on how many iterations fit in the time); the queries themselves are gated on instruction
// counts by `Tools/InstructionCounts` (README.md).

import Benchmark
import Foundation
import SitingCore
import BenchmarkSupport

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, ThreadCPUClock.metric, .instructions, .mallocCountTotal, .throughput],
        timeUnits: .nanoseconds,
        warmupIterations: 5,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 2_000,
        thresholds: NearbyFixtures.gatedThresholds
    )

    for (label, outlets) in [("1458", NearbyFixtures.small), ("100k", NearbyFixtures.medium), ("1M", NearbyFixtures.large)] {
        Benchmark("nearest-k10-\(label)") { benchmark, fixture in
            let queries = fixture.queries, base = fixture.nextSlice(benchmark)
            benchmark.measure {
                var checksum = 0.0
                for offset in benchmark.scaledIterations {
                    let found = try! fixture.index.nearest(to: queries[(base + offset) % queries.count], count: 10)
                    checksum += found.last?.distanceMeters ?? 0
                }
                return checksum
            }
        } setup: {
            outlets()
        }

        Benchmark("radius-3km-\(label)") { benchmark, fixture in
            let queries = fixture.queries, base = fixture.nextSlice(benchmark)
            benchmark.measure {
                var checksum = 0.0
                for offset in benchmark.scaledIterations {
                    let found = try! fixture.index.within(radiusMeters: 3_000, of: queries[(base + offset) % queries.count])
                    checksum += Double(found.count)
                }
                return checksum
            }
        } setup: {
            outlets()
        }
    }

    Benchmark("nearest-k10-filtered-1M") { benchmark, fixture in
        let queries = fixture.queries, base = fixture.nextSlice(benchmark)
        let passes = fixture.oneInFive
        benchmark.measure {
            var checksum = 0.0
            for offset in benchmark.scaledIterations {
                let found = try! fixture.index.nearest(to: queries[(base + offset) % queries.count], count: 10) {
                    passes[$0]
                }
                checksum += found.last?.distanceMeters ?? 0
            }
            return checksum
        }
    } setup: {
        NearbyFixtures.large()
    }

    Benchmark("nearest-k10-Taklamakan-1M") { benchmark, fixture in
        let desert = Coordinate(longitude: 83.0, latitude: 39.0)
        benchmark.measure {
            var checksum = 0.0
            for _ in benchmark.scaledIterations {
                checksum += try! fixture.index.nearest(to: desert, count: 10).last?.distanceMeters ?? 0
            }
            return checksum
        }
    } setup: {
        NearbyFixtures.large()
    }

    Benchmark(
        "build-1M",
        configuration: .init(
            metrics: [.wallClock, ThreadCPUClock.metric, .mallocCountTotal, .peakMemoryResidentDelta,
                      NearbyFixtures.bytesPerOutletMetric],
            timeUnits: .milliseconds, units: [ThreadCPUClock.metric: .mega], warmupIterations: 1,
            scalingFactor: .one, maxDuration: .seconds(20), maxIterations: 10,
            thresholds: NearbyFixtures.gatedThresholds)
    ) { benchmark, positions in
        benchmark.measure {
            let index = try! GridIndex(positions: positions)
            benchmark.measurement(NearbyFixtures.bytesPerOutletMetric, index.indexBytes / index.count)
            return index.count
        }
    } setup: {
        NearbyFixtures.large().positions
    }
}

/// Outlets, their index and query points, built once per process and shared by the benchmarks.
final class NearbyFixture {
    let positions: [Coordinate]
    let index: GridIndex
    let queries: [Coordinate]
    /// A seeded flag on one outlet in five, for the filtered benchmark.
    let oneInFive: [Bool]
    private var cursor = 0

    init(count: Int) {
        let placement = try! SettlementPlacement()
        positions = placement.positions(count: count, seed: 101).map { Coordinate(longitude: $0.longitude, latitude: $0.latitude) }
        index = try! GridIndex(positions: positions)
        queries = placement.positions(count: 10_000, seed: 202).map { Coordinate(longitude: $0.longitude, latitude: $0.latitude) }
        var generator = SplitMix64(seed: 303)
        oneInFive = (0..<count).map { _ in Int.random(in: 0..<5, using: &generator) == 0 }
    }

    /// Where this iteration's 1,000 queries start: the next slice of the query points.
    func nextSlice(_ benchmark: Benchmark) -> Int {
        let base = cursor
        cursor = (cursor + benchmark.scaledIterations.count) % queries.count
        return base
    }
}

enum NearbyFixtures {
    nonisolated(unsafe) private static var cache: [Int: NearbyFixture] = [:]
    private static let lock = NSLock()

    static func fixture(count: Int) -> NearbyFixture {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[count] { return cached }
        let made = NearbyFixture(count: count)
        cache[count] = made
        return made
    }

    static func small() -> NearbyFixture { fixture(count: 1_458) }
    static func medium() -> NearbyFixture { fixture(count: 100_000) }
    static func large() -> NearbyFixture { fixture(count: 1_000_000) }

    static var bytesPerOutletMetric: BenchmarkMetric {
        .custom("bytesPerOutlet", polarity: .prefersSmaller, useScalingFactor: false)
    }

    /// Exact malloc counts: any change is a regression or stale thresholds.
    static var gatedThresholds: [BenchmarkMetric: BenchmarkThresholds] {
        [.mallocCountTotal: BenchmarkThresholds(absolute: [.p90: 0])]
    }
}
