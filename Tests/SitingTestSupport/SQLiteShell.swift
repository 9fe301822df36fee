import Foundation

/// The `sqlite3` command-line program (Debian package sqlite3) as an independent reader of database
/// files: it shares no code with Siting (not even the GeoPackage SQL functions), so what it reports
/// is what any other SQLite client sees.
public enum SQLiteShell {
    /// A query failed or the program is missing.
    public struct ShellError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "sqlite3: \(message)" }
    }

    /// Whether `sqlite3` is on PATH.
    public static var isAvailable: Bool { ExternalTool.locate("sqlite3") != nil }

    /// Runs `sql` (one or more statements, or dot-commands on their own lines) on `database` and returns
    /// standard output: one line per row, columns separated by `|`. Stops at the first error.
    public static func run(_ database: String, _ sql: String) throws -> String {
        let outcome = try outcome(database, sql)
        guard outcome.status == 0, outcome.standardError.isEmpty else {
            throw ShellError(message: "exit \(outcome.status): \(outcome.standardError) (running \(sql.prefix(200)))")
        }
        return outcome.standardOutput
    }

    /// Runs `sql` and returns the whole outcome, failures included (for statements expected to fail).
    /// The shell waits up to 10 s for a lock, as Siting does, so a read beside a concurrent test's
    /// write is not refused with "database is locked".
    public static func outcome(_ database: String, _ sql: String) throws -> ExternalTool.Outcome {
        try ExternalTool.run("sqlite3", ["-batch", "-bail", "-cmd", ".timeout 10000", database], input: sql + "\n")
    }

    /// The rows of a query, each split into its columns.
    public static func rows(_ database: String, _ sql: String) throws -> [[String]] {
        try run(database, sql).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The single value a query returns.
    public static func scalar(_ database: String, _ sql: String) throws -> String {
        try run(database, sql).trimmingCharacters(in: .newlines)
    }

    /// The whole database as SQL text (`.dump`): every table's schema and every row, blobs in hex, in
    /// rowid order. Two equal dumps mean two databases with the same content.
    public static func dump(_ database: String) throws -> String {
        try run(database, ".dump")
    }

    /// The first line where two texts differ, for a readable failure message; nil when equal.
    public static func firstDifference(_ before: String, _ after: String) -> String? {
        guard before != after else { return nil }
        let a = before.split(separator: "\n", omittingEmptySubsequences: false)
        let b = after.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? String(a[index]) : "(end)"
            let right = index < b.count ? String(b[index]) : "(end)"
            if left != right {
                return "line \(index + 1) of \(a.count)/\(b.count): before «\(left.prefix(300))», after «\(right.prefix(300))»"
            }
        }
        return "texts differ"
    }
}

/// Another process, `sqlite3`, holding a write lock on a database (`BEGIN EXCLUSIVE`) until released.
public final class SQLiteLockHolder {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var released = false

    /// Starts `sqlite3 database`, begins an exclusive transaction and returns once the lock is held.
    public init(database: String) throws {
        guard let program = ExternalTool.locate("sqlite3") else { throw ExternalTool.Failure.notFound("sqlite3") }
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-batch", database]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE;\nSELECT 'lock-held';\n".utf8))
        var seen = ""
        while !seen.contains("lock-held") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw SQLiteShell.ShellError(message: "sqlite3 ended before taking the lock: \(seen)") }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        if seen.contains("Error") { throw SQLiteShell.ShellError(message: seen) }
    }

    /// Rolls the transaction back and ends the process.
    public func release() {
        guard !released else { return }
        released = true
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit {
        release()
    }
}
