import Foundation
import SitingCore
@testable import SitingStore
import SitingTestSupport
import Testing

/// The database file itself, read with the `sqlite3` program: a valid OGC GeoPackage 1.3 (Siting's
/// identity in `siting_metadata`), WAL mode, an R-tree kept in step with the points, and refusal of
/// files that are not Siting's.
@Suite struct SitingDatabaseTests {
    static let featureTables = ["candidates": "POINT", "competitors": "POINT", "outlets": "POINT",
                                "ranking_results": "POINT", "regions": "MULTIPOLYGON", "settlements": "POINT"]

    @Test("a new database is a GeoPackage 1.3: application_id 'GPKG' (0x47504B47) and user_version 10300")
    func geoPackageHeader() throws {
        try StoreFixture.with(seeded: false) { fixture in
            #expect(try SQLiteShell.scalar(fixture.databasePath, "PRAGMA application_id;") == String(0x4750_4B47))
            #expect(try SQLiteShell.scalar(fixture.databasePath, "PRAGMA user_version;") == "10300")
            // The same identity in the file's header bytes (offsets 68 and 60, big-endian).
            let header = try fixture.directory.bytes(fixture.databasePath).prefix(100)
            #expect(Array(header[68..<72]) == Array("GPKG".utf8))
            #expect(Array(header[60..<64]) == [0x00, 0x00, 0x28, 0x3C])
        }
    }

