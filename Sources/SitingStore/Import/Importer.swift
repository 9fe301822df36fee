import Foundation
public import SitingCore

/// Options of one import.
public struct ImportOptions: Sendable {
    /// The file's format; nil means "from its extension".
    public var format: InputFormat?
    /// The coordinate system of the file's positions; nil means what the file declares, else WGS84.
    public var coordinateSystem: CoordinateSystem?
    /// The table to read from a GeoPackage with several.
    public var layer: String?
    /// Check and count everything, then change nothing.
    public var dryRun = false
    /// Import the valid records and report the others, instead of importing nothing.
    public var skipInvalid = false
    /// Year of region statistics when the file has no `year` column.
    public var year: Int?
    /// Provenance recorded with region statistics when the file has no `source` column.
    public var source: String?

    public init(format: InputFormat? = nil, coordinateSystem: CoordinateSystem? = nil, layer: String? = nil,
                dryRun: Bool = false, skipInvalid: Bool = false, year: Int? = nil, source: String? = nil) {
        self.format = format
        self.coordinateSystem = coordinateSystem
        self.layer = layer
        self.dryRun = dryRun
        self.skipInvalid = skipInvalid
        self.year = year
        self.source = source
    }
}

/// What an import did.
public struct ImportSummary: Sendable, CustomStringConvertible {
    public var kind: ImportKind
    public var file: String
    public var inserted = 0
    public var updated = 0
    public var rejected = 0
    /// The first rejected records with their reasons (at most `ImportError.listedIssueLimit`).
    public var issues: [ImportIssue] = []
    public var dryRun = false

    public var description: String {
        let verb = dryRun ? "would import" : "imported"
        let unit = kind == .regionStats ? " (values inserted and updated, rows rejected)" : ""
        var text = "\(file): \(verb) \(kind.rawValue): \(inserted) inserted, \(updated) updated, \(rejected) rejected\(unit)"
        if dryRun { text += " (dry run: nothing was changed)" }
        for issue in issues { text += "\n  rejected: \(issue)" }
        if rejected > issues.count { text += "\n  … and \(rejected - issues.count) more rejected" }
        return text
    }
}

/// How far an import has got, for progress bars.
public struct ImportProgress: Sendable {
    public var bytesRead: Int
    public var totalBytes: Int
    public var records: Int
}

extension SitingDatabase {
    /// Imports the file at `path` into the table for `kind`, converting positions to WGS84.
    ///
    /// The import is one transaction: it either commits every accepted record or leaves the database
    /// exactly as it was. Records are read in a stream, so memory does not grow with the file (only
    /// the set of ids seen, for the duplicate check). Existing rows with the same id are updated.
    ///
    /// - Throws: `ImportError` naming the file, the line or feature, the field and the reason.
    public func importFile(_ path: String, as kind: ImportKind, options: ImportOptions = ImportOptions(),
                           progress: ((ImportProgress) -> Void)? = nil) throws(ImportError) -> ImportSummary {
        guard let format = options.format ?? InputFormat(path: path) else {
            throw .unreadable(ImportIssue(file: path, location: .file,
                                          reason: "unknown file type: name it .csv, .geojson or .gpkg, or pass --format"))
        }
        var source = try RecordSource(path: path, format: format, layer: options.layer,
                                      preferredLayer: kind.table.rawValue)
        var run = try ImportRun(database: self, kind: kind, path: path, options: options, source: source)
        let bulkLoad = !options.dryRun && source.totalBytes >= Self.bulkLoadBytes && enterBulkLoadJournal()
        defer { if bulkLoad { leaveBulkLoadJournal() } }
        do {
            try connection.execute("BEGIN IMMEDIATE", context: "starting the import")
        } catch {
            throw .store(error)
        }
        do {
            try run.suspendSpatialIndex()
            let outcome: ReadOutcome
            if let preparer = run.preparer {
                outcome = try ImportPipeline.run(source: source, preparer: preparer, progress: progress) { batch throws(ImportError) in
                    try run.write(batch)
                }
            } else {
                var records = 0
                while let record = try source.next() {
                    if record.fields.isBlank, record.geometry == nil { continue }
                    records += 1
                    try run.processStatistics(record)
                }
                progress?(ImportProgress(bytesRead: source.totalBytes, totalBytes: source.totalBytes, records: records))
                outcome = ReadOutcome(records: records, lateDeclaredCRS: nil)
            }
            if let late = outcome.lateDeclaredCRS, options.coordinateSystem == nil, outcome.records > 0 {
                // JSON member order means nothing: a "crs" after the features still applies. Start again with it.
                try connection.execute("ROLLBACK", context: "restarting the import")
                var again = options
                again.coordinateSystem = RecordPreparer.coordinateSystem(declared: late)
                return try importFile(path, as: kind, options: again, progress: progress)
            }
            if run.summary.rejected > 0, !options.skipInvalid {
                throw ImportError.invalidRecords(run.summary.issues, total: run.summary.rejected)
            }
            if options.dryRun || run.summary.inserted + run.summary.updated == 0 {
                // A dry run, or nothing to write: leave the file untouched (not even its data version).
                try connection.execute("ROLLBACK", context: "ending the import")
            } else {
                try run.finish()
                try bumpDataVersion()
                try connection.execute("COMMIT", context: "committing the import")
            }
            return run.summary
        } catch {
            try? connection.execute("ROLLBACK", context: "rolling back")
            switch error {
            case let error as ImportError: throw error
            case let error as StoreError: throw .store(error)
            default: throw .store(.sqlite(code: 0, message: "\(error)", context: "importing"))
            }
        }
    }
}

