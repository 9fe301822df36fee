import Foundation
import SitingTestSupport
import Testing

/// `siting distance`, run as the real executable, against PROJ's `geod`.
@Suite struct DistanceCommandTests {
    let siting = ExternalTool.sitingExecutable

    /// geod's answer for (lon1, lat1) → (lon2, lat2): initial azimuth, back azimuth, metres.
    static func geod(_ values: [Double]) throws -> (Double, Double, Double) {
        let input = "\(values[1]) \(values[0]) \(values[3]) \(values[2])\n"
        let outcome = try ExternalTool.run("geod", ["-I", "+ellps=WGS84", "-f", "%.10f"], input: input)
        let numbers = outcome.standardOutput.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        return (numbers[0], numbers[1], numbers[2])
    }

    @Test("equals geod to 1 mm and 1e-8 degrees", arguments: [
        [116.39128, 39.90628, 121.485, 31.236],  // Beijing to Shanghai
        [87.6, 43.8, 87.61, 43.81],  // Urumqi, 1.4 km
        [0.0, 0.0, 179.5, 0.3],  // nearly antipodal
        [0.0, 89.9, 180.0, 89.9],  // over the north pole
        [179.9, -16.0, -179.9, -16.1],  // across the antimeridian (Fiji)
    ])
    func matchesGeod(values: [Double]) throws {
        let outcome = try ExternalTool.run(siting, ["distance", "--json"] + values.map { "\($0)" })
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Double])
        let (azimuth1, azimuth2, meters) = try Self.geod(values)
        #expect(abs(object["distance_m"]! - meters) <= 0.001)
        #expect(abs(object["initial_azimuth_deg"]! - azimuth1) < 1e-8)
        // geod prints the back azimuth at the second point (facing home): ours faces onwards, 180° apart.
        var difference = (object["final_azimuth_deg"]! - azimuth2).truncatingRemainder(dividingBy: 360)
        if difference < 0 { difference += 360 }
        #expect(abs(difference - 180) < 1e-8)
    }

    @Test("plain output: metres with 3 decimals and both azimuths")
    func plainOutput() throws {
        let outcome = try ExternalTool.run(siting, ["distance", "0", "0", "1", "0"])
        // One degree of longitude on the equator: 2π·6378137/360 = 111319.491 m, due east both ends.
        #expect(outcome.standardOutput == "111319.491 m  initial azimuth 90.000000000°  final azimuth 90.000000000°\n")
    }

    @Test("positions in GCJ-02 are converted to WGS84 before measuring: equal to geod on the published WGS84 points")
    func gcj02Input() throws {
        // DESIGN §5 vectors, GCJ-02 ↔ WGS84: (116.41024449916938, 39.91640428150164) ↔ (116.404, 39.915) and
        // (121.531541859215, 31.17530398364597) ↔ (121.5272106, 31.1774276). The distance between the GCJ-02
        // points must be geod's distance between the WGS84 ones.
        let outcome = try ExternalTool.run(siting, ["distance", "--from", "gcj02", "--json",
                                                    "116.41024449916938", "39.91640428150164", "121.531541859215", "31.17530398364597"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Double])
        let (_, _, meters) = try Self.geod([116.404, 39.915, 121.5272106, 31.1774276])
        #expect(abs(object["distance_m"]! - meters) <= 0.001)
        // The same numbers read as WGS84 are a few hundred metres off: the conversion happened.
        let raw = try ExternalTool.run(siting, ["distance", "--json",
                                                "116.41024449916938", "39.91640428150164", "121.531541859215", "31.17530398364597"])
        let rawObject = try #require(try JSONSerialization.jsonObject(with: Data(raw.standardOutput.utf8)) as? [String: Double])
        #expect(abs(rawObject["distance_m"]! - meters) > 1)
    }
}
