// Ranking suite: `Ranking.run`, the whole ranking from data to plan (demand surface, market, candidates,
// plan), and its two heavy stages on their own.
//
// Data: `RankingInputs` (the RankingData target) builds a temporary database from the shipped Geodata/
// as `siting init` does (regions, 2023 provincial statistics, settlements, outlets, competitors, the
// land mask), reads it back as `siting rank` does (`Ranking.Inputs` prepares the region data there) and
// deletes it. This happens once per benchmark process, in `setup`, unmeasured. Options: 1 km cells,
// `HuffModel()`, N new sites and no other constraint; candidates are every populated cell.
//
// - `rank-Shanghai-1km-10sites`: `Ranking.run` on Shanghai (310000), 10 sites (target, DESIGN §7: under
//   50 ms). The converter is made once in set-up and shared by the iterations, so PROJ's start-up is in
//   the warm-up only. Besides the time of the whole run, each iteration records the three stage times
//   `Ranking.run` reports (`Result.stageSeconds`): `surface`, `market` (market and candidates) and `plan`.
// - `surface-Shanghai-1km`: `DemandSurface(...)` alone, as `Ranking.run` calls it.
// - `plan-Shanghai-1km-10sites`: `PlanSolver(...)` and `solve()` alone, on a surface, market and
//   candidates built in set-up (the `plan` stage of `Ranking.run`).
// - `rank-China-1km-100sites-census`: `Ranking.run` on the whole of mainland China (100000), 100 sites,
//   with the 2020 county census (`../shared/geodata/cn-county-census-2020.csv`, beside the repository)
//   added as region statistics; one iteration, no warm-up (tens of seconds; target under 30 s, the
//   surface under 10 s). When that file is absent the benchmark is not registered and a line on stderr says so.
//   `make bench-check` never runs this suite (it names its targets: Projection, Nearby); a malloc gate
//   added for this suite later must select the Shanghai cases with `--filter`, never the whole target.
//
// Metrics: wall clock; `threadCPU (ns)`, the measuring thread's CPU time, and `cpuTotal`, the whole
// process's (`getrusage`, 10 ms steps): parts of the surface and of the market run on every processor
// (`DispatchQueue.concurrentPerform`), so the thread's figure is its share only and `cpuTotal` is the
// whole cost; the stage times (wall clock) for the `rank-` cases; mallocs (to read, not gated: the
// memory sampler's own allocations and the parallel parts make them differ slightly from one iteration
// to the next); and peak resident memory:
// `peakMemoryResident` is the whole process's resident set, sampled every 5 ms over all iterations
// (the inputs loaded in set-up included); `peakMemoryResidentDelta` subtracts the resident set at the
// start of the measurement. Times in milliseconds; `threadCPU` and the stage times are nanoseconds shown
// in M (millions), i.e. milliseconds too. The gated instruction count of a Shanghai ranking is
// `Tools/InstructionCounts`' case `rank-Shanghai-1km-10sites`.