extension SitingDatabase {
    /// Files from this size on (bytes) are imported with a rollback journal when nobody else has the
    /// database open: new pages then go to the file once, instead of to the write-ahead log and again
    /// into the file at the checkpoint (a 1M-row import writes about 280 MB).
    static let bulkLoadBytes = 32 << 20

    /// Switches from WAL to a rollback journal if no other connection is open, without waiting for
    /// one to close; true when it did. The import stays one transaction either way, and a crash
    /// leaves a hot journal that SQLite rolls back on the next open.
    func enterBulkLoadJournal() -> Bool {
        connection.withBusyTimeout(milliseconds: 0) {
            (try? connection.scalarText("PRAGMA journal_mode = TRUNCATE"))?.lowercased() == "truncate"
        }
    }

    /// Back to WAL, so readers and the one writer never block each other.
    func leaveBulkLoadJournal() {
        _ = try? connection.scalarText("PRAGMA journal_mode = WAL")
    }
}

/// The state of one import: statements, conversions, counters.
private struct ImportRun {
    let database: SitingDatabase
    let kind: ImportKind
    let path: String
    let options: ImportOptions
    let spec: TableSpec?
    var summary: ImportSummary
    /// Region statistics: the (adcode, year) pairs seen in this file.
    var seenKeys = Set<String>()
    /// Feature tables: the largest fid before this import (AUTOINCREMENT makes every new fid larger).
    var fidWatermark = 0
    var updatedKeys = Set<String>()
    var unwrittenKeys = Set<String>()
    /// Rows written, with their envelopes, for the R-tree (its triggers are off during the import):
    /// 24 bytes a row, what rebuilding the index from the table would hold anyway.
    var indexEntries: [RTreeBulkLoad.Entry] = []
    /// Rows of earlier imports this one updated (their entries are in `indexEntries`).
    var updatedFids: [Int64] = []
    /// The first rows written, with their exact envelopes, for an update of the R-tree row by row
    /// (which rounds them to floats its own way); emptied once a rebuild is certain.
    var touched: [(fid: Int, envelope: Envelope)] = []
    /// The R-tree triggers of the table, dropped for the import and recreated at its end.
    var rtreeTriggers: [String] = []
    let knownAdcodes: Set<String>
    /// The checks and conversions of records (feature tables), handed to the reading thread.
    var preparer: RecordPreparer?
    let upsert: Statement
    let exists: Statement
    /// Feature tables: the upsert of `rowsPerStatement` rows at once, and the table's AUTOINCREMENT
    /// counter (the fid before the next new row's).
    var upsertMany: Statement?
    var sequence: Statement?
    /// Checked rows of the batch being written, waiting to be written together.
    var pending: [PendingRow] = []
    /// Region statistics: the columns that are indicators, and the year and source to record.
    var indicatorColumns: [String] = []

