import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SitingTestSupport
import Testing

/// `siting rank`, run as the real executable over the demo database `siting init` builds from the
/// shipped Geodata folder (built once for the suite; tests that store a run work on a copy).
/// Figures are checked against identities that must hold whatever the model computes, against the
/// `sqlite3` shell and `siting export`, and against the files and maps the command writes.
@Suite(.demoDatabase) struct RankCommandTests {
    static let siting = ExternalTool.sitingExecutable

    /// Shanghai's extent, generously: every pick of `--region 310000` must lie inside.
    static let shanghaiBox = (west: 120.8, south: 30.6, east: 122.1, north: 31.9)

    // MARK: Helpers

    var database: String {
        get throws { try #require(DemoDatabase.path, "the suite's demo database was not built") }
    }

    /// Runs `siting rank --db database arguments…`; a crash (a signal) fails the test at once.
    static func rank(_ database: String, _ arguments: [String]) throws -> ExternalTool.Outcome {
        let outcome = try ExternalTool.run(siting, ["rank", "--db", database] + arguments)
        try #require(outcome.status < 128, "siting rank \(arguments.joined(separator: " ")) crashed (status \(outcome.status))")
        return outcome
    }

    /// A private copy of the demo database, for a test that stores runs.
    static func copy(_ database: String, into directory: TemporaryDirectory, name: String = "copy.gpkg") throws -> String {
        let target = directory.path(name)
        try FileManager.default.copyItem(atPath: database, toPath: target)
        return target
    }

    /// `select count(*) from table` through the sqlite3 shell.
    static func count(_ database: String, _ table: String, where condition: String = "") throws -> Int {
        let text = try SQLiteShell.scalar(database, "SELECT count(*) FROM \(table)\(condition.isEmpty ? "" : " WHERE " + condition);")
        return try #require(Int(text), "sqlite3 answered \(text)")
    }

    static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "not a JSON object: \(json.prefix(300))")
    }

    static func number(_ value: Any?) -> Double? {
        (value as? NSNumber)?.doubleValue
    }

    /// The JSON report's picks, each with its figures read as numbers.
    struct Pick {
        var pick: Int
        var id: String
        var lng, lat: Double
        var adcode: String?
        var gross, cannibalization, won, newToMarket, net: Double

        init(_ object: [String: Any]) throws {
            func figure(_ key: String) throws -> Double {
                try #require(RankCommandTests.number(object[key]), "pick lacks \(key): \(object)")
            }
            pick = Int(try figure("pick"))
            id = try #require(object["id"] as? String)
            lng = try figure("lng")
            lat = try figure("lat")
            adcode = object["adcode"] as? String
            gross = try figure("gross_capture")
            cannibalization = try figure("cannibalization")
            won = try figure("won_from_competitors")
            newToMarket = try figure("new_to_market")
            net = try figure("net_gain")
        }
    }

    static func picks(_ report: [String: Any]) throws -> [Pick] {
        try (try #require(report["picks"] as? [[String: Any]], "no picks")).map(Pick.init)
    }

    /// |a − b| within `relative` of the larger magnitude (and an absolute floor for values near 0).
    static func close(_ a: Double, _ b: Double, relative: Double = 1e-6, absolute: Double = 1e-6) -> Bool {
        abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
    }

    // MARK: 1. Table

    @Test("table: five numbered picks, the bound's summary and the stored run's id")
    func table() throws {
        try TemporaryDirectory.with(prefix: "siting-rank") { directory in
            let database = try Self.copy(try database, into: directory)
            let outcome = try Self.rank(database, ["--region", "310000", "--sites", "5"])
            try #require(outcome.status == 0, "\(outcome.standardError)")
            let lines = outcome.standardOutput.components(separatedBy: "\n")
            let header = try #require(lines.firstIndex { $0.hasPrefix("#") && $0.contains("net gain") }, "no pick table in\n\(outcome.standardOutput)")
            let rows = lines[(header + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            #expect(rows.count == 5, "\(rows)")
            #expect(rows.map { $0.split(separator: " ").first.map(String.init) } == ["1", "2", "3", "4", "5"])
            for row in rows {
                let fields = row.split(separator: " ")
                try #require(fields.count >= 4, "\(row)")
                let lng = try #require(Double(fields[2]), "\(row)"), lat = try #require(Double(fields[3]), "\(row)")
                #expect((Self.shanghaiBox.west...Self.shanghaiBox.east).contains(lng) && (Self.shanghaiBox.south...Self.shanghaiBox.north).contains(lat), "\(row)")
            }
            let summary = try #require(outcome.standardOutput.firstMatch(of: /within ([0-9]+(?:\.[0-9]+)?)% of optimal/), "no bound summary")
            let percent = try #require(Double(String(summary.1)))
            #expect(percent >= 0 && percent <= 100, "within \(percent)%")
            let stored = try #require(outcome.standardOutput.firstMatch(of: /Stored as run (310000-[0-9]+)\b/), "no stored run id")
            let runID = String(stored.1)
            #expect(try SQLiteShell.scalar(database, "SELECT run_id FROM ranking_runs;") == runID)
            #expect(try Self.count(database, "ranking_results", where: "run_id = '\(runID)'") == 5)
        }
    }

    // MARK: 2. JSON

    @Test("json: the figures add up, picks lie in Shanghai in greedy order, --no-store stores nothing")
    func json() async throws {
        let database = try database
        let outcome = try await ReferenceRun.shared.outcome(database)
        try #require(outcome.status == 0, "\(outcome.standardError)")
        // The suite's database starts without runs, and only failing or --no-store runs use it.
        #expect(try Self.count(database, "ranking_runs") == 0, "--no-store stored a run")
        let report = try Self.object(outcome.standardOutput)
        let picks = try Self.picks(report)
        try #require(picks.count == 5)
        #expect(picks.map(\.pick) == [1, 2, 3, 4, 5])
        #expect(Set(picks.map(\.id)).count == 5, "a site picked twice: \(picks.map(\.id))")
        for pick in picks {
            #expect(Self.close(pick.gross - pick.cannibalization, pick.net), "pick \(pick.pick): gross \(pick.gross) − cannibalization \(pick.cannibalization) ≠ net \(pick.net)")
            #expect(Self.close(pick.won + pick.newToMarket, pick.net), "pick \(pick.pick): won \(pick.won) + new \(pick.newToMarket) ≠ net \(pick.net)")
            #expect(pick.cannibalization >= 0 && pick.won >= 0 && pick.newToMarket >= 0 && pick.net > 0, "pick \(pick.pick): \(pick)")
            #expect((Self.shanghaiBox.west...Self.shanghaiBox.east).contains(pick.lng), "pick \(pick.pick) at longitude \(pick.lng)")
            #expect((Self.shanghaiBox.south...Self.shanghaiBox.north).contains(pick.lat), "pick \(pick.pick) at latitude \(pick.lat)")
            #expect(pick.adcode?.hasPrefix("31") == true, "pick \(pick.pick) in region \(pick.adcode ?? "nil")")
        }
        let before = try #require(Self.number(report["objective_before"]))
        let after = try #require(Self.number(report["objective"]))
        let bound = try #require(Self.number(report["upper_bound"]))
        let totalDemand = try #require(Self.number(report["total_demand"]))
        let sum = picks.map(\.net).reduce(0, +)
        #expect(Self.close(after - before, sum), "objective − objective_before = \(after - before), Σ net gain = \(sum)")
        #expect(Self.close(try #require(Self.number(report["gain"])), after - before))
        #expect(bound >= after, "upper bound \(bound) < objective \(after)")
        #expect(after <= totalDemand * (1 + 1e-9), "captures \(after) of a demand of \(totalDemand)")
        // "within X% of optimal": X = 100·(1 − gain ÷ (bound − before)), from the report's own figures.
        let percent = try #require(Self.number(report["within_percent_of_optimal"]))
        #expect((0...100).contains(percent))
        #expect(abs(percent - 100 * (1 - (after - before) / (bound - before))) < 1e-6, "within \(percent)%")
        for (earlier, later) in zip(picks, picks.dropFirst()) {
            #expect(later.net <= earlier.net * (1 + 1e-9), "pick \(later.pick) gains \(later.net), more than pick \(earlier.pick)'s \(earlier.net)")
        }
        #expect(report["area"] as? String == "310000")
        #expect(Self.number(report["sites"]) == 5)
    }

    // MARK: 3. CSV and GeoJSON

    @Test("csv has its header and five rows; geojson has five points at the json picks' positions")
    func csvAndGeoJSON() async throws {
        let database = try database
        let arguments = ["--region", "310000", "--sites", "5", "--no-store", "--format"]
        let json = try await ReferenceRun.shared.outcome(database)
        let csv = try Self.rank(database, arguments + ["csv"])
        let geojson = try Self.rank(database, arguments + ["geojson"])
        for outcome in [json, csv, geojson] { try #require(outcome.status == 0, "\(outcome.standardError)") }
        let picks = try Self.picks(try Self.object(json.standardOutput))

        let rows = CSVText.rows(csv.standardOutput)
        try #require(rows.count == 6, "\(csv.standardOutput)")
        #expect(rows[0] == ["pick", "id", "lng", "lat", "adcode", "region", "cell_population", "cell_demand", "gross_capture",
                            "cannibalization", "won_from_competitors", "new_to_market", "net_gain", "newly_covered_population", "fixed"])
        for (row, pick) in zip(rows.dropFirst(), picks) {
            try #require(row.count == rows[0].count, "\(row)")
            #expect(row[0] == String(pick.pick) && row[1] == pick.id && row[4] == pick.adcode)
            let lng = try #require(Double(row[2])), lat = try #require(Double(row[3])), net = try #require(Double(row[12]))
            #expect(abs(lng - pick.lng) < 1e-7 && abs(lat - pick.lat) < 1e-7, "\(row)")
            #expect(abs(net - pick.net) < 1e-3, "\(row)")
            #expect(row[14] == "0")
        }

        let collection = try Self.object(geojson.standardOutput)
        #expect(collection["type"] as? String == "FeatureCollection")
        let features = try #require(collection["features"] as? [[String: Any]])
        try #require(features.count == 5)
        for (feature, pick) in zip(features, picks) {
            #expect(feature["type"] as? String == "Feature")
            let geometry = try #require(feature["geometry"] as? [String: Any])
            #expect(geometry["type"] as? String == "Point")
            let coordinates = try #require(geometry["coordinates"] as? [Any]).compactMap(Self.number)
            #expect(coordinates == [pick.lng, pick.lat], "feature of pick \(pick.pick)")
            #expect((feature["properties"] as? [String: Any])?["id"] as? String == pick.id)
        }
    }

    // MARK: 4. Storage

    @Test("a stored run: its rows in sqlite3, its export in the json's order; --run-id, and a repeated one refused")
    func storage() throws {
        try TemporaryDirectory.with(prefix: "siting-rank") { directory in
            let database = try Self.copy(try database, into: directory)
            let outcome = try Self.rank(database, ["--region", "310000", "--sites", "5", "--format", "json"])
            try #require(outcome.status == 0, "\(outcome.standardError)")
            let picks = try Self.picks(try Self.object(outcome.standardOutput))
            // The json says nothing of the stored run: the database holds only this one.
            let runIDs = try SQLiteShell.rows(database, "SELECT run_id FROM ranking_runs;").map { $0[0] }
            try #require(runIDs.count == 1, "\(runIDs)")
            let runID = runIDs[0]
            #expect(runID.wholeMatch(of: /310000-[0-9]+/) != nil, "run id \(runID)")
            #expect(try Self.count(database, "ranking_results", where: "run_id = '\(runID)'") == picks.count)
            #expect(try SQLiteShell.scalar(database, "SELECT sites FROM ranking_runs WHERE run_id = '\(runID)';") == "5")

            let file = directory.path("export.csv")
            let exported = try ExternalTool.run(Self.siting, ["export", "rankings", "--run", runID, "-o", file, "--db", database])
            try #require(exported.status == 0, "\(exported.standardError)")
            let rows = CSVText.rows(try String(contentsOfFile: file, encoding: .utf8))
            let columns = try #require(rows.first)
            let id = try #require(columns.firstIndex(of: "candidate_id")), run = try #require(columns.firstIndex(of: "run_id"))
            let lon = try #require(columns.firstIndex(of: "lon")), lat = try #require(columns.firstIndex(of: "lat"))
            #expect(rows.dropFirst().map { $0[id] } == picks.map(\.id))
            #expect(rows.dropFirst().allSatisfy { $0[run] == runID })
            for (row, pick) in zip(rows.dropFirst(), picks) {
                #expect(abs((Double(row[lon]) ?? .nan) - pick.lng) < 1e-7 && abs((Double(row[lat]) ?? .nan) - pick.lat) < 1e-7, "\(row)")
            }

            let named = try Self.rank(database, ["--region", "310000", "--sites", "5", "--format", "csv", "--run-id", "my-plan"])
            try #require(named.status == 0, "\(named.standardError)")
            #expect(try Self.count(database, "ranking_results", where: "run_id = 'my-plan'") == 5)
            let counts = try ["ranking_runs", "ranking_results", "ranking_outlet_losses"].map { try Self.count(database, $0) }
            #expect(counts[0] == 2)
            let again = try Self.rank(database, ["--region", "310000", "--sites", "3", "--format", "csv", "--run-id", "my-plan"])
            #expect(again.status != 0, "a second run stored under the same id")
            #expect(again.standardError.contains("\"my-plan\" already exists"), "\(again.standardError)")
            #expect(try ["ranking_runs", "ranking_results", "ranking_outlet_losses"].map { try Self.count(database, $0) } == counts,
                    "the refused run left rows behind")
            #expect(try Self.count(database, "ranking_results", where: "run_id = 'my-plan'") == 5)
        }
    }

    // MARK: 5. Files and the map

    @Test("--output writes csv, geojson and gpkg; --map draws a well-formed SVG numbering the picks")
    func outputsAndMap() throws {
        try TemporaryDirectory.with(prefix: "siting-rank") { directory in
            let shared = try database
            let csvFile = directory.path("plan.csv"), svgFile = directory.path("plan.svg")
            let csv = try Self.rank(shared, ["--region", "310000", "--sites", "5", "--no-store", "--format", "csv",
                                             "--output", csvFile, "--map", svgFile])
            try #require(csv.status == 0, "\(csv.standardError)")
            #expect(try String(contentsOfFile: csvFile, encoding: .utf8) == csv.standardOutput)
            #expect(CSVText.rows(csv.standardOutput).count == 6)

            let geojsonFile = directory.path("plan.geojson")
            let geojson = try Self.rank(shared, ["--region", "310000", "--sites", "5", "--no-store", "--format", "geojson",
                                                 "--output", geojsonFile])
            try #require(geojson.status == 0, "\(geojson.standardError)")
            let written = try String(contentsOfFile: geojsonFile, encoding: .utf8)
            #expect(written == geojson.standardOutput)
            let features = try #require(try Self.object(written)["features"] as? [[String: Any]])
            #expect(features.count == 5)

            let database = try Self.copy(shared, into: directory)
            let gpkgFile = directory.path("plan.gpkg")
            let gpkg = try Self.rank(database, ["--region", "310000", "--sites", "5", "--format", "json", "--output", gpkgFile])
            try #require(gpkg.status == 0, "\(gpkg.standardError)")
            let picks = try Self.picks(try Self.object(gpkg.standardOutput))
            #expect(try Self.count(gpkgFile, "ranking_results") == 5)
            #expect(try Self.count(gpkgFile, "ranking_runs") == 1)
            let stored = try SQLiteShell.rows(gpkgFile, "SELECT candidate_id, hex(geom) FROM ranking_results ORDER BY pick;")
            #expect(stored.map { $0[0] } == picks.map(\.id))
            for (row, pick) in zip(stored, picks) {
                let point = try #require(GeoPackagePointHex.decode(row[1]), "geometry of \(row[0]) is not a GeoPackage point")
                #expect(abs(point.x - pick.lng) < 1e-9 && abs(point.y - pick.lat) < 1e-9 && point.srsID == 4326, "\(row[0]): \(point)")
            }

            let svg = try directory.bytes(svgFile)
            let reader = PickLabels()
            let parser = XMLParser(data: svg)
            parser.delegate = reader
            #expect(parser.parse(), "the map is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")")
            #expect(reader.root == "svg")
            #expect(reader.labels == ["1", "2", "3", "4", "5"], "pick labels \(reader.labels)")
        }
    }

    /// Collects the text of `<text>` elements inside the `<g id="picks">` layer.
    final class PickLabels: NSObject, XMLParserDelegate {
        var root: String?
        var labels: [String] = []
        private var depthInPicks = 0
        private var text: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if root == nil { root = name }
            if depthInPicks > 0 { depthInPicks += 1 } else if name == "g", attributes["id"] == "picks" { depthInPicks = 1 }
            if depthInPicks > 0, name == "text" { text = "" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text? += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if let finished = text, name == "text" {
                labels.append(finished.trimmingCharacters(in: .whitespacesAndNewlines))
                text = nil
            }
            if depthInPicks > 0 { depthInPicks -= 1 }
        }
    }

    // MARK: 6. Determinism

    @Test("two runs give the same picks and figures")
    func determinism() async throws {
        let database = try database
        let first = try await ReferenceRun.shared.outcome(database)
        let second = try Self.rank(database, ReferenceRun.arguments)
        try #require(first.status == 0 && second.status == 0, "\(first.standardError)\(second.standardError)")
        func canonical(_ text: String) throws -> Data {
            var report = try Self.object(text)
            #expect(report.removeValue(forKey: "stage_seconds") != nil)
            return try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        }
        let a = try canonical(first.standardOutput), b = try canonical(second.standardOutput)
        #expect(a == b, "\(SQLiteShell.firstDifference(first.standardOutput, second.standardOutput) ?? "")")
    }

    // MARK: 7. Bad input

    @Test("bad input: non-zero exit, a message naming the problem, nothing printed or stored", arguments: [
        (["--region", "999999", "--sites", "5"], "unknown region 999999"),
        (["--region", "310000", "--sites", "0"], "--sites 0: give 1 or more"),
        (["--region", "310000", "--sites", "100000000"], "cannot pick 100000000 sites: give 1 to"),
        (["--region", "310000", "--sites", "5", "--cell-size-meters", "50"], "cell size 50.0 m is out of range"),
        (["--region", "310000", "--sites", "5", "--cell-size-meters", "60000"], "cell size 60000.0 m is out of range"),
        (["--region", "310000", "--sites", "5", "--weights", "gdp_per_capita=abc"], "\"abc\", is not a number"),
        (["--region", "310000", "--sites", "5", "--weights", "gdp_per_capita=-1"], "weights must be 0 or more"),
        (["--region", "310000", "--sites", "5", "--weights", "nosuch=1"], "unknown factor \"nosuch\""),
        (["--bbox", "122,31,121,30", "--sites", "5"], "west 122.0 is not less than east 121.0"),
        (["--bbox", "1,2,3", "--sites", "5"], "(4 numbers), got \"1,2,3\""),
        (["--bbox", "a,b,c,d", "--sites", "5"], "west \"a\" is not a number"),
        (["--region", "310000", "--bbox", "121,31,122,32", "--sites", "5"], "give exactly one of --region"),
        (["--sites", "5"], "give exactly one of --region"),
        (["--region", "310000", "--sites", "5", "--decay", "step", "--cutoff-meters", "0"], "invalid cutoff-meters"),
        (["--bbox", "150,20,151,21", "--sites", "1"], "has no demand"),
        (["--region", "310000", "--sites", "5", "--region-cap", "310000=x"], "--region-cap 310000=x"),
        (["--region", "310000", "--sites", "5", "--fixed", "NOSUCH"], "no candidate has the id NOSUCH"),
        (["--region", "310000", "--sites", "5", "--output", "plan.txt"], "--output plan.txt: use a file ending in .csv"),
        (["--region", "310000", "--sites", "5", "--map", "plan.png"], "--map plan.png: use a file ending in .svg"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let database = try database
        let runsBefore = try Self.count(database, "ranking_runs")
        let outcome = try Self.rank(database, arguments)
        #expect(outcome.status != 0, "siting rank \(arguments.joined(separator: " ")) succeeded")
        #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty, "\(outcome.standardOutput.prefix(300))")
        #expect(try Self.count(database, "ranking_runs") == runsBefore)
    }

    @Test("a population raster with a bad header is refused with its line")
    func badRaster() throws {
        try TemporaryDirectory.with(prefix: "siting-rank") { directory in
            let database = try database
            let runsBefore = try Self.count(database, "ranking_runs")
            let raster = try directory.write("population.asc", """
                ncols 4
                nrows 3
                xllcorner 121 122
                yllcorner 31
                cellsize 0.25
                1 2 3 4
                1 2 3 4
                1 2 3 4

                """)
            let outcome = try Self.rank(database, ["--region", "310000", "--sites", "5", "--population-raster", raster])
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("population raster, line 3"), "\(outcome.standardError)")
            #expect(outcome.standardError.contains("xllcorner 121 122"), "\(outcome.standardError)")
            #expect(try Self.count(database, "ranking_runs") == runsBefore)
        }
    }

    @Test("a GeoPackage output needs a stored run: --no-store with --output FILE.gpkg fails and writes no file")
    func geoPackageNeedsStoredRun() throws {
        try TemporaryDirectory.with(prefix: "siting-rank") { directory in
            let file = directory.path("plan.gpkg")
            let outcome = try Self.rank(try database, ["--region", "310000", "--sites", "2", "--no-store", "--format", "csv", "--output", file])
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("drop --no-store"), "\(outcome.standardError)")
            #expect(!FileManager.default.fileExists(atPath: file))
        }
    }

    @Test("a run whose --output cannot be written fails without storing the run")
    func unwritableOutputStoresNothing() throws {
        try TemporaryDirectory.with(prefix: "siting-rank") { directory in
            let database = try Self.copy(try database, into: directory)
            let target = directory.path("no-such-folder/plan.csv")
            let outcome = try Self.rank(database, ["--region", "310000", "--sites", "2", "--format", "csv", "--output", target])
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains(target), "\(outcome.standardError)")
            let runs = try Self.count(database, "ranking_runs")
            // Files are written before the run is stored: a failed write stores nothing.
            #expect(runs == 0, "the failed command stored a run")
        }
    }

    // MARK: 8. Step decay

    @Test("step decay with u0 = 0 (maximal covering): the figures add up and the objective does not fall")
    func stepDecay() throws {
        let database = try database
        let base = ["--region", "310000", "--decay", "step", "--cutoff-meters", "2000", "--outside-utility", "0", "--sites", "3",
                    "--format", "json", "--no-store"]
        // As given, with competitors; then with them switched off, the pure covering problem.
        let withCompetitors = try Self.rank(database, base)
        let covering = try Self.rank(database, base + ["--attractiveness", "branch=0,competitor.selfService=0"])
        for outcome in [withCompetitors, covering] {
            try #require(outcome.status == 0, "\(outcome.standardError)")
            let report = try Self.object(outcome.standardOutput)
            let parameters = try #require(report["parameters"] as? [String: Any])
            #expect(parameters["decay"] as? String == "step")
            #expect(Self.number(parameters["outside_utility"]) == 0)
            #expect(Self.number(parameters["cutoff_meters"]) == 2000)
            let picks = try Self.picks(report)
            try #require(picks.count == 3)
            for pick in picks {
                #expect(Self.close(pick.won + pick.newToMarket, pick.net), "pick \(pick.pick): \(pick)")
                #expect(Self.close(pick.gross - pick.cannibalization, pick.net), "pick \(pick.pick): \(pick)")
                #expect(pick.net > 0 && pick.cannibalization >= 0, "pick \(pick.pick): \(pick)")
            }
            let before = try #require(Self.number(report["objective_before"]))
            let after = try #require(Self.number(report["objective"]))
            #expect(after >= before)
            #expect(Self.close(after - before, picks.map(\.net).reduce(0, +)))
            let totalDemand = try #require(Self.number(report["total_demand"]))
            let bound = try #require(Self.number(report["upper_bound"]))
            #expect(after <= totalDemand * (1 + 1e-9))
            #expect(bound >= after)
        }
        // Without competitors nothing can be won from them: the net gain is demand newly reached.
        for pick in try Self.picks(try Self.object(covering.standardOutput)) {
            #expect(pick.won == 0, "pick \(pick.pick) won \(pick.won) from switched-off competitors")
            #expect(Self.close(pick.newToMarket, pick.net), "pick \(pick.pick): \(pick)")
        }
    }
}

