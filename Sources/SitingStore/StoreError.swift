/// Everything that can go wrong opening, reading or writing a Siting database.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// SQLite refused an operation; `message` is SQLite's own text, `context` says what Siting was doing.
    case sqlite(code: Int32, message: String, context: String)
    /// The file exists but is not a Siting GeoPackage.
    case notASitingDatabase(path: String, reason: String)
    /// The file is not an SQLite database at all (or is damaged beyond SQLite's recognition).
    case notSQLite(path: String)
    /// The database was written by a newer Siting.
    case newerSchema(path: String, found: Int, supported: Int)
    /// Another process holds a lock for longer than the busy timeout.
    case busy(path: String, waitedMilliseconds: Int)
    /// The disk (or the database's page limit) is full.
    case full(path: String)
    /// A stored geometry blob that is not valid GeoPackage binary.
    case invalidGeometry(String)
    /// Stored rows that do not make sense (written by another program, or damaged).
    case invalidData(table: String, reason: String)

    public var description: String {
        switch self {
        case .sqlite(let code, let message, let context):
            return "database error while \(context): \(message) (SQLite code \(code))"
        case .notASitingDatabase(let path, let reason):
            return "\(path) is not a Siting database: \(reason). Use a new file name, or `siting init --db \(path)` on a file that does not exist yet."
        case .notSQLite(let path):
            return "\(path) is not an SQLite database (or it is damaged or truncated)"
        case .newerSchema(let path, let found, let supported):
            return "\(path) was written by a newer Siting (schema version \(found); this siting reads up to \(supported)). Upgrade siting."
        case .busy(let path, let waited):
            return "\(path) is locked by another process (waited \(waited) ms); try again when it has finished"
        case .full(let path):
            return "no space left for \(path): the disk is full"
        case .invalidGeometry(let reason):
            return "invalid GeoPackage geometry: \(reason)"
        case .invalidData(let table, let reason):
            return "unreadable data in table \(table): \(reason)"
        }
    }
}