    static let labelColumns: Set<String> = ["name", "name_zh", "name_en", "province", "city", "county", "district",
                                           "lon", "lat", "lng", "longitude", "latitude", "x", "y", "level",
                                           "parent_adcode", "year", "source", "adcode", "province_adcode", "code",
                                           "region_adcode", "fid", "geom", "geometry", "wkt"]
    static let statsKeyNames = ["adcode", "province_adcode", "region_adcode", "code"]
    /// Below this many written rows the R-tree is updated row by row instead of rebuilt.
    static let bulkIndexMinimum = 1_000
    /// Above this many written rows the R-tree is rebuilt, however large the table.
    static let bulkIndexAlways = 50_000
    /// Rows one statement writes: running a statement costs about as much as inserting a row.
    static let rowsPerStatement = 32

    init(database: SitingDatabase, kind: ImportKind, path: String, options: ImportOptions, source: RecordSource)
        throws(ImportError)
    {
        self.database = database
        self.kind = kind
        self.path = path
        self.options = options
        spec = TableSpec.spec(for: kind)
        summary = ImportSummary(kind: kind, file: path, dryRun: options.dryRun)
        do {
            if kind == .regions {
                knownAdcodes = []
            } else {
                var codes = Set<String>()
                let statement = try database.connection.prepare("SELECT adcode FROM regions")
                while try statement.step() { if let code = statement.text(0) { codes.insert(code) } }
                knownAdcodes = codes
            }
            if let spec {
                let columns = ["geom"] + spec.columns.map(\.column)
                let placeholders = columns.map { _ in "?" }.joined(separator: ", ")
                // An update changes only what the file says: columns it lacks keep their stored values.
                let present = source.fieldNames.map { names in
                    Set(spec.columns.filter { $0.aliases.contains(where: names.contains) }.map(\.column))
                }
                let updates = columns.filter { $0 != spec.key && ($0 == "geom" || present?.contains($0) ?? true) }
                    .map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
                fidWatermark = try database.connection.scalarInteger("SELECT coalesce(max(fid), 0) FROM \(spec.table)")
                let conflict = fidWatermark == 0 ? "DO NOTHING" : "DO UPDATE SET \(updates)"
                upsert = try database.connection.prepare(
                    "INSERT INTO \(spec.table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders)) "
                        + "ON CONFLICT(\(spec.key)) \(conflict)")
                upsertMany = try database.connection.prepare(
                    "INSERT INTO \(spec.table) (\(columns.joined(separator: ", "))) VALUES "
                        + repeatElement("(\(placeholders))", count: Self.rowsPerStatement).joined(separator: ", ")
                        + " ON CONFLICT(\(spec.key)) \(conflict)")
                sequence = try database.connection.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?")
                exists = try database.connection.prepare("SELECT fid FROM \(spec.table) WHERE \(spec.key) = ?")
            } else {
                upsert = try database.connection.prepare(
                    "INSERT INTO region_stats (adcode, indicator, year, value, source) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT(adcode, indicator, year) DO UPDATE SET value = excluded.value, source = excluded.source")
                exists = try database.connection.prepare(
                    "SELECT 1 FROM region_stats WHERE adcode = ? AND indicator = ? AND year = ?")
            }
        } catch {
            throw .store(error)
        }
        if let spec {
            preparer = RecordPreparer(path: path, options: options, spec: spec, knownAdcodes: knownAdcodes)
        }
        try checkHeader(source)
    }

