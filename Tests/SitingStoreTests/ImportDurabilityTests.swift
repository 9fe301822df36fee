import Foundation
import SitingCore
import SitingStore
import SitingTestSupport
import Testing

/// `kill -9` of `siting import` in the middle of a 1,000,000-row import: the file stays sound and holds
/// exactly what the last committed import left, checked by the `sqlite3` program and by Siting.
@Suite struct ImportDurabilityTests {
    @Test("kill -9 in the middle of a 1,000,000-row import: integrity ok, earlier rows unchanged, no new row visible",
          .timeLimit(.minutes(5)))
    func killDuringImport() throws {
        try TemporaryDirectory.with(prefix: "siting-kill") { directory in
            let database = directory.path("kill.gpkg")
            let first = directory.path("first.csv"), big = directory.path("million.csv")
            try Self.writeOutlets(to: first, prefix: "P", count: 1_000)
            do {
                let db = try SitingDatabase(path: database, mode: .createIfMissing)
                let summary = try db.importFile(first, as: .outlets)
                try #require(summary.inserted == 1_000)
            }
            let rowsQuery = "SELECT fid, id, name, kind, hex(geom) FROM outlets ORDER BY fid;"
            let schemaQuery = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name;"
            let schemaBefore = try SQLiteShell.run(database, schemaQuery)
            let rowsBefore = try SQLiteShell.run(database, rowsQuery)
            let versionBefore = try SQLiteShell.scalar(database, "SELECT value FROM siting_metadata WHERE key = 'data_version'")
            // New ids only, so the killed import has nothing in common with the committed rows.
            try Self.writeOutlets(to: big, prefix: "K", count: 1_000_000)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: ExternalTool.sitingExecutable)
            process.arguments = ["import", "outlets", big, "--db", database]
            process.standardOutput = FileHandle.nullDevice
            let errorFile = directory.path("stderr.txt")
            _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
            try process.run()
            // Wait until the import is well under way: uncommitted pages spilled from the cache, either
            // into the write-ahead log or (a big import when nobody else has the file open) into the
            // file itself behind a rollback journal; or 5 s at most.
            let started = Date()
            let sizeBefore = directory.size("kill.gpkg") ?? 0
            var spilledBytes = 0, journalBytes = 0
            while process.isRunning, Date().timeIntervalSince(started) < 5 {
                let wal = directory.size("kill.gpkg-wal") ?? 0
                journalBytes = max(journalBytes, directory.size("kill.gpkg-journal") ?? 0)
                spilledBytes = max(wal, (directory.size("kill.gpkg") ?? 0) - sizeBefore)
                if spilledBytes > 2_000_000 { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let stderr = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
            try #require(wasRunning, "the import ended before it could be killed: status \(process.terminationStatus), \(stderr)")
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
            #expect(spilledBytes > 0, "the import had written nothing when killed (after \(Date().timeIntervalSince(started)) s)")

            // An independent reader first: sqlite3 recovers the log and checks every page.
            #expect(try SQLiteShell.scalar(database, "PRAGMA integrity_check;") == "ok")
            #expect(try SQLiteShell.run(database, rowsQuery) == rowsBefore)
            #expect(SQLiteShell.firstDifference(schemaBefore, try SQLiteShell.run(database, schemaQuery)) == nil,
                    "the schema (R-tree triggers included) is as before")
            #expect(try SQLiteShell.scalar(database, "SELECT count(*) FROM outlets WHERE id LIKE 'K%';") == "0")
            #expect(try SQLiteShell.scalar(database, "SELECT count(*) FROM rtree_outlets_geom;") == "1000")
            #expect(try SQLiteShell.scalar(database, "SELECT value FROM siting_metadata WHERE key = 'data_version'") == versionBefore)
            // Then Siting itself.
            let db = try SitingDatabase(path: database)
            #expect(try db.integrityCheck() == "ok")
            #expect(try db.count(.outlets) == 1_000)
            #expect(try db.outlets().allSatisfy { $0.id.hasPrefix("P") })
        }
    }

    /// Writes `count` outlets `<prefix>0000000`… as CSV, fast: a fixed-width row template with its
    /// digits patched in place, written in 4 MB chunks.
    static func writeOutlets(to path: String, prefix: Character, count: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        handle.write(Data("id,name,kind,lon,lat\n".utf8))
        let template = Array("\(prefix)0000000,Outlet,subBranch,116.0000000,39.0000000\n".utf8)
        let digitOffsets = [1, 30, 41]  // where the 7 digits of the id, longitude and latitude start
        let rowsPerChunk = 65_536
        var chunk = [UInt8](repeating: 0, count: rowsPerChunk * template.count)
        var row = 0
        while row < count {
            let rows = min(rowsPerChunk, count - row)
            chunk.withUnsafeMutableBufferPointer { buffer in
                template.withUnsafeBufferPointer { source in
                    for offset in 0..<rows {
                        let base = offset * source.count
                        (buffer.baseAddress! + base).update(from: source.baseAddress!, count: source.count)
                        var value = row + offset
                        for position in stride(from: 6, through: 0, by: -1) {
                            let digit = UInt8(truncatingIfNeeded: value % 10) + 0x30
                            value /= 10
                            for start in digitOffsets { buffer[base + start + position] = digit }
                        }
                    }
                }
            }
            handle.write(Data(chunk[0..<(rows * template.count)]))
            row += rows
        }
    }
}
