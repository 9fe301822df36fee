import Foundation
import SitingCore
@testable import SitingStore
import SitingTestSupport
import Testing

/// Importing good files: every kind from CSV (lon/lat and WKT), GeoJSON and GeoPackage, stored values
/// equal to the hand-written fixtures, counts exact, upserts, dry runs and `skipInvalid`.
/// Stored positions are also read back with the `sqlite3` program and decoded from the GeoPackage
/// bytes by the test itself, independently of Siting's reader.
@Suite struct ImportTests {
    // MARK: CSV

    @Test("outlets from CSV with lon/lat columns: every field stored as written, defaults filled in")
    func outletsFromCSV() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let summary = try fixture.importFile(try fixture.write("outlets.csv", Fixtures.outletsCSV), as: .outlets)
            #expect([summary.inserted, summary.updated, summary.rejected] as [Int] == [3, 0, 0])
            #expect(summary.issues.isEmpty)
            let outlets = try fixture.open().outlets()
            #expect(outlets == Fixtures.outlets)
        }
    }

    @Test("positions are stored bit for bit as written, as GeoPackage points in EPSG:4326 (read with sqlite3)")
    func positionsReadBySQLite3() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let rows = try SQLiteShell.rows(fixture.databasePath, "SELECT id, hex(geom) FROM outlets ORDER BY id")
            #expect(rows.map { $0[0] } == ["BJ001", "SH001", "SH002"])
            for (row, outlet) in zip(rows, Fixtures.outlets) {
                let point = try #require(GeoPackagePointHex.decode(row[1]), "\(row[0]) geom \(row[1])")
                #expect(point.srsID == 4326)
                #expect(point.x == outlet.position.longitude && point.y == outlet.position.latitude, "\(row[0])")
            }
            let columns = try SQLiteShell.rows(fixture.databasePath, """
                SELECT id, kind, cash, wealth_management, foreign_exchange, self_service_devices, smart_counters,
                       wheelchair_access, elderly_friendly, timezone, ifnull(opening_hours, 'NULL') FROM outlets ORDER BY id
                """)
            #expect(columns == [
                ["BJ001", "primaryBranch", "1", "1", "1", "4", "6", "yes", "yes", "Asia/Shanghai",
                 "Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off"],
                ["SH001", "subBranch", "1", "0", "0", "2", "1", "no", "no", "Asia/Shanghai", "Mo-Su 09:00-17:00"],
                ["SH002", "selfService", "0", "0", "0", "3", "0", "unknown", "unknown", "Asia/Shanghai", "NULL"],
            ])
        }
    }

    @Test("competitors, settlements (GeoNames column names), candidates (WKT points) and regions (WKT polygons)")
    func otherKindsFromCSV() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let db = try fixture.open()
            #expect(try db.competitors() == Fixtures.competitors)
            #expect(try db.settlements() == Fixtures.settlements)
            #expect(try db.candidates() == Fixtures.candidates)
            let regions = try db.regions()
            #expect(regions.map(\.adcode) == ["110000", "110101", "310000", "310101"])
            #expect(regions.map(\.level) == [.province, .county, .province, .county])
            #expect(regions.map(\.parentAdcode) == [nil, "110000", nil, "310000"])
            #expect(regions.map(\.areaKm2) == [16410.5, 41.8, 6340.5, 20.5])
            #expect(regions[1].boundary == MultiPolygon(polygons: [Polygon(rings: [[
                Coordinate(x: 116.38, y: 39.85), Coordinate(x: 116.45, y: 39.85), Coordinate(x: 116.45, y: 39.97),
                Coordinate(x: 116.38, y: 39.97), Coordinate(x: 116.38, y: 39.85),
            ]])]))
            #expect(regions[2].boundary.polygons.count == 1)
            #expect(try db.count(.regions) == 4)
            #expect(try db.regions(level: .county).map(\.name) == ["东城区", "黄浦区"])
        }
    }

    @Test("region statistics: a 2-digit province code becomes its 6-digit adcode, one row per indicator")
    func regionStatisticsFromCSV() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let stats = try fixture.open().regionStatistics()
            #expect(stats == [
                RegionStatistic(adcode: "110000", indicator: "gdp_per_capita", year: 2023, value: 200278, source: "stats.csv"),
                RegionStatistic(adcode: "110000", indicator: "population", year: 2023, value: 21_858_000, source: "stats.csv"),
                RegionStatistic(adcode: "310000", indicator: "gdp_per_capita", year: 2023, value: 190321, source: "stats.csv"),
                RegionStatistic(adcode: "310000", indicator: "population", year: 2023, value: 24_874_500, source: "stats.csv"),
            ])
        }
    }

    @Test("region statistics without a year column take the year and source given in the options")
    func regionStatisticsWithFixedYear() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let file = try fixture.write("census.csv", "adcode,county,population\n110101,东城区,708829\n310101,黄浦区,662030\n")
            let summary = try fixture.importFile(file, as: .regionStats, options: ImportOptions(year: 2020, source: "7th census"))
            #expect([summary.inserted, summary.updated, summary.rejected] as [Int] == [2, 0, 0])
            let stats = try fixture.open().regionStatistics(indicator: "population", year: 2020)
            #expect(stats == [
                RegionStatistic(adcode: "110101", indicator: "population", year: 2020, value: 708_829, source: "7th census"),
                RegionStatistic(adcode: "310101", indicator: "population", year: 2020, value: 662_030, source: "7th census"),
            ])
        }
    }

    @Test("a UTF-8 byte-order mark and CRLF line ends are read like plain LF files", arguments: ["bom", "crlf", "bom+crlf", "no final newline"])
    func byteOrderMarkAndCRLF(variant: String) throws {
        try StoreFixture.with(seeded: false) { fixture in
            var bytes = Array((variant.contains("crlf") ? Fixtures.outletsCSV.replacingOccurrences(of: "\n", with: "\r\n")
                                                         : Fixtures.outletsCSV).utf8)
            if variant.contains("bom") { bytes = [0xEF, 0xBB, 0xBF] + bytes }
            if variant == "no final newline" { bytes.removeLast() }
            let summary = try fixture.importFile(try fixture.directory.write("outlets.csv", bytes: bytes), as: .outlets)
            #expect([summary.inserted, summary.rejected] as [Int] == [3, 0], "\(summary)")
            #expect(try fixture.open().outlets() == Fixtures.outlets)
        }
    }

    @Test("CRLF after a quoted last field, a quoted line break and blank lines: values exact, later line numbers right")
    func quotedFieldsAndLineNumbers() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let text = "id,name,kind,lon,lat,address\r\n"
                + "Q1,One,subBranch,116.1,39.1,\"Line one\r\nline two\"\r\n"   // lines 2-3
                + "\r\n"                                                          // line 4, blank
                + "Q2,\"Two, with comma\",subBranch,116.2,39.2,\"say \"\"hi\"\"\"\r\n"  // line 5
                + "Q3,Three,nonsense,116.3,39.3,x\r\n"                             // line 6: bad kind
            let file = try fixture.write("quoted.csv", text)
            let summary = try fixture.importFile(file, as: .outlets, options: ImportOptions(skipInvalid: true))
            #expect([summary.inserted, summary.rejected] as [Int] == [2, 1])
            #expect(summary.issues.map(\.location) == [.line(6)])
            #expect(summary.issues.map(\.field) == ["kind"])
            let outlets = try fixture.open().outlets()
            #expect(outlets.map(\.address) == ["Line one\r\nline two", "say \"hi\""])
            #expect(outlets.map(\.name) == ["One", "Two, with comma"])
        }
    }

    @Test("a tab-separated file (tabs and no commas in the header) is read, as CSVReader documents")
    func tabSeparated() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let file = try fixture.write("outlets.tsv", "id\tname\tkind\tlon\tlat\nT1\tTab One\tsubBranch\t116.5\t39.5\n")
            let summary = try fixture.importFile(file, as: .outlets)
            #expect([summary.inserted, summary.rejected] as [Int] == [1, 0])
            #expect(try fixture.open().outlets().map(\.name) == ["Tab One"])
        }
    }

    @Test("the format option overrides the file name: a .dat file read as CSV, a .txt file as GeoJSON")
    func formatOption() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let csv = try fixture.write("outlets.dat", Fixtures.outletsCSV)
            #expect {
                try fixture.importFile(csv, as: .outlets)
            } throws: { error in
                "\(error)".contains("unknown file type")
            }
            #expect(try fixture.importFile(csv, as: .outlets, options: ImportOptions(format: .csv)).inserted == 3)
            let geojson = try fixture.write("candidates.txt", """
                {"type":"Feature","properties":{"id":"K7"},"geometry":{"type":"Point","coordinates":[116.5,39.8]}}
                """)
            #expect(try fixture.importFile(geojson, as: .candidates, options: ImportOptions(format: .geojson)).inserted == 1)
            #expect(try fixture.open().candidates().map(\.id) == ["K7"])
        }
    }

    @Test("header names are matched without regard to case or surrounding spaces")
    func headerCase() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let file = try fixture.write("upper.csv", " ID , Name ,KIND,Lon,LAT,Cash\nU1,Upper,subBranch,116.1,39.1,Yes\n")
            #expect(try fixture.importFile(file, as: .outlets).inserted == 1)
            let outlet = try #require(try fixture.open().outlets().first)
            #expect(outlet.id == "U1" && outlet.name == "Upper" && outlet.services.cash)
        }
    }

    @Test("progress reports end with every byte and every record")
    func progressReports() throws {
        try StoreFixture.with(seeded: false) { fixture in
            var text = "id,name,kind,lon,lat\n"
            for index in 0..<3_000 { text += "P\(index),P,subBranch,116.\(index),39.5\n" }
            let file = try fixture.write("progress.csv", text)
            var reports: [ImportProgress] = []
            _ = try fixture.open().importFile(file, as: .outlets) { reports.append($0) }
            let last = try #require(reports.last)
            #expect(last.records == 3_000)
            #expect(last.bytesRead == text.utf8.count && last.totalBytes == text.utf8.count)
            #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.records <= $1.records && $0.bytesRead <= $1.bytesRead })
        }
    }

    // MARK: GeoJSON

    @Test("outlets from a GeoJSON FeatureCollection: numbers, booleans and strings as properties")
    func outletsFromGeoJSON() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let summary = try fixture.importFile(try fixture.write("outlets.geojson", Fixtures.outletsGeoJSON), as: .outlets)
            #expect([summary.inserted, summary.updated, summary.rejected] as [Int] == [3, 0, 0])
            #expect(try fixture.open().outlets() == Fixtures.outlets)
        }
    }

    @Test("a file that is a single GeoJSON Feature imports as one record, id taken from the feature")
    func singleFeature() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let feature = """
                {"type": "Feature", "id": "K9",
                 "geometry": {"type": "Point", "coordinates": [116.4205, 39.9311]},
                 "properties": {"name": "Dongsi", "status": "excluded"}}
                """
            let summary = try fixture.importFile(try fixture.write("one.geojson", feature), as: .candidates)
            #expect([summary.inserted, summary.rejected] as [Int] == [1, 0])
            #expect(try fixture.open().candidates() == [
                Candidate(id: "K9", name: "Dongsi", position: Coordinate(x: 116.4205, y: 39.9311), status: .excluded),
            ])
        }
    }

    @Test("regions from GeoJSON: Polygon and MultiPolygon (with a hole) stored as multipolygons")
    func regionsFromGeoJSON() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let text = """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"adcode":"330100","name":"杭州市","level":"prefecture","parent_adcode":"330000"},
                 "geometry":{"type":"Polygon","coordinates":[[[119,29.5],[120.8,29.5],[120.8,30.6],[119,30.6],[119,29.5]]]}},
                {"type":"Feature","properties":{"adcode":"330106","name":"西湖区","level":"county","area_km2":312.4},
                 "geometry":{"type":"MultiPolygon","coordinates":[[[[120,30.1],[120.2,30.1],[120.2,30.3],[120,30.3],[120,30.1]],
                   [[120.05,30.15],[120.1,30.15],[120.1,30.2],[120.05,30.15]]]]}}
                ]}
                """
            let summary = try fixture.importFile(try fixture.write("regions.geojson", text), as: .regions)
            #expect([summary.inserted, summary.rejected] as [Int] == [2, 0])
            let regions = try fixture.open().regions()
            #expect(regions.map(\.adcode) == ["330100", "330106"])
            #expect(regions[0].boundary.polygons.count == 1)
            #expect(regions[1].boundary.polygons.first?.rings.count == 2)
            #expect(regions[1].areaKm2 == 312.4)
            #expect(regions[0].parentAdcode == "330000")
        }
    }

    // MARK: GeoPackage

    @Test("a GeoPackage written by Siting imports into another database with the same outlets and regions")
    func fromSitingGeoPackage() throws {
        try StoreFixture.with(seeded: true) { source in
            try source.open().checkpoint()
            try StoreFixture.with(seeded: false) { target in
                let regions = try target.importFile(source.databasePath, as: .regions)
                #expect([regions.inserted, regions.rejected] as [Int] == [4, 0])
                let outlets = try target.importFile(source.databasePath, as: .outlets)
                #expect([outlets.inserted, outlets.rejected] as [Int] == [3, 0])
                let candidates = try target.importFile(source.databasePath, as: .candidates)
                #expect([candidates.inserted, candidates.rejected] as [Int] == [2, 0])
                let copy = try target.open(), original = try source.open()
                #expect(try copy.outlets() == original.outlets())
                #expect(try copy.regions() == original.regions())
                #expect(try copy.candidates() == original.candidates())
            }
        }
    }

    @Test("a GeoPackage written by GDAL's ogr2ogr (a foreign file) imports the same outlets as its GeoJSON source",
          .enabled(if: ExternalTool.locate("ogr2ogr") != nil, "needs ogr2ogr (Debian package gdal-bin)"))
    func fromGDALGeoPackage() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let geojson = try fixture.write("outlets.geojson", Fixtures.outletsGeoJSON)
            let gpkg = fixture.directory.path("branches.gpkg")
            let made = try ExternalTool.run("ogr2ogr", ["-f", "GPKG", gpkg, geojson, "-nln", "branches"])
            try #require(made.status == 0, "ogr2ogr: \(made.standardError)")
            let summary = try fixture.importFile(gpkg, as: .outlets)
            #expect([summary.inserted, summary.updated, summary.rejected] as [Int] == [3, 0, 0])
            #expect(try fixture.open().outlets() == Fixtures.outlets)
        }
    }

    @Test("a layer is chosen with the layer option when a GeoPackage has several; an unknown layer is named",
          .enabled(if: ExternalTool.locate("ogr2ogr") != nil, "needs ogr2ogr (Debian package gdal-bin)"))
    func chooseLayer() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let geojson = try fixture.write("outlets.geojson", Fixtures.outletsGeoJSON)
            let gpkg = fixture.directory.path("two.gpkg")
            for arguments in [["-f", "GPKG", gpkg, geojson, "-nln", "first"], ["-update", gpkg, geojson, "-nln", "second"]] {
                let made = try ExternalTool.run("ogr2ogr", arguments)
                try #require(made.status == 0, "ogr2ogr: \(made.standardError)")
            }
            #expect {
                try fixture.importFile(gpkg, as: .outlets)
            } throws: { error in
                "\(error)".contains("several layers") && "\(error)".contains("first") && "\(error)".contains("second")
            }
            #expect {
                try fixture.importFile(gpkg, as: .outlets, options: ImportOptions(layer: "third"))
            } throws: { error in
                "\(error)".contains("no layer \"third\"")
            }
            let summary = try fixture.importFile(gpkg, as: .outlets, options: ImportOptions(layer: "second"))
            #expect(summary.inserted == 3)
        }
    }

    // MARK: Coordinate systems

    @Test("--crs gcj02: stored positions equal the published WGS84 points (DESIGN §5 vectors) to 1e-7°")
    func gcj02Vectors() throws {
        // (lat, lng) WGS84 → GCJ-02, published.
        let vectors: [(wgs: (Double, Double), gcj: (Double, Double))] = [
            ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),
            ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),
            ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),
            ((39.915, 116.404), (39.91640428150164, 116.41024449916938)),
        ]
        try StoreFixture.with(seeded: false) { fixture in
            var csv = "id,name,kind,lon,lat\n"
            for (index, vector) in vectors.enumerated() {
                csv += "G\(index),Vector \(index),subBranch,\(exact(vector.gcj.1)),\(exact(vector.gcj.0))\n"
            }
            let summary = try fixture.importFile(try fixture.write("gcj.csv", csv), as: .outlets,
                                                 options: ImportOptions(coordinateSystem: .gcj02))
            #expect(summary.inserted == vectors.count)
            let stored = try fixture.storedPoints(.outlets)
            for (index, vector) in vectors.enumerated() {
                let point = try #require(stored["G\(index)"])
                #expect(abs(point.x - vector.wgs.1) < 1e-7 && abs(point.y - vector.wgs.0) < 1e-7,
                        "G\(index): stored \(point), expected lon \(vector.wgs.1) lat \(vector.wgs.0)")
            }
        }
    }

    @Test("--crs bd09: the published BD-09 twin of GCJ-02 (116.404, 39.915) lands where that GCJ-02 point does; BD-09 of published vectors gives their WGS84 truth to 1e-7°")
    func bd09Vectors() throws {
        // DESIGN §5: GCJ-02 (116.404, 39.915) is BD-09 (116.41036949371029, 39.92133699351021).
        let published = Self.gcj02ToBd09(116.404, 39.915)
        #expect(abs(published.0 - 116.41036949371029) < 1e-12 && abs(published.1 - 39.92133699351021) < 1e-12,
                "the test's own Baidu formula reproduces the published vector")
        // WGS84 truth and its published GCJ-02, taken to BD-09 with Baidu's published formula.
        let vectors: [(wgs: (Double, Double), gcj: (Double, Double))] = [
            ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
            ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
            ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
            ((116.404, 39.915), (116.41024449916938, 39.91640428150164)),
        ]
        try StoreFixture.with(seeded: false) { fixture in
            var bd = "id,name,kind,lon,lat\nTWIN,Twin,subBranch,116.41036949371029,39.92133699351021\n"
            for (index, vector) in vectors.enumerated() {
                let point = Self.gcj02ToBd09(vector.gcj.0, vector.gcj.1)
                bd += "B\(index),Vector \(index),subBranch,\(exact(point.0)),\(exact(point.1))\n"
            }
            _ = try fixture.importFile(try fixture.write("bd.csv", bd), as: .outlets, options: ImportOptions(coordinateSystem: .bd09))
            _ = try fixture.importFile(try fixture.write("gcj.csv", "id,name,kind,lon,lat\nGCJ,Twin,subBranch,116.404,39.915\n"),
                                       as: .outlets, options: ImportOptions(coordinateSystem: .gcj02))
            let stored = try fixture.storedPoints(.outlets)
            let twin = try #require(stored["TWIN"]), gcj = try #require(stored["GCJ"])
            #expect(abs(twin.x - gcj.x) < 1e-7 && abs(twin.y - gcj.y) < 1e-7, "BD-09 twin \(twin), GCJ-02 \(gcj)")
            for (index, vector) in vectors.enumerated() {
                let point = try #require(stored["B\(index)"])
                #expect(abs(point.x - vector.wgs.0) < 1e-7 && abs(point.y - vector.wgs.1) < 1e-7,
                        "B\(index): stored \(point), expected \(vector.wgs)")
            }
        }
    }

    /// Baidu's published GCJ-02 → BD-09 formula (x_pi = π·3000/180, offsets 0.0065 and 0.006; DESIGN §5).
    static func gcj02ToBd09(_ lon: Double, _ lat: Double) -> (Double, Double) {
        let xPi = Double.pi * 3000.0 / 180.0
        let z = (lon * lon + lat * lat).squareRoot() + 0.00002 * sin(lat * xPi)
        let theta = atan2(lat, lon) + 0.000003 * cos(lon * xPi)
        return (z * cos(theta) + 0.0065, z * sin(theta) + 0.006)
    }

    @Test("--crs EPSG:3857 (CSV), a GeoJSON declaring EPSG:3857 and an ogr2ogr GeoPackage in EPSG:3857: WGS84 to 1e-7° (cs2cs oracle)")
    func webMercator() throws {
        let truth: [(String, Double, Double)] = [("M1", 116.391280, 39.906280), ("M2", 121.485, 31.236), ("M3", 87.6168, 43.8256),
                                                 ("M4", 113.264385, 23.129112)]
        // cs2cs reads EPSG:4326 latitude first and writes EPSG:3857 easting, northing.
        let projected = try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:3857"], decimals: 9, rows: truth.map { ($0.2, $0.1) })
        try StoreFixture.with(seeded: false) { fixture in
            var csv = "id,name,kind,x,y\n"
            var features: [String] = []
            for (row, xy) in zip(truth, projected) {
                let (x, y) = try #require(xy)
                csv += "\(row.0),\(row.0),subBranch,\(exact(x)),\(exact(y))\n"
                features.append("""
                    {"type":"Feature","properties":{"id":"\(row.0)","name":"\(row.0)","kind":"community"},\
                    "geometry":{"type":"Point","coordinates":[\(exact(x)),\(exact(y))]}}
                    """)
            }
            let geojson = """
                {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},
                "features":[\(features.joined(separator: ",\n"))]}
                """
            let sources: [(String, ImportOptions)] = [
                (try fixture.write("mercator.csv", csv), ImportOptions(coordinateSystem: CoordinateSystem(parsing: "EPSG:3857"))),
                (try fixture.write("mercator.geojson", geojson), ImportOptions()),
            ]
            var files = sources
            if ExternalTool.locate("ogr2ogr") != nil {
                let wgs = try fixture.write("wgs.geojson", Fixtures.geoJSONPoints(truth))
                let gpkg = fixture.directory.path("mercator.gpkg")
                let made = try ExternalTool.run("ogr2ogr", ["-f", "GPKG", "-t_srs", "EPSG:3857", gpkg, wgs, "-nln", "outlets"])
                try #require(made.status == 0, "ogr2ogr: \(made.standardError)")
                files.append((gpkg, ImportOptions()))
            }
            for (file, options) in files {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: fixture.databasePath + suffix) }
                _ = try fixture.open(mode: .createIfMissing)
                let summary = try fixture.importFile(file, as: .outlets, options: options)
                #expect([summary.inserted, summary.rejected] as [Int] == [truth.count, 0], "\(file): \(summary)")
                let stored = try fixture.storedPoints(.outlets)
                for (id, lon, lat) in truth {
                    let point = try #require(stored[id])
                    #expect(abs(point.x - lon) < 1e-7 && abs(point.y - lat) < 1e-7,
                            "\((file as NSString).lastPathComponent) \(id): stored \(point), expected \(lon) \(lat)")
                }
            }
        }
    }

    @Test("a GeoJSON crs member placed after the features is honoured too (JSON member order carries no meaning)")
    func crsAfterFeatures() throws {
        let truth = (116.391280, 39.906280)
        let projected = try #require(try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:3857"], decimals: 9, rows: [(truth.1, truth.0)]).first ?? nil)
        try StoreFixture.with(seeded: false) { fixture in
            let geojson = """
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"L1","name":"Late","kind":"subBranch"},
                "geometry":{"type":"Point","coordinates":[\(exact(projected.0)),\(exact(projected.1))]}}],
                "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}}}
                """
            let summary = try fixture.importFile(try fixture.write("late-crs.geojson", geojson), as: .outlets)
            #expect(summary.inserted == 1)
            let point = try #require(try fixture.storedPoints(.outlets)["L1"])
            #expect(abs(point.x - truth.0) < 1e-7 && abs(point.y - truth.1) < 1e-7, "stored \(point)")
        }
    }

    // MARK: Upsert, dry run, skipping invalid records

    @Test("a second import of changed rows updates them in place: counts say updated, values change, fid stays")
    func upsertUpdatesInPlace() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let fidsBefore = try SQLiteShell.rows(fixture.databasePath, "SELECT id, fid FROM outlets ORDER BY id")
            let changed = """
                id,name,kind,lon,lat,cash,self_service_devices
                SH001,Huangpu Branch (renamed),secondaryBranch,121.5,31.25,no,7
                NEW01,New outlet,community,121.3,31.1,yes,1
                """
            let summary = try fixture.importFile(try fixture.write("changed.csv", changed + "\n"), as: .outlets)
            #expect([summary.inserted, summary.updated, summary.rejected] as [Int] == [1, 1, 0])
            let outlets = try fixture.open().outlets()
            let sh001 = try #require(outlets.first { $0.id == "SH001" })
            #expect(sh001.name == "Huangpu Branch (renamed)")
            #expect(sh001.kind == .secondaryBranch)
            #expect(sh001.position == Coordinate(x: 121.5, y: 31.25))
            #expect(sh001.services.cash == false && sh001.services.selfServiceDevices == 7)
            #expect(outlets.count == 4)
            let fidsAfter = try SQLiteShell.rows(fixture.databasePath, "SELECT id, fid FROM outlets ORDER BY id")
            #expect(Array(fidsAfter.filter { $0[0] != "NEW01" }) == fidsBefore)
        }
    }

    @Test("an update from a file without some columns keeps the stored values of those columns")
    func upsertKeepsAbsentColumns() throws {
        try StoreFixture.with(seeded: true) { fixture in
            // Only the name changes; the file says nothing about address, hours or services.
            let file = try fixture.write("rename.csv", "id,name,kind,lon,lat\nBJ001,Dongcheng Main Branch,primaryBranch,116.4103,39.9155\n")
            let summary = try fixture.importFile(file, as: .outlets)
            #expect([summary.inserted, summary.updated] as [Int] == [0, 1])
            var expected = Fixtures.outlets[0]
            expected.name = "Dongcheng Main Branch"
            let stored = try #require(try fixture.open().outlets().first)
            #expect(stored.name == expected.name)
            #expect(stored.address == expected.address, "address")
            #expect(stored.openingHours == expected.openingHours, "opening hours")
            #expect(stored.services == expected.services, "services")
            #expect(stored.accessibility == expected.accessibility, "accessibility")
            #expect(stored.adcode == expected.adcode, "adcode")
        }
    }

    @Test("re-importing the very same file updates every row and leaves the values as they were")
    func reimportSameFile() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let before = try fixture.open().outlets()
            let summary = try fixture.importFile(fixture.directory.path("outlets.csv"), as: .outlets)
            #expect([summary.inserted, summary.updated, summary.rejected] as [Int] == [0, 3, 0])
            #expect(try fixture.open().outlets() == before)
        }
    }

    @Test("a dry run of new rows reports the counts and changes nothing (sqlite3 dump and data version equal)")
    func dryRunNewRows() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let file = try fixture.write("new.csv", "id,name,kind,lon,lat\nN1,A,subBranch,116.1,39.1\nN2,B,community,116.2,39.2\n")
            let before = try fixture.snapshot()
            let summary = try fixture.importFile(file, as: .outlets, options: ImportOptions(dryRun: true))
            #expect([summary.inserted, summary.updated, summary.rejected] as [Int] == [2, 0, 0])
            #expect(summary.dryRun)
            #expect(summary.description.contains("would import outlets: 2 inserted, 0 updated, 0 rejected (dry run: nothing was changed)"))
            try fixture.expectUnchanged(since: before)
        }
    }

    @Test("a dry run counts updates of existing ids as updated, and changes nothing")
    func dryRunWithUpdates() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let file = try fixture.write("mixed.csv", "id,name,kind,lon,lat\nBJ001,Renamed,subBranch,116.1,39.1\nN2,B,community,116.2,39.2\n")
            let before = try fixture.snapshot()
            let summary = try fixture.importFile(file, as: .outlets, options: ImportOptions(dryRun: true))
            #expect([summary.inserted, summary.updated, summary.rejected] as [Int] == [1, 1, 0])
            try fixture.expectUnchanged(since: before)
        }
    }

    @Test("skipInvalid imports the good rows and reports each bad one with its line and field; counts exact")
    func skipInvalid() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let text = """
                id,name,kind,lon,lat,adcode,self_service_devices
                S1,Good one,subBranch,116.40,39.91,110101,1
                S2,Bad kind,bank,116.41,39.92,110101,1
                S3,Good two,community,121.47,31.23,310101,0
                S4,Bad devices,subBranch,121.48,31.24,310101,many
                S5,Bad longitude,subBranch,east,31.24,310101,0
                S6,Good three,selfService,121.49,31.22,,2

                """
            let summary = try fixture.importFile(try fixture.write("mixed.csv", text), as: .outlets,
                                                 options: ImportOptions(skipInvalid: true))
            #expect([summary.inserted, summary.updated, summary.rejected] as [Int] == [3, 0, 3])
            #expect(summary.issues.map(\.location) == [.line(3), .line(5), .line(6)])
            #expect(summary.issues.map(\.field) == ["kind", "self_service_devices", "lon"])
            #expect(summary.description.contains("3 inserted, 0 updated, 3 rejected"))
            #expect(summary.description.contains("mixed.csv: line 5, field \"self_service_devices\": \"many\" is not a whole number"))
            let ids = try fixture.open().outlets().map(\.id)
            #expect(ids == ["BJ001", "S1", "S3", "S6", "SH001", "SH002"])
        }
    }

    @Test("the data version rises by one with each committed import")
    func dataVersionRises() throws {
        try StoreFixture.with(seeded: false) { fixture in
            #expect(try fixture.open().dataVersion == 0)
            _ = try fixture.importFile(try fixture.write("outlets.csv", Fixtures.outletsCSV), as: .outlets)
            #expect(try fixture.open().dataVersion == 1)
            _ = try fixture.importFile(try fixture.write("c.csv", Fixtures.competitorsCSV), as: .competitors)
            #expect(try fixture.open().dataVersion == 2)
            #expect(try SQLiteShell.scalar(fixture.databasePath, "SELECT value FROM siting_metadata WHERE key = 'data_version'") == "2")
        }
    }

    @Test("gpkg_contents records the extent of the imported points")
    func contentsExtent() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let row = try SQLiteShell.rows(fixture.databasePath,
                                           "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'outlets'")
            let values = try #require(row.first).compactMap(Double.init)
            try #require(values.count == 4)
            // The R-tree stores 32-bit floats rounded outwards (by up to 2^-23 relative, about 1.5e-5° here).
            #expect(abs(values[0] - 116.4103) < 3e-5 && values[0] <= 116.4103)
            #expect(abs(values[1] - 31.2381) < 3e-5 && values[1] <= 31.2381)
            #expect(abs(values[2] - 121.4903) < 3e-5 && values[2] >= 121.4903)
            #expect(abs(values[3] - 39.9155) < 3e-5 && values[3] >= 39.9155)
        }
    }

    /// Text that reads back as exactly `value`.
    func exact(_ value: Double) -> String { "\(value)" }
}