    /// Checks, before any record, that a CSV or GeoPackage has the columns this kind needs.
    private mutating func checkHeader(_ source: RecordSource) throws(ImportError) {
        guard let names = source.fieldNames else { return }
        let found = "found columns: \(names.joined(separator: ", "))"
        if let spec, InputFormat(path: path) == .csv || options.format == .csv, options.format != .gpkg {
            preparer?.csvLayout = CSVLayout(spec: spec, names: names)
        }
        if let spec {
            for column in spec.columns where column.required && !column.aliases.contains(where: names.contains) {
                throw .unreadable(ImportIssue(file: path, location: .line(1), field: column.column,
                                              reason: "the required column \"\(column.column)\" is missing; \(found)"))
            }
            let isGeoPackage = options.format == .gpkg || InputFormat(path: path) == .gpkg
            if !isGeoPackage {
                let hasPosition = TableSpec.longitudeNames.contains(where: names.contains)
                    && TableSpec.latitudeNames.contains(where: names.contains)
                let hasWKT = TableSpec.wktNames.contains(where: names.contains)
                guard hasPosition || hasWKT else {
                    let wanted = spec.geometry == .point ? "lon and lat columns (or lng/longitude, lat/latitude), or a WKT column"
                        : "a WKT column (wkt or geometry)"
                    throw .unreadable(ImportIssue(file: path, location: .line(1), reason: "no positions: expected \(wanted); \(found)"))
                }
            }
        } else {
            guard Self.statsKeyNames.contains(where: names.contains) else {
                throw .unreadable(ImportIssue(file: path, location: .line(1), field: "adcode",
                                              reason: "the required column \"adcode\" (or province_adcode) is missing; \(found)"))
            }
            indicatorColumns = names.filter { !Self.labelColumns.contains($0) }
            guard !indicatorColumns.isEmpty else {
                throw .unreadable(ImportIssue(file: path, location: .line(1), reason: "no indicator columns to import; \(found)"))
            }
            guard names.contains("year") || options.year != nil else {
                throw .unreadable(ImportIssue(file: path, location: .line(1), field: "year",
                                              reason: "the file has no year column: pass --year YEAR"))
            }
        }
    }

    private mutating func reject(_ location: RecordLocation, field: String?, _ reason: String) {
        summary.rejected += 1
        if summary.issues.count < ImportError.listedIssueLimit {
            summary.issues.append(ImportIssue(file: path, location: location, field: field, reason: reason))
        }
    }

    /// A checked row waiting in `pending`; its values are in the batch being written.
    struct PendingRow {
        var location: RecordLocation
        var firstSlot: Int
        var blob: Range<Int>
        var envelope: Envelope?
        var key: UnsafeBufferPointer<UInt8>
        /// The fid of the row this one updates, nil for a new row.
        var existingFid: Int?
    }

    /// Writes one batch of prepared records (or counts their rejections), in order.
    mutating func write(_ batch: PreparedBatch) throws(ImportError) {
        guard spec != nil else { return }
        defer { pending.removeAll(keepingCapacity: true) }  // its rows point into the batch
        try batch.bytes.withUnsafeBufferPointer { bytes throws(ImportError) in
            for record in batch.records { try write(record, slots: batch.slots, bytes: bytes) }
            try writePending(slots: batch.slots, bytes: bytes)
        }
    }

    /// Checks one prepared record whose values are in `slots` and `bytes` and adds it to `pending`
    /// (writing `pending` when full), or counts its rejection. Pending rows are written before any
    /// rejection is counted and before a row with the same key, so everything happens in file order.
    private mutating func write(_ prepared: PreparedRecord, slots: [PackedSlot], bytes: UnsafeBufferPointer<UInt8>)
        throws(ImportError)
    {
        guard let spec else { return }
        let row: PendingRow
        switch prepared {
        case .rejected(let at, let field, let reason):
            try writePending(slots: slots, bytes: bytes)
            reject(at, field: field, reason)
            return
        case .row(let at, let firstSlot, let blob, let envelope):
            guard case .text(let keyStart, let keyCount) = slots[firstSlot + spec.keyIndex], let base = bytes.baseAddress else {
                preconditionFailure("a prepared row without its key text")
            }
            row = PendingRow(location: at, firstSlot: firstSlot, blob: blob, envelope: envelope,
                             key: UnsafeBufferPointer(start: base + Int(keyStart), count: Int(keyCount)))
        }
        if pending.contains(where: { $0.key.count == row.key.count && memcmp($0.key.baseAddress!, row.key.baseAddress!, row.key.count) == 0 }) {
            try writePending(slots: slots, bytes: bytes)
        }
        var key: String { String(decoding: row.key, as: UTF8.self) }
        // Into a table that was empty, nothing can exist but rows of this very file, which the insert
        // itself detects (`DO NOTHING` changes no row); otherwise look the key up first.
        let existingFid = fidWatermark > 0 ? try fid(ofKey: row.key) : nil
        // A key seen earlier in this file: a row this import inserted (fid above the watermark) or
        // updated, or one it validated but did not write. No set of every key is kept, so memory
        // stays flat for million-row files.
        let duplicate = existingFid.map { $0 > fidWatermark || updatedKeys.contains(key) } ?? false
            || !unwrittenKeys.isEmpty && unwrittenKeys.contains(key)
        guard !duplicate else {
            try writePending(slots: slots, bytes: bytes)
            reject(row.location, field: spec.key, "duplicate \(spec.key) \"\(key)\": it appears earlier in this file")
            return
        }
        guard summary.rejected == 0 || options.skipInvalid else {
            unwrittenKeys.insert(key)  // it will all be rolled back; keep checking for duplicates
            return
        }
        if existingFid != nil { updatedKeys.insert(key) }
        pending.append(row)
        pending[pending.count - 1].existingFid = existingFid
        if pending.count == Self.rowsPerStatement { try writePending(slots: slots, bytes: bytes) }
    }

