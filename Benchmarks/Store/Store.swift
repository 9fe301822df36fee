// Store suite: imports into the GeoPackage store through SitingStore's public API.
//
// - `import-outlets-csv-100k`, `import-outlets-csv-1M`: `SitingDatabase.importFile(_:as: .outlets)` of a
//   seeded CSV of 100,000 / 1,000,000 synthetic outlets, followed by `checkpoint()` (so the figure
//   includes moving the write-ahead log into the file, which `siting import` pays when it closes the
//   database). `setup` writes the CSV once per run to a temporary folder; then every iteration deletes
//   the database file, creates an empty database (schema only) and starts measuring: creating and
//   closing the database are not measured, only the import and the checkpoint. The database has no
//   regions, so adcodes are checked for form only, as in any import into a new file.
// - `init-demo-database`: the steps of `siting init` (regions, 2023 provincial statistics, settlements,
//   outlets, competitors from Geodata/, then a checkpoint) into a new file; here creating the database
//   (the schema) is measured too, as `siting init` does it. Not measured: progress bars, the final rename.
//
// The outlets come from BenchmarkData's `OutletGenerator` (shared with the load test, load/run.sh)
// and are placed like real ones: each is drawn from the 2,875 mainland places of
// Geodata/settlements-cn.csv with probability proportional to population, then offset by a Gaussian
// whose spread grows with the place's size (0.6 km for a small town, 12 km at most for the largest
// cities). Each place takes the adcode and address of the nearest county-level unit of
// Geodata/regions.geojson (by centroid). Kinds, services, device counts and accessibility follow the
// shares of Geodata/outlets.csv per kind; business hours are composed from the shapes found there
// (opening and closing times, lunch breaks, weekend rules, public-holiday rules): 4,240 distinct
// hours texts in the 100k file and 7,270 in the 1M file instead of the 28 of the shipped file, so the
// importer parses more than a handful of them (it parses each distinct text once). Names number the
// outlets of each kind within their county (`浦东新区第12支行`); ids are `O0000001`….
// The CSV has about 213 bytes a row: 21 MB for 100k rows, 213 MB for 1M.
//
// Besides the framework's metrics, each iteration records `checkpoint wall (ns)`, the part of the
// measured time spent in the final checkpoint, and `threadCPU (ns)`: the measuring thread's CPU
// time, as in the Projection suite. The importer runs on two threads (this one writes to SQLite, a
// second reads, checks and converts records), so `threadCPU` is the writer's share only; the whole
// cost is `cpuTotal` (the process's CPU time, 10 ms steps, which also counts the framework's memory
// sampler, a negligible amount). One iteration is one import (`scalingFactor: .one`); the table shows
// milliseconds, `threadCPU` and `checkpoint wall` in M (millions of nanoseconds, i.e. milliseconds).
//
// Peak memory (`peakMemoryResident`) is the process's resident set, sampled every 5 ms by the
// framework over all iterations of a benchmark (each benchmark runs in a process of its own), so it
// includes the process's baseline; `peakMemoryResidentDelta` subtracts the resident set at the start.
// The sampler allocates while it runs, so malloc counts are only exact in a run with
// `--metric mallocCountTotal` alone; even then they vary slightly from run to run (the two import
// threads interleave differently), so no malloc thresholds are committed for this suite (README.md).

import Benchmark
import Foundation
import SitingStore
import BenchmarkSupport

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [
            .wallClock, .cpuTotal, ThreadCPUClock.metric, StoreFixtures.checkpointMetric, .peakMemoryResident,
            .peakMemoryResidentDelta, .mallocCountTotal,
        ],
        timeUnits: .milliseconds,
        // Nanoseconds shown in millions: milliseconds.
        units: [ThreadCPUClock.metric: .mega, StoreFixtures.checkpointMetric: .mega],
        warmupIterations: 0,
        scalingFactor: .one,
        maxDuration: .seconds(600),
        maxIterations: 5,
        thresholds: StoreFixtures.gatedThresholds
    )

    // MARK: 1. Outlets from CSV into an empty database.

    Benchmark("import-outlets-csv-100k", configuration: .init(warmupIterations: 1, maxIterations: 8)) {
        benchmark, fixture in
        fixture.importOnce(benchmark)
    } setup: {
        try OutletImportFixture(count: 100_000, seed: 100)
    } teardown: {
        StoreFixtures.removeScratchFolder()
    }

    // About 20 s an iteration (target: 10 s), after a setup that writes a 213 MB CSV: two iterations only.
    Benchmark("import-outlets-csv-1M", configuration: .init(warmupIterations: 0, maxIterations: 2)) {
        benchmark, fixture in
        fixture.importOnce(benchmark)
    } setup: {
        try OutletImportFixture(count: 1_000_000, seed: 1_000)
    } teardown: {
        StoreFixtures.removeScratchFolder()
    }

    // MARK: 2. The demo database, as `siting init` builds it.

    Benchmark("init-demo-database", configuration: .init(warmupIterations: 1, maxIterations: 6)) { benchmark, fixture in
        fixture.buildOnce(benchmark)
    } setup: {
        try DemoDatabaseFixture()
    } teardown: {
        StoreFixtures.removeScratchFolder()
    }
}