// MARK: - Fixture

/// A temporary Siting database, optionally seeded from the hand-written files in `Fixtures`; each
/// import opens its own connection and closes it, as separate runs of `siting import` would.
struct StoreFixture {
    let directory: TemporaryDirectory
    var databasePath: String { directory.path("siting.gpkg") }

    static func with<Result>(seeded: Bool, _ body: (StoreFixture) throws -> Result) throws -> Result {
        try TemporaryDirectory.with(prefix: "siting-import") { directory in
            let fixture = StoreFixture(directory: directory)
            _ = try fixture.open(mode: .createIfMissing)
            if seeded { try fixture.seed() }
            return try body(fixture)
        }
    }

    /// Imports the fixture files: 4 regions, 3 outlets, 2 competitors, 2 settlements, 2 candidates,
    /// 4 region statistics.
    func seed() throws {
        let files: [(String, String, ImportKind)] = [
            ("regions.csv", Fixtures.regionsCSV, .regions), ("outlets.csv", Fixtures.outletsCSV, .outlets),
            ("competitors.csv", Fixtures.competitorsCSV, .competitors),
            ("settlements.csv", Fixtures.settlementsCSV, .settlements),
            ("candidates.csv", Fixtures.candidatesCSV, .candidates), ("stats.csv", Fixtures.statsCSV, .regionStats),
        ]
        for (name, text, kind) in files {
            let summary = try importFile(try write(name, text), as: kind)
            try #require(summary.rejected == 0, "seeding \(name): \(summary)")
        }
    }