    /// The fid of the row with this key, if there is one.
    private func fid(ofKey key: UnsafeBufferPointer<UInt8>) throws(ImportError) -> Int? {
        do {
            defer { exists.reset() }
            exists.bindTextUnchecked(1, key.baseAddress!, count: key.count)
            return try exists.step() ? exists.integer(0) : nil
        } catch {
            throw .store(error)
        }
    }

    /// Writes the pending rows: a full set with one statement, fewer one by one.
    private mutating func writePending(slots: [PackedSlot], bytes: UnsafeBufferPointer<UInt8>) throws(ImportError) {
        guard !pending.isEmpty, let spec, let upsertMany, let base = bytes.baseAddress else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        do {
            // Once a row is rejected (and invalid rows are not skipped), the rows after it are only
            // remembered, as `write` does: the import will fail, but keeps reporting duplicates.
            func stopped(_ row: PendingRow) -> Bool {
                guard summary.rejected > 0, !options.skipInvalid else { return false }
                unwrittenKeys.insert(String(decoding: row.key, as: UTF8.self))
                return true
            }
            if pending.count < Self.rowsPerStatement {
                for row in pending where !stopped(row) {
                    do {
                        defer { upsert.reset() }
                        bind(row, to: upsert, from: 0, slots: slots, base: base)
                        try upsert.step()
                    }
                    if fidWatermark == 0, database.connection.changes == 0 {
                        reject(row.location, field: spec.key,
                               "duplicate \(spec.key) \"\(String(decoding: row.key, as: UTF8.self))\": it appears earlier in this file")
                        continue
                    }
                    wrote(row, fid: row.existingFid ?? database.connection.lastInsertedRowID)
                }
                return
            }
            // Every row takes the next AUTOINCREMENT number in turn, new or not (SQLite allocates the
            // rowid before it finds the conflict), so the k-th row's fid is first + k if it is new;
            // the last new row's fid confirms that, else each new row's fid is looked up.
            let first = max(try autoincrementCounter(), fidWatermark) + 1
            do {
                defer { upsertMany.reset() }
                let columnCount = Int32(spec.columns.count + 1)
                for (number, row) in pending.enumerated() {
                    bind(row, to: upsertMany, from: Int32(number) * columnCount, slots: slots, base: base)
                }
                try upsertMany.step()
            }
            let changes = database.connection.changes, last = database.connection.lastInsertedRowID
            let lastNew = pending.lastIndex { $0.existingFid == nil }
            let numbered = changes == pending.count && (lastNew.map { last == first + $0 } ?? true)
            for (number, row) in pending.enumerated() where !stopped(row) {
                if let existingFid = row.existingFid {
                    wrote(row, fid: existingFid)
                } else if numbered {
                    wrote(row, fid: first + number)
                } else if let fid = try fid(ofKey: row.key), fid >= first {
                    wrote(row, fid: fid)
                } else {
                    // Into an empty table only: an earlier row of this file has the key (`DO NOTHING`).
                    reject(row.location, field: spec.key,
                           "duplicate \(spec.key) \"\(String(decoding: row.key, as: UTF8.self))\": it appears earlier in this file")
                }
            }
        } catch let error as StoreError {
            throw .store(error)
        } catch let error as ImportError {
            throw error
        } catch {
            throw .store(.sqlite(code: 0, message: "\(error)", context: "importing"))
        }
    }

