import Foundation
import SitingTestSupport
import Testing

/// `siting nearby` and `siting import holidays`, run as the real executable over a database that
/// `siting import` built; distances checked against PROJ's `geod`.
@Suite struct NearbyCommandTests {
    let siting = ExternalTool.sitingExecutable

    func run(_ arguments: [String]) throws -> ExternalTool.Outcome {
        try ExternalTool.run(siting, arguments)
    }

    /// The export fixture's outlets plus two holidays, in a new database.
    func database(in directory: TemporaryDirectory) throws -> String {
        let database = directory.path("nearby.gpkg")
        for (kind, path) in try ExportFixture.write(into: directory.path) {
            let outcome = try run(["import", kind, path, "--db", database])
            try #require(outcome.status == 0, "siting import \(kind): \(outcome.standardError)")
        }
        let holidays = try directory.write("holidays.csv", "date,kind,name\n2026-10-01,holiday,国庆节\n2026-10-10,workday,国庆节\n")
        let imported = try run(["import", "holidays", holidays, "--db", database])
        try #require(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("2 dates stored"))
        return database
    }

    @Test("JSON: nearest first with geod's distances, hours from the stored holiday calendar")
    func json() throws {
        try TemporaryDirectory.with(prefix: "siting-nearby") { directory in
            let database = try database(in: directory)
            let origin = (lon: 116.4, lat: 39.91)
            let outcome = try run(["nearby", "--db", database, "--lng", "116.4", "--lat", "39.91", "--limit", "3",
                                   "--at", "2026-10-01T10:00:00+08:00", "--format", "json"])
            try #require(outcome.status == 0, "\(outcome.standardError)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
            let results = try #require(object["results"] as? [[String: Any]])
            #expect(results.map { $0["id"] as? String } == ["BJ-001", "BJ-002", "SH-001"])
            let reference = try ProjPrograms.geodInverse(results.map { result in
                let position = result["position_wgs84"] as! [Double]
                return (origin.lat, origin.lon, position[1], position[0])
            })
            for (result, geod) in zip(results, reference) {
                let meters = try #require(result["distance_m"] as? Double)
                #expect(abs(meters - geod.distanceMeters) < 0.01, "\(result["id"]!): \(meters) vs geod \(geod.distanceMeters)")
                let azimuth = try #require(result["azimuth_deg"] as? Double)
                #expect(angularDifferenceDegrees(azimuth, geod.azimuth1) < 0.01)
            }
            // BJ-001 keeps "PH off": closed on National Day, opens on Friday 2 October at 09:00.
            #expect(results[0]["open_now"] as? Bool == false)
            #expect(results[0]["next_open"] as? String == "2026-10-02T09:00:00+08:00")
            #expect(results[0]["self_service_hours_today"] as? [String] == ["00:00-24:00"])
            // BJ-002 is open every day 09:00-21:00: holidays give no PH rule, so it is closed too.
            #expect(results[1]["open_now"] as? Bool == false)
        }
    }

    @Test("filters, --open-now, a GCJ-02 caller and GeoJSON output")
    func filtersAndFormats() throws {
        try TemporaryDirectory.with(prefix: "siting-nearby") { directory in
            let database = try database(in: directory)
            let open = try run(["nearby", "--db", database, "--lng", "116.4", "--lat", "39.91", "--open-now",
                                "--at", "2026-10-10T10:00:00+08:00", "--format", "json"])
            try #require(open.status == 0, "\(open.standardError)")
            // Saturday 10 October is a make-up working day: the Beijing branches are open, and so is the
            // 24/7 Shanghai self-service site; New York and Buenos Aires are closed at that instant.
            let ids = try Self.ids(open.standardOutput)
            #expect(ids == ["BJ-001", "BJ-002", "SH-001"])
            let filtered = try run(["nearby", "--db", database, "--lng", "116.4", "--lat", "39.91",
                                    "--service", "smart-counter", "--accessible", "wheelchair", "--format", "json"])
            #expect(try Self.ids(filtered.standardOutput) == ["BJ-001"])
            let kinds = try run(["nearby", "--db", database, "--lng", "-74", "--lat", "40.7", "--kind", "subBranch,secondaryBranch",
                                 "--format", "json"])
            #expect(try Self.ids(kinds.standardOutput) == ["NY-001", "BA-001"])
            let gcj = try run(["nearby", "--db", database, "--lng", "116.40624", "--lat", "39.91140", "--coordsys", "gcj02",
                               "--limit", "1", "--format", "geojson"])
            try #require(gcj.status == 0, "\(gcj.standardError)")
            let collection = try #require(try JSONSerialization.jsonObject(with: Data(gcj.standardOutput.utf8)) as? [String: Any])
            #expect(collection["type"] as? String == "FeatureCollection")
            let feature = try #require((collection["features"] as? [[String: Any]])?.first)
            let geometry = try #require(feature["geometry"] as? [String: Any])
            #expect(geometry["coordinates"] as? [Double] == [116.39128, 39.90628])
            let properties = try #require(feature["properties"] as? [String: Any])
            #expect(properties["coordsys"] as? String == "gcj02")
        }
    }

