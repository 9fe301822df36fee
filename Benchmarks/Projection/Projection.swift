// Projection suite: coordinate conversion, Chinese offsets, ellipsoidal distance and the mainland test.
//
// Every benchmark builds its data in `setup` (seeded, so every run measures the same points) and
// measures only its loop (`Benchmark.measure` below starts the measurement after the per-iteration
// bookkeeping). Two shapes:
// - batch benchmarks (`scalingFactor: .one`): one outer iteration converts all 100,000 points, so
//   a figure divided by 100,000 is the cost per point;
// - per-call benchmarks (`scalingFactor: .kilo`): one outer iteration makes 1,000 calls on the next
//   1,000 of the 100,000 points (wrapping), and the figures marked `*` are per call.
// Results feed a checksum that goes to `blackHole` once per iteration, so the optimizer keeps the work
// without adding a call per point to what is measured. Besides the framework's metrics, each
// iteration records `threadCPU (ns)`: the measuring thread's CPU time, steadier than wall clock on a
// shared machine.
//
// CI gates on `mallocCountTotal` (exact) through the committed `Thresholds/`; time figures are for
// notes. `instructions` can be gated as well where the machine exposes hardware counters (README.md).

import Benchmark
import Foundation
import CProj
import SitingCore
import SitingProjection
import BenchmarkSupport

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, ThreadCPUClock.metric, .instructions, .mallocCountTotal, .throughput],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000,
        thresholds: ProjectionFixtures.gatedThresholds
    )
    let batch = Benchmark.Configuration(
        timeUnits: .microseconds,
        units: [ThreadCPUClock.metric: .count],  // nanoseconds, not rounded to whole millions
        warmupIterations: 2,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 60,
        thresholds: ProjectionFixtures.gatedThresholds
    )

    // MARK: 1. Batch transform WGS84 -> Web Mercator (EPSG:3857), Siting versus raw proj_trans.

    Benchmark("WebMercator-batch-Siting-100k", configuration: batch) { benchmark, fixture in
        let converter = fixture.converter
        let points = fixture.points
        benchmark.measure {
            var converted = 0
            for _ in benchmark.scaledIterations {
                converted += WebMercatorFixture.convertWithSiting(points, converter)
            }
            return converted
        }
    } setup: {
        try WebMercatorFixture(points: ProjectionFixtures.pointsInChina(seed: 1))
    }

    Benchmark("WebMercator-batch-rawProjTrans-100k", configuration: batch) { benchmark, fixture in
        let transformer = fixture.raw.handle
        let points = fixture.points
        benchmark.measure {
            var converted = 0
            for _ in benchmark.scaledIterations {
                // The floor Siting is held to: one proj_trans per point into a new array, no checks.
                let output = [Coordinate](unsafeUninitializedCapacity: points.count) { buffer, initialized in
                    points.withUnsafeBufferPointer { input in
                        for index in input.indices {
                            let point = input[index]
                            let coordinate = PJ_COORD(xyzt: PJ_XYZT(x: point.x, y: point.y, z: 0, t: .infinity))
                            let projected = proj_trans(transformer, PJ_FWD, coordinate)
                            buffer.initializeElement(
                                at: index, to: Coordinate(x: projected.xyzt.x, y: projected.xyzt.y))
                        }
                    }
                    initialized = points.count
                }
                converted += output.count
            }
            return converted
        }
    } setup: {
        try WebMercatorFixture(points: ProjectionFixtures.pointsInChina(seed: 1))
    }

    // MARK: 2. Chinese offsets, per call.

    Benchmark("wgs84ToGcj02") { benchmark, fixture in
        let points = fixture.points
        let base = fixture.nextSlice(benchmark)
        benchmark.measure {
            var checksum = 0.0
            for offset in benchmark.scaledIterations {
                let converted = ChineseOffsets.wgs84ToGcj02(points[base + offset])
                checksum += converted.x + converted.y
            }
            return checksum
        }
    } setup: {
        PointFixture(points: ProjectionFixtures.pointsInChina(seed: 2))
    }

    Benchmark("gcj02ToWgs84") { benchmark, fixture in
        let points = fixture.points
        let base = fixture.nextSlice(benchmark)
        benchmark.measure {
            var checksum = 0.0
            for offset in benchmark.scaledIterations {
                let converted = ChineseOffsets.gcj02ToWgs84(points[base + offset])
                checksum += converted.x + converted.y
            }
            return checksum
        }
    } setup: {
        // GCJ-02 positions of points in China, as a map provider would hand them over.
        PointFixture(points: ProjectionFixtures.pointsInChina(seed: 3).map(ChineseOffsets.wgs84ToGcj02))
    }

    Benchmark("wgs84ToBd09") { benchmark, fixture in
        let points = fixture.points
        let base = fixture.nextSlice(benchmark)
        benchmark.measure {
            var checksum = 0.0
            for offset in benchmark.scaledIterations {
                let converted = ChineseOffsets.wgs84ToBd09(points[base + offset])
                checksum += converted.x + converted.y
            }
            return checksum
        }
    } setup: {
        PointFixture(points: ProjectionFixtures.pointsInChina(seed: 4))
    }

    // MARK: 3. Distance, per call: the fast ellipsoidal formula versus Karney, on pairs under 50 km.

    Benchmark("EllipsoidalDistance.meters") { benchmark, fixture in
        let starts = fixture.starts, ends = fixture.ends
        let base = fixture.nextSlice(benchmark)
        benchmark.measure {
            var checksum = 0.0
            for offset in benchmark.scaledIterations {
                checksum += EllipsoidalDistance.meters(from: starts[base + offset], to: ends[base + offset])
            }
            return checksum
        }
    } setup: {
        PairFixture(seed: 5)
    }

    Benchmark("Geodesic.distanceMeters-Karney") { benchmark, fixture in
        let starts = fixture.starts, ends = fixture.ends
        let base = fixture.nextSlice(benchmark)
        benchmark.measure {
            var checksum = 0.0
            for offset in benchmark.scaledIterations {
                checksum += Geodesic.distanceMeters(from: starts[base + offset], to: ends[base + offset])
            }
            return checksum
        }
    } setup: {
        PairFixture(seed: 5)
    }

    Benchmark("chordSquared+metersFromChordUnchecked") { benchmark, fixture in
        // The spatial index's hot path: surface points computed once, then a chord and the exact length.
        let starts = fixture.earthCenteredStarts, ends = fixture.earthCenteredEnds
        let base = fixture.nextSlice(benchmark)
        benchmark.measure {
            var checksum = 0.0
            for offset in benchmark.scaledIterations {
                let a = starts[base + offset], b = ends[base + offset]
                let chord = a.chordSquared(to: b).squareRoot()
                checksum += EllipsoidalDistance.metersFromChordUnchecked(a, b, chordMeters: chord)
            }
            return checksum
        }
    } setup: {
        PairFixture(seed: 5)
    }

    // MARK: 4. The mainland test on points spread over a box around China (inside and outside).

    Benchmark("MainlandChina.contains-box") { benchmark, fixture in
        let points = fixture.points
        let base = fixture.nextSlice(benchmark)
        benchmark.measure {
            var inside = 0
            for offset in benchmark.scaledIterations where MainlandChina.contains(points[base + offset]) {
                inside += 1
            }
            return inside
        }
    } setup: {
        PointFixture(points: ProjectionFixtures.pointsInBox(ProjectionFixtures.chinaBox, seed: 6))
    }
}

