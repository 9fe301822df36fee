import Foundation
import SitingTestSupport
import Testing

/// `GET /v1/outlets/nearby` of the real server over the demo data plus outlets placed by the suite:
/// the nearest outlets and their distances checked against PROJ's `geod` over the shipped CSV,
/// filters against the CSV's own columns, hours against hand-worked instants, and the coordinate
/// systems against DESIGN §5's vectors.
@Suite(.demoServer(prepare: { database, directory in
    try CoordinateVectors.importAll(into: database, directory: directory)
    try TestOutlet.importOutlets(HoursOutlets.all + [BlinkingOutlet.outlet], into: database, directory: directory)
}))
struct NearbyRouteTests {
    var client: HTTPTestClient { get throws { try SuiteServer.required.client } }

    func nearby(_ pairs: [(String, String)]) throws -> HTTPTestClient.Response {
        try client.request("GET", "/v1/outlets/nearby?" + query(pairs))
    }

    /// Every outlet the suite's database holds: the shipped file and the suite's own (the one imported
    /// as GCJ-02 where the server stored it).
    func allOutlets() throws -> [(id: String, lon: Double, lat: Double)] {
        let imported = try client.request("GET", "/v1/outlets/\(CoordinateVectors.gcjImported.id)")
        let position = try #require(try imported.json()["position_wgs84"] as? [Double])
        return ShippedOutlet.all.map { ($0.id, $0.lon, $0.lat) }
            + (CoordinateVectors.outlets + HoursOutlets.all + [BlinkingOutlet.outlet]).map { ($0.id, $0.lon, $0.lat) }
            + [(CoordinateVectors.gcjImported.id, position[0], position[1])]
    }