// MARK: - Fixtures

enum StoreFixtures {
    /// Wall-clock time of the final `checkpoint()` alone, part of the measured time: how much of an
    /// import is moving the write-ahead log into the file.
    static var checkpointMetric: BenchmarkMetric {
        .custom("checkpoint wall (ns)", polarity: .prefersSmaller, useScalingFactor: true)
    }

    /// Monotonic wall-clock time in nanoseconds.
    static func monotonicNanoseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }

    /// Gated metrics: none. Malloc counts vary slightly from run to run here, so an exact gate would
    /// fail at random (README.md, "Thresholds"); nothing of this suite is in `Thresholds/`.
    static var gatedThresholds: [BenchmarkMetric: BenchmarkThresholds] {
        [:]
    }

    /// The repository's root: three levels above this file (`Benchmarks/Store/Store.swift`).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var geodata: URL { packageRoot.appendingPathComponent("Geodata") }

    /// This process's scratch folder for CSV files and databases (removed in `teardown`).
    static let scratchFolder: URL = FileManager.default.temporaryDirectory
        .appendingPathComponent("siting-store-benchmark-\(ProcessInfo.processInfo.processIdentifier)")

    static func makeScratchFolder() throws -> URL {
        try FileManager.default.createDirectory(at: scratchFolder, withIntermediateDirectories: true)
        return scratchFolder
    }

    static func removeScratchFolder() {
        try? FileManager.default.removeItem(at: scratchFolder)
    }

    /// Deletes a database file and its WAL companions.
    static func removeDatabase(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// A generated outlets CSV and the database path each iteration imports it into.
final class OutletImportFixture {
    let count: Int
    let csvPath: String
    let databasePath: String

    init(count: Int, seed: UInt64) throws {
        let folder = try StoreFixtures.makeScratchFolder()
        self.count = count
        csvPath = folder.appendingPathComponent("outlets-\(count).csv").path
        databasePath = folder.appendingPathComponent("outlets-\(count).gpkg").path
        let generator = try OutletGenerator(geodata: StoreFixtures.geodata, seed: seed)
        try generator.writeCSV(count: count, to: csvPath)
    }

    /// One iteration: a new empty database (not measured), then the import and checkpoint (measured).
    func importOnce(_ benchmark: Benchmark) {
        StoreFixtures.removeDatabase(at: databasePath)
        defer { StoreFixtures.removeDatabase(at: databasePath) }
        do {
            let database: SitingDatabase
            do {
                database = try SitingDatabase(path: databasePath, mode: .createIfMissing)
            } catch {
                benchmark.error("creating \(databasePath): \(error)")
                return
            }
            var checkpointNanoseconds = 0
            let summary = benchmark.measureThrowing { () throws -> ImportSummary in
                let summary = try database.importFile(csvPath, as: .outlets)
                let start = StoreFixtures.monotonicNanoseconds()
                try database.checkpoint()
                checkpointNanoseconds = StoreFixtures.monotonicNanoseconds() - start
                return summary
            }
            guard let summary else { return }
            benchmark.measurement(StoreFixtures.checkpointMetric, checkpointNanoseconds)
            if summary.inserted != count || summary.rejected != 0 {
                benchmark.error("expected \(count) outlets inserted, got: \(summary)")
            }
        }  // the database closes here, unmeasured
    }
}

/// The files `siting init` loads, and a database path to build into.
final class DemoDatabaseFixture {
    /// The files `siting init` loads, in its order.
    static let steps = DemoDatabase.steps

    let geodata: String
    let databasePath: String

    init() throws {
        geodata = StoreFixtures.geodata.path
        databasePath = try StoreFixtures.makeScratchFolder().appendingPathComponent("demo.gpkg").path
        for step in Self.steps where !FileManager.default.fileExists(atPath: geodata + "/" + step.file) {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: geodata + "/" + step.file])
        }
    }

    /// One iteration: create, load every step, checkpoint, close (all measured); delete the file (not).
    func buildOnce(_ benchmark: Benchmark) {
        StoreFixtures.removeDatabase(at: databasePath)
        defer { StoreFixtures.removeDatabase(at: databasePath) }
        var checkpointNanoseconds = 0
        let inserted = benchmark.measureThrowing { () throws -> Int in
            let database = try SitingDatabase(path: databasePath, mode: .createIfMissing)
            var inserted = 0
            for step in Self.steps {
                let summary = try database.importFile(geodata + "/" + step.file, as: step.kind, options: step.options)
                inserted += summary.inserted
            }
            let start = StoreFixtures.monotonicNanoseconds()
            try database.checkpoint()
            checkpointNanoseconds = StoreFixtures.monotonicNanoseconds() - start
            return inserted
        }
        guard let inserted else { return }
        benchmark.measurement(StoreFixtures.checkpointMetric, checkpointNanoseconds)
        if inserted == 0 { benchmark.error("the demo database came out empty") }
    }
}
