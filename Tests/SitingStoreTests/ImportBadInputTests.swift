import Foundation
import SitingCore
@testable import SitingStore
import SitingTestSupport
import Testing

/// One bad input file and what its error must say besides the file's path.
struct BadFile: Sendable, CustomTestStringConvertible {
    var label: String
    var kind: ImportKind = .outlets
    var name: String
    var bytes: [UInt8]
    var options = ImportOptions()
    /// Texts the error message must contain: the location ("line 3", "feature 2"), the field, the reason.
    var mentions: [String]

    init(_ label: String, _ kind: ImportKind = .outlets, _ name: String, _ text: String, options: ImportOptions = ImportOptions(),
         mentions: [String]) {
        self.init(label, kind, name, bytes: Array(text.utf8), options: options, mentions: mentions)
    }

    init(_ label: String, _ kind: ImportKind = .outlets, _ name: String, bytes: [UInt8], options: ImportOptions = ImportOptions(),
         mentions: [String]) {
        self.label = label
        self.kind = kind
        self.name = name
        self.bytes = bytes
        self.options = options
        self.mentions = mentions
    }

    var testDescription: String { label }
}

/// Bad input of every kind: each import fails with a message naming the file, the line (or feature)
/// and the field, and the database is exactly as before (its whole `sqlite3 .dump` is unchanged).
@Suite struct ImportBadInputTests {
    static let header = "id,name,kind,lon,lat\n"
    static let good = "G1,Good,subBranch,116.40,39.90\n"

