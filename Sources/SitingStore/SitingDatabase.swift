import Foundation

/// A Siting database: one SQLite file that is also a valid OGC GeoPackage 1.3, so QGIS, ArcGIS and
/// GDAL open it directly. Positions are stored as WGS84 (EPSG:4326) GeoPackage geometries.
///
/// Not `Sendable`: one connection, used by one thread at a time; open one per thread or task.
/// WAL journal mode lets readers (the server) read while one writer (an import) writes.
public final class SitingDatabase {
    /// The file's path.
    public let path: String
    let connection: Connection

    /// How to open a database.
    public enum Mode: Sendable {
        /// Open an existing Siting database for reading only.
        case readOnly
        /// Open an existing Siting database for reading and writing.
        case readWrite
        /// Open for writing, creating a new Siting database when the file does not exist.
        case createIfMissing
    }

    /// Opens the database at `path`.
    ///
    /// - Throws: `StoreError.notASitingDatabase` for a file that is not one (another GeoPackage, any
    ///   other SQLite file, or not SQLite at all); `.newerSchema` for one written by a newer Siting;
    ///   `.sqlite` when the file cannot be opened.
    public init(path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 5_000) throws(StoreError) {
        self.path = path
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
        let exists = size != nil && size != 0
        if !exists && mode != .createIfMissing {
            throw .notASitingDatabase(path: path, reason: "the file does not exist")
        }
        connection = try Connection(path: path, readOnly: mode == .readOnly, create: !exists,
                                    busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        if exists {
            do {
                try checkIdentity()
            } catch .notSQLite {
                throw .notASitingDatabase(path: path, reason: "it is not an SQLite database (or it is damaged)")
            }
            if mode != .readOnly { try upgrade() }
        } else {
            do {
                try create()
            } catch {
                // Leave no half-made file behind.
                for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                throw error
            }
        }
        if mode != .readOnly {
            try connection.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", context: "setting WAL mode")
        }
        try connection.execute("PRAGMA foreign_keys = ON", context: "enabling foreign keys")
    }

    private func create() throws(StoreError) {
        do {
            try connection.transaction { try connection.execute(Schema.creationSQL, context: "creating the Siting schema") }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .sqlite(code: 0, message: "\(error)", context: "creating the Siting schema")
        }
    }

    private func checkIdentity() throws(StoreError) {
        let applicationID: Int
        do {
            applicationID = try connection.scalarInteger("PRAGMA application_id")
        } catch {
            throw .notASitingDatabase(path: path, reason: "it is not an SQLite database")
        }
        let hasMetadata = try connection.scalarInteger(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'siting_metadata'") == 1
        guard applicationID == Int(Schema.geoPackageApplicationID), hasMetadata else {
            let kind = applicationID == Int(Schema.geoPackageApplicationID) ? "a GeoPackage without Siting's tables"
                : applicationID == 0 ? "an SQLite database of another application" : "a file of another application"
            throw .notASitingDatabase(path: path, reason: "it is \(kind)")
        }
        guard try connection.scalarText("SELECT value FROM siting_metadata WHERE key = 'application'") == "siting" else {
            throw .notASitingDatabase(path: path, reason: "its siting_metadata does not name Siting")
        }
        let version = Int(try connection.scalarText("SELECT value FROM siting_metadata WHERE key = 'schema_version'") ?? "") ?? 0
        guard version <= Schema.version else {
            throw .newerSchema(path: path, found: version, supported: Schema.version)
        }
        guard version >= 1 else {
            throw .notASitingDatabase(path: path, reason: "its schema version is missing")
        }
    }

    /// Brings a file of an older schema version up to this one, step by step (1 → 2 → 3), in one
    /// transaction: on any failure the file keeps its old version and tables.
    private func upgrade() throws(StoreError) {
        let found = try schemaVersion
        guard found < Schema.version else { return }
        do {
            try connection.transaction {
                if found < 2 {
                    try connection.execute(Schema.upgradeFromVersion1, context: "upgrading the schema to version 2")
                }
                if found < 3 {
                    try connection.execute(Schema.upgradeFromVersion2, context: "upgrading the schema to version 3")
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .sqlite(code: 0, message: "\(error)", context: "upgrading the schema to version \(Schema.version)")
        }
    }

    /// Siting's schema version of this file.
    public var schemaVersion: Int {
        get throws(StoreError) {
            Int(try connection.scalarText("SELECT value FROM siting_metadata WHERE key = 'schema_version'") ?? "") ?? 0
        }
    }

    /// A counter raised by every committed change to the data; the server reloads when it moves.
    public var dataVersion: Int {
        get throws(StoreError) {
            Int(try connection.scalarText("SELECT value FROM siting_metadata WHERE key = 'data_version'") ?? "") ?? 0
        }
    }

    /// Raises `dataVersion`; called inside the transaction that changed the data.
    func bumpDataVersion() throws(StoreError) {
        try connection.execute(
            "UPDATE siting_metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'",
            context: "recording the data version")
    }

    /// Number of rows in one of Siting's tables.
    public func count(_ table: Table) throws(StoreError) -> Int {
        try connection.scalarInteger("SELECT count(*) FROM \(table.rawValue)")
    }

    /// The result of SQLite's `PRAGMA integrity_check`: "ok" when the file is sound.
    public func integrityCheck() throws(StoreError) -> String {
        try connection.scalarText("PRAGMA integrity_check") ?? "no answer"
    }

    /// Moves everything from the write-ahead log into the main file, so the file alone is complete.
    public func checkpoint() throws(StoreError) {
        try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)", context: "checkpointing")
    }

    /// Siting's tables.
    public enum Table: String, CaseIterable, Sendable {
        case outlets, competitors, regions, settlements, candidates
        case regionStats = "region_stats"
        case rankingRuns = "ranking_runs"
        case rankingResults = "ranking_results"
        case publicHolidays = "public_holidays"
    }
}
