import Foundation
import SitingTestSupport
import Testing

/// `siting import`, run as the real executable: the summary on standard output, errors on standard
/// error with file, line and field, a non-zero exit, and the database (read with `sqlite3`) unchanged.
@Suite struct ImportCommandTests {
    let siting = ExternalTool.sitingExecutable

    static let outlets = """
        id,name,kind,lon,lat,opening_hours,cash
        BJ001,Dongcheng Branch,primaryBranch,116.4103,39.9155,Mo-Fr 09:00-17:00,yes
        SH001,Huangpu Sub-branch,subBranch,121.4903,31.2397,,no
        SH002,Bund Self-service,selfService,121.4851,31.2381,24/7,no

        """

    /// A directory with a database holding the three outlets above.
    func withDatabase(_ body: (TemporaryDirectory, String) throws -> Void) throws {
        try TemporaryDirectory.with(prefix: "siting-cli-import") { directory in
            let database = directory.path("siting.gpkg")
            let file = try directory.write("outlets.csv", Self.outlets)
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database])
            try #require(outcome.status == 0, "seeding: \(outcome.standardError)")
            try body(directory, database)
        }
    }

    @Test("an import prints one summary line, exits 0, and creates the database when it does not exist")
    func happyPath() throws {
        try TemporaryDirectory.with(prefix: "siting-cli-import") { directory in
            let database = directory.path("new.gpkg")
            let file = try directory.write("outlets.csv", Self.outlets)
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database])
            #expect(outcome.status == 0)
            #expect(outcome.standardOutput == "\(file): imported outlets: 3 inserted, 0 updated, 0 rejected\n")
            #expect(outcome.standardError.isEmpty, "no progress bar when standard error is not a terminal")
            #expect(try SQLiteShell.rows(database, "SELECT id, kind, cash FROM outlets ORDER BY id;")
                == [["BJ001", "primaryBranch", "1"], ["SH001", "subBranch", "0"], ["SH002", "selfService", "0"]])
        }
    }

    @Test("--db defaults to $SITING_DB")
    func databaseFromEnvironment() throws {
        try TemporaryDirectory.with(prefix: "siting-cli-import") { directory in
            let database = directory.path("env.gpkg")
            let file = try directory.write("outlets.csv", Self.outlets)
            var environment = ProcessInfo.processInfo.environment
            environment["SITING_DB"] = database
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file], environment: environment)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            #expect(try SQLiteShell.scalar(database, "SELECT count(*) FROM outlets;") == "3")
        }
    }

    @Test("--crs gcj02 stores the published WGS84 point (DESIGN §5) to 1e-7°")
    func crsOption() throws {
        try TemporaryDirectory.with(prefix: "siting-cli-import") { directory in
            let database = directory.path("crs.gpkg")
            let file = try directory.write("gcj.csv", "id,name,kind,lng,lat\nG1,Pudong,subBranch,121.531541859215,31.17530398364597\n")
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database, "--crs", "gcj02"])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let hex = try SQLiteShell.scalar(database, "SELECT hex(geom) FROM outlets WHERE id = 'G1';")
            let point = try #require(GeoPackagePointHex.decode(hex))
            #expect(abs(point.x - 121.5272106) < 1e-7 && abs(point.y - 31.1774276) < 1e-7, "stored \(point)")
        }
    }

    @Test("--dry-run reports what it would do and leaves the database unchanged")
    func dryRun() throws {
        try withDatabase { directory, database in
            let file = try directory.write("new.csv", "id,name,kind,lon,lat\nN1,New,community,116.2,39.8\nN2,New 2,community,116.3,39.7\n")
            let before = try SQLiteShell.dump(database)
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database, "--dry-run"])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            #expect(outcome.standardOutput
                == "\(file): would import outlets: 2 inserted, 0 updated, 0 rejected (dry run: nothing was changed)\n")
            #expect(SQLiteShell.firstDifference(before, try SQLiteShell.dump(database)) == nil)
        }
    }

    @Test("--skip-invalid imports the good rows and lists each rejected one with its line and field")
    func skipInvalid() throws {
        try withDatabase { directory, database in
            let file = try directory.write("mixed.csv", """
                id,name,kind,lon,lat,cash
                N1,Good,community,116.2,39.8,yes
                N2,Bad cash,community,116.3,39.7,maybe
                N3,Good too,subBranch,116.4,39.6,no
                N4,Bad kind,kiosk,116.5,39.5,no

                """)
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database, "--skip-invalid"])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            #expect(outcome.standardOutput == """
                \(file): imported outlets: 2 inserted, 0 updated, 2 rejected
                  rejected: \(file): line 3, field "cash": "maybe" is not yes or no
                  rejected: \(file): line 5, field "kind": "kiosk" is not one of primaryBranch, secondaryBranch, subBranch, community, selfService

                """)
            #expect(try SQLiteShell.scalar(database, "SELECT group_concat(id) FROM (SELECT id FROM outlets ORDER BY id);")
                == "BJ001,N1,N3,SH001,SH002")
        }
    }

    @Test("an invalid file: exit 1, nothing on stdout, every problem on stderr with file, line and field, database unchanged")
    func invalidFile() throws {
        try withDatabase { directory, database in
            let file = try directory.write("bad.csv", """
                id,name,kind,lon,lat,self_service_devices,opening_hours
                N1,Good,community,116.2,39.8,1,Mo-Fr 09:00-17:00
                N2,Text devices,community,116.3,39.7,several,
                N3,Bad hours,subBranch,116.4,39.6,0,Mo-Fr 9-17
                N4,Far north,subBranch,116.5,91,0,

                """)
            let before = try SQLiteShell.dump(database)
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database])
            #expect(outcome.status == 1)
            #expect(outcome.standardOutput.isEmpty)
            let message = outcome.standardError
            #expect(message.contains("3 invalid records; nothing was imported"))
            #expect(message.contains("\(file): line 3, field \"self_service_devices\": \"several\" is not a whole number"))
            #expect(message.contains("\(file): line 4, field \"opening_hours\": invalid opening hours \"Mo-Fr 9-17\" at character 7"))
            #expect(message.contains("\(file): line 5, field \"lat\": latitude 91.0 is outside [-90, 90] degrees"), "\(message)")
            #expect(message.contains("--skip-invalid"))
            #expect(SQLiteShell.firstDifference(before, try SQLiteShell.dump(database)) == nil)
        }
    }

    @Test("an unknown kind and an unknown --format are refused before anything is read")
    func validation() throws {
        try withDatabase { directory, database in
            let file = directory.path("outlets.csv")
            let kind = try ExternalTool.run(siting, ["import", "branches", file, "--db", database])
            #expect(kind.status != 0)
            #expect(kind.standardError.contains("unknown kind \"branches\""))
            #expect(kind.standardError.contains("outlets, competitors, regions, settlements, region-stats, candidates"))
            let format = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database, "--format", "xlsx"])
            #expect(format.status != 0)
            #expect(format.standardError.contains("unknown format \"xlsx\""))
        }
    }

    @Test("an unknown --crs (wgs85) names the file and the system, and changes nothing")
    func unknownCRS() throws {
        try withDatabase { directory, database in
            let file = try directory.write("new.csv", "id,name,kind,lon,lat\nN1,New,community,116.2,39.8\n")
            let before = try SQLiteShell.dump(database)
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database, "--crs", "wgs85"])
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains(file) && outcome.standardError.contains("unknown coordinate system \"wgs85\""),
                    "\(outcome.standardError)")
            #expect(SQLiteShell.firstDifference(before, try SQLiteShell.dump(database)) == nil)
        }
    }

    @Test("a database that is not Siting's, or from a newer Siting, is refused and left byte for byte as it was")
    func refusedDatabases() throws {
        try withDatabase { directory, database in
            let file = directory.path("outlets.csv")
            let other = directory.path("other.gpkg")
            _ = try SQLiteShell.run(other, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');")
            let otherBytes = try directory.bytes(other)
            let foreign = try ExternalTool.run(siting, ["import", "outlets", file, "--db", other])
            #expect(foreign.status != 0)
            #expect(foreign.standardError.contains("\(other) is not a Siting database"), "\(foreign.standardError)")
            #expect(try directory.bytes(other) == otherBytes)

            _ = try SQLiteShell.run(database, "UPDATE siting_metadata SET value = '7' WHERE key = 'schema_version';")
            let before = try SQLiteShell.dump(database)
            let newer = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database])
            #expect(newer.status != 0)
            #expect(newer.standardError.contains("newer Siting (schema version 7; this siting reads up to 3)"), "\(newer.standardError)")
            #expect(SQLiteShell.firstDifference(before, try SQLiteShell.dump(database)) == nil)
        }
    }

    @Test("a database locked by another process: exit non-zero with the locked message, nothing changes", .timeLimit(.minutes(5)))
    func lockedDatabase() throws {
        try withDatabase { directory, database in
            let file = try directory.write("new.csv", "id,name,kind,lon,lat\nN1,New,community,116.2,39.8\n")
            let before = try SQLiteShell.dump(database)
            let holder = try SQLiteLockHolder(database: database)
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database])
            holder.release()
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("\(database) is locked by another process"), "\(outcome.standardError)")
            #expect(outcome.standardOutput.isEmpty)
            #expect(SQLiteShell.firstDifference(before, try SQLiteShell.dump(database)) == nil)
        }
    }

    @Test("a full disk (writes to the log fail with ENOSPC): the message says the disk is full, the database is intact")
    func fullDisk() throws {
        try withDatabase { directory, database in
            guard let library = DiskFullSimulator.build(in: directory.path) else {
                print("skipped: no C compiler to build the ENOSPC shim")
                return
            }
            _ = try SQLiteShell.run(database, "PRAGMA wal_checkpoint(TRUNCATE);")
            var rows = "id,name,kind,lon,lat\n"
            for index in 0..<5_000 { rows += "F\(index),Full \(index),subBranch,116.\(index),39.\(index)\n" }
            let file = try directory.write("big.csv", rows)
            let before = try SQLiteShell.dump(database)
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database],
                                               environment: DiskFullSimulator.environment(library: library, fullAfterBytes: 64 * 1024))
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("no space left for \(database): the disk is full"), "\(outcome.standardError)")
            #expect(outcome.standardOutput.isEmpty)
            #expect(try SQLiteShell.scalar(database, "PRAGMA integrity_check;") == "ok")
            #expect(SQLiteShell.firstDifference(before, try SQLiteShell.dump(database)) == nil)
        }
    }

    @Test("a bad GeoJSON feature is reported by feature number and line")
    func geoJSONFeatureLocation() throws {
        try withDatabase { directory, database in
            let file = try directory.write("bad.geojson", """
                {"type": "FeatureCollection",
                 "features": [
                  {"type": "Feature", "properties": {"id": "J1", "name": "a", "kind": "subBranch"},
                   "geometry": {"type": "Point", "coordinates": [116.4, 39.9]}},
                  {"type": "Feature", "properties": {"id": "J2", "name": "b", "kind": "subBranch"},
                   "geometry": null}
                 ]}
                """)
            let outcome = try ExternalTool.run(siting, ["import", "outlets", file, "--db", database])
            #expect(outcome.status == 1)
            #expect(outcome.standardError.contains("\(file): feature 2 (line 5), field \"geometry\""), "\(outcome.standardError)")
        }
    }
}
