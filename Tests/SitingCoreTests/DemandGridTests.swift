import Foundation
import SitingCore
import Testing

/// `DemandGrid` against Karney's polygon areas (PROJ `geod.h`) and hand-placed holes and coasts.
@Suite struct DemandGridTests {
    /// A closed ring around a lon/lat box, densified so its edges follow the parallels.
    static func boxRing(west: Double, south: Double, east: Double, north: Double, steps: Int = 50) -> [Coordinate] {
        var ring: [Coordinate] = []
        for i in 0..<steps { ring.append(Coordinate(longitude: west + (east - west) * Double(i) / Double(steps), latitude: south)) }
        for i in 0..<steps { ring.append(Coordinate(longitude: east, latitude: south + (north - south) * Double(i) / Double(steps))) }
        for i in 0..<steps { ring.append(Coordinate(longitude: east - (east - west) * Double(i) / Double(steps), latitude: north)) }
        for i in 0..<steps { ring.append(Coordinate(longitude: west, latitude: north - (north - south) * Double(i) / Double(steps))) }
        ring.append(ring[0])
        return ring
    }

    @Test("cells × cell area equals the region's ellipsoidal area, to the cells along its edge", arguments: [
        (114.0, 30.0, 115.0, 31.0, 1_000.0),   // Wuhan, 1° square, 1 km
        (87.0, 43.5, 88.5, 44.2, 2_000.0),     // Urumqi, a wide box, 2 km
        (108.5, 18.2, 111.0, 20.1, 500.0),     // Hainan's latitude, 500 m
    ])
    func areaMatchesKarney(west: Double, south: Double, east: Double, north: Double, size: Double) throws {
        let ring = Self.boxRing(west: west, south: south, east: east, north: north)
        let region = MultiPolygon(polygons: [Polygon(rings: [ring])])
        let grid = try DemandGrid(region: region, cellSizeMeters: size, converter: CoordinateConverter())
        let area = Geodesic.polygonAreaSquareMeters(Array(ring.dropLast()))
        let gridArea = Double(grid.cells.count) * size * size
        // Centre sampling misses or adds at most about half the cells along the perimeter.
        let perimeterCells = 2 * (sqrt(area) * 4) / size
        #expect(abs(gridArea - area) < max(perimeterCells, 4) * size * size,
                "grid \(gridArea / 1e6) km² vs Karney \(area / 1e6) km²")
        // Finer cells track the edge closer: at a quarter of the size the error must not grow.
        let finer = try DemandGrid(region: region, cellSizeMeters: size / 4, converter: CoordinateConverter())
        let finerArea = Double(finer.cells.count) * size * size / 16
        #expect(abs(finerArea - area) <= abs(gridArea - area) + size * size / 4,
                "\(size / 4) m cells: \(finerArea / 1e6) km²")
    }

    @Test("every cell covers cellSize² of ground: a cell's corners, taken back to WGS84, enclose it (Karney)")
    func equalArea() throws {
        let converter = CoordinateConverter()
        let ring = Self.boxRing(west: 100, south: 20, east: 120, north: 45, steps: 10)
        let grid = try DemandGrid(region: MultiPolygon(polygons: [Polygon(rings: [ring])]), cellSizeMeters: 50_000,
                                  converter: converter)
        for cell in [grid.cells.first!, grid.cells[grid.cells.count / 2], grid.cells.last!] {
            let half = grid.cellSizeMeters / 2
            let corners = [(-half, -half), (half, -half), (half, half), (-half, half)].map { dx, dy in
                Coordinate(x: grid.projectedCenter(of: cell).x + dx, y: grid.projectedCenter(of: cell).y + dy)
            }
            let geographic = try converter.convert(corners, from: grid.projection, to: .wgs84).coordinates
            let area = Geodesic.polygonAreaSquareMeters(geographic)
            // Straight projected edges are not geodesics; for 50 km cells the difference is far below 0.1%.
            #expect(abs(area - 2.5e9) / 2.5e9 < 1e-3, "cell \(cell.row),\(cell.column): \(area / 1e6) km²")
        }
    }

    @Test("holes are left out, islands kept")
    func holesAndIslands() throws {
        let outer = Self.boxRing(west: 120, south: 30, east: 121, north: 31)
        let hole = Array(Self.boxRing(west: 120.25, south: 30.25, east: 120.75, north: 30.75).reversed())
        let island = Self.boxRing(west: 122, south: 30, east: 122.2, north: 30.2)
        let region = MultiPolygon(polygons: [Polygon(rings: [outer, hole]), Polygon(rings: [island])])
        let grid = try DemandGrid(region: region, cellSizeMeters: 1_000, converter: CoordinateConverter())
        let inHole = grid.cells.filter { $0.center.x > 120.26 && $0.center.x < 120.74 && $0.center.y > 30.26 && $0.center.y < 30.74 }
        #expect(inHole.isEmpty)
        #expect(grid.cells.contains { $0.center.x > 122.01 && $0.center.x < 122.19 })
        let expected = Geodesic.polygonAreaSquareMeters(Array(outer.dropLast())) - Geodesic.polygonAreaSquareMeters(Array(hole.dropLast()))
            + Geodesic.polygonAreaSquareMeters(Array(island.dropLast()))
        #expect(abs(Double(grid.cells.count) * 1e6 - expected) / expected < 0.02)
    }

    @Test("with the land mask, cells at sea are left out (Shanghai and the East China Sea)")
    func landOnly() throws {
        let ring = Self.boxRing(west: 121.0, south: 30.7, east: 122.6, north: 31.6)
        let region = MultiPolygon(polygons: [Polygon(rings: [ring])])
        let converter = CoordinateConverter()
        let all = try DemandGrid(region: region, cellSizeMeters: 1_000, converter: converter)
        let land = try DemandGrid(region: region, cellSizeMeters: 1_000, landMask: LandMaskTests.mask, converter: converter)
        #expect(land.cells.count < all.cells.count)
        #expect(land.cells.allSatisfy { LandMaskTests.mask.isLand($0.center) != false })
        // People's Square is land; a point east of Chongming in the sea is not kept.
        func nearest(_ grid: DemandGrid, _ point: Coordinate) -> Double {
            grid.cells.map { Geodesic.distanceMeters(from: $0.center, to: point) }.min()!
        }
        #expect(nearest(land, Coordinate(longitude: 121.4737, latitude: 31.2304)) < 800)
        #expect(nearest(land, Coordinate(longitude: 122.45, latitude: 31.0)) > 5_000)
    }

    @Test("bad input is refused with the accepted range")
    func badInput() throws {
        let region = MultiPolygon(polygons: [Polygon(rings: [Self.boxRing(west: 120, south: 30, east: 121, north: 31)])])
        let converter = CoordinateConverter()
        for size in [0.0, 50.0, 60_000.0, .nan] {
            #expect(throws: DemandError.self) {
                try DemandGrid(region: region, cellSizeMeters: size, converter: converter)
            }
        }
        #expect(throws: DemandError.emptyRegion) {
            try DemandGrid(region: MultiPolygon(polygons: []), cellSizeMeters: 1_000, converter: converter)
        }
        #expect(throws: DemandError.self) {
            // All of Asia at 100 m: far too many cells.
            try DemandGrid(region: MultiPolygon(polygons: [Polygon(rings: [Self.boxRing(west: 70, south: 10, east: 140, north: 55, steps: 5)])]),
                           cellSizeMeters: 100, converter: converter)
        }
    }
}
