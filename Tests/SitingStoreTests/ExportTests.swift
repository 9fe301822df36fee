import Foundation
import SitingCore
@testable import SitingStore
import SitingTestSupport
import Testing

/// A database built by importing `ExportFixture`, plus two ranking runs written directly.
struct FixtureDatabase {
    let directory: TemporaryDirectory
    let database: SitingDatabase

    /// Runs `body` with a fixture database in a fresh directory, removed afterwards.
    static func with(withRankings: Bool = true, _ body: (FixtureDatabase) throws -> Void) throws {
        try TemporaryDirectory.with(prefix: "siting-export") { directory in
            try body(FixtureDatabase(in: directory, withRankings: withRankings))
        }
    }

    init(in directory: TemporaryDirectory, withRankings: Bool = true) throws {
        self.directory = directory
        database = try SitingDatabase(path: directory.path("fixture.gpkg"), mode: .createIfMissing)
        for (kind, path) in try ExportFixture.write(into: directory.path) {
            _ = try database.importFile(path, as: ImportKind(rawValue: kind)!)
        }
        if withRankings { try Self.addRankings(to: database) }
    }

    /// Two runs: run-a with two picks in Pudong and Dongcheng, run-b with one pick (no adcode, no gains).
    static func addRankings(to database: SitingDatabase) throws {
        try database.connection.execute("""
            INSERT INTO ranking_runs (run_id, created_at, region, sites, parameters, objective, upper_bound) VALUES
                ('run-a', '2024-06-01T08:00:00Z', '310000', 2, '{"cellSizeMeters":1000}', 1234.5, 1300.25),
                ('run-b', '2024-06-02T09:30:00Z', '110000', 1, '{}', NULL, NULL)
            """)
        let insert = try database.connection.prepare("""
            INSERT INTO ranking_results (geom, run_id, pick, candidate_id, adcode, gross_capture, cannibalization,
                won_from_competitors, new_to_market, net_gain, marginal_gain, newly_covered_population)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let rows: [(Coordinate, String, Int, String, String?, [Double?])] = [
            (Coordinate(longitude: 121.6, latitude: 31.2), "run-a", 1, "K-002", "310115", [900.5, 100.25, 300, 500.25, 800.25, 800.25, 12000]),
            (Coordinate(longitude: 116.43, latitude: 39.93), "run-a", 2, "K-001", "110101", [400, 50, 150.125, 199.875, 350, 1.0 / 3.0, 0]),
            (Coordinate(longitude: -58.4, latitude: -34.6), "run-b", 1, "X-9", nil, [nil, nil, nil, nil, nil, nil, nil]),
        ]
        for (position, run, pick, candidate, adcode, numbers) in rows {
            insert.bind(1, GeoPackageBinary.encode(.point(position)))
            insert.bind(2, run)
            insert.bind(3, pick)
            insert.bind(4, candidate)
            insert.bind(5, adcode)
            for (offset, number) in numbers.enumerated() { insert.bind(Int32(6 + offset), number) }
            try insert.step()
            insert.reset()
        }
    }

    /// Exports `kind` to a file in the fixture's folder.
    func export(_ kind: ExportKind, _ format: ExportFormat, name: String? = nil, runID: String? = nil) throws -> String {
        let path = directory.path(name ?? "\(kind.rawValue).\(format.rawValue)")
        _ = try database.export(kind, to: .file(path), options: ExportOptions(format: format, runID: runID))
        return path
    }

    /// The names of the files in the fixture's directory.
    var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }
}

/// `SitingDatabase.export`: CSV, GeoJSON and GeoPackage output that imports back unchanged.
@Suite struct ExportTests {
    @Test("export then import into a fresh database gives equal outlets, competitors and regions",
          arguments: ExportFormat.allCases)
    func roundTrip(format: ExportFormat) throws {
        try FixtureDatabase.with { fixture in
            let copy = try SitingDatabase(path: fixture.directory.path("copy.gpkg"), mode: .createIfMissing)
            for kind in [ExportKind.regions, .outlets, .competitors] {
                let path = try fixture.export(kind, format)
                let summary = try copy.importFile(path, as: ImportKind(rawValue: kind.rawValue)!)
                #expect(summary.rejected == 0)
            }
            #expect(try fixture.database.outlets().count == 5)
            #expect(try copy.outlets() == fixture.database.outlets())
            #expect(try copy.competitors() == fixture.database.competitors())
            #expect(try copy.regions() == fixture.database.regions())
            // The fixture's awkward values really are in the database (the comparison above is not vacuous).
            let outlets = Dictionary(uniqueKeysWithValues: try copy.outlets().map { ($0.id, $0) })
            for (id, expected) in ExportFixture.outletNamesAndPositions {
                #expect(outlets[id]?.name == expected.name)
                #expect(outlets[id]?.position == Coordinate(longitude: expected.lon, latitude: expected.lat))
            }
            #expect(outlets["BJ-001"]?.address == "东城区东长安街1号\n(Entrance B)")
            #expect(outlets["BJ-002"]?.address == nil)
            #expect(try copy.regions().first { $0.adcode == "110101" }?.boundary.polygons.first?.rings.count == 2)
        }
    }

    @Test("the same data exports to the same bytes", arguments: [ExportFormat.csv, .geojson])
    func deterministic(format: ExportFormat) throws {
        try FixtureDatabase.with { fixture in
            for kind in ExportKind.allCases {
                let first = try fixture.text(fixture.export(kind, format, name: "a.\(format.rawValue)"))
                let second = try fixture.text(fixture.export(kind, format, name: "b.\(format.rawValue)"))
                #expect(first == second)
                #expect(!first.isEmpty)
                try FileManager.default.removeItem(atPath: fixture.directory.path("a.\(format.rawValue)"))
                try FileManager.default.removeItem(atPath: fixture.directory.path("b.\(format.rawValue)"))
            }
        }
    }

    @Test("CSV: the importer's columns, RFC 4180 quoting, CRLF, 7 decimals, yes/no, empty for missing")
    func csvText() throws {
        try FixtureDatabase.with { fixture in
            let text = try fixture.text(fixture.export(.outlets, .csv))
            let expected = [
                "id,name,kind,lon,lat,adcode,address,opening_hours,secondary_hours,timezone,cash,wealth_management,"
                    + "foreign_exchange,self_service_devices,smart_counters,wheelchair_access,visually_impaired_aids,"
                    + "hearing_impaired_aids,elderly_friendly",
                "BA-001,Sucursal Buenos Aires – Señor's,secondaryBranch,-58.3815591,-34.6037389,,,,,America/Argentina/Buenos_Aires,"
                    + "yes,no,yes,2,1,unknown,yes,unknown,unknown",
                "BJ-001,\"Bank, \"\"Main\"\" Branch\",primaryBranch,116.3912800,39.9062800,110101,\"东城区东长安街1号\n(Entrance B)\","
                    + "Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off,24/7,Asia/Shanghai,yes,yes,yes,6,3,yes,yes,no,yes",
                "BJ-002,北京王府井社区支行,community,116.4103000,39.9145000,110101,,Mo-Su 09:00-21:00,,Asia/Shanghai,no,no,no,0,0,"
                    + "unknown,unknown,unknown,unknown",
                "NY-001,\"New York \"\"Rep\"\" Office, Midtown\",subBranch,-73.9856560,40.7484330,,\"350 Fifth Avenue, New York, NY\","
                    + "Mo-Fr 09:00-17:00,,America/New_York,no,yes,yes,1,0,yes,unknown,unknown,no",
                "SH-001,\"Two\r\nlines, a \\backslash\\ and a\ttab\",selfService,121.5000000,31.2400000,310115,,24/7,24/7,Asia/Shanghai,"
                    + "yes,no,no,12,0,no,no,no,unknown",
            ].map { $0 + "\r\n" }.joined()
            #expect(text == expected)

            let regions = try fixture.text(fixture.export(.regions, .csv))
            let lines = regions.components(separatedBy: "\r\n")
            #expect(lines[0] == "adcode,name,level,parent_adcode,centroid_lon,centroid_lat,area_km2,wkt")
            #expect(lines[2] == "110101,东城区,county,110100,116.416,39.9288,41.84,\"MULTIPOLYGON (((116.3800000 39.8600000, "
                + "116.4500000 39.8600000, 116.4500000 39.9700000, 116.3800000 39.9700000, 116.3800000 39.8600000), "
                + "(116.4000000 39.9000000, 116.4000000 39.9200000, 116.4200000 39.9200000, 116.4200000 39.9000000, "
                + "116.4000000 39.9000000)))\"")
            #expect(lines[3].hasPrefix("310115,\"浦东新区 (Pudong, \"\"New Area\"\")\",county,310100,"))
        }
    }

    @Test("CSV quoting: only fields that need it, inner quotes doubled, line breaks kept")
    func csvQuoting() {
        var bytes: [UInt8] = []
        CSVWriter.appendRecord([nil, "", "plain", " lead", "trail\t", "a,b", "say \"hi\"", "cr\ronly", "中文"], to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self)
            == ",,plain,\" lead\",\"trail\t\",\"a,b\",\"say \"\"hi\"\"\",\"cr\ronly\",中文\r\n")
    }

    @Test("CSV with a byte-order mark starts with EF BB BF and still imports")
    func csvByteOrderMark() throws {
        try FixtureDatabase.with { fixture in
            let path = fixture.directory.path("bom.csv")
            _ = try fixture.database.export(.outlets, to: .file(path), options: ExportOptions(format: .csv, byteOrderMark: true))
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(Array(bytes.prefix(5)) == [0xEF, 0xBB, 0xBF, 0x69, 0x64])  // BOM, "id"
            let copy = try SitingDatabase(path: fixture.directory.path("copy.gpkg"), mode: .createIfMissing)
            _ = try copy.importFile(path, as: .outlets)
            #expect(try copy.outlets() == fixture.database.outlets())
        }
    }

    @Test("GeoJSON: an RFC 7946 FeatureCollection, [lon, lat], typed properties, feature ids")
    func geoJSONTypes() throws {
        try FixtureDatabase.with { fixture in
            let data = try Data(contentsOf: URL(fileURLWithPath: fixture.export(.outlets, .geojson)))
            let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(root["type"] as? String == "FeatureCollection")
            #expect(root["crs"] == nil)  // RFC 7946 §4: WGS84, no crs member
            let features = try #require(root["features"] as? [[String: Any]])
            #expect(features.count == 5)
            let ids = features.compactMap { $0["id"] as? String }
            #expect(ids == ["BA-001", "BJ-001", "BJ-002", "NY-001", "SH-001"])
            for feature in features {
                let id = try #require(feature["id"] as? String)
                let expected = try #require(ExportFixture.outletNamesAndPositions[id])
                let geometry = try #require(feature["geometry"] as? [String: Any])
                #expect(geometry["type"] as? String == "Point")
                let coordinates = try #require(geometry["coordinates"] as? [Double])
                #expect(coordinates.count == 2)
                #expect(abs(coordinates[0] - expected.lon) < 1e-9 && abs(coordinates[1] - expected.lat) < 1e-9)
                let properties = try #require(feature["properties"] as? [String: Any])
                #expect(properties["name"] as? String == expected.name)
                #expect(properties["id"] as? String == id)
            }
            // Types: JSONSerialization gives NSNumber for both numbers and booleans; the raw text tells them apart.
            let text = String(decoding: data, as: UTF8.self)
            let bj001 = try #require(text.split(separator: "\n").first { $0.contains("\"id\":\"BJ-001\"") })
            #expect(bj001.contains("\"cash\":true,\"wealth_management\":true,\"foreign_exchange\":true,"))
            #expect(bj001.contains("\"self_service_devices\":6,\"smart_counters\":3,"))
            #expect(bj001.contains("\"wheelchair_access\":\"yes\",\"visually_impaired_aids\":\"yes\",\"hearing_impaired_aids\":\"no\""))
            #expect(bj001.contains("\"coordinates\":[116.3912800,39.9062800]"))
            let bj002 = try #require(text.split(separator: "\n").first { $0.contains("\"id\":\"BJ-002\"") })
            #expect(bj002.contains("\"address\":null"))
            #expect(text.contains("\"name\":\"Two\\r\\nlines, a \\\\backslash\\\\ and a\\ttab\""))
            #expect(text.hasPrefix("{\"type\":\"FeatureCollection\",\"name\":\"outlets\",\"features\":[\n{\"type\":\"Feature\",\"id\":\"BA-001\","))
            #expect(text.hasSuffix("}}\n]}\n"))
        }
    }

    @Test("GeoJSON polygons follow the right-hand rule even when stored the other way; CSV keeps them as stored")
    func ringOrientation() throws {
        try TemporaryDirectory.with(prefix: "siting-export") { directory in
            // Exterior clockwise, hole counter-clockwise: the opposite of RFC 7946 §3.1.6.
            let csv = """
                adcode,name,level,wkt
                440300,深圳市,prefecture,"POLYGON ((113.7 22.4, 113.7 22.8, 114.6 22.8, 114.6 22.4, 113.7 22.4), (114.0 22.5, 114.2 22.5, 114.2 22.6, 114.0 22.6, 114.0 22.5))"

                """
            try csv.write(toFile: directory.path("in.csv"), atomically: true, encoding: .utf8)
            let database = try SitingDatabase(path: directory.path("db.gpkg"), mode: .createIfMissing)
            _ = try database.importFile(directory.path("in.csv"), as: .regions)
            let stored = try #require(try database.regions().first?.boundary.polygons.first)
            #expect(RingOrientation.signedDoubleArea(stored.rings[0]) < 0)

            _ = try database.export(.regions, to: .file(directory.path("out.geojson")), options: ExportOptions(format: .geojson))
            let data = try Data(contentsOf: URL(fileURLWithPath: directory.path("out.geojson")))
            let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let feature = try #require((root["features"] as? [[String: Any]])?.first)
            let geometry = try #require(feature["geometry"] as? [String: Any])
            #expect(geometry["type"] as? String == "MultiPolygon")
            let polygons = try #require(geometry["coordinates"] as? [[[[Double]]]])
            let rings = polygons[0].map { ring in ring.map { Coordinate(longitude: $0[0], latitude: $0[1]) } }
            #expect(RingOrientation.signedDoubleArea(rings[0]) > 0, "exterior must be counter-clockwise")
            #expect(RingOrientation.signedDoubleArea(rings[1]) < 0, "hole must be clockwise")
            #expect(rings[0] == stored.rings[0].reversed())
            #expect(rings[1] == stored.rings[1].reversed())
            #expect(rings[0].first == rings[0].last)

            _ = try database.export(.regions, to: .file(directory.path("out.csv")), options: ExportOptions(format: .csv))
            let text = try String(contentsOfFile: directory.path("out.csv"), encoding: .utf8)
            #expect(text.contains("MULTIPOLYGON (((113.7000000 22.4000000, 113.7000000 22.8000000,"))
        }
    }

    @Test("rankings: results joined with their run, in run and pick order, filtered by --run")
    func rankings() throws {
        try FixtureDatabase.with { fixture in
            let all = try fixture.text(fixture.export(.rankings, .csv))
            let expected: [String] = [
                "run_id,created_at,region,pick,candidate_id,lon,lat,adcode,gross_capture,cannibalization,won_from_competitors,"
                    + "new_to_market,net_gain,marginal_gain,newly_covered_population,region_name,population,demand,fixed",
                "run-a,2024-06-01T08:00:00Z,310000,1,K-002,121.6000000,31.2000000,310115,900.5,100.25,300.0,500.25,800.25,800.25,12000.0,,,,no",
                "run-a,2024-06-01T08:00:00Z,310000,2,K-001,116.4300000,39.9300000,110101,400.0,50.0,150.125,199.875,350.0,"
                    + "0.3333333333333333,0.0,,,,no",
                "run-b,2024-06-02T09:30:00Z,110000,1,X-9,-58.4000000,-34.6000000,,,,,,,,,,,,no",
            ]
            #expect(all == expected.map { $0 + "\r\n" }.joined())

            let runB = try fixture.text(fixture.export(.rankings, .csv, name: "b.csv", runID: "run-b"))
            #expect(runB.components(separatedBy: "\r\n").count == 3)  // header, one row, final empty
            #expect(runB.contains("run-b,2024-06-02T09:30:00Z,110000,1,X-9"))

            let geojson = try fixture.text(fixture.export(.rankings, .geojson, runID: "run-a"))
            #expect(geojson.contains("\"properties\":{\"run_id\":\"run-a\",\"created_at\":\"2024-06-01T08:00:00Z\",\"region\":\"310000\","
                + "\"pick\":1,\"candidate_id\":\"K-002\",\"adcode\":\"310115\",\"gross_capture\":900.5,"))
            #expect(!geojson.contains("run-b"))

            // A GeoPackage holds the chosen run's results and the run itself.
            let gpkg = try fixture.export(.rankings, .gpkg, runID: "run-a")
            let exported = try SitingDatabase(path: gpkg, mode: .readOnly)
            #expect(try exported.count(.rankingResults) == 2)
            #expect(try exported.count(.rankingRuns) == 1)
            #expect(try exported.connection.scalarText("SELECT parameters FROM ranking_runs") == "{\"cellSizeMeters\":1000}")
            #expect(try exported.count(.outlets) == 0)

            #expect(throws: ExportError.unknownRun("run-z", known: ["run-b", "run-a"])) {
                try fixture.database.export(.rankings, to: .file(fixture.directory.path("z.csv")),
                                            options: ExportOptions(format: .csv, runID: "run-z"))
            }
            #expect(!FileManager.default.fileExists(atPath: fixture.directory.path("z.csv")))
        }
    }

    @Test("an empty table exports a header or an empty collection")
    func emptyTables() throws {
        try FixtureDatabase.with(withRankings: false) { fixture in
            #expect(try fixture.text(fixture.export(.rankings, .csv)).hasPrefix("run_id,created_at,region,pick,"))
            let geojson = try fixture.text(fixture.export(.rankings, .geojson))
            #expect(geojson == "{\"type\":\"FeatureCollection\",\"name\":\"rankings\",\"features\":[\n]}\n")
            let copy = try SitingDatabase(path: fixture.directory.path("copy.gpkg"), mode: .createIfMissing)
            _ = try copy.importFile(fixture.export(.competitors, .geojson, name: "c.geojson"), as: .competitors)
        }
    }

    @Test("a GeoPackage export is a Siting database with only the exported rows, fids kept, one file")
    func geoPackageContents() throws {
        try FixtureDatabase.with { fixture in
            let path = try fixture.export(.regions, .gpkg)
            #expect(fixture.files.filter { $0.hasPrefix("regions.gpkg") } == ["regions.gpkg"])
            let exported = try SitingDatabase(path: path, mode: .readOnly)
            #expect(try exported.integrityCheck() == "ok")
            #expect(try exported.regions() == fixture.database.regions())
            #expect(try exported.count(.outlets) == 0)
            #expect(try exported.count(.settlements) == 0)
            #expect(try exported.connection.scalarText("PRAGMA journal_mode") == "delete")
            let fids = "SELECT group_concat(fid || ':' || adcode, ',') FROM (SELECT fid, adcode FROM regions ORDER BY fid)"
            #expect(try exported.connection.scalarText(fids) == fixture.database.connection.scalarText(fids))
            // The R-tree index and the extent in gpkg_contents are filled.
            #expect(try exported.connection.scalarInteger("SELECT count(*) FROM rtree_regions_geom") == 3)
            #expect(try exported.connection.scalarText("SELECT rtreecheck('rtree_regions_geom')") == "ok")
            let triggers = "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name)"
            #expect(try exported.connection.scalarText(triggers) == fixture.database.connection.scalarText(triggers))
            #expect(try exported.connection.scalarInteger("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'regions'") == 6)
            #expect(try exported.connection.scalarText(
                "SELECT min_x || ' ' || min_y || ' ' || max_x || ' ' || max_y FROM gpkg_contents WHERE table_name = 'regions'")
                == "115.4 30.85 122.0 41.1")
        }
    }

    @Test("an existing file is kept unless overwrite is asked; then it is replaced whole")
    func overwrite() throws {
        try FixtureDatabase.with { fixture in
            for format in ExportFormat.allCases {
                let path = try fixture.directory.write("existing.\(format.rawValue)", "keep me")
                #expect(throws: ExportError.outputExists(path: path)) {
                    try fixture.database.export(.outlets, to: .file(path), options: ExportOptions(format: format))
                }
                #expect(try fixture.directory.bytes(path) == Data("keep me".utf8))
                let summary = try fixture.database.export(.outlets, to: .file(path), options: ExportOptions(format: format, overwrite: true))
                #expect(summary.rows == 5)
                #expect(try fixture.directory.bytes(path).count > 100)
            }
            #expect(fixture.files.allSatisfy { !$0.contains(".exporting-") })
        }
    }

    @Test("failures leave nothing behind and name the problem")
    func failures() throws {
        try FixtureDatabase.with { fixture in
            let missingFolder = fixture.directory.path("no-such-folder/out.csv")
            #expect(throws: ExportError.write(path: missingFolder, reason: "No such file or directory")) {
                try fixture.database.export(.outlets, to: .file(missingFolder), options: ExportOptions(format: .csv))
            }
            #expect(throws: ExportError.needsFile(.gpkg)) {
                try fixture.database.export(.outlets, to: .standardOutput, options: ExportOptions(format: .gpkg))
            }
            let own = fixture.database.path
            #expect(throws: ExportError.outputIsDatabase(path: own)) {
                try fixture.database.export(.outlets, to: .file(own), options: ExportOptions(format: .gpkg, overwrite: true))
            }
            let integrity = try fixture.database.integrityCheck()
            let outlets = try fixture.database.outlets()
            #expect(integrity == "ok")
            #expect(outlets.count == 5)
            #expect(fixture.files.allSatisfy { !$0.contains(".exporting-") })
        }
    }

    @Test("fixed-point coordinates equal printf's %.7f, ties included, and never print -0")
    func fixedPoint() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<20_000 {
            let value = random.uniform(-180...180)
            #expect(NumberText.coordinate(value) == String(format: "%.7f", value))
        }
        for tie in [0.00000005, 116.39128005, -73.98565605, 1.5e-7, 2.5e-7, 179.99999995] {
            let printf = String(format: "%.7f", tie)
            #expect(NumberText.coordinate(tie) == (printf.hasPrefix("-0.0000000") ? "0.0000000" : printf))
        }
        #expect(NumberText.coordinate(-0.00000001) == "0.0000000")
        #expect(NumberText.coordinate(-0.0) == "0.0000000")
        #expect(NumberText.coordinate(-180) == "-180.0000000")
    }
}

/// The real client check: GDAL (`ogrinfo`, `ogr2ogr`) reads what Siting writes.
@Suite struct GDALExportTests {
    /// `ogrinfo -so -al` text split into layers: name → (feature count, whether the SRS is EPSG:4326).
    static func layers(_ summary: String) -> [String: (count: Int?, epsg4326: Bool)] {
        var result: [String: (count: Int?, epsg4326: Bool)] = [:]
        for block in summary.components(separatedBy: "\nLayer name: ").dropFirst() {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false)
            let name = String(lines[0])
            let count = lines.first { $0.hasPrefix("Feature Count: ") }.flatMap { Int($0.dropFirst("Feature Count: ".count)) }
            result[name] = (count, block.contains("ID[\"EPSG\",4326]]"))
        }
        return result
    }

    @Test("ogrinfo lists every feature table with its count and EPSG:4326, and complains about nothing")
    func ogrinfoReadsTheDatabase() throws {
        let ogrinfo = try GDALTools.require("ogrinfo")
        try FixtureDatabase.with { fixture in
            try fixture.database.checkpoint()
            let outcome = try ExternalTool.run(ogrinfo, [
                "-ro", "-so", "-al", "--config", "OGR_GPKG_INTEGRITY_CHECK", "YES", "--config", "OGR_GPKG_FOREIGN_KEY_CHECK", "YES",
                fixture.database.path,
            ])
            #expect(outcome.status == 0, "ogrinfo failed: \(outcome.standardError)")
            #expect(outcome.standardError.isEmpty, "GDAL wrote to stderr: \(outcome.standardError)")
            #expect(outcome.standardOutput.contains("using driver `GPKG' successful"))
            let layers = Self.layers(outcome.standardOutput)
            let expected = ["outlets": 5, "competitors": 2, "regions": 3, "settlements": 2, "candidates": 2, "ranking_results": 3]
            for (table, count) in expected {
                let layer = try #require(layers[table], "ogrinfo does not list \(table): \(layers.keys.sorted())")
                #expect(layer.count == count, "\(table)")
                #expect(layer.epsg4326, "\(table) is not EPSG:4326")
            }
            // Reading every feature (not only the summary) decodes every geometry, in update mode as QGIS opens it.
            let full = try ExternalTool.run(ogrinfo, ["-al", "-q", fixture.database.path])
            #expect(full.status == 0)
            #expect(GDALTools.complaints(full.standardError).isEmpty, "\(full.standardError)")
            #expect(full.standardOutput.contains("POINT (-73.985656 40.748433)"))
            #expect(full.standardOutput.contains("MULTIPOLYGON (((116.38 39.86,116.45 39.86,116.45 39.97,116.38 39.97,116.38 39.86),"
                + "(116.4 39.9,116.4 39.92,116.42 39.92,116.42 39.9,116.4 39.9)))"))
        }
    }

    @Test("ogr2ogr converts outlets to GeoJSON with our ids, names and coordinates")
    func ogr2ogrOutlets() throws {
        let ogr2ogr = try GDALTools.require("ogr2ogr")
        try FixtureDatabase.with { fixture in
            try fixture.database.checkpoint()
            let output = fixture.directory.path("gdal.geojson")
            let outcome = try ExternalTool.run(ogr2ogr, ["-f", "GeoJSON", output, fixture.database.path, "outlets"])
            #expect(outcome.status == 0, "ogr2ogr failed: \(outcome.standardError)")
            #expect(GDALTools.complaints(outcome.standardError).isEmpty, "\(outcome.standardError)")
            let features = try Self.features(output)
            let ours = try fixture.database.outlets()
            #expect(features.count == ours.count)
            for outlet in ours {
                let feature = try #require(features[outlet.id], "GDAL lost \(outlet.id)")
                #expect(feature.name == outlet.name)
                #expect(abs(feature.lon - outlet.position.longitude) <= 1e-7)
                #expect(abs(feature.lat - outlet.position.latitude) <= 1e-7)
            }
        }
    }

    @Test("GDAL reads every exported GeoPackage and GeoJSON without complaint", arguments: ExportKind.allCases)
    func gdalReadsExports(kind: ExportKind) throws {
        let ogrinfo = try GDALTools.require("ogrinfo")
        let ogr2ogr = try GDALTools.require("ogr2ogr")
        try FixtureDatabase.with { fixture in
            let table = kind == .rankings ? "ranking_results" : kind.rawValue
            let expectedCount = ["outlets": 5, "competitors": 2, "regions": 3, "ranking_results": 3][table]!

            let gpkg = try fixture.export(kind, .gpkg)
            let summary = try ExternalTool.run(ogrinfo, [
                "-ro", "-so", "-al", "--config", "OGR_GPKG_INTEGRITY_CHECK", "YES", "--config", "OGR_GPKG_FOREIGN_KEY_CHECK", "YES", gpkg,
            ])
            #expect(summary.status == 0, "\(summary.standardError)")
            #expect(summary.standardError.isEmpty, "GDAL wrote to stderr: \(summary.standardError)")
            let layers = Self.layers(summary.standardOutput)
            #expect(layers[table]?.count == expectedCount)
            #expect(layers[table]?.epsg4326 == true)
            let full = try ExternalTool.run(ogrinfo, ["-ro", "-al", "-q", gpkg])
            #expect(full.status == 0)
            #expect(GDALTools.complaints(full.standardError).isEmpty, "\(full.standardError)")

            let geojson = try fixture.export(kind, .geojson)
            let read = try ExternalTool.run(ogrinfo, ["-ro", "-so", "-al", geojson])
            #expect(read.status == 0, "\(read.standardError)")
            #expect(GDALTools.complaints(read.standardError).isEmpty, "\(read.standardError)")
            #expect(read.standardOutput.contains("Feature Count: \(expectedCount)"))

            if kind == .outlets {
                // GDAL's reading of our GeoJSON gives our ids, names and coordinates back.
                let converted = fixture.directory.path("via-gdal.geojson")
                let outcome = try ExternalTool.run(ogr2ogr, ["-f", "GeoJSON", converted, geojson])
                #expect(outcome.status == 0, "\(outcome.standardError)")
                let features = try Self.features(converted)
                for outlet in try fixture.database.outlets() {
                    let feature = try #require(features[outlet.id])
                    #expect(feature.name == outlet.name)
                    #expect(abs(feature.lon - outlet.position.longitude) <= 1e-7 && abs(feature.lat - outlet.position.latitude) <= 1e-7)
                }
            }
        }
    }

    @Test("GDAL's GeoPackage validator accepts the database and an export",
          .enabled(if: GDALTools.validator != nil, "python3-gdal's validate_gpkg is not installed"))
    func validator() throws {
        let command = try #require(GDALTools.validator)
        try FixtureDatabase.with { fixture in
            try fixture.database.checkpoint()
            for path in [fixture.database.path, try fixture.export(.regions, .gpkg)] {
                let outcome = try ExternalTool.run(command[0], Array(command.dropFirst()) + ["--extra", "--warning-as-error", path])
                #expect(outcome.status == 0, "validate_gpkg: \(outcome.standardOutput) \(outcome.standardError)")
            }
        }
    }

    /// Features of a GeoJSON file GDAL wrote: id → name and position.
    static func features(_ path: String) throws -> [String: (name: String, lon: Double, lat: Double)] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var result: [String: (name: String, lon: Double, lat: Double)] = [:]
        for feature in try #require(root["features"] as? [[String: Any]]) {
            let properties = try #require(feature["properties"] as? [String: Any])
            let coordinates = try #require((feature["geometry"] as? [String: Any])?["coordinates"] as? [Double])
            // GDAL moves a string "id" property to the feature's own id.
            let id = try #require((properties["id"] ?? feature["id"]) as? String)
            result[id] = (properties["name"] as? String ?? "", coordinates[0], coordinates[1])
        }
        return result
    }
}