import Benchmark
import Foundation
import SitingCore
import RankingData
import BenchmarkSupport

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, ThreadCPUClock.metric, .mallocCountTotal, .peakMemoryResident,
                  .peakMemoryResidentDelta],
        timeUnits: .milliseconds,
        units: [ThreadCPUClock.metric: .mega],
        warmupIterations: 2,
        scalingFactor: .one,
        maxDuration: .seconds(8),
        maxIterations: 40
    )
    let withStages = Benchmark.Configuration(
        metrics: Benchmark.defaultConfiguration.metrics + RankingFixture.stageMetrics,
        units: Benchmark.defaultConfiguration.units.merging(RankingFixture.stageMetrics.map { ($0, .mega) }) { $1 }
    )

    Benchmark("rank-Shanghai-1km-10sites", configuration: withStages) { benchmark, fixture in
        fixture.rankOnce(benchmark)
    } setup: {
        try RankingFixture(inputs: RankingInputs.demo(), area: RankingInputs.shanghai, sites: 10)
    }

    Benchmark("surface-Shanghai-1km") { benchmark, fixture in
        let inputs = fixture.inputs, options = fixture.options.surface, area = fixture.options.area
        let converter = fixture.converter
        benchmark.measureThrowing {
            try DemandSurface(area: area, regionData: inputs.regionData,
                              settlements: inputs.settlements, raster: inputs.raster, options: options,
                              landMask: inputs.landMask, converter: converter)
        }
    } setup: {
        try RankingFixture(inputs: RankingInputs.demo(), area: RankingInputs.shanghai, sites: 10)
    }

    Benchmark("plan-Shanghai-1km-10sites") { benchmark, fixture in
        let prepared = fixture.prepared!, constraints = fixture.options.constraints, converter = fixture.converter
        let own = fixture.ownOutlets
        benchmark.measureThrowing {
            var solver = try PlanSolver(surface: prepared.surface, market: prepared.market,
                                        candidates: prepared.candidates, constraints: constraints,
                                        ownOutlets: own, converter: converter)
            return solver.solve()
        }
    } setup: {
        try RankingFixture(inputs: RankingInputs.demo(), area: RankingInputs.shanghai, sites: 10).preparingMarket()
    }

    if RankingInputs.censusAvailable {
        Benchmark(
            "rank-China-1km-100sites-census",
            configuration: .init(
                metrics: withStages.metrics, units: withStages.units,
                warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 1)
        ) { benchmark, fixture in
            fixture.rankOnce(benchmark)
        } setup: {
            try RankingFixture(inputs: RankingInputs.census(), area: RankingInputs.mainland, sites: 100)
        }
    } else {
        FileHandle.standardError.write(Data("""
            Ranking: skipping rank-China-1km-100sites-census: \(RankingInputs.censusFile.path) not found \
            (the county census is kept beside the repository, in ../shared/geodata/)

            """.utf8))
    }
}

// MARK: - Fixtures

/// One area's inputs, options and converter, made in set-up.
final class RankingFixture {
    let inputs: Ranking.Inputs
    let options: Ranking.Options
    let converter = CoordinateConverter()
    /// For the plan alone: the surface, market and candidates `Ranking.run` builds before the plan.
    private(set) var prepared: (surface: DemandSurface, market: Market, candidates: [CandidateSite])?

    init(inputs: Ranking.Inputs, area: String, sites: Int) {
        self.inputs = inputs
        self.options = RankingInputs.options(area: area, sites: sites)
    }

    var ownOutlets: [(position: Coordinate, kind: OutletKind)] {
        inputs.outlets.map { (position: $0.position, kind: $0.kind) }
    }

    /// The stages before the plan, as `Ranking.run` makes them; returns self.
    func preparingMarket() throws -> RankingFixture {
        let surface = try DemandSurface(area: options.area, regionData: inputs.regionData,
                                        settlements: inputs.settlements, raster: inputs.raster, options: options.surface,
                                        landMask: inputs.landMask, converter: converter)
        let market = try Market(surface: surface, ownOutlets: ownOutlets,
                                competitors: inputs.competitors.map { (position: $0.position, kind: $0.kind) },
                                model: options.model, converter: converter)
        prepared = (surface, market, CandidateSite.cells(of: surface))
        return self
    }

    /// One measured `Ranking.run`, and its stage times as metrics.
    func rankOnce(_ benchmark: Benchmark) {
        let inputs = inputs, options = options, converter = converter
        guard let result = benchmark.measureThrowing({
            try Ranking.run(inputs, options: options, converter: converter)
        }) else { return }
        for (stage, seconds) in result.stageSeconds {
            if let metric = Self.stageMetric[stage] {
                benchmark.measurement(metric, Int((seconds * 1e9).rounded()))
            }
        }
    }

    /// `Ranking.Result.stageSeconds`' stages, each a metric in nanoseconds (wall clock).
    static let stages = ["surface", "market", "plan"]
    static var stageMetrics: [BenchmarkMetric] {
        stages.map { .custom("\($0) wall (ns)", polarity: .prefersSmaller, useScalingFactor: true) }
    }
    static var stageMetric: [String: BenchmarkMetric] {
        Dictionary(uniqueKeysWithValues: zip(stages, stageMetrics))
    }
}
