public import Foundation
public import SitingCore
import SitingStore

/// The inputs of a ranking, read the way `siting init` and `siting rank` read them, for the `Ranking`
/// suite and the instruction gate alike.
///
/// A temporary database is built from the shipped `Geodata/` with the store's importer (the steps of
/// `DemoDatabase`, in their order, so every adcode is checked against the regions, and the land mask
/// stored in the database), optionally with the 2020 county census added as region statistics; then
/// regions, statistics, settlements, outlets, competitors and the land mask are read back and the
/// database is deleted. Nothing here is meant to be measured: callers load once, in set-up.
public enum RankingInputs {
    /// Shanghai (province-level), ranked with the demo data's 2023 provincial statistics.
    public static let shanghai = "310000"
    /// The whole of mainland China (31 provinces), as `DemandSurface` knows it.
    public static let mainland = DemandSurface.mainlandAdcode

    /// The ranking options every case uses: 1 km cells, the default Huff model, `sites` new sites, no
    /// other constraint.
    public static func options(area adcode: String, sites: Int) -> Ranking.Options {
        Ranking.Options(area: .region(adcode), surface: DemandSurface.Options(cellSizeMeters: 1_000),
                        model: HuffModel(), constraints: PlanConstraints(sites: sites))
    }

    /// The repository's root: three levels above this file (`Benchmarks/RankingData/RankingInputs.swift`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var geodata: URL { repositoryRoot.appendingPathComponent("Geodata") }

    /// The 2020 county census (2,943 counties), kept beside the repository in `../shared/geodata/`, not
    /// in it.
    public static var censusFile: URL {
        repositoryRoot.appendingPathComponent("../shared/geodata/cn-county-census-2020.csv").standardized
    }

    public static var censusAvailable: Bool {
        FileManager.default.fileExists(atPath: censusFile.path)
    }

    /// The demo database's data: the 2023 provincial statistics, the shipped outlets and competitors.
    public static func demo() throws -> Ranking.Inputs {
        try load(label: "demo", census: false)
    }

    /// The demo data with the 2020 county census added (year 2020, rows whose adcode no region has
    /// are skipped, as `siting import region-stats --skip-invalid` does).
    /// - Throws: when the census file is missing (check `censusAvailable` first).
    public static func census() throws -> Ranking.Inputs {
        guard censusAvailable else { throw MissingFile(path: censusFile.path) }
        return try load(label: "census", census: true)
    }

    /// The demo database's outlets and holiday calendar as the HTTP service holds them: an
    /// `OutletDirectory` (the shipped Geodata/outlets.csv, their parsed hours, the shipped holidays).
    public static func demoDirectory() throws -> OutletDirectory {
        try withDemoDatabase(label: "directory") { db, _ in
            try OutletDirectory(outlets: try db.outlets(), holidays: try db.holidayCalendar())
        }
    }

    public struct MissingFile: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path) not found" }
    }

    private static func load(label: String, census: Bool) throws -> Ranking.Inputs {
        try withDemoDatabase(label: label) { db, path in
            let mask = try Data(contentsOf: geodata.appendingPathComponent(DemoDatabase.landMaskFile))
            try db.storeLandMask(encoded: [UInt8](mask))
            if census {
                _ = try db.importFile(censusFile.path, as: .regionStats,
                                      options: ImportOptions(skipInvalid: true, year: 2020, source: "cn-county-census-2020.csv"))
            }
            guard let stored = try db.storedLandMask() else { throw MissingFile(path: "the land mask in \(path)") }
            return Ranking.Inputs(regions: try db.regions(), statistics: try db.regionStatistics(),
                                  settlements: try db.settlements(), outlets: try db.outlets(),
                                  competitors: try db.competitors(), landMask: try LandMask(encoded: stored))
        }
    }

    /// Builds the demo database (`siting init`'s steps from Geodata/) in a temporary folder, hands it
    /// and its path to `body`, and removes the folder when `body` returns; the database is closed then.
    private static func withDemoDatabase<Result>(label: String, _ body: (SitingDatabase, String) throws -> Result) throws -> Result {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("siting-ranking-inputs-\(ProcessInfo.processInfo.processIdentifier)-\(label)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("demo.gpkg").path
        let db = try SitingDatabase(path: path, mode: .createIfMissing)
        for step in DemoDatabase.steps {
            _ = try db.importFile(geodata.appendingPathComponent(step.file).path, as: step.kind, options: step.options)
        }
        return try body(db, path)
    }
}