// MARK: - Fixtures

enum ProjectionFixtures {
    /// Points per data set.
    static let count = 100_000

    /// A box around mainland China (WGS84 lon/lat degrees): west, south, east, north.
    static let chinaBox = ChinaPoints.box

    /// Tolerances for the committed static thresholds. Malloc counts must match exactly; instruction
    /// counts (where the hardware counter is available) may drift by 3% at p90 before the check fails.
    /// Thresholds are updated with `--metric mallocCountTotal`, so time metrics never reach `Thresholds/`
    /// and are not gated.
    static var gatedThresholds: [BenchmarkMetric: BenchmarkThresholds] {
        [
            .mallocCountTotal: BenchmarkThresholds(absolute: [.p90: 0]),
            .instructions: BenchmarkThresholds(relative: [.p90: 3.0]),
        ]
    }

    /// `count` seeded points uniformly spread over the box.
    static func pointsInBox(_ box: (west: Double, south: Double, east: Double, north: Double), seed: UInt64)
        -> [Coordinate]
    {
        ChinaPoints.inBox(box, count: count, seed: seed)
    }

    /// `count` seeded points uniformly spread over mainland China.
    static func pointsInChina(seed: UInt64) -> [Coordinate] {
        ChinaPoints.uniform(count: count, seed: seed)
    }
}

