import Foundation
import SitingCore
@testable import SitingMap
import SitingTestSupport
import Testing

/// The display raster against demand laid out by hand: totals kept, a uniform surface kept uniform.
@Suite struct DemandRasterTests {
    /// Ground metres per degree of longitude and latitude at `latitude`, measured with Karney's geodesic
    /// over a thousandth of a degree (independent of the map's own radii of curvature).
    static func metersPerDegree(atLatitude latitude: Double) -> (east: Double, north: Double) {
        let east = Geodesic.distanceMeters(from: Coordinate(longitude: 0, latitude: latitude),
                                           to: Coordinate(longitude: 0.001, latitude: latitude)) / 0.001
        let north = Geodesic.distanceMeters(from: Coordinate(longitude: 0, latitude: latitude - 0.0005),
                                            to: Coordinate(longitude: 0, latitude: latitude + 0.0005)) / 0.001
        return (east, north)
    }

    /// A projection that draws `groundMeters` across `framePixels` around `center`.
    static func projection(center: Coordinate, groundMeters: Double, framePixels: Double) -> MapProjection {
        MapProjection(center: center, pixelsPerMeter: framePixels / groundMeters,
                      centerPixelX: framePixels / 2, centerPixelY: framePixels / 2)
    }

    @Test("the bins hold exactly the demand of the cells, for cells finer and coarser than a bin",
          arguments: [30.0, 200.0, 2000.0])
    func totalIsKept(cellSizeMeters: Double) {
        var random = SeededRandom(seed: UInt64(cellSizeMeters))
        let center = Coordinate(longitude: 121.47, latitude: 31.23)
        let cells = (0..<200_000).map { _ in
            PlanMap.DemandCell(center: Coordinate(longitude: random.uniform(121.2...121.7), latitude: random.uniform(31.0...31.5)),
                               demand: random.uniform(0...1) < 0.2 ? 0 : random.uniform(0...1000))
        }
        let projection = Self.projection(center: center, groundMeters: 60_000, framePixels: 742)
        let raster = DemandRaster(cells: cells, cellSizeMeters: cellSizeMeters, projection: projection,
                                  frameX: 0, frameY: 0, binSizePixels: 742.0 / 250)
        let expected = cells.reduce(0) { $0 + $1.demand }
        let binned = raster.sums.reduce(0, +)
        #expect(abs(binned / expected - 1) < 1e-9)
        #expect(raster.columns <= 252 && raster.rows <= 252)
        #expect(raster.sums.allSatisfy { $0 >= 0 })
    }

    /// 300 × 300 cells of 100 m, one demand unit each, laid out at equal ground spacing (Karney's
    /// geodesic sets the degree steps row by row), make a surface of exactly 100 per km². The bins
    /// (742 / 250 ≈ 2.97 px) are 1.28 cells wide, so counting cells per bin would alternate 1 and 2 cells
    /// a row; shared by area, every bin away from the edge must show 100 per km².
    @Test("a uniform surface keeps its density in every interior bin (no stripes)", arguments: [0.0, 31.23, 55.0])
    func uniformSurfaceStaysUniform(latitude: Double) throws {
        let cellSize = 100.0, count = 300
        let northStep = cellSize / Self.metersPerDegree(atLatitude: latitude).north
        var cells: [PlanMap.DemandCell] = []
        for row in 0..<count {
            let rowLatitude = latitude + (Double(row) - Double(count - 1) / 2) * northStep
            let eastStep = cellSize / Self.metersPerDegree(atLatitude: rowLatitude).east
            for column in 0..<count {
                let longitude = 10 + (Double(column) - Double(count - 1) / 2) * eastStep
                cells.append(PlanMap.DemandCell(center: Coordinate(longitude: longitude, latitude: rowLatitude), demand: 1))
            }
        }
        let projection = Self.projection(center: Coordinate(longitude: 10, latitude: latitude), groundMeters: 58_000, framePixels: 742)
        let raster = DemandRaster(cells: cells, cellSizeMeters: cellSize, projection: projection,
                                  frameX: 0, frameY: 0, binSizePixels: 742.0 / 250)
        #expect(abs(raster.sums.reduce(0, +) - Double(count * count)) < 1e-6)

        var interior = 0, worst = 0.0
        for row in 1..<(raster.rows - 1) {
            for column in 1..<(raster.columns - 1) {
                let neighbours = (-1...1).flatMap { dr in (-1...1).map { dc in raster.sums[(row + dr) * raster.columns + column + dc] } }
                guard neighbours.allSatisfy({ $0 > 0 }) else { continue }
                interior += 1
                worst = max(worst, abs(raster.densityPerKm2(row: row, column: column) / 100 - 1))
            }
        }
        #expect(interior > 8000)
        #expect(worst < 1e-4, "worst relative density error \(worst)")
    }

    /// 7 × 7 cells of 5 km at the equator, 92.75 px each on a 742 px frame showing 40 km, far above the
    /// 2.97 px raster step: drawn one by one, each at its own place with its own density (demand / 25 km²).
    @Test("cells coarser than a raster step are drawn one by one, tiling without gaps")
    func coarseCellsAreDrawnOneByOne() throws {
        let perDegree = Self.metersPerDegree(atLatitude: 0)
        let cellSize = 5000.0
        var cells: [PlanMap.DemandCell] = []
        for row in -3...3 {
            for column in -3...3 {
                let position = Coordinate(longitude: Double(column) * cellSize / perDegree.east,
                                          latitude: Double(row) * cellSize / perDegree.north)
                cells.append(PlanMap.DemandCell(center: position, demand: Double(10 * (row + 3) + column + 4)))
            }
        }
        cells.append(PlanMap.DemandCell(center: Coordinate(longitude: 0, latitude: 0.5), demand: 0))
        let projection = Self.projection(center: Coordinate(longitude: 0, latitude: 0), groundMeters: 40_000, framePixels: 742)
        let squares = DemandSquares(cells: cells, cellSizeMeters: cellSize, projection: projection).squares
        try #require(squares.count == 49)
        let side = 742.0 / 8
        for (index, square) in squares.enumerated() {
            let row = index / 7 - 3, column = index % 7 - 3
            // Centre pixel 371 + column·side (east), 371 − row·side (north up).
            #expect(abs((square.x0 + square.x1) / 2 - (371 + Double(column) * side)) < 1e-6)
            #expect(abs((square.y0 + square.y1) / 2 - (371 - Double(row) * side)) < 1e-6)
            #expect(abs(square.x1 - square.x0 - side) < 1e-3 && abs(square.y1 - square.y0 - side) < 1e-3)
            #expect(abs(square.densityPerKm2 - cells[index].demand / 25) < 1e-12)
        }
    }
}