    /// The table's AUTOINCREMENT counter: the largest fid it ever gave (0 before the first).
    private func autoincrementCounter() throws(StoreError) -> Int {
        guard let sequence, let spec else { return 0 }
        defer { sequence.reset() }
        sequence.bind(1, spec.table)
        return try sequence.step() ? sequence.integer(0) : 0
    }

    /// Binds a pending row's values to parameters `offset + 1`, `offset + 2`, … of `statement`, texts
    /// and blob in place (they must stay valid until the statement is reset).
    private func bind(_ row: PendingRow, to statement: Statement, from offset: Int32, slots: [PackedSlot],
                      base: UnsafePointer<UInt8>)
    {
        guard let spec else { return }
        statement.bindBlobUnchecked(offset + 1, UnsafeRawBufferPointer(start: base + row.blob.lowerBound, count: row.blob.count))
        for column in 0..<spec.columns.count {
            let index = offset + Int32(column + 2)
            switch slots[row.firstSlot + column] {
            case .null: statement.bindNull(index)
            case .integer(let number): statement.bind(index, number)
            case .real(let number): statement.bind(index, number)
            case .text(let start, let count): statement.bindTextUnchecked(index, base + Int(start), count: Int(count))
            }
        }
    }

    /// Counts a row written with this fid and keeps its R-tree entry.
    private mutating func wrote(_ row: PendingRow, fid: Int) {
        if let envelope = row.envelope, let entry = RTreeBulkLoad.Entry(id: Int64(fid), envelope: envelope) {
            indexEntries.append(entry)
            if indexEntries.count <= Self.bulkIndexAlways {
                touched.append((fid, envelope))
            } else if !touched.isEmpty {
                touched = []
            }
        }
        if row.existingFid != nil {
            summary.updated += 1
            updatedFids.append(Int64(fid))
        } else {
            summary.inserted += 1
        }
    }

    /// Drops the table's R-tree triggers for the length of the import (inside its transaction, so a
    /// rollback restores them): maintaining the index row by row costs far more than rebuilding it.
    mutating func suspendSpatialIndex() throws(ImportError) {
        guard let spec else { return }
        do {
            let statement = try database.connection.prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name LIKE ?")
            statement.bind(1, spec.table)
            statement.bind(2, "rtree_\(spec.table)_geom_%")
            var names: [String] = []
            while try statement.step() {
                if let name = statement.text(0), let sql = statement.text(1) {
                    names.append(name)
                    rtreeTriggers.append(sql)
                }
            }
            for name in names { try database.connection.execute("DROP TRIGGER \"\(name)\"", context: "suspending the spatial index") }
        } catch {
            throw .store(error)
        }
    }

