import Foundation

extension SitingDatabase {
    /// Writes a new Siting database at `output` holding the rows of `layout`'s table (for rankings,
    /// the chosen run's results, run and outlet losses, or all of them). Rows keep their feature ids
    /// (`fid`), so GIS clients see the same features. Built under a temporary name and renamed when
    /// complete.
    func exportGeoPackage(_ layout: ExportLayout, to output: String, runID: String?, overwrite: Bool)
        throws(ExportError) -> Int
    {
        let temporary = OutputFile.temporaryPath(for: output)
        Self.removeDatabaseFiles(temporary)
        var rows = 0
        do {
            do {
                let target = try SitingDatabase(path: temporary, mode: .createIfMissing)
                // Rollback-journal mode is stored in the file: a file to hand on, with no -wal or -shm
                // beside it, readable from read-only media. While it is built, no journal at all: on
                // any failure the temporary file is deleted, never published, so a journal would only
                // write every page twice (it was most of the system time in measurements).
                try target.connection.execute(
                    "PRAGMA journal_mode = DELETE; PRAGMA journal_mode = OFF; PRAGMA cache_size = -16384",
                    context: "preparing the new GeoPackage")
                let filter = layout.kind == .rankings ? " WHERE ?1 IS NULL OR run_id = ?1" : ""
                try target.connection.transaction {
                    // The R-tree is packed in one pass after the copy (RTreeBulkLoad) instead of being
                    // grown row by row through its triggers, which would cost most of the time.
                    let triggers = try Self.dropSpatialIndexTriggers(of: layout.table, on: target.connection)
                    rows = try copyRows(of: layout.table, filter: filter, runID: runID, into: target.connection)
                    try RTreeBulkLoad.rebuild(index: "rtree_\(layout.table)_geom", table: layout.table,
                                              connection: target.connection)
                    for sql in triggers { try target.connection.execute(sql, context: "restoring the spatial index triggers") }
                    if layout.kind == .rankings {
                        _ = try copyRows(of: "ranking_runs", filter: filter, runID: runID, into: target.connection)
                        // A file of schema version 2 or older, opened read-only, has no outlet losses.
                        if try !Self.columns(of: "ranking_outlet_losses", on: connection).isEmpty {
                            _ = try copyRows(of: "ranking_outlet_losses", filter: filter, runID: runID, into: target.connection)
                        }
                    }
                    // The exact extent (the R-tree keeps 32-bit floats rounded outwards).
                    let t = layout.table
                    try target.connection.execute("""
                        UPDATE gpkg_contents SET
                            (min_x, max_x, min_y, max_y) = (SELECT min(ST_MinX(geom)), max(ST_MaxX(geom)),
                                                                   min(ST_MinY(geom)), max(ST_MaxY(geom)) FROM \(t)),
                            last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                        WHERE table_name = '\(t)'
                        """, context: "recording the table extent")
                    try target.bumpDataVersion()
                }
            }
            try OutputFile.sync(temporary, reportedAs: output)
            try OutputFile.publish(temporary, to: output, overwrite: overwrite, isDatabase: true)
        } catch {
            Self.removeDatabaseFiles(temporary)
            throw Self.exportError(error)
        }
        return rows
    }

    /// Copies the rows of `table` (those matching `filter`, with `?1` bound to `runID`) into the same
    /// table of `target`, fid included; values keep their SQLite types. Columns the source lacks (a
    /// file of an older schema version) are left to their defaults. Returns the rows copied.
    private func copyRows(of table: String, filter: String, runID: String?, into target: Connection) throws(StoreError) -> Int {
        let sourceColumns = Set(try Self.columns(of: table, on: connection).map(\.name))
        let columns = try Self.columns(of: table, on: target).filter { sourceColumns.contains($0.name) }
        let geometryColumns = try Self.geometryColumns(of: table, on: target)
        let isGeometry = columns.map { geometryColumns.contains($0.name) }
        let list = columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let select = try connection.prepare("SELECT \(list) FROM \(table)\(filter) ORDER BY rowid")
        if !filter.isEmpty { select.bind(1, runID) }
        defer { select.reset() }
        let insert = try target.prepare(
            "INSERT INTO \(table) (\(list)) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
        var rows = 0
        while try select.step() {
            for (offset, column) in columns.enumerated() {
                let from = Int32(offset), to = Int32(offset + 1)
                if select.isNull(from) {
                    insert.bindNull(to)
                } else if isGeometry[offset] {
                    insert.bind(to, select.blob(from) ?? [])
                } else {
                    switch column.affinity {
                    case .integer: insert.bind(to, select.integer(from))
                    case .real: insert.bind(to, select.double(from))
                    case .text: insert.bind(to, select.text(from) ?? "")
                    case .blob: insert.bind(to, select.blob(from) ?? [])
                    }
                }
            }
            try insert.step()
            insert.reset()
            rows += 1
        }
        return rows
    }

    /// Drops the R-tree triggers of `table` and returns the SQL that creates them again.
    private static func dropSpatialIndexTriggers(of table: String, on connection: Connection) throws(StoreError) -> [String] {
        let statement = try connection.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 AND name LIKE ?2 ORDER BY name")
        statement.bind(1, table)
        statement.bind(2, "rtree_\(table)_geom_%")
        var triggers: [(name: String, sql: String)] = []
        while try statement.step() {
            if let name = statement.text(0), let sql = statement.text(1) { triggers.append((name, sql)) }
        }
        statement.reset()
        for trigger in triggers {
            try connection.execute("DROP TRIGGER \"\(trigger.name)\"", context: "suspending the spatial index")
        }
        return triggers.map(\.sql)
    }

    struct ColumnInfo {
        enum Affinity { case integer, real, text, blob }
        var name: String
        var affinity: Affinity
    }

    /// The columns of `table` with their type affinity (SQLite's rules, §3.1 of "Datatypes In SQLite").
    static func columns(of table: String, on connection: Connection) throws(StoreError) -> [ColumnInfo] {
        let statement = try connection.prepare("SELECT name, upper(type) FROM pragma_table_info('\(table)') ORDER BY cid")
        var columns: [ColumnInfo] = []
        while try statement.step() {
            let type = statement.text(1) ?? ""
            let affinity: ColumnInfo.Affinity
            if type.contains("INT") {
                affinity = .integer
            } else if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") {
                affinity = .text
            } else if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") {
                affinity = .real
            } else {
                affinity = .blob
            }
            columns.append(ColumnInfo(name: statement.text(0) ?? "", affinity: affinity))
        }
        return columns
    }

    /// The geometry columns GeoPackage registers for `table` (their declared types, such as POINT,
    /// say nothing about storage, so they are copied as blobs).
    private static func geometryColumns(of table: String, on connection: Connection) throws(StoreError) -> Set<String> {
        let statement = try connection.prepare("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = '\(table)'")
        var names = Set<String>()
        while try statement.step() { if let name = statement.text(0) { names.insert(name) } }
        return names
    }

    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }
}