    @Test("the table names each result and its hours")
    func table() throws {
        try TemporaryDirectory.with(prefix: "siting-nearby") { directory in
            let database = try database(in: directory)
            let outcome = try run(["nearby", "--db", database, "--lng", "121.5", "--lat", "31.24", "--limit", "2",
                                   "--at", "2026-10-12T10:00:00+08:00"])
            try #require(outcome.status == 0, "\(outcome.standardError)")
            let lines = outcome.standardOutput.split(separator: "\n")
            #expect(lines[0].hasPrefix("#  distance_m"))
            #expect(lines[1].contains("SH-001") && lines[1].contains("0.0") && lines[1].contains("00:00-24:00"))
            #expect(lines[2].contains("BJ-001") && lines[2].contains("09:00-17:00"))
        }
    }

    @Test("bad input: a clear message naming the option, and exit status 1", arguments: [
        (["--lng", "200", "--lat", "31"], "longitude"),
        (["--lng", "abc", "--lat", "31"], "--lng"),
        (["--lng", "121", "--lat", "nan"], "--lat"),
        (["--lng", "121", "--lat", "31", "--limit", "0"], "limit 0"),
        (["--lng", "121", "--lat", "31", "--limit", "500"], "1 to 100"),
        (["--lng", "121", "--lat", "31", "--radius-meters", "-5"], "radius"),
        (["--lng", "121", "--lat", "31", "--radius-meters", "60000"], "50000"),
        (["--lng", "121", "--lat", "31", "--kind", "bank"], "kind \"bank\""),
        (["--lng", "121", "--lat", "31", "--service", "atm"], "service \"atm\""),
        (["--lng", "121", "--lat", "31", "--accessible", "ramp"], "accessible \"ramp\""),
        (["--lng", "121", "--lat", "31", "--at", "tomorrow"], "ISO 8601"),
        (["--lng", "121", "--lat", "31", "--coordsys", "EPSG:3857"], "coordsys"),
    ])
    func badInput(arguments: [String], mention: String) throws {
        try TemporaryDirectory.with(prefix: "siting-nearby") { directory in
            let database = try database(in: directory)
            let outcome = try run(["nearby", "--db", database] + arguments)
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains(mention), "\(outcome.standardError)")
        }
    }

    @Test("a malformed holiday file is refused with its line, and the stored calendar stays")
    func badHolidays() throws {
        try TemporaryDirectory.with(prefix: "siting-nearby") { directory in
            let database = try database(in: directory)
            let bad = try directory.write("bad.csv", "date,kind,name\n2026-10-01,holiday,国庆节\n2026-13-01,holiday,oops\n")
            let outcome = try run(["import", "holidays", bad, "--db", database])
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("line 3"), "\(outcome.standardError)")
            let still = try run(["nearby", "--db", database, "--lng", "116.4", "--lat", "39.91", "--limit", "1",
                                 "--at", "2026-10-10T10:00:00+08:00", "--format", "json"])
            #expect(still.standardOutput.contains("\"open_now\" : true"), "the make-up day is still stored")
        }
    }

    static func ids(_ json: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return (object["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }
}