    /// Stores one row of region statistics (a value per indicator column).
    mutating func processStatistics(_ record: SourceRecord) throws(ImportError) {
        if case .columns(let header, let values) = record.fields, values.count != header.names.count {
            reject(record.location, field: nil,
                   "has \(values.count) field\(values.count == 1 ? "" : "s"), the header has \(header.names.count)")
            return
        }
        guard let (keyField, keyText) = record.fields.value(Self.statsKeyNames) else {
            reject(record.location, field: "adcode", "a value is required")
            return
        }
        let digits = keyText.count
        guard keyText.allSatisfy(\.isASCII), keyText.allSatisfy(\.isNumber), [2, 4, 6].contains(digits) else {
            reject(record.location, field: keyField, "\"\(keyText)\" is not an adcode (2, 4 or 6 digits)")
            return
        }
        let adcode = keyText + String(repeating: "0", count: 6 - digits)
        guard knownAdcodes.isEmpty || knownAdcodes.contains(adcode) else {
            reject(record.location, field: keyField, "unknown adcode \(adcode): no region in the database has it")
            return
        }
        let year: Int
        if let (yearField, yearText) = record.fields.value(["year"]) {
            guard let parsed = Int(yearText), (1900...2100).contains(parsed) else {
                reject(record.location, field: yearField, "\"\(yearText)\" is not a year")
                return
            }
            year = parsed
        } else if let fixed = options.year {
            year = fixed
        } else {
            reject(record.location, field: "year", "a value is required (or pass --year)")
            return
        }
        let provenance = record.fields.value(["source"])?.value ?? options.source ?? (path as NSString).lastPathComponent
        var names = indicatorColumns
        if case .named(let dictionary) = record.fields, names.isEmpty {
            names = dictionary.keys.filter { !Self.labelColumns.contains($0) }.sorted()
        }
        var rows: [(String, Double)] = []
        for name in names {
            guard let (_, text) = record.fields.value([name]) else { continue }
            guard let value = Double(text), value.isFinite else {
                reject(record.location, field: name, "\"\(text)\" is not a number")
                return
            }
            rows.append((name, value))
        }
        guard seenKeys.insert("\(adcode)/\(year)").inserted else {
            reject(record.location, field: keyField, "duplicate adcode \(adcode) for \(year): it appears earlier in this file")
            return
        }
        guard summary.rejected == 0 || options.skipInvalid else { return }
        do {
            for (indicator, value) in rows {
                exists.bind(1, adcode)
                exists.bind(2, indicator)
                exists.bind(3, year)
                let existed = try exists.step()
                exists.reset()
                upsert.bind(1, adcode)
                upsert.bind(2, indicator)
                upsert.bind(3, year)
                upsert.bind(4, value)
                upsert.bind(5, provenance)
                try upsert.step()
                upsert.reset()
                if existed { summary.updated += 1 } else { summary.inserted += 1 }
            }
        } catch {
            upsert.reset()
            throw .store(error)
        }
    }

    /// Records the table's new extent and change time in gpkg_contents.
    mutating func finish() throws(ImportError) {
        guard let spec else { return }
        do {
            let r = "rtree_\(spec.table)_geom"
            let rows = try database.connection.scalarInteger("SELECT count(*) FROM \(spec.table)")
            let written = indexEntries.count
            if written > Self.bulkIndexAlways || (written >= Self.bulkIndexMinimum && written * 10 >= rows) {
                // Rows of earlier imports this one did not update keep their geometry: read theirs.
                if fidWatermark > 0 {
                    updatedFids.sort()
                    let kept = try RTreeBulkLoad.entries(of: spec.table, fidAtMost: fidWatermark, connection: database.connection)
                    indexEntries += kept.lazy.filter { entry in !updatedFids.containsSorted(entry.id) }
                }
                try RTreeBulkLoad.rebuild(index: r, entries: indexEntries, connection: database.connection)
            } else if !touched.isEmpty {
                let insert = try database.connection.prepare("INSERT OR REPLACE INTO \(r) VALUES (?, ?, ?, ?, ?)")
                for (fid, envelope) in touched {
                    insert.bind(1, fid)
                    insert.bind(2, envelope.minX)
                    insert.bind(3, envelope.maxX)
                    insert.bind(4, envelope.minY)
                    insert.bind(5, envelope.maxY)
                    try insert.step()
                    insert.reset()
                }
            }
            for sql in rtreeTriggers { try database.connection.execute(sql, context: "restoring the spatial index triggers") }
            // The extent from the R-tree's root: a few dozen boxes instead of four scans of every row.
            let extent = try RTreeBulkLoad.extent(index: r, connection: database.connection)
            let update = try database.connection.prepare("""
                UPDATE gpkg_contents SET min_x = ?, max_x = ?, min_y = ?, max_y = ?,
                    last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                WHERE table_name = ?
                """)
            update.bind(1, extent?.minX)
            update.bind(2, extent?.maxX)
            update.bind(3, extent?.minY)
            update.bind(4, extent?.maxY)
            update.bind(5, spec.table)
            try update.step()
        } catch {
            throw .store(error)
        }
    }
}

extension Array where Element == Int64 {
    /// Whether a sorted array holds `value` (binary search).
    fileprivate func containsSorted(_ value: Int64) -> Bool {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == value
    }
}

