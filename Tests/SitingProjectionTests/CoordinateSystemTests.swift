import Foundation
import SitingProjection
import SitingTestSupport
import Testing

/// How user-typed names become systems, and what PROJ is handed for them.
@Suite struct CoordinateSystemTests {
    @Test("Siting's names are recognized without regard to case, dashes or surrounding spaces",
          arguments: [
              ("wgs84", CoordinateSystem.wgs84), ("WGS84", .wgs84), ("wgs-84", .wgs84), ("WGS 84", .wgs84),
              ("EPSG:4326", .wgs84), ("epsg:4326", .wgs84), ("  wgs84\n", .wgs84),
              ("cgcs2000", .cgcs2000), ("CGCS-2000", .cgcs2000), ("EPSG:4490", .cgcs2000),
              ("gcj02", .gcj02), ("GCJ-02", .gcj02), ("gcj", .gcj02),
              ("bd09", .bd09), ("BD-09", .bd09), ("bd09ll", .bd09), ("Baidu", .bd09),
          ])
    func namedSystems(text: String, expected: CoordinateSystem) {
        #expect(CoordinateSystem(parsing: text) == expected)
    }

    @Test("anything else is kept, trimmed, as a PROJ definition")
    func otherNames() {
        #expect(CoordinateSystem(parsing: " EPSG:3857 ") == .crs("EPSG:3857"))
        #expect(CoordinateSystem(parsing: "+proj=utm +zone=50 +datum=WGS84") == .crs("+proj=utm +zone=50 +datum=WGS84"))
        // Near-misses are not silently taken for WGS 84: they reach PROJ and fail there.
        #expect(CoordinateSystem(parsing: "wgs85") == .crs("wgs85"))
        #expect(CoordinateSystem(parsing: "EPSG:43260") == .crs("EPSG:43260"))
    }

    @Test("the definitions PROJ receives: EPSG codes for the named systems, none for the offsets")
    func projDefinitions() {
        #expect(CoordinateSystem.wgs84.projDefinition == "EPSG:4326")
        #expect(CoordinateSystem.cgcs2000.projDefinition == "EPSG:4490")
        #expect(CoordinateSystem.gcj02.projDefinition == nil)
        #expect(CoordinateSystem.bd09.projDefinition == nil)
        #expect(CoordinateSystem.crs("EPSG:3857").projDefinition == "EPSG:3857")
        #expect(CoordinateSystem.gcj02.isChineseOffset && CoordinateSystem.bd09.isChineseOffset)
        #expect(!CoordinateSystem.wgs84.isChineseOffset && !CoordinateSystem.crs("EPSG:3857").isChineseOffset)
    }

    @Test("a PROJ string gets +type=crs once, as cs2cs treats it, and then converts like cs2cs")
    func projStringsBecomeCRSs() throws {
        let utm = CoordinateSystem(parsing: "+proj=utm +zone=50 +datum=WGS84")
        #expect(utm.projDefinition == "+proj=utm +zone=50 +datum=WGS84 +type=crs")
        #expect(CoordinateSystem.crs("+proj=merc +type=crs").projDefinition == "+proj=merc +type=crs")
        // "+proj=merc" alone is an operation to PROJ; with +type=crs it is a CRS and converts. cs2cs with
        // +to does the same: its source reads longitude first.
        let converter = CoordinateConverter()
        let beijing = Coordinate(longitude: 116.404, latitude: 39.915)
        for definition in ["+proj=merc", "+proj=utm +zone=50 +datum=WGS84"] {
            let reference = try #require(try ProjPrograms.cs2cs(
                ["+proj=longlat", "+datum=WGS84", "+to"] + definition.split(separator: " ").map(String.init),
                rows: [(beijing.longitude, beijing.latitude)])[0])
            let got = try converter.convert(beijing, from: .wgs84, to: CoordinateSystem(parsing: definition))
            #expect(abs(got.x - reference.0) < 1e-3 && abs(got.y - reference.1) < 1e-3, "\(definition): \(got) vs \(reference)")
        }
    }

    @Test("descriptions are the names users type", arguments: [
        (CoordinateSystem.wgs84, "wgs84"), (.cgcs2000, "cgcs2000"), (.gcj02, "gcj02"), (.bd09, "bd09"),
        (.crs("EPSG:3857"), "EPSG:3857"),
    ])
    func descriptions(system: CoordinateSystem, text: String) {
        #expect(system.description == text)
        #expect(CoordinateSystem(parsing: system.description) == system)
    }
}
