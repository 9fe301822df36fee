import SitingProjection
import Testing

/// `Coordinate`'s axis order and input checks.
@Suite struct CoordinateTests {
    @Test("x is the longitude and y the latitude")
    func axisOrder() {
        let urumqi = Coordinate(longitude: 87.6, latitude: 43.8)
        #expect(urumqi.x == 87.6 && urumqi.y == 43.8)
        #expect(urumqi.longitude == 87.6 && urumqi.latitude == 43.8)
        #expect(urumqi == Coordinate(x: 87.6, y: 43.8))
        #expect(urumqi.description == "(87.6, 43.8)")
    }

    @Test("the closed ranges [-180, 180] × [-90, 90] are valid geographic positions", arguments: [
        Coordinate(longitude: 180, latitude: 90), Coordinate(longitude: -180, latitude: -90),
        Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 87.6, latitude: 43.8),
    ])
    func validPositions(position: Coordinate) throws {
        #expect(try position.validatedGeographic() == position)
        #expect(try position.validatedFinite() == position)
    }

    @Test("out-of-range and non-finite positions throw the matching error")
    func invalidPositions() throws {
        #expect(throws: ProjectionError.latitudeOutOfRange(90.0001)) { try Coordinate(x: 0, y: 90.0001).validatedGeographic() }
        #expect(throws: ProjectionError.latitudeOutOfRange(-91)) { try Coordinate(x: 0, y: -91).validatedGeographic() }
        #expect(throws: ProjectionError.longitudeOutOfRange(180.5)) { try Coordinate(x: 180.5, y: 0).validatedGeographic() }
        #expect(throws: ProjectionError.longitudeOutOfRange(-180.000_000_1)) {
            try Coordinate(x: -180.000_000_1, y: 0).validatedGeographic()
        }
        // Longitude is checked first: a pair wrong on both axes names the longitude.
        #expect(throws: ProjectionError.longitudeOutOfRange(200)) { try Coordinate(x: 200, y: 100).validatedGeographic() }
        for bad in [Coordinate(x: .nan, y: 0), Coordinate(x: 0, y: .infinity), Coordinate(x: -.infinity, y: .nan)] {
            for check in [{ try bad.validatedGeographic() }, { try bad.validatedFinite() }] as [() throws -> Coordinate] {
                let error = #expect(throws: ProjectionError.self) { try check() }
                guard case .nonFiniteCoordinate = error else {
                    Issue.record("\(bad): expected nonFiniteCoordinate, got \(String(describing: error))")
                    continue
                }
            }
        }
        // Projected coordinates only need to be finite.
        #expect(try Coordinate(x: 9.75e6, y: -5e6).validatedFinite() == Coordinate(x: 9.75e6, y: -5e6))
    }
}
