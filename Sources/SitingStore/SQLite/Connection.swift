internal import CSQLite
import Foundation

/// One SQLite connection. Not `Sendable`: used by one thread at a time, like the PROJ context.
///
/// Thin on purpose: prepared statements, transactions and error mapping. Every failure becomes a
/// `StoreError` carrying SQLite's message and what Siting was doing.
final class Connection {
    let handle: OpaquePointer
    let path: String
    let busyTimeoutMilliseconds: Int32

    /// Opens (and with `create`, creates) the database at `path`.
    init(path: String, readOnly: Bool = false, create: Bool = false, busyTimeoutMilliseconds: Int32 = 5_000)
        throws(StoreError)
    {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        var db: OpaquePointer?
        var flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        flags |= SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            if let db { sqlite3_close_v2(db) }
            throw .sqlite(code: code, message: message, context: "opening \(path)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        GeometryFunctions.register(on: db)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that return no rows.
    func execute(_ sql: String, context: @autoclosure () -> String = "running SQL") throws(StoreError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard code == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(errorMessage)
            throw error(code: code, message: message, context: context())
        }
    }

    /// Compiles `sql` into a reusable statement.
    func prepare(_ sql: String) throws(StoreError) -> Statement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw error(code: code, message: lastMessage, context: "preparing \(sql.prefix(60))")
        }
        return Statement(handle: statement, connection: self)
    }

    /// Runs `body` with another busy timeout, then restores the connection's own.
    func withBusyTimeout<Result>(milliseconds: Int32, _ body: () -> Result) -> Result {
        sqlite3_busy_timeout(handle, milliseconds)
        defer { sqlite3_busy_timeout(handle, busyTimeoutMilliseconds) }
        return body()
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws, so the
    /// database is left exactly as it was. `IMMEDIATE` takes the write lock at once; `DEFERRED` on a
    /// read-only connection gives one consistent snapshot of the data for every read inside.
    func transaction<Result>(_ mode: String = "IMMEDIATE", _ body: () throws -> Result) throws -> Result {
        try execute("BEGIN \(mode)", context: "starting a transaction")
        do {
            let result = try body()
            try execute("COMMIT", context: "committing")
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 { sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
            throw error
        }
    }

    /// The single integer a query returns (0 when it returns no row).
    func scalarInteger(_ sql: String) throws(StoreError) -> Int {
        let statement = try prepare(sql)
        return try statement.step() ? statement.integer(0) : 0
    }

    /// The single text a query returns, if any.
    func scalarText(_ sql: String) throws(StoreError) -> String? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.text(0) : nil
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last row inserted on this connection.
    var lastInsertedRowID: Int { Int(sqlite3_last_insert_rowid(handle)) }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Maps an SQLite result code to the most helpful `StoreError`.
    func error(code: Int32, message: String, context: String) -> StoreError {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy(path: path, waitedMilliseconds: Int(busyTimeoutMilliseconds))
        case SQLITE_FULL: return .full(path: path)
        case SQLITE_NOTADB: return .notSQLite(path: path)
        default: return .sqlite(code: code, message: message, context: context)
        }
    }
}

/// A prepared statement: bind by 1-based index, step, read columns by 0-based index.
final class Statement {
    private let handle: OpaquePointer
    private unowned let connection: Connection
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    fileprivate init(handle: OpaquePointer, connection: Connection) {
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }
    func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }
    func bind(_ index: Int32, _ value: String) { sqlite3_bind_text(handle, index, value, -1, Self.transient) }
    func bind(_ index: Int32, _ value: [UInt8]) {
        _ = value.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }
    func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }
    /// Binds UTF-8 text in place, without a copy: the bytes must stay valid until `reset()`.
    func bindTextUnchecked(_ index: Int32, _ bytes: UnsafePointer<UInt8>, count: Int) {
        sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self), Int32(count), nil)
    }
    /// Binds a blob in place, without a copy: the bytes must stay valid until `reset()`.
    func bindBlobUnchecked(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), nil)
    }
    func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }
    func bind(_ index: Int32, _ value: Int?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }
    func bind(_ index: Int32, _ value: Double?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }

    /// Advances to the next row; false when done.
    @discardableResult
    func step() throws(StoreError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let message = connection.lastMessage
            sqlite3_reset(handle)
            throw connection.error(code: code, message: message, context: "running \(sql.prefix(60))")
        }
    }

    /// Resets for another run and clears bindings.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    var sql: String { sqlite3_sql(handle).map { String(cString: $0) } ?? "" }
    var columnCount: Int32 { sqlite3_column_count(handle) }
    func columnName(_ index: Int32) -> String { String(cString: sqlite3_column_name(handle, index)) }
    func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }
    func integer(_ index: Int32) -> Int { Int(sqlite3_column_int64(handle, index)) }
    func double(_ index: Int32) -> Double { sqlite3_column_double(handle, index) }
    func text(_ index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        return String(cString: pointer)
    }
    func blob(_ index: Int32) -> [UInt8]? {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard let pointer = sqlite3_column_blob(handle, index) else { return count == 0 && !isNull(index) ? [] : nil }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }
    /// Calls `body` with the blob's bytes without copying them.
    func withBlob<Result, Failure: Error>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result)
        throws(Failure) -> Result
    {
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, index), count: count))
    }
}
