import SitingProjection
import Testing

/// `BoundingBox`: what it accepts, and how it handles the antimeridian.
@Suite struct BoundingBoxTests {
    @Test("invalid boxes throw invalidBoundingBox", arguments: [
        (73.0, 54.0, 135.0, 18.0),  // south above north (edges swapped)
        (73, 30, 135, 30),  // no height
        (116, 18, 116, 54),  // no width
        (Double.nan, 18, 135, 54),
        (73, 18, Double.infinity, 54),
        (-181, 18, 135, 54),
        (73, 18, 180.5, 54),
        (73, -90.5, 135, 54),
        (73, 18, 135, 91),
        (18, 73, 54, 135),  // lat/lon typed in the wrong order: 73 and 135 are not latitudes
    ])
    func invalidBoxes(west: Double, south: Double, east: Double, north: Double) {
        let error = #expect(throws: ProjectionError.self) {
            try BoundingBox(west: west, south: south, east: east, north: north)
        }
        guard case .invalidBoundingBox(let reason) = error else {
            Issue.record("expected invalidBoundingBox, got \(String(describing: error))")
            return
        }
        #expect(!reason.isEmpty)
        #expect(error!.description.hasPrefix("invalid bounding box: "))
    }

    @Test("an ordinary box: width, centre, no antimeridian")
    func ordinaryBox() throws {
        let china = try BoundingBox(west: 73, south: 18, east: 135, north: 54)
        #expect(!china.crossesAntimeridian)
        #expect(china.widthDegrees == 62)
        #expect(china.centralLongitude == 104)
        #expect(china.description == "73.0,18.0,135.0,54.0")
    }

    @Test("a box with west > east crosses the antimeridian", arguments: [
        (170.0, -165.0, 25.0, -177.5), (179.0, -179.0, 2.0, -180.0), (100.0, 90.0, 350.0, -85.0),
    ])
    func antimeridian(west: Double, east: Double, width: Double, centre: Double) throws {
        let box = try BoundingBox(west: west, south: -10, east: east, north: 10)
        #expect(box.crossesAntimeridian)
        #expect(box.widthDegrees == width)
        #expect(box.centralLongitude == centre)
        #expect(box.centralLongitude >= -180 && box.centralLongitude < 180)
    }

    @Test("the whole world, -180 to 180, is 360° wide and centred on Greenwich")
    func wholeWorld() throws {
        let world = try BoundingBox(west: -180, south: -90, east: 180, north: 90)
        #expect(world.widthDegrees == 360 && world.centralLongitude == 0 && !world.crossesAntimeridian)
    }

    @Test("west 180 and east -180 are the same meridian: no width")
    func zeroWidthAtAntimeridian() {
        #expect(throws: ProjectionError.self) { try BoundingBox(west: 180, south: 0, east: -180, north: 10) }
    }
}