// MARK: - The suite's demo database

/// `siting rank --region 310000 --sites 5 --format json --no-store` on the demo database, run once
/// and shared by the tests that only read its output.
actor ReferenceRun {
    static let shared = ReferenceRun()
    static let arguments = ["--region", "310000", "--sites", "5", "--format", "json", "--no-store"]
    private var runs: [String: Task<ExternalTool.Outcome, any Error>] = [:]

    func outcome(_ database: String) async throws -> ExternalTool.Outcome {
        if let run = runs[database] { return try await run.value }
        let run = Task { try RankCommandTests.rank(database, Self.arguments) }
        runs[database] = run
        return try await run.value
    }
}

/// The demo database, built with `siting init` from the package's Geodata folder once for the suite
/// and removed after it.
enum DemoDatabase {
    @TaskLocal static var path: String?
}

struct DemoDatabaseTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        if DemoDatabase.path != nil { return try await function() }
        try await TemporaryDirectory.with(prefix: "siting-rank-demo") { directory in
            let database = directory.path("demo.gpkg")
            let geodata = PackageLayout.root() + "/Geodata"
            let outcome = try ExternalTool.run(ExternalTool.sitingExecutable, ["init", "--db", database, "--geodata", geodata])
            try #require(outcome.status == 0, "siting init: \(outcome.standardError)")
            try #require(try RankCommandTests.count(database, "ranking_runs") == 0, "siting init stored ranking runs")
            try await DemoDatabase.$path.withValue(database) { try await function() }
        }
    }
}

extension Trait where Self == DemoDatabaseTrait {
    /// Builds the demo database once for the suite (see `DemoDatabase`).
    static var demoDatabase: Self { DemoDatabaseTrait() }
}
