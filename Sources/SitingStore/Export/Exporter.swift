internal import CSQLite
import SitingCore

extension SitingDatabase {
    /// Exports outlets, competitors, regions or ranking results as CSV, GeoJSON or a new GeoPackage.
    ///
    /// Rows are read with one prepared statement and written as they come, so memory does not grow
    /// with the table. Output is deterministic: rows in key order (id; adcode; run and pick), fixed
    /// column and member order, coordinates WGS84 with 7 decimals (about 1 cm).
    /// - CSV (RFC 4180): the columns `siting import` reads, so the file imports back unchanged; points
    ///   as `lon,lat`, regions as a trailing `wkt` column (MULTIPOLYGON); flags as yes/no.
    /// - GeoJSON (RFC 7946): a FeatureCollection, `[lon, lat]`; numbers as numbers, the service flags
    ///   as booleans, accessibility as "yes"/"no"/"unknown"; rings re-oriented to the right-hand rule.
    /// - GeoPackage: a new Siting database holding only the exported rows, with their feature ids
    ///   (for rankings, also the runs they belong to and their outlet losses), in rollback-journal mode
    ///   so the file stands alone.
    ///
    /// A file is written under a temporary name and renamed when complete: a failure leaves nothing.
    ///
    /// - Parameters:
    ///   - kind: what to export.
    ///   - destination: standard output (CSV and GeoJSON) or a file.
    ///   - options: format, ranking run filter, overwrite, byte-order mark.
    /// - Throws: `ExportError` (an existing output without `overwrite`, a GeoPackage to standard
    ///   output, an unknown run, a write or database failure).
    /// - Complexity: O(n) in the rows exported; memory O(1) in them.
    public func export(_ kind: ExportKind, to destination: ExportDestination, options: ExportOptions)
        throws(ExportError) -> ExportSummary
    {
        if case .file(let output) = destination {
            if OutputFile.isSameFile(output, path) { throw .outputIsDatabase(path: output) }
            try OutputFile.checkAvailable(output, overwrite: options.overwrite)
        }
        if options.format == .gpkg, destination == .standardOutput { throw .needsFile(.gpkg) }
        let runID = kind == .rankings ? options.runID : nil
        var layout = ExportLayout.layout(for: kind)
        do {
            layout = layout.readingAbsentColumnsAsNull(present: Set(try Self.columns(of: layout.table, on: connection).map(\.name)))
        } catch {
            throw .store(error)
        }
        var summary = ExportSummary(kind: kind, format: options.format, destination: destination, rows: 0)
        // One read transaction: every query sees the same snapshot, even while another process writes.
        try withReadSnapshot { () throws(ExportError) in
            if let runID { try checkRunExists(runID) }
            switch (options.format, destination) {
            case (.gpkg, .file(let output)):
                summary.rows = try exportGeoPackage(layout, to: output, runID: runID, overwrite: options.overwrite)
            case (.gpkg, .standardOutput):
                throw .needsFile(.gpkg)
            case (.csv, _), (.geojson, _):
                summary.rows = try exportText(layout, format: options.format, to: destination, runID: runID, options: options)
            }
        }
        return summary
    }

    /// Runs `body` inside a read transaction unless one is already open.
    private func withReadSnapshot(_ body: () throws(ExportError) -> Void) throws(ExportError) {
        let begins = sqlite3_get_autocommit(connection.handle) != 0
        if begins {
            do {
                try connection.execute("BEGIN DEFERRED", context: "starting a read transaction")
            } catch {
                throw .store(error)
            }
        }
        defer { if begins { sqlite3_exec(connection.handle, "COMMIT", nil, nil, nil) } }
        try body()
    }

    /// Streams CSV or GeoJSON; returns the rows written.
    private func exportText(_ layout: ExportLayout, format: ExportFormat, to destination: ExportDestination,
                            runID: String?, options: ExportOptions) throws(ExportError) -> Int
    {
        let sink = try OutputSink(destination: destination, overwrite: options.overwrite)
        var rows = 0
        do {
            let statement = try connection.prepare(layout.select)
            if layout.kind == .rankings { statement.bind(1, runID) }
            defer { statement.reset() }
            switch format {
            case .csv:
                if options.byteOrderMark { sink.buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
                CSVWriter.appendRecord(layout.csvHeader, to: &sink.buffer)
                while try statement.step() {
                    let row = try layout.read(statement)
                    try layout.appendCSVRecord(geometry: row.geometry, values: row.values, to: &sink.buffer)
                    try sink.flushIfNeeded()
                    rows += 1
                }
            case .geojson:
                var writer = GeoJSONWriter(sink: sink, propertyNames: layout.columns.map(\.name))
                let idIndex = layout.featureIDIndex
                try writer.begin(name: layout.kind.rawValue)
                while try statement.step() {
                    let row = try layout.read(statement)
                    var id: String?
                    if let idIndex, case .text(let text) = row.values[idIndex] { id = text }
                    try writer.feature(id: id, geometry: row.geometry, values: row.values)
                    rows += 1
                }
                try writer.end()
            case .gpkg:
                preconditionFailure("GeoPackage output is not text")
            }
            try sink.finish()
        } catch {
            sink.discard()
            throw Self.exportError(error)
        }
        return rows
    }

    /// Refuses a run id that neither `ranking_runs` nor `ranking_results` has.
    private func checkRunExists(_ runID: String) throws(ExportError) {
        do {
            let statement = try connection.prepare("""
                SELECT (SELECT count(*) FROM ranking_runs WHERE run_id = ?1)
                     + (SELECT count(*) FROM ranking_results WHERE run_id = ?1)
                """)
            statement.bind(1, runID)
            guard try statement.step(), statement.integer(0) == 0 else { return }
            let known = try connection.prepare("SELECT run_id FROM ranking_runs ORDER BY created_at DESC, run_id LIMIT 10")
            var runs: [String] = []
            while try known.step() { if let id = known.text(0) { runs.append(id) } }
            throw ExportError.unknownRun(runID, known: runs)
        } catch {
            throw Self.exportError(error)
        }
    }

    static func exportError(_ error: any Error) -> ExportError {
        switch error {
        case let error as ExportError: return error
        case let error as StoreError: return .store(error)
        default: return .store(.sqlite(code: 0, message: "\(error)", context: "exporting"))
        }
    }
}