    @Test("gpkg_spatial_ref_sys holds the required rows -1, 0 and 4326 (EPSG)")
    func spatialReferenceSystems() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let rows = try SQLiteShell.rows(fixture.databasePath,
                                            "SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id;")
            #expect(rows == [["-1", "NONE", "-1"], ["0", "NONE", "0"], ["4326", "EPSG", "4326"]])
            let definition = try SQLiteShell.scalar(fixture.databasePath, "SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = 4326;")
            #expect(definition.hasPrefix("GEOGCS[\"WGS 84\"") && definition.contains("AUTHORITY[\"EPSG\",\"4326\"]"))
        }
    }

    @Test("every feature table is in gpkg_contents, gpkg_geometry_columns and gpkg_extensions (R-tree), in EPSG:4326")
    func featureTablesRegistered() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let path = fixture.databasePath
            let contents = try SQLiteShell.rows(path, "SELECT table_name, srs_id FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name;")
            #expect(contents == Self.featureTables.keys.sorted().map { [$0, "4326"] })
            let columns = try SQLiteShell.rows(path, """
                SELECT table_name, column_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns ORDER BY table_name;
                """)
            #expect(columns == Self.featureTables.sorted { $0.key < $1.key }.map { [$0.key, "geom", $0.value, "4326", "0", "0"] })
            let extensions = try SQLiteShell.rows(path, """
                SELECT table_name, column_name, extension_name, scope FROM gpkg_extensions ORDER BY table_name;
                """)
            #expect(extensions == Self.featureTables.keys.sorted().map { [$0, "geom", "gpkg_rtree_index", "write-only"] })
            for table in Self.featureTables.keys {
                #expect(try SQLiteShell.scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'rtree_\(table)_geom';") == "1")
            }
            let attributes = try SQLiteShell.rows(path, "SELECT table_name FROM gpkg_contents WHERE data_type = 'attributes' ORDER BY table_name;")
            #expect(attributes == [["public_holidays"], ["ranking_outlet_losses"], ["ranking_runs"], ["region_stats"]])
        }
    }

    @Test("journal mode is WAL, siting_metadata names Siting and schema version 3, integrity ok")
    func metadataAndJournal() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let path = fixture.databasePath
            #expect(try SQLiteShell.scalar(path, "PRAGMA journal_mode;") == "wal")
            let metadata = try SQLiteShell.rows(path, "SELECT key, value FROM siting_metadata ORDER BY key;")
            #expect(metadata == [["application", "siting"], ["data_version", "0"], ["schema_version", "3"]])
            let db = try fixture.open()
            #expect(try db.schemaVersion == 3)
            #expect(try db.integrityCheck() == "ok")
            #expect(try SQLiteShell.scalar(path, "PRAGMA integrity_check;") == "ok")
            for table in SitingDatabase.Table.allCases { #expect(try db.count(table) == 0) }
        }
    }

    @Test("GDAL's ogrinfo opens a new database and lists every feature table",
          .enabled(if: ExternalTool.locate("ogrinfo") != nil, "needs ogrinfo (Debian package gdal-bin)"))
    func ogrinfoOpens() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let outcome = try ExternalTool.run("ogrinfo", ["-ro", "-q", fixture.databasePath])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            for table in Self.featureTables.keys { #expect(outcome.standardOutput.contains(table), "\(table) missing") }
            let outlets = try ExternalTool.run("ogrinfo", ["-ro", "-so", fixture.databasePath, "outlets"])
            #expect(outlets.standardOutput.contains("Feature Count: 3"))
        }
    }

    // MARK: R-tree

    @Test("after an import the R-tree holds each point's bounds (32-bit floats rounded outwards)")
    func rtreeAfterImport() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let bounds = try Self.rtree(fixture.databasePath, "outlets")
            let fids = try SQLiteShell.rows(fixture.databasePath, "SELECT fid, id FROM outlets ORDER BY fid;")
            #expect(bounds.keys.sorted() == fids.compactMap { Int($0[0]) })
            for row in fids {
                let outlet = try #require(Fixtures.outlets.first { $0.id == row[1] })
                let box = try #require(bounds[Int(row[0])!])
                Self.expectTight(box, around: outlet.position, row[1])
            }
            // Regions: the box of each polygon.
            let regionBounds = try Self.rtree(fixture.databasePath, "regions")
            let dongcheng = try #require(regionBounds[2])
            #expect(dongcheng.minX <= 116.38 && dongcheng.maxX >= 116.45 && dongcheng.minY <= 39.85 && dongcheng.maxY >= 39.97)
            #expect(abs(dongcheng.minX - 116.38) < 3e-5 && abs(dongcheng.maxX - 116.45) < 3e-5)
            #expect(abs(dongcheng.minY - 39.85) < 3e-5 && abs(dongcheng.maxY - 39.97) < 3e-5)
        }
    }

    @Test("after an upsert moves a point, its R-tree bounds follow")
    func rtreeFollowsUpsert() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let moved = Coordinate(x: 121.5, y: 31.3)
            let file = try fixture.write("move.csv", "id,name,kind,lon,lat\nSH001,Huangpu Sub-branch,subBranch,121.5,31.3\n")
            let summary = try fixture.importFile(file, as: .outlets)
            #expect(summary.updated == 1)
            let fid = try #require(Int(try SQLiteShell.scalar(fixture.databasePath, "SELECT fid FROM outlets WHERE id = 'SH001';")))
            let box = try #require(try Self.rtree(fixture.databasePath, "outlets")[fid])
            Self.expectTight(box, around: moved, "SH001")
            #expect(try Self.rtree(fixture.databasePath, "outlets").count == 3)
        }
    }

    @Test("a row deleted with plain sqlite3 leaves the R-tree too (the delete trigger needs no ST_ function)")
    func rtreeAfterDeleteWithSQLite3() throws {
        try StoreFixture.with(seeded: true) { fixture in
            _ = try SQLiteShell.run(fixture.databasePath, "DELETE FROM outlets WHERE id = 'SH002';")
            let fids = try SQLiteShell.rows(fixture.databasePath, "SELECT fid FROM outlets ORDER BY fid;").compactMap { Int($0[0]) }
            #expect(try Self.rtree(fixture.databasePath, "outlets").keys.sorted() == fids)
            #expect(fids.count == 2)
            #expect(try fixture.open().outlets().map(\.id) == ["BJ001", "SH001"])
        }
    }

    @Test("plain sqlite3 cannot insert a feature: the R-tree trigger calls ST_IsEmpty, which only Siting (or GDAL) registers")
    func insertWithPlainSQLite3Fails() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let before = try fixture.snapshot()
            let outcome = try SQLiteShell.outcome(fixture.databasePath, """
                INSERT INTO outlets (geom, id, name, kind) VALUES (X'47500001E610000001010000000000000000005D400000000000004440', 'Z1', 'z', 'subBranch');
                """)
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("no such function: ST_IsEmpty"), "\(outcome.standardError)")
            try fixture.expectUnchanged(since: before)
            // The same row through Siting's connection works and is indexed.
            try fixture.open().connection.execute("""
                INSERT INTO outlets (geom, id, name, kind) VALUES (X'47500001E610000001010000000000000000005D400000000000004440', 'Z1', 'z', 'subBranch')
                """)
            let fid = try #require(Int(try SQLiteShell.scalar(fixture.databasePath, "SELECT fid FROM outlets WHERE id = 'Z1';")))
            let box = try #require(try Self.rtree(fixture.databasePath, "outlets")[fid])
            Self.expectTight(box, around: Coordinate(x: 116, y: 40), "Z1")
        }
    }

    @Test("imports, failed imports and dry runs leave the schema (tables, indexes, R-tree triggers) exactly as created")
    func schemaKeptByImports() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let query = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;"
            let created = try SQLiteShell.run(fixture.databasePath, query)
            #expect(try SQLiteShell.scalar(fixture.databasePath,
                                           "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_%';") == "36")
            try fixture.seed()
            #expect(SQLiteShell.firstDifference(created, try SQLiteShell.run(fixture.databasePath, query)) == nil, "after seeding")
            let file = try fixture.write("bulk.csv", Self.outletsCSV(count: 1_500, seed: 1))
            _ = try fixture.importFile(file, as: .outlets, options: ImportOptions(dryRun: true))
            #expect(SQLiteShell.firstDifference(created, try SQLiteShell.run(fixture.databasePath, query)) == nil, "after a dry run")
            _ = try? fixture.importFile(try fixture.write("bad.csv", "id,name,kind,lon,lat\nX,x,subBranch,116,95\n"), as: .outlets)
            #expect(SQLiteShell.firstDifference(created, try SQLiteShell.run(fixture.databasePath, query)) == nil, "after a failed import")
            _ = try fixture.importFile(file, as: .outlets)
            #expect(SQLiteShell.firstDifference(created, try SQLiteShell.run(fixture.databasePath, query)) == nil, "after a bulk import")
        }
    }

    @Test("the R-tree matches every point after bulk imports, bulk updates and small updates of a large table",
          .timeLimit(.minutes(5)))
    func rtreeAfterBulkImports() throws {
        try StoreFixture.with(seeded: false) { fixture in
            // 12,000 new rows (rebuilt in bulk), then 1,100 moved (more than 1,000 rows but under a
            // tenth of the table), then 3,000 moved, then 10 moved.
            _ = try fixture.importFile(try fixture.write("a.csv", Self.outletsCSV(count: 12_000, seed: 1)), as: .outlets)
            try Self.expectIndexMatchesPoints(fixture.databasePath, rows: 12_000, "after 12,000 inserts")
            for (count, seed) in [(1_100, 2), (3_000, 3), (10, 4)] {
                let summary = try fixture.importFile(try fixture.write("move\(seed).csv", Self.outletsCSV(count: count, seed: UInt64(seed))),
                                                     as: .outlets)
                #expect([summary.inserted, summary.updated] as [Int] == [0, count])
                try Self.expectIndexMatchesPoints(fixture.databasePath, rows: 12_000, "after moving \(count)")
            }
            // A file mixing new rows and moves.
            var mixed = Self.outletsCSV(count: 50, seed: 5)
            mixed += (0..<50).map { "NEW\($0),New \($0),community,\(100 + Double($0) / 7),\(30 + Double($0) / 11)\n" }.joined()
            _ = try fixture.importFile(try fixture.write("mixed.csv", mixed), as: .outlets)
            try Self.expectIndexMatchesPoints(fixture.databasePath, rows: 12_050, "after a mixed file")
        }
    }

    /// `count` outlets O0…, at positions drawn from `seed`, as CSV.
    static func outletsCSV(count: Int, seed: UInt64) -> String {
        var random = SeededRandom(seed: seed)
        var text = "id,name,kind,lon,lat\n"
        for index in 0..<count {
            text += "O\(index),Outlet \(index),subBranch,\(random.uniform(73.5...134.8)),\(random.uniform(18.2...53.5))\n"
        }
        return text
    }

    /// Every row has exactly one R-tree entry, and its box is tight around the stored point (sqlite3).
    static func expectIndexMatchesPoints(_ database: String, rows: Int, _ label: String,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try SQLiteShell.scalar(database, "SELECT count(*) FROM rtree_outlets_geom;") == String(rows), "\(label)",
                sourceLocation: sourceLocation)
        let joined = try SQLiteShell.rows(database, """
            SELECT o.id, hex(o.geom), r.minx, r.maxx, r.miny, r.maxy FROM outlets o LEFT JOIN rtree_outlets_geom r ON r.id = o.fid;
            """)
        #expect(joined.count == rows, "\(label)", sourceLocation: sourceLocation)
        var bad: [String] = []
        for row in joined {
            guard let point = GeoPackagePointHex.decode(row[1]), let minX = Double(row[2]), let maxX = Double(row[3]),
                  let minY = Double(row[4]), let maxY = Double(row[5]),
                  minX <= point.x, point.x <= maxX, minY <= point.y, point.y <= maxY, maxX - minX < 4e-5, maxY - minY < 4e-5
            else {
                bad.append(row.joined(separator: "|"))
                continue
            }
        }
        #expect(bad.isEmpty, "\(label): \(bad.count) rows whose R-tree box is missing or wrong, e.g. \(bad.prefix(3))",
                sourceLocation: sourceLocation)
    }

    // MARK: Refusals

    @Test("a plain SQLite database of another application is refused with a clear message and left untouched")
    func refusesForeignSQLite() throws {
        try TemporaryDirectory.with { directory in
            let path = directory.path("other.db")
            _ = try SQLiteShell.run(path, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello');")
            let bytes = try directory.bytes(path)
            #expect {
                try SitingDatabase(path: path)
            } throws: { error in
                guard case StoreError.notASitingDatabase = error else { return false }
                return "\(error)".contains("\(path) is not a Siting database") && "\(error)".contains("another application")
            }
            #expect(try directory.bytes(path) == bytes)
        }
    }

    @Test("a GeoPackage without Siting's tables (written by GDAL) is refused",
          .enabled(if: ExternalTool.locate("ogr2ogr") != nil, "needs ogr2ogr (Debian package gdal-bin)"))
    func refusesForeignGeoPackage() throws {
        try TemporaryDirectory.with { directory in
            let source = try directory.write("points.geojson", Fixtures.geoJSONPoints([("A", 116, 39)]))
            let path = directory.path("gdal.gpkg")
            #expect(try ExternalTool.run("ogr2ogr", ["-f", "GPKG", path, source]).status == 0)
            let bytes = try directory.bytes(path)
            #expect {
                try SitingDatabase(path: path)
            } throws: { error in
                "\(error)".contains("a GeoPackage without Siting's tables")
            }
            #expect(try directory.bytes(path) == bytes)
        }
    }

    @Test("a file that is not SQLite at all is refused, not overwritten")
    func refusesTextFile() throws {
        try TemporaryDirectory.with { directory in
            let path = try directory.write("notes.gpkg", "this is not a database, just text that is long enough to have a header\n")
            #expect {
                try SitingDatabase(path: path, mode: .createIfMissing)
            } throws: { error in
                "\(error)".contains("\(path) is not a Siting database") && "\(error)".contains("not an SQLite database")
            }
            #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("this is not a database"))
        }
    }

    @Test("a database written by a newer Siting (schema_version 4) is refused and names both versions")
    func refusesNewerSchema() throws {
        try StoreFixture.with(seeded: true) { fixture in
            _ = try SQLiteShell.run(fixture.databasePath, "UPDATE siting_metadata SET value = '4' WHERE key = 'schema_version';")
            let before = try fixture.snapshot()
            #expect {
                try fixture.open()
            } throws: { error in
                guard case StoreError.newerSchema(_, let found, let supported) = error else { return false }
                return found == 4 && supported == 3 && "\(error)".contains("newer Siting (schema version 4")
            }
            try fixture.expectUnchanged(since: before)
        }
    }

    @Test("opening a missing file for reading is refused; creating makes a new database")
    func missingFile() throws {
        try TemporaryDirectory.with { directory in
            let path = directory.path("new.gpkg")
            #expect(throws: StoreError.self) { try SitingDatabase(path: path, mode: .readOnly) }
            #expect(!FileManager.default.fileExists(atPath: path))
            let db = try SitingDatabase(path: path, mode: .createIfMissing)
            #expect(try db.schemaVersion == 3)
        }
    }

    // MARK: Helpers

    static func rtree(_ database: String, _ table: String) throws -> [Int: Envelope] {
        var result: [Int: Envelope] = [:]
        for row in try SQLiteShell.rows(database, "SELECT id, minx, maxx, miny, maxy FROM rtree_\(table)_geom ORDER BY id;") {
            let numbers = row.compactMap(Double.init)
            guard numbers.count == 5 else { continue }
            result[Int(numbers[0])] = Envelope(minX: numbers[1], minY: numbers[3], maxX: numbers[2], maxY: numbers[4])
        }
        return result
    }

    /// An R-tree box around a point: it contains the point and is no wider than SQLite's outward
    /// rounding to 32-bit floats allows (2^-23 relative each way).
    static func expectTight(_ box: Envelope, around point: Coordinate, _ label: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(box.minX <= point.x && point.x <= box.maxX && box.minY <= point.y && point.y <= box.maxY,
                "\(label): \(box) does not contain \(point)", sourceLocation: sourceLocation)
        #expect(box.maxX - box.minX < 4e-5 && box.maxY - box.minY < 4e-5, "\(label): \(box) is not tight",
                sourceLocation: sourceLocation)
    }

    @Test("a schema version 1 file gains the public_holidays table and the version 3 rankings columns when opened for writing, and keeps its rows")
    func upgradesVersion1() throws {
        try StoreFixture.with(seeded: true) { fixture in
            _ = try SQLiteShell.run(fixture.databasePath, RankingStoreTests.downgradeToVersion2 + """
                DROP TABLE public_holidays;
                DELETE FROM gpkg_contents WHERE table_name = 'public_holidays';
                UPDATE siting_metadata SET value = '1' WHERE key = 'schema_version';
                """)
            let outletsBefore = try SQLiteShell.run(fixture.databasePath, "SELECT count(*) FROM outlets;")
            // Read-only: no change, and an empty calendar.
            let reader = try SitingDatabase(path: fixture.databasePath, mode: .readOnly)
            #expect(try reader.schemaVersion == 1)
            #expect(try reader.holidayCalendar().entries.isEmpty)
            let db = try fixture.open()
            #expect(try db.schemaVersion == 3)
            #expect(try db.saveRankingRun(RankingStoreTests.sampleRun(id: nil)) == "310000-1")
            let calendar = try HolidayCalendar(csv: "date,kind,name\n2026-10-01,holiday,国庆节\n2026-10-10,workday,国庆节\n")
            #expect(try db.replaceHolidays(with: calendar) == 2)
            #expect(try db.holidayCalendar() == calendar)
            #expect(try SQLiteShell.run(fixture.databasePath, "SELECT count(*) FROM outlets;") == outletsBefore)
            #expect(try db.integrityCheck() == "ok")
        }
    }
}