    /// Checks that `results` are the `expected` ranking's first entries: distances equal to geod's
    /// to 1 cm, sorted by the distance reported, and the same outlets (an outlet may trade places
    /// only with one within 1 cm of it).
    func expectMatchesGeod(_ results: [[String: Any]], expected: [(id: String, meters: Double, azimuth: Double)], count: Int,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(results.count == count, sourceLocation: sourceLocation)
        let geod = Dictionary(uniqueKeysWithValues: expected.map { ($0.id, $0.meters) })
        let azimuths = Dictionary(uniqueKeysWithValues: expected.map { ($0.id, $0.azimuth) })
        var previous = -1.0
        for result in results {
            let id = try #require(result["id"] as? String)
            let meters = try #require(number(result["distance_m"]))
            let reference = try #require(geod[id], "\(id) is not an outlet of the database")
            #expect(abs(meters - reference) < 0.01, "\(id): distance_m \(meters), geod \(reference)", sourceLocation: sourceLocation)
            #expect(meters >= previous, "results sorted by distance_m: \(meters) after \(previous)", sourceLocation: sourceLocation)
            // The azimuth from the caller, to the hundredth of a degree (beyond a metre, where it is defined well).
            if meters > 1, let azimuth = number(result["azimuth_deg"]), let reference = azimuths[id] {
                #expect(angularDifferenceDegrees(azimuth, reference) < 0.006, "\(id): azimuth \(azimuth), geod \(reference)",
                        sourceLocation: sourceLocation)
            }
            previous = meters
        }
        for (index, result) in results.enumerated() {
            let id = result["id"] as? String ?? ""
            if id != expected[index].id {
                #expect(abs(geod[id]! - expected[index].meters) < 0.01,
                        "place \(index + 1): \(id) where geod ranks \(expected[index].id)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: Distances and order

    @Test("the nearest outlets, sorted, with geod's distances, at places across China", arguments: [
        (31.2304, 121.4737, 50), (39.9042, 116.4074, 20), (30.2741, 120.1551, 100), (22.5431, 114.0579, 7),
        (43.8256, 87.6168, 20),
    ])
    func nearestWithGeodDistances(lat: Double, lng: Double, limit: Int) throws {
        let response = try nearby([("lat", "\(lat)"), ("lng", "\(lng)"), ("limit", "\(limit)")])
        try #require(response.status == 200, "\(response.text.prefix(300))")
        #expect(response.headers["content-type"] == "application/json")
        let object = try response.json()
        let results = try response.results()
        #expect(object["count"] as? Int == results.count)
        #expect(object["coordsys"] as? String == "wgs84")
        let expected = try geodRanking(from: (lat, lng), among: try allOutlets())
        try expectMatchesGeod(results, expected: expected, count: limit)
        for result in results {
            #expect(result["coordsys"] as? String == "wgs84")
            #expect(result["position"] as? [Double] == result["position_wgs84"] as? [Double])
        }
        // An answer about now is cached no longer than until the first opening or closing in it.
        let age = try #require(maxAge(response.headers["cache-control"]), "\(response.headers)")
        let answeredAt = try #require(instant(object["at"] as? String))
        let changes = results.flatMap { [$0["next_open"], $0["next_close"]] }.compactMap { instant($0 as? String) }
        if let first = changes.min() {
            #expect(Double(age) <= first.timeIntervalSince(answeredAt), "max-age \(age) outlives the change at \(first)")
        }
    }

    @Test("limit defaults to 20 and caps the count; radius is a hard filter in metres")
    func limitAndRadius() throws {
        let origin = (lat: 31.2304, lon: 121.4737)
        let expected = try geodRanking(from: origin, among: try allOutlets())
        let defaulted = try nearby([("lat", "31.2304"), ("lng", "121.4737")])
        try expectMatchesGeod(try defaulted.results(), expected: expected, count: 20)
        let one = try nearby([("lat", "31.2304"), ("lng", "121.4737"), ("limit", "1")])
        try expectMatchesGeod(try one.results(), expected: expected, count: 1)
        let hundred = try nearby([("lat", "31.2304"), ("lng", "121.4737"), ("limit", "100")])
        try expectMatchesGeod(try hundred.results(), expected: expected, count: 100)
        for radius in [1500.0, 4000.0] {
            let inside = expected.filter { $0.meters <= radius }
            try #require(inside.count < 100 && inside.count > 2, "the test needs a few outlets within \(radius) m")
            let response = try nearby([("lat", "31.2304"), ("lng", "121.4737"), ("limit", "100"), ("radius", "\(Int(radius))")])
            try #require(response.status == 200)
            try expectMatchesGeod(try response.results(), expected: expected, count: inside.count)
        }
        // Nothing within 10 m of the middle of the Gobi: an empty answer, not an error.
        let empty = try nearby([("lat", "42.5"), ("lng", "103.0"), ("radius", "10")])
        #expect(empty.status == 200)
        #expect(try empty.results().isEmpty)
        #expect(try empty.json()["count"] as? Int == 0)
    }

    // MARK: Filters

    @Test("kind, service and accessible keep exactly the outlets whose CSV columns say so", arguments: [
        [("kind", "primaryBranch")],
        [("kind", "subBranch,community")],
        [("kind", "secondaryBranch"), ("kind", "selfService")],
        [("service", "smartCounter")],
        [("service", "foreign-exchange"), ("service", "wealth_management")],
        [("service", "selfService"), ("accessible", "wheelchair")],
        [("accessible", "visuallyImpaired,hearingImpaired")],
        [("accessible", "elderly"), ("kind", "subBranch"), ("service", "cash")],
    ])
    func filters(_ filters: [(String, String)]) throws {
        let origin = (lat: 31.2304, lon: 121.4737)
        func folded(_ text: String) -> String { text.lowercased().filter { $0 != "-" && $0 != "_" } }
        func values(_ name: String) -> [String] {
            var names: [String] = []
            for (key, value) in filters where key == name {
                names += value.split(separator: ",").map { folded(String($0)) }
            }
            return names
        }
        let kinds = values("kind"), services = values("service"), features = values("accessible")
        let suiteOutlets = (CoordinateVectors.outlets + HoursOutlets.all + [BlinkingOutlet.outlet]).map(\.asShipped)
        let matching = (ShippedOutlet.all + suiteOutlets).filter { outlet in
            let offered: [String: Bool] = ["cash": outlet.cash, "wealthmanagement": outlet.wealth, "foreignexchange": outlet.foreignExchange,
                                           "selfservice": outlet.devices > 0, "smartcounter": outlet.smartCounters > 0]
            let present: [String: Bool] = ["wheelchair": outlet.wheelchair == "yes", "visuallyimpaired": outlet.visual == "yes",
                                           "hearingimpaired": outlet.hearing == "yes", "elderly": outlet.elderly == "yes"]
            return (kinds.isEmpty || kinds.contains(folded(outlet.kind))) && services.allSatisfy { offered[$0]! }
                && features.allSatisfy { present[$0]! }
        }
        let expected = try geodRanking(from: origin, among: matching.map { ($0.id, $0.lon, $0.lat) })
        try #require(expected.count >= 10, "the filter leaves \(expected.count) outlets")
        let response = try nearby([("lat", "31.2304"), ("lng", "121.4737"), ("limit", "10")] + filters)
        try #require(response.status == 200, "\(response.text.prefix(300))")
        try expectMatchesGeod(try response.results(), expected: expected, count: 10)
    }

    // MARK: Hours

    /// Answers near the hours outlets at `at`: id → result.
    func hoursAnswer(at: String, openNow: Bool = false) throws -> (ids: [String], byID: [String: [String: Any]]) {
        var pairs = [("lat", "\(HoursOutlets.spot.lat)"), ("lng", "\(HoursOutlets.spot.lon)"), ("radius", "2000"), ("at", at)]
        if openNow { pairs.append(("open_now", "true")) }
        let response = try nearby(pairs)
        try #require(response.status == 200, "\(response.text.prefix(300))")
        let results = try response.results()
        return (results.compactMap { $0["id"] as? String },
                Dictionary(uniqueKeysWithValues: results.map { ($0["id"] as! String, $0) }))
    }

    @Test("open_now, next_open and next_close at hand-worked instants, in each outlet's own time zone")
    func hoursAtInstants() throws {
        // Wednesday 2 December 2026, 10:00 in Shanghai (no holiday in the demo calendar then).
        let wednesday = try hoursAnswer(at: "2026-12-02T10:00:00+08:00")
        #expect(wednesday.ids == ["H-DAY", "H-NIGHT", "H-247", "H-NY"], "all four, nearest first")
        #expect(wednesday.byID["H-DAY"]?["open_now"] as? Bool == true)
        #expect(wednesday.byID["H-DAY"]?["next_close"] as? String == "2026-12-02T17:00:00+08:00")
        #expect(wednesday.byID["H-DAY"]?["hours_today"] as? [String] == ["09:00-17:00"])
        #expect(wednesday.byID["H-NIGHT"]?["open_now"] as? Bool == false)
        #expect(wednesday.byID["H-NIGHT"]?["next_open"] as? String == "2026-12-02T22:00:00+08:00")
        #expect(wednesday.byID["H-247"]?["open_now"] as? Bool == true)
        #expect(wednesday.byID["H-247"]?["next_close"] == nil || wednesday.byID["H-247"]?["next_close"] is NSNull,
                "24/7 never closes")
        // 10:00 in Shanghai is 21:00 the evening before in New York: closed, opens at 09:00 New York time.
        #expect(wednesday.byID["H-NY"]?["open_now"] as? Bool == false)
        #expect(wednesday.byID["H-NY"]?["next_open"] as? String == "2026-12-02T09:00:00-05:00")
        #expect(wednesday.byID["H-NY"]?["time_zone"] as? String == "America/New_York")
        #expect(try hoursAnswer(at: "2026-12-02T10:00:00+08:00", openNow: true).ids == ["H-DAY", "H-247"])
        let allFour = try nearby([("lat", "\(HoursOutlets.spot.lat)"), ("lng", "\(HoursOutlets.spot.lon)"), ("radius", "2000"),
                                  ("at", "2026-12-02T10:00:00+08:00"), ("open_now", "false")])
        #expect(try allFour.ids() == ["H-DAY", "H-NIGHT", "H-247", "H-NY"], "open_now=false filters nothing")
        let bare = try client.request("GET", "/v1/outlets/nearby?lat=10.5&lng=100.5&radius=2000&at=2026-12-02T02:00:00Z&open_now")
        #expect(try bare.ids() == ["H-DAY", "H-247"], "a bare open_now means true")

        // The same instant written in UTC, with fractional seconds, is the same answer.
        let utc = try hoursAnswer(at: "2026-12-02T02:00:00.000Z")
        #expect(utc.byID["H-DAY"]?["next_close"] as? String == "2026-12-02T17:00:00+08:00")

        // Thursday 01:00: the night hours that began on Wednesday 22:00 are still running.
        let night = try hoursAnswer(at: "2026-12-03T01:00:00+08:00")
        #expect(night.byID["H-NIGHT"]?["open_now"] as? Bool == true)
        #expect(night.byID["H-NIGHT"]?["next_close"] as? String == "2026-12-03T02:00:00+08:00")
        #expect(night.byID["H-DAY"]?["next_open"] as? String == "2026-12-03T09:00:00+08:00")
        // 01:00 in Shanghai is Wednesday noon in New York.
        #expect(try hoursAnswer(at: "2026-12-03T01:00:00+08:00", openNow: true).ids == ["H-NIGHT", "H-247", "H-NY"])

        // Saturday 10:00: the weekday branch opens again on Monday.
        let saturday = try hoursAnswer(at: "2026-12-05T10:00:00+08:00")
        #expect(saturday.byID["H-DAY"]?["open_now"] as? Bool == false)
        #expect(saturday.byID["H-DAY"]?["next_open"] as? String == "2026-12-07T09:00:00+08:00")
        #expect(saturday.byID["H-DAY"]?["hours_today"] as? [String] == [])
        #expect(try hoursAnswer(at: "2026-12-05T10:00:00+08:00", openNow: true).ids == ["H-247"])
        // Monday 2026-12-07 09:00 in New York is 22:00 in Shanghai: the New York branch is open then.
        #expect(try hoursAnswer(at: "2026-12-07T22:30:00+08:00", openNow: true).ids == ["H-NIGHT", "H-247", "H-NY"])
    }

    // MARK: Coordinate systems

    @Test("a GCJ-02 caller at DESIGN §5's vectors is at the outlet placed at the WGS84 side, and sees GCJ-02 positions")
    func gcj02Caller() throws {
        for vector in CoordinateVectors.gcj {
            let response = try nearby([("lat", String(vector.gcj.lat)), ("lng", String(vector.gcj.lon)), ("coordsys", "gcj02"),
                                       ("limit", "3")])
            try #require(response.status == 200, "\(response.text.prefix(300))")
            #expect(try response.json()["coordsys"] as? String == "gcj02")
            let first = try #require(try response.results().first)
            #expect(first["id"] as? String == vector.id)
            #expect(try #require(number(first["distance_m"])) < 0.01, "the GCJ-02 point converts back to the outlet's WGS84 position")
            #expect(first["coordsys"] as? String == "gcj02")
            let position = try #require(first["position"] as? [Double])
            #expect(abs(position[0] - vector.gcj.lon) < 1e-9 && abs(position[1] - vector.gcj.lat) < 1e-9, "\(position)")
            #expect(first["position_wgs84"] as? [Double] == [vector.wgs.lon, vector.wgs.lat])
            // Every other result is the same outlet at the same distance a WGS84 caller at the vector's WGS84 side sees.
            let wgs = try nearby([("lat", String(vector.wgs.lat)), ("lng", String(vector.wgs.lon)), ("limit", "3")])
            let a = try response.results(), b = try wgs.results()
            #expect(a.map { $0["id"] as? String } == b.map { $0["id"] as? String })
            for (x, y) in zip(a, b) {
                #expect(abs((number(x["distance_m"]) ?? -1) - (number(y["distance_m"]) ?? 1)) < 0.01)
            }
        }
    }

    @Test("a BD-09 caller at DESIGN §5's vector is at the outlet, and sees BD-09 positions")
    func bd09Caller() throws {
        let vector = CoordinateVectors.bd
        let response = try nearby([("lat", String(vector.bd.lat)), ("lng", String(vector.bd.lon)), ("coordsys", "bd09"), ("limit", "1")])
        try #require(response.status == 200, "\(response.text.prefix(300))")
        let first = try #require(try response.results().first)
        #expect(first["id"] as? String == vector.id)
        #expect(try #require(number(first["distance_m"])) < 0.01)
        let position = try #require(first["position"] as? [Double])
        #expect(abs(position[0] - vector.bd.lon) < 1e-9 && abs(position[1] - vector.bd.lat) < 1e-9, "\(position)")
        #expect(first["coordsys"] as? String == "bd09")
        // DESIGN §5's own BD-09 vector: the outlet imported at GCJ-02 (116.404, 39.915).
        let design = CoordinateVectors.gcjImported
        let atVector = try nearby([("lat", String(design.bd.lat)), ("lng", String(design.bd.lon)), ("coordsys", "bd09"), ("limit", "1")])
        let imported = try #require(try atVector.results().first)
        #expect(imported["id"] as? String == design.id)
        #expect(try #require(number(imported["distance_m"])) < 0.01)
        let inBD = try #require(imported["position"] as? [Double])
        #expect(abs(inBD[0] - design.bd.lon) < 1e-9 && abs(inBD[1] - design.bd.lat) < 1e-9, "\(inBD)")
    }

    @Test("a CGCS2000 caller: positions as PROJ's cs2cs converts them; outside China GCJ-02 is WGS84")
    func cgcs2000AndOutsideChina() throws {
        let vector = CoordinateVectors.gcj[0]
        let response = try nearby([("lat", String(vector.wgs.lat)), ("lng", String(vector.wgs.lon)), ("coordsys", "cgcs2000"), ("limit", "1")])
        try #require(response.status == 200, "\(response.text.prefix(300))")
        let first = try #require(try response.results().first)
        let converted = try #require(try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:4490"], decimals: 12,
                                                            rows: [(vector.wgs.lat, vector.wgs.lon)]).first ?? nil)
        let position = try #require(first["position"] as? [Double])
        #expect(abs(position[0] - converted.1) < 1e-9 && abs(position[1] - converted.0) < 1e-9, "\(position) vs cs2cs \(converted)")
        #expect(first["coordsys"] as? String == "cgcs2000")
        // The Gulf of Thailand is outside mainland China: GCJ-02 there is WGS84 itself.
        let outside = try nearby([("lat", "\(HoursOutlets.spot.lat)"), ("lng", "\(HoursOutlets.spot.lon)"), ("coordsys", "gcj02"),
                                  ("limit", "1")])
        let nearest = try #require(try outside.results().first)
        #expect(nearest["id"] as? String == "H-DAY")
        #expect(nearest["position"] as? [Double] == nearest["position_wgs84"] as? [Double])
        // Names are read without regard to case, as the design's `coordsys=wgs84|gcj02|bd09` are written by hand.
        #expect(try nearby([("lat", "31.2"), ("lng", "121.4"), ("coordsys", "GCJ02"), ("limit", "1")]).status == 200)
    }

    // MARK: The CLI

    @Test("the server's answer is siting nearby's on the same database, for the same question")
    func sameAsCLI() throws {
        let database = try SuiteServer.required.database
        let cases: [([(String, String)], [String])] = [
            ([("lat", "31.2304"), ("lng", "121.4737"), ("limit", "15"), ("at", "2026-12-02T10:00:00+08:00")],
             ["--lat", "31.2304", "--lng", "121.4737", "--limit", "15", "--at", "2026-12-02T10:00:00+08:00"]),
            ([("lat", String(CoordinateVectors.bd.gcj.lat)), ("lng", String(CoordinateVectors.bd.gcj.lon)), ("coordsys", "gcj02"),
              ("radius", "3000"), ("kind", "subBranch,community"), ("service", "cash"), ("open_now", "true"),
              ("at", "2026-12-05T10:30:00+08:00"), ("limit", "30")],
             ["--lat", String(CoordinateVectors.bd.gcj.lat), "--lng", String(CoordinateVectors.bd.gcj.lon), "--coordsys", "gcj02",
              "--radius-meters", "3000", "--kind", "subBranch,community", "--service", "cash", "--open-now",
              "--at", "2026-12-05T10:30:00+08:00", "--limit", "30"]),
        ]
        for (pairs, flags) in cases {
            let served = try nearby(pairs)
            try #require(served.status == 200, "\(served.text.prefix(300))")
            let outcome = try Siting.run(["nearby", "--db", database, "--format", "json"] + flags)
            try #require(outcome.status == 0, "\(outcome.standardError)")
            let printed = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
            #expect(try served.json() as NSDictionary == printed as NSDictionary, "\(flags)")
            #expect(try served.results().count > 0)
        }
    }

    // MARK: GeoJSON

    @Test("format=geojson: an RFC 7946 FeatureCollection of WGS84 [lon, lat] points, same outlets in the same order")
    func geoJSON() throws {
        let base = [("lat", String(CoordinateVectors.bd.gcj.lat)), ("lng", String(CoordinateVectors.bd.gcj.lon)), ("coordsys", "gcj02"),
                    ("limit", "5")]
        let json = try nearby(base)
        let geo = try nearby(base + [("format", "geojson")])
        try #require(geo.status == 200, "\(geo.text.prefix(300))")
        #expect(geo.headers["content-type"] == "application/geo+json")
        let collection = try geo.json()
        #expect(collection["type"] as? String == "FeatureCollection")
        let features = try #require(collection["features"] as? [[String: Any]])
        let results = try json.results()
        #expect(features.count == 5)
        for (feature, result) in zip(features, results) {
            #expect(feature["type"] as? String == "Feature")
            #expect(feature["id"] as? String == result["id"] as? String)
            let geometry = try #require(feature["geometry"] as? [String: Any])
            #expect(geometry["type"] as? String == "Point")
            // RFC 7946: WGS84 longitude, latitude, whatever the caller's coordinate system.
            #expect(geometry["coordinates"] as? [Double] == result["position_wgs84"] as? [Double])
            let properties = try #require(feature["properties"] as? [String: Any])
            #expect(properties["distance_m"] as? Double == result["distance_m"] as? Double)
            #expect(properties["coordsys"] as? String == "gcj02")
        }
        #expect(features.first?["id"] as? String == CoordinateVectors.bd.id)
    }

    // MARK: Caching

    @Test("ETag and If-None-Match: 304 with no body for the same answer, 200 for another")
    func entityTags() throws {
        let target = "/v1/outlets/nearby?" + query([("lat", "31.2304"), ("lng", "121.4737"), ("limit", "5"), ("at", "2026-12-02T10:00:00+08:00")])
        let first = try client.request("GET", target)
        try #require(first.status == 200)
        let tag = try #require(first.headers["etag"])
        #expect(dataVersion(fromETag: tag) == (try Siting.dataVersion(try SuiteServer.required.database)), "the tag carries the data version: \(tag)")
        #expect(try client.request("GET", target).headers["etag"] == tag, "the same answer has the same tag")
        let revalidated = try client.request("GET", target, headers: ["If-None-Match": tag])
        #expect(revalidated.status == 304)
        #expect(revalidated.body.isEmpty)
        #expect(revalidated.headers["etag"] == tag)
        #expect(revalidated.headers["cache-control"] == first.headers["cache-control"], "a 304 repeats the caching headers")
        #expect(try client.request("GET", target, headers: ["If-None-Match": "W/" + tag]).status == 304, "weak comparison")
        #expect(try client.request("GET", target, headers: ["If-None-Match": "\"other\", " + tag]).status == 304, "a list of tags")
        let other = try client.request("GET", target, headers: ["If-None-Match": "\"d1-0\""])
        #expect(other.status == 200)
        #expect(other.body == first.body)
        // Another question is another answer, with another tag: the old tag does not revalidate it.
        let elsewhere = "/v1/outlets/nearby?" + query([("lat", "39.9"), ("lng", "116.4"), ("limit", "5"), ("at", "2026-12-02T10:00:00+08:00")])
        let different = try client.request("GET", elsewhere, headers: ["If-None-Match": tag])
        #expect(different.status == 200)
        #expect(different.headers["etag"] != tag)
        // The GeoJSON form of the same answer is another representation: the JSON's tag does not match it.
        let geo = try client.request("GET", target + "&format=geojson", headers: ["If-None-Match": tag])
        #expect(geo.status == 200)
        #expect(geo.headers["etag"] != tag)
    }

    @Test("Cache-Control: an answer about now lives no longer than its first opening or closing; one with at is fixed")
    func cacheLifetime() throws {
        // The blinking outlet opens or closes at every minute boundary.
        var now = Date()
        let secondsIntoMinute = now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
        if secondsIntoMinute > 45 {
            Thread.sleep(forTimeInterval: 61 - secondsIntoMinute)
            now = Date()
        }
        let nextBoundary = (now.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        let response = try nearby([("lat", "10.0"), ("lng", "100.0"), ("limit", "1")])
        try #require(response.status == 200)
        let result = try #require(try response.results().first)
        #expect(result["id"] as? String == "B-BLINK")
        let age = try #require(maxAge(response.headers["cache-control"]), "\(response.headers)")
        let answeredAt = try #require(instant(try response.json()["at"] as? String))
        let changes = [result["next_open"], result["next_close"]].compactMap { instant($0 as? String) }
        let first = try #require(changes.min(), "the blinking outlet always has a next change")
        #expect(Double(age) <= first.timeIntervalSince(answeredAt), "max-age \(age) outlives the change at \(first)")
        #expect(Double(age) <= nextBoundary - now.timeIntervalSince1970 + 1, "max-age \(age) passes the next minute boundary")

        // Outlets that change hours only tomorrow: never longer than the route's cap, and positive.
        let plain = try nearby([("lat", "\(HoursOutlets.spot.lat)"), ("lng", "\(HoursOutlets.spot.lon)"), ("limit", "1"), ("kind", "selfService")])
        let plainAge = try #require(maxAge(plain.headers["cache-control"]))
        #expect(plainAge > 0 && plainAge <= 60)

        // With `at` the answer does not depend on the clock: the same fixed lifetime, even for the blinking outlet.
        let fixed = try nearby([("lat", "10.0"), ("lng", "100.0"), ("limit", "1"), ("at", "2026-12-02T10:00:30+08:00")])
        let again = try nearby([("lat", "10.0"), ("lng", "100.0"), ("limit", "1"), ("at", "2026-12-02T10:00:30+08:00")])
        let fixedAge = try #require(maxAge(fixed.headers["cache-control"]))
        #expect(fixedAge > 60, "an answer for a given instant may be kept longer than one about now")
        #expect(fixed.headers["cache-control"] == again.headers["cache-control"])
        #expect(fixed.headers["cache-control"]?.contains("public") == true)
    }
}