    func open(mode: SitingDatabase.Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 5_000) throws -> SitingDatabase {
        try SitingDatabase(path: databasePath, mode: mode, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    @discardableResult
    func importFile(_ path: String, as kind: ImportKind, options: ImportOptions = ImportOptions()) throws -> ImportSummary {
        try open().importFile(path, as: kind, options: options)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try directory.write(name, text)
    }

    /// The database's whole content as `sqlite3 .dump` prints it.
    func snapshot() throws -> String {
        try SQLiteShell.dump(databasePath)
    }

    /// Expects the database to hold exactly what it held when `before` was taken.
    func expectUnchanged(since before: String, _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
        let after = try snapshot()
        let difference = SQLiteShell.firstDifference(before, after)
        #expect(difference == nil, "the database changed \(context): \(difference ?? "")", sourceLocation: sourceLocation)
        #expect(try SQLiteShell.scalar(databasePath, "PRAGMA integrity_check") == "ok", sourceLocation: sourceLocation)
    }

    /// Stored points by id, decoded from `hex(geom)` as printed by `sqlite3`.
    func storedPoints(_ table: SitingDatabase.Table) throws -> [String: (x: Double, y: Double)] {
        var points: [String: (x: Double, y: Double)] = [:]
        for row in try SQLiteShell.rows(databasePath, "SELECT id, hex(geom) FROM \(table.rawValue)") {
            if let point = GeoPackagePointHex.decode(row[1]) { points[row[0]] = (point.x, point.y) }
        }
        return points
    }
}

/// Hand-written input files and the values they must produce.
enum Fixtures {
    static let regionsCSV = """
        adcode,name,level,parent_adcode,area_km2,wkt
        110000,北京市,province,,16410.5,"POLYGON ((115.4 39.4, 117.5 39.4, 117.5 41.1, 115.4 41.1, 115.4 39.4))"
        110101,东城区,county,110000,41.8,"POLYGON ((116.38 39.85, 116.45 39.85, 116.45 39.97, 116.38 39.97, 116.38 39.85))"
        310000,上海市,province,,6340.5,"MULTIPOLYGON (((120.8 30.6, 122.0 30.6, 122.0 31.9, 120.8 31.9, 120.8 30.6)))"
        310101,黄浦区,county,310000,20.5,"POLYGON ((121.46 31.2, 121.51 31.2, 121.51 31.25, 121.46 31.25, 121.46 31.2))"

        """

    static let outletsCSV = """
        id,name,kind,lon,lat,adcode,address,opening_hours,secondary_hours,timezone,cash,wealth_management,foreign_exchange,self_service_devices,smart_counters,wheelchair_access,visually_impaired_aids,hearing_impaired_aids,elderly_friendly
        BJ001,Dongcheng Branch,primaryBranch,116.4103,39.9155,110101,"1 Wangfujing St, Dongcheng",Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off,24/7,Asia/Shanghai,yes,yes,yes,4,6,yes,no,unknown,yes
        SH001,Huangpu Sub-branch,subBranch,121.4903,31.2397,310101,"12 Zhongshan Rd E1, ""The Bund""\",Mo-Su 09:00-17:00,,,yes,no,no,2,1,no,unknown,unknown,no
        SH002,Bund Self-service,selfService,121.4851,31.2381,310101,,,24/7,,no,no,no,3,0,,,,

        """

    /// The same outlets as `outletsCSV`, as GeoJSON with typed properties.
    static let outletsGeoJSON = """
        {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [116.4103, 39.9155]},
         "properties": {"id": "BJ001", "name": "Dongcheng Branch", "kind": "primaryBranch", "adcode": "110101",
          "address": "1 Wangfujing St, Dongcheng", "opening_hours": "Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off",
          "secondary_hours": "24/7", "timezone": "Asia/Shanghai", "cash": true, "wealth_management": true,
          "foreign_exchange": true, "self_service_devices": 4, "smart_counters": 6, "wheelchair_access": "yes",
          "visually_impaired_aids": "no", "hearing_impaired_aids": "unknown", "elderly_friendly": "yes"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.4903, 31.2397]},
         "properties": {"id": "SH001", "name": "Huangpu Sub-branch", "kind": "subBranch", "adcode": "310101",
          "address": "12 Zhongshan Rd E1, \\"The Bund\\"", "opening_hours": "Mo-Su 09:00-17:00",
          "cash": true, "wealth_management": false, "foreign_exchange": false, "self_service_devices": 2,
          "smart_counters": 1, "wheelchair_access": "no", "visually_impaired_aids": "unknown",
          "hearing_impaired_aids": "unknown", "elderly_friendly": "no"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.4851, 31.2381]},
         "properties": {"id": "SH002", "name": "Bund Self-service", "kind": "selfService", "adcode": "310101",
          "secondary_hours": "24/7", "cash": false, "wealth_management": false, "foreign_exchange": false,
          "self_service_devices": 3, "smart_counters": 0}}
        ]}
        """

    static let outlets: [Outlet] = [
        Outlet(id: "BJ001", name: "Dongcheng Branch", kind: .primaryBranch, position: Coordinate(x: 116.4103, y: 39.9155),
               adcode: "110101", address: "1 Wangfujing St, Dongcheng",
               openingHours: "Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off", secondaryHours: "24/7",
               services: OutletServices(cash: true, wealthManagement: true, foreignExchange: true, selfServiceDevices: 4,
                                        smartCounters: 6),
               accessibility: OutletAccessibility(wheelchairAccess: .yes, visuallyImpairedAids: .no,
                                                  hearingImpairedAids: .unknown, elderlyFriendly: .yes)),
        Outlet(id: "SH001", name: "Huangpu Sub-branch", kind: .subBranch, position: Coordinate(x: 121.4903, y: 31.2397),
               adcode: "310101", address: "12 Zhongshan Rd E1, \"The Bund\"", openingHours: "Mo-Su 09:00-17:00",
               services: OutletServices(cash: true, selfServiceDevices: 2, smartCounters: 1),
               accessibility: OutletAccessibility(wheelchairAccess: .no, elderlyFriendly: .no)),
        Outlet(id: "SH002", name: "Bund Self-service", kind: .selfService, position: Coordinate(x: 121.4851, y: 31.2381),
               adcode: "310101", secondaryHours: "24/7", services: OutletServices(selfServiceDevices: 3)),
    ]

    static let competitorsCSV = """
        id,name,bank,kind,lon,lat,adcode
        C001,ICBC Wangfujing,ICBC,branch,116.412,39.914,110101
        C002,BOC Bund,BOC,,121.488,31.24,310101

        """

    static let competitors: [Competitor] = [
        Competitor(id: "C001", name: "ICBC Wangfujing", brand: "ICBC", kind: "branch", position: Coordinate(x: 116.412, y: 39.914),
                   adcode: "110101"),
        Competitor(id: "C002", name: "BOC Bund", brand: "BOC", position: Coordinate(x: 121.488, y: 31.24), adcode: "310101"),
    ]

    static let settlementsCSV = """
        geonameid,name,asciiname,countrycode,admin1code,longitude,latitude,population,featurecode
        1816670,北京,Beijing,CN,22,116.39723,39.9075,18960744,PPLC
        1796236,上海,Shanghai,CN,23,121.45806,31.22222,22315474,PPLA

        """

    static let settlements: [Settlement] = [
        Settlement(id: "1796236", name: "上海", asciiName: "Shanghai", countryCode: "CN", admin1Code: "23",
                   position: Coordinate(x: 121.45806, y: 31.22222), population: 22_315_474, featureCode: "PPLA"),
        Settlement(id: "1816670", name: "北京", asciiName: "Beijing", countryCode: "CN", admin1Code: "22",
                   position: Coordinate(x: 116.39723, y: 39.9075), population: 18_960_744, featureCode: "PPLC"),
    ]

    static let candidatesCSV = """
        id,name,wkt,adcode,status
        K001,Wangfujing North,POINT (116.411 39.92),110101,candidate
        K002,,POINT(121.495 31.23),310101,fixed

        """

    static let candidates: [Candidate] = [
        Candidate(id: "K001", name: "Wangfujing North", position: Coordinate(x: 116.411, y: 39.92), adcode: "110101"),
        Candidate(id: "K002", position: Coordinate(x: 121.495, y: 31.23), adcode: "310101", status: .fixed),
    ]

    static let statsCSV = """
        adcode,name,year,population,gdp_per_capita
        11,Beijing,2023,21858000,200278
        310000,Shanghai,2023,24874500,190321

        """

    /// A GeoJSON FeatureCollection of `subBranch` outlets at WGS84 points.
    static func geoJSONPoints(_ points: [(String, Double, Double)]) -> String {
        let features = points.map { id, lon, lat in
            "{\"type\":\"Feature\",\"properties\":{\"id\":\"\(id)\",\"name\":\"\(id)\",\"kind\":\"subBranch\"},"
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(lon),\(lat)]}}"
        }
        return "{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ",\n"))]}\n"
    }
}
