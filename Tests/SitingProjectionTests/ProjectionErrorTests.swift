import SitingProjection
import Testing

/// Error messages: each names the bad value and says what to do.
@Suite struct ProjectionErrorTests {
    @Test("range errors name the value and hint at a swapped pair")
    func rangeMessages() {
        let latitude = ProjectionError.latitudeOutOfRange(116.404).description
        #expect(latitude.contains("116.404") && latitude.contains("[-90, 90]") && latitude.contains("lon lat order"))
        let longitude = ProjectionError.longitudeOutOfRange(180.5).description
        #expect(longitude.contains("180.5") && longitude.contains("[-180, 180]") && longitude.contains("lon lat order"))
        #expect(ProjectionError.nonFiniteCoordinate(Coordinate(x: .nan, y: 1)).description.contains("nan"))
    }

    @Test("PROJ's reason is kept word for word")
    func projReasons() {
        let unknown = ProjectionError.unknownCoordinateSystem(name: "wgs85", projReason: "unrecognized format / unknown name")
        #expect(unknown.description.contains("\"wgs85\""))
        #expect(unknown.description.contains("PROJ says: unrecognized format / unknown name"))
        #expect(unknown.description.contains(ProjectionError.acceptedNamesSummary))
        let failed = ProjectionError.transformFailed(Coordinate(x: 30, y: 0), projReason: "Point outside of projection domain")
        #expect(failed.description.contains("(30.0, 0.0)") && failed.description.contains("Point outside of projection domain"))
        let none = ProjectionError.noTransformation(source: "wgs84", target: "IAU_2015:49900", projReason: "celestial body")
        #expect(none.description.contains("wgs84") && none.description.contains("IAU_2015:49900") && none.description.contains("celestial body"))
    }

    @Test("the accepted names list every name Siting recognizes, and each listed name parses")
    func acceptedNames() {
        for name in ["wgs84", "cgcs2000", "gcj02", "bd09", "EPSG:", "PROJ string", "WKT"] {
            #expect(ProjectionError.acceptedNamesSummary.contains(name))
        }
        let named: [String: CoordinateSystem] = ["wgs84": .wgs84, "cgcs2000": .cgcs2000, "gcj02": .gcj02, "bd09": .bd09]
        for (name, system) in named { #expect(CoordinateSystem(parsing: name) == system) }
    }
}