/// Points plus a cursor that hands each iteration the next 1,000 of them, wrapping around.
final class PointFixture {
    let points: [Coordinate]
    private var cursor = 0

    init(points: [Coordinate]) {
        self.points = points
    }

    /// Index of the first point for this iteration; `points.count` is a multiple of the slice length.
    func nextSlice(_ benchmark: Benchmark) -> Int {
        let length = benchmark.scaledIterations.count
        precondition(points.count % length == 0, "point count must be a multiple of the scaling factor")
        let base = cursor
        cursor = (cursor + length) % points.count
        return base
    }
}

/// Seeded pairs in mainland China, each under 50 km apart, as positions and as earth-centred points.
final class PairFixture {
    let starts: [Coordinate]
    let ends: [Coordinate]
    let earthCenteredStarts: [EarthCenteredPoint]
    let earthCenteredEnds: [EarthCenteredPoint]
    private var cursor = 0

    init(seed: UInt64) {
        let (starts, ends) = ChinaPoints.pairsUnder50Kilometres(count: ProjectionFixtures.count, seed: seed)
        self.starts = starts
        self.ends = ends
        earthCenteredStarts = starts.map(EarthCenteredPoint.init)
        earthCenteredEnds = ends.map(EarthCenteredPoint.init)
    }

    func nextSlice(_ benchmark: Benchmark) -> Int {
        let length = benchmark.scaledIterations.count
        precondition(starts.count % length == 0, "pair count must be a multiple of the scaling factor")
        let base = cursor
        cursor = (cursor + length) % starts.count
        return base
    }
}

/// The batch benchmarks' points with a warmed-up Siting converter and a raw PROJ transformer built the
/// same way Siting builds its own (`proj_create_crs_to_crs` + `proj_normalize_for_visualization`).
final class WebMercatorFixture {
    let points: [Coordinate]
    let converter = CoordinateConverter()
    let raw: RawProjTransformer

    init(points: [Coordinate]) throws {
        self.points = points
        // Builds and caches the transformer, so iterations measure conversion only.
        _ = try converter.convert(points[0], from: .wgs84, to: .crs("EPSG:3857"))
        raw = RawProjTransformer(source: "EPSG:4326", target: "EPSG:3857")
    }

    /// One batch through Siting's public API; returns how many points came back converted.
    @inline(__always)
    static func convertWithSiting(_ points: [Coordinate], _ converter: CoordinateConverter) -> Int {
        do {
            let result = try converter.convert(points, from: .wgs84, to: .crs("EPSG:3857"))
            return result.coordinates.count - result.failures.count
        } catch {
            fatalError("batch conversion failed: \(error)")
        }
    }
}

/// A bare PROJ context and normalized transformer, freed in `deinit`.
final class RawProjTransformer {
    let context: OpaquePointer
    let handle: OpaquePointer

    init(source: String, target: String) {
        guard let context = proj_context_create() else { fatalError("proj_context_create failed") }
        guard let operation = proj_create_crs_to_crs(context, source, target, nil) else {
            fatalError("proj_create_crs_to_crs(\(source), \(target)) failed")
        }
        defer { proj_destroy(operation) }
        guard let normalized = proj_normalize_for_visualization(context, operation) else {
            fatalError("proj_normalize_for_visualization failed")
        }
        self.context = context
        handle = normalized
    }

    deinit {
        proj_destroy(handle)
        proj_context_destroy(context)
    }
}