    static let cases: [BadFile] = [
        // Malformed CSV
        BadFile("unbalanced quotes", .outlets, "unbalanced.csv", header + good + "U1,\"Open quote,subBranch,116.4,39.9\nU2,Fine,subBranch,116.5,39.9\n",
                mentions: ["line 3", "field \"column 2\"", "never closed"]),
        BadFile("a required column missing from the header", .outlets, "nokind.csv", "id,name,lon,lat\nX1,n,116,39\n",
                mentions: ["line 1", "field \"kind\"", "required column \"kind\" is missing"]),
        BadFile("no position columns", .outlets, "noposition.csv", "id,name,kind\nX1,n,subBranch\n",
                mentions: ["line 1", "no positions"]),
        BadFile("a row with a missing column", .outlets, "short.csv", header + good + "X1,n,subBranch,116.4\n",
                mentions: ["line 3", "has 4 fields, the header has 5"]),
        BadFile("a row with an extra column", .outlets, "long.csv", header + "X1,n,subBranch,116.4,39.9,surplus\n" + "G2,Good,subBranch,116.40,39.90\n",
                mentions: ["line 2", "has 6 fields, the header has 5"]),
        BadFile("text in self_service_devices", .outlets, "devices.csv",
                "id,name,kind,lon,lat,self_service_devices\nX1,n,subBranch,116.4,39.9,several\n",
                mentions: ["line 2", "field \"self_service_devices\"", "\"several\" is not a whole number"]),
        BadFile("maybe in cash", .outlets, "cash.csv", "id,name,kind,lon,lat,cash\nG1,n,subBranch,116.4,39.9,yes\nX1,n,subBranch,116.4,39.9,maybe\n",
                mentions: ["line 3", "field \"cash\"", "\"maybe\" is not yes or no"]),
        BadFile("a negative device count", .outlets, "negative.csv", "id,name,kind,lon,lat,smart_counters\nX1,n,subBranch,116.4,39.9,-2\n",
                mentions: ["line 2", "field \"smart_counters\"", "below the minimum 0"]),
        BadFile("an empty file", .outlets, "empty.csv", bytes: [], mentions: ["empty"]),
        BadFile("a quote inside an unquoted field", .outlets, "quote.csv", header + good + "X1,Bank \"A\",subBranch,116.4,39.9\n",
                mentions: ["line 3", "column 2", "quote"]),
        BadFile("invalid UTF-8", .outlets, "latin1.csv",
                bytes: Array((header + good).utf8) + Array("X1,Caf".utf8) + [0xE9] + Array(",subBranch,116.4,39.9\n".utf8),
                mentions: ["line 3", "column 2", "UTF-8"]),
        BadFile("a bad tri-state", .outlets, "tri.csv", "id,name,kind,lon,lat,wheelchair_access\nX1,n,subBranch,116.4,39.9,perhaps\n",
                mentions: ["line 2", "field \"wheelchair_access\"", "\"perhaps\" is not yes, no or unknown"]),
        BadFile("an unknown time zone", .outlets, "tz.csv", "id,name,kind,lon,lat,timezone\nX1,n,subBranch,116.4,39.9,Mars/Olympus\n",
                mentions: ["line 2", "field \"timezone\"", "Mars/Olympus"]),
        BadFile("an unknown kind", .outlets, "kind.csv", header + "X1,n,bank,116.4,39.9\n",
                mentions: ["line 2", "field \"kind\"", "\"bank\" is not one of primaryBranch, secondaryBranch, subBranch, community, selfService"]),
        BadFile("a required value left empty", .outlets, "noname.csv", header + "X1,,subBranch,116.4,39.9\n",
                mentions: ["line 2", "field \"name\"", "a value is required"]),
        // Geometries
        BadFile("an unclosed ring", .regions, "unclosed.csv",
                "adcode,name,level,wkt\n110102,西城区,county,\"POLYGON ((116.30 39.88, 116.38 39.88, 116.38 39.95, 116.30 39.95))\"\n",
                mentions: ["line 2", "field \"wkt\"", "must be closed"]),
        BadFile("a 3-point ring", .regions, "triangle.csv",
                "adcode,name,level,wkt\n110102,西城区,county,\"POLYGON ((116.30 39.88, 116.38 39.88, 116.30 39.88))\"\n",
                mentions: ["line 2", "field \"wkt\"", "at least 4 positions (it has 3)"]),
        BadFile("POINT EMPTY", .candidates, "empty-point.csv", "id,wkt\nK5,POINT EMPTY\n",
                mentions: ["line 2", "field \"wkt\"", "EMPTY"]),
        BadFile("WKT that is not WKT", .candidates, "garbage-wkt.csv", "id,wkt\nK5,POINT (116.4 39.9\n",
                mentions: ["line 2", "field \"wkt\"", "expected \")\""]),
        BadFile("a GeoJSON feature with a null geometry", .outlets, "null.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"J1","name":"a","kind":"subBranch"},"geometry":{"type":"Point","coordinates":[116.4,39.9]}},
            {"type":"Feature","properties":{"id":"J2","name":"b","kind":"subBranch"},"geometry":null}
            ]}
            """, mentions: ["feature 2 (line 3)", "field \"geometry\"", "no position"]),
        BadFile("a polygon where a point is expected (GeoJSON)", .outlets, "polygon.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"J1","name":"a","kind":"subBranch"},
            "geometry":{"type":"Polygon","coordinates":[[[116,39],[117,39],[117,40],[116,39]]]}}]}
            """, mentions: ["feature 1", "field \"geometry\"", "expected a point, found a polygon"]),
        BadFile("a polygon where a point is expected (WKT)", .outlets, "polygon.csv",
                "id,name,kind,wkt\nX1,n,subBranch,\"POLYGON ((116 39, 117 39, 117 40, 116 39))\"\n",
                mentions: ["line 2", "field \"wkt\"", "expected a point, found a polygon"]),
        BadFile("a point where a polygon is expected", .regions, "point-region.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"adcode":"110102","name":"西城区","level":"county"},
            "geometry":{"type":"Point","coordinates":[116.36,39.91]}}]}
            """, mentions: ["feature 1", "field \"geometry\"", "expected a polygon or multipolygon, found a point"]),
        BadFile("an unclosed GeoJSON ring", .regions, "open-ring.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"adcode":"110102","name":"西城区","level":"county"},
            "geometry":{"type":"Polygon","coordinates":[[[116.3,39.88],[116.38,39.88],[116.38,39.95],[116.3,39.95]]]}}]}
            """, mentions: ["feature 1", "field \"geometry\"", "must be closed"]),
        BadFile("an unsupported GeoJSON geometry type", .outlets, "line.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"J1","name":"a","kind":"subBranch"},
            "geometry":{"type":"LineString","coordinates":[[116,39],[117,40]]}}]}
            """, mentions: ["feature 1", "field \"geometry\"", "LineString"]),
        // Coordinates out of range
        BadFile("latitude 91", .outlets, "lat91.csv", header + "X1,n,subBranch,116.4,91\n",
                mentions: ["line 2", "field \"lat\"", "latitude 91"]),
        BadFile("longitude 181", .outlets, "lon181.csv", header + "X1,n,subBranch,181,39.9\n",
                mentions: ["line 2", "field \"lon\"", "longitude 181"]),
        BadFile("NaN as text", .outlets, "nan.csv", header + "X1,n,subBranch,116.4,NaN\n",
                mentions: ["line 2", "field \"lat\"", "\"NaN\" is not a number"]),
        BadFile("a latitude without a longitude", .outlets, "halfpoint.csv", header + "X1,n,subBranch,,39.9\n",
                mentions: ["line 2", "field \"lon\"", "longitude is required"]),
        BadFile("latitude 91 in GeoJSON", .outlets, "lat91.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"J1","name":"a","kind":"subBranch"},
            "geometry":{"type":"Point","coordinates":[116.4,91]}}]}
            """, mentions: ["feature 1", "field \"geometry\"", "latitude 91"]),
        // Identity
        BadFile("a duplicate id within the file", .outlets, "dup.csv", header + "D1,a,subBranch,116.4,39.9\nD1,b,subBranch,116.5,39.8\n",
                mentions: ["line 3", "field \"id\"", "duplicate id \"D1\""]),
        BadFile("an existing id twice within the file", .outlets, "dup-existing.csv",
                header + "BJ001,a,subBranch,116.4,39.9\nBJ001,b,subBranch,116.5,39.8\n",
                mentions: ["line 3", "field \"id\"", "duplicate id \"BJ001\""]),
        BadFile("an unknown adcode", .outlets, "adcode.csv", "id,name,kind,lon,lat,adcode\nX1,n,subBranch,116.4,39.9,990101\n",
                mentions: ["line 2", "field \"adcode\"", "unknown adcode 990101"]),
        BadFile("a malformed adcode", .competitors, "adcode5.csv", "id,name,lon,lat,adcode\nX1,n,116.4,39.9,11010\n",
                mentions: ["line 2", "field \"adcode\"", "\"11010\" is not a 6-digit adcode"]),
        BadFile("a region with a malformed adcode", .regions, "region-code.csv",
                "adcode,name,level,wkt\n1101,x,county,\"POLYGON ((116 39, 117 39, 117 40, 116 39))\"\n",
                mentions: ["line 2", "field \"adcode\"", "not a 6-digit adcode"]),
        BadFile("a negative population", .settlements, "settlements.csv", "id,name,lon,lat,population\nS1,x,116.4,39.9,-5\n",
                mentions: ["line 2", "field \"population\"", "below the minimum 0"]),
        // Coordinate system
        BadFile("an unknown CRS", .outlets, "wgs85.csv", header + good, options: ImportOptions(coordinateSystem: CoordinateSystem(parsing: "wgs85")),
                mentions: ["unknown coordinate system \"wgs85\""]),
        // Opening hours, pointing at the character
        BadFile("hours without minutes", .outlets, "hours1.csv", "id,name,kind,lon,lat,opening_hours\nX1,n,subBranch,116.4,39.9,Mo-Fr 9-17\n",
                mentions: ["line 2", "field \"opening_hours\"", "\"Mo-Fr 9-17\" at character 7", "HH:MM"]),
        BadFile("hours with an unknown day", .outlets, "hours2.csv", "id,name,kind,lon,lat,opening_hours\nX1,n,subBranch,116.4,39.9,Xx 09:00-10:00\n",
                mentions: ["line 2", "field \"opening_hours\"", "at character 1", "expected a day"]),
        BadFile("hours past 24:00", .outlets, "hours3.csv", "id,name,kind,lon,lat,opening_hours\nX1,n,subBranch,116.4,39.9,Mo-Fr 25:00-26:00\n",
                mentions: ["line 2", "field \"opening_hours\"", "at character 7", "00 to 23"]),
        BadFile("bad secondary hours", .outlets, "hours4.csv", "id,name,kind,lon,lat,secondary_hours\nX1,n,subBranch,116.4,39.9,24/7 always\n",
                mentions: ["line 2", "field \"secondary_hours\"", "at character 6"]),
        // Region statistics
        BadFile("statistics for an unknown adcode", .regionStats, "stats1.csv", "adcode,year,population\n110000,2022,5\n990000,2023,5\n",
                mentions: ["line 3", "field \"adcode\"", "unknown adcode 990000"]),
        BadFile("a statistic that is not a number", .regionStats, "stats2.csv", "adcode,year,population\n110000,2022,many\n",
                mentions: ["line 2", "field \"population\"", "\"many\" is not a number"]),
        BadFile("a region and year twice", .regionStats, "stats3.csv", "adcode,year,population\n110000,2022,5\n11,2022,6\n",
                mentions: ["line 3", "field \"adcode\"", "duplicate adcode 110000 for 2022"]),
        BadFile("statistics without a year", .regionStats, "stats4.csv", "adcode,population\n110000,5\n",
                mentions: ["field \"year\"", "--year"]),
        BadFile("statistics with a bad year", .regionStats, "stats5.csv", "adcode,year,population\n110000,20x3,5\n",
                mentions: ["line 2", "field \"year\"", "\"20x3\" is not a year"]),
        // Broken files
        BadFile("truncated GeoJSON", .outlets, "cut.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"J1","name":"a","kind":"subBranch"},"geometry":{"type":"Point","coordinates":[116.4,39.9]}},
            {"type":"Feature","properties":{"id":"J2","name":"b","kind":"subBr
            """, mentions: ["line 3", "truncated"]),
        BadFile("JSON that is not GeoJSON", .outlets, "array.geojson", "[1, 2, 3]\n", mentions: ["not GeoJSON"]),
        BadFile("an unknown file type", .outlets, "outlets.xlsx", "PK\u{3}\u{4}", mentions: ["unknown file type"]),
    ]

    @Test("bad input fails with file, location, field and reason, and leaves the database exactly as it was", arguments: cases)
    func badInput(_ bad: BadFile) throws {
        try StoreFixture.with(seeded: true) { fixture in
            let file = try fixture.directory.write(bad.name, bytes: bad.bytes)
            let before = try fixture.snapshot()
            let versionBefore = try fixture.open().dataVersion
            do {
                let summary = try fixture.importFile(file, as: bad.kind, options: bad.options)
                Issue.record("\(bad.label): the import succeeded: \(summary)")
            } catch let error as ImportError {
                let message = error.description
                #expect(message.contains(file), "\(bad.label): the message does not name the file: \(message)")
                for mention in bad.mentions {
                    #expect(message.contains(mention), "\(bad.label): «\(mention)» missing from: \(message)")
                }
            }
            try fixture.expectUnchanged(since: before, bad.label)
            #expect(try fixture.open().dataVersion == versionBefore)
        }
    }

    @Test("the same bad files with skipInvalid: invalid records are reported, valid ones kept, broken files still fail whole")
    func badInputSkipped() throws {
        let broken: Set<String> = ["unbalanced quotes", "a required column missing from the header", "no position columns",
                                   "an empty file", "a quote inside an unquoted field", "invalid UTF-8", "an unknown CRS",
                                   "statistics without a year", "truncated GeoJSON", "JSON that is not GeoJSON",
                                   "an unknown file type"]
        try StoreFixture.with(seeded: true) { fixture in
            for bad in Self.cases where !broken.contains(bad.label) {
                let file = try fixture.directory.write(bad.name, bytes: bad.bytes)
                var options = bad.options
                options.skipInvalid = true
                options.dryRun = true
                let summary = try fixture.importFile(file, as: bad.kind, options: options)
                #expect(summary.rejected == 1, "\(bad.label): \(summary)")
                let listed = summary.issues.map(\.description).joined(separator: "\n")
                for mention in bad.mentions {
                    #expect(listed.contains(mention), "\(bad.label): «\(mention)» missing from: \(listed)")
                }
            }
        }
    }

    @Test("many invalid records: the count, the first 20 with their lines, and how many more")
    func manyInvalidRecords() throws {
        try StoreFixture.with(seeded: true) { fixture in
            var text = Self.header
            for index in 1...25 { text += "B\(index),n,subBranch,116.4,\(90 + index)\n" }
            text += Self.good
            let file = try fixture.write("many.csv", text)
            let before = try fixture.snapshot()
            #expect {
                try fixture.importFile(file, as: .outlets)
            } throws: { error in
                guard let error = error as? ImportError, case .invalidRecords(let issues, let total) = error else { return false }
                let message = error.description
                return total == 25 && issues.count == 20 && issues.first?.location == .line(2) && issues.last?.location == .line(21)
                    && message.contains("25 invalid records; nothing was imported")
                    && message.contains("… and 5 more") && message.contains("--skip-invalid")
            }
            try fixture.expectUnchanged(since: before)
        }
    }

    @Test("after a first invalid record, later problems are still all found: a duplicate pair and a bad value")
    func problemsAfterAnInvalidRecord() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let text = Self.header + "A1,n,bank,116.4,39.9\n" + "D1,a,subBranch,116.4,39.9\n" + "D1,b,subBranch,116.5,39.8\n"
                + "SH001,c,subBranch,121.4,31.2\n" + "SH001,d,subBranch,121.5,31.3\n" + "A2,n,subBranch,116.4,-95\n"
            let file = try fixture.write("later.csv", text)
            let before = try fixture.snapshot()
            #expect {
                try fixture.importFile(file, as: .outlets)
            } throws: { error in
                guard let error = error as? ImportError, case .invalidRecords(let issues, let total) = error else { return false }
                return total == 4 && issues.map(\.location) == [.line(2), .line(4), .line(6), .line(7)]
                    && issues[1].reason.contains("duplicate id \"D1\"") && issues[2].reason.contains("duplicate id \"SH001\"")
            }
            try fixture.expectUnchanged(since: before)
        }
    }

    @Test("a file with a header and no records changes nothing")
    func headerOnly() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let file = try fixture.write("header.csv", Self.header)
            let before = try fixture.snapshot()
            let summary = try fixture.importFile(file, as: .outlets)
            #expect([summary.inserted, summary.updated, summary.rejected] as [Int] == [0, 0, 0])
            try fixture.expectUnchanged(since: before)
        }
    }

    @Test("a missing file is named, and nothing changes")
    func missingFile() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let file = fixture.directory.path("absent.csv")
            let before = try fixture.snapshot()
            #expect {
                try fixture.importFile(file, as: .outlets)
            } throws: { error in
                "\(error)".contains(file) && "\(error)".contains("no such file")
            }
            try fixture.expectUnchanged(since: before)
        }
    }

    // MARK: Broken GeoPackages

    @Test("a truncated GeoPackage (a good one cut in half, or after its header page) is refused with its name")
    func truncatedGeoPackage() throws {
        try StoreFixture.with(seeded: true) { source in
            try source.open().checkpoint()
            let bytes = try source.directory.bytes(source.databasePath)
            try StoreFixture.with(seeded: true) { fixture in
                for (name, length) in [("half.gpkg", bytes.count / 2), ("page.gpkg", 4096), ("header.gpkg", 100)] {
                    let file = try fixture.directory.write(name, bytes: Array(bytes.prefix(length)))
                    let before = try fixture.snapshot()
                    for kind in [ImportKind.outlets, .regions] {
                        #expect {
                            try fixture.importFile(file, as: kind)
                        } throws: { error in
                            let message = "\(error)"
                            return message.contains(file) && !message.contains("siting init")
                        }
                    }
                    try fixture.expectUnchanged(since: before, name)
                }
            }
        }
    }

    @Test("an SQLite file that is not a GeoPackage, and a text file named .gpkg, are refused with a clear reason")
    func notAGeoPackage() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let plain = fixture.directory.path("plain.gpkg")
            _ = try SQLiteShell.run(plain, "CREATE TABLE outlets (id TEXT, name TEXT); INSERT INTO outlets VALUES ('x', 'y');")
            let text = try fixture.write("text.gpkg", "id,name,kind,lon,lat\nX1,n,subBranch,116.4,39.9\n")
            let before = try fixture.snapshot()
            #expect {
                try fixture.importFile(plain, as: .outlets)
            } throws: { error in
                "\(error)".contains(plain) && "\(error)".contains("not a GeoPackage")
            }
            #expect {
                try fixture.importFile(text, as: .outlets)
            } throws: { error in
                // An input file is not the database: the advice to run `siting init` on it would be wrong.
                "\(error)".contains(text) && "\(error)".contains("not an SQLite database") && !"\(error)".contains("siting init")
            }
            try fixture.expectUnchanged(since: before)
        }
    }

    @Test("a GeoPackage row whose geometry blob is garbage is rejected with its table and fid")
    func garbageGeometryBlob() throws {
        try StoreFixture.with(seeded: true) { source in
            // Through Siting's connection: plain sqlite3 cannot run the R-tree triggers' ST_* functions.
            try source.open().connection.execute("UPDATE outlets SET geom = X'00112233' WHERE id = 'SH001'")
            try StoreFixture.with(seeded: false) { fixture in
                let before = try fixture.snapshot()
                #expect {
                    try fixture.importFile(source.databasePath, as: .outlets)
                } throws: { error in
                    let message = "\(error)"
                    return message.contains(source.databasePath) && message.contains("table outlets, fid 2")
                        && message.contains("field \"geometry\"")
                }
                try fixture.expectUnchanged(since: before)
            }
        }
    }

    // MARK: The database itself

    @Test("a database locked by another process (sqlite3 holding BEGIN EXCLUSIVE): the locked message, nothing changes")
    func lockedDatabase() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let file = try fixture.write("new.csv", Self.header + Self.good)
            let before = try fixture.snapshot()
            let holder = try SQLiteLockHolder(database: fixture.databasePath)
            let started = Date()
            var message = ""
            do {
                let db = try fixture.open(busyTimeoutMilliseconds: 300)
                _ = try db.importFile(file, as: .outlets)
                Issue.record("the import succeeded while another process held the lock")
            } catch {
                message = "\(error)"
            }
            let waited = Date().timeIntervalSince(started)
            holder.release()
            #expect(message.contains(fixture.databasePath) && message.contains("locked by another process"), "\(message)")
            #expect(message.contains("nothing was imported"), "\(message)")
            #expect(waited >= 0.25 && waited < 3, "waited \(waited) s with a 300 ms busy timeout")
            #expect(message.contains("waited 300 ms"), "the message should state the real wait: \(message)")
            try fixture.expectUnchanged(since: before)
            // Once the lock is gone, the same import works.
            #expect(try fixture.importFile(file, as: .outlets).inserted == 1)
        }
    }

    @Test("a second Siting connection in an exclusive transaction also makes the import fail as locked")
    func lockedBySitingConnection() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let file = try fixture.write("new.csv", Self.header + Self.good)
            let before = try fixture.snapshot()
            let other = try fixture.open()
            try other.connection.execute("BEGIN EXCLUSIVE")
            #expect {
                try fixture.open(busyTimeoutMilliseconds: 200).importFile(file, as: .outlets)
            } throws: { error in
                "\(error)".contains("locked")
            }
            try other.connection.execute("ROLLBACK")
            try fixture.expectUnchanged(since: before)
        }
    }

    @Test("a full disk (the connection's max_page_count just above the file's size): SQLITE_FULL says the disk is full, nothing changes")
    func fullDisk() throws {
        try StoreFixture.with(seeded: true) { fixture in
            var text = Self.header
            for index in 0..<3_000 { text += "F\(index),Full disk \(index),subBranch,116.\(index),39.\(index)\n" }
            let file = try fixture.write("big.csv", text)
            let before = try fixture.snapshot()
            let db = try fixture.open()
            let pages = try db.connection.scalarInteger("PRAGMA page_count")
            // The limit is per connection (it does not persist), so it is set on the importing connection.
            #expect(try db.connection.scalarInteger("PRAGMA max_page_count = \(pages + 4)") == pages + 4)
            #expect {
                try db.importFile(file, as: .outlets)
            } throws: { error in
                guard let error = error as? ImportError, case .store(.full) = error else { return false }
                return error.description.contains("the disk is full") && error.description.contains(fixture.databasePath)
            }
            #expect(try db.integrityCheck() == "ok")
            #expect(try db.count(.outlets) == 3)
            try fixture.expectUnchanged(since: before)
        }
    }

    @Test("a read-only database refuses the import with a clear error and stays as it was")
    func readOnlyDatabase() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let file = try fixture.write("new.csv", Self.header + Self.good)
            let before = try fixture.snapshot()
            #expect(throws: ImportError.self) {
                try fixture.open(mode: .readOnly).importFile(file, as: .outlets)
            }
            try fixture.expectUnchanged(since: before)
        }
    }
}
