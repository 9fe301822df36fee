import SitingCore

/// Demand cells drawn one by one, for cells coarser than the display raster (a city at 1 km, say): each
/// cell is the rectangle its ground square covers at the local scale of the projection, coloured by its
/// own density, so nothing is resampled.
struct DemandSquares: Sendable {
    struct Square: Sendable, Equatable {
        /// Pixel rectangle: left, top, right, bottom.
        var x0, y0, x1, y1: Double
        /// Demand per km².
        var densityPerKm2: Double
    }

    let squares: [Square]

    /// Squares for the cells with positive, finite demand and a finite centre.
    ///
    /// - Parameter cellSizeMeters: ground side of a cell, positive.
    init(cells: [PlanMap.DemandCell], cellSizeMeters: Double, projection: MapProjection) {
        let areaKm2 = cellSizeMeters * cellSizeMeters / 1e6
        var squares: [Square] = []
        for cell in cells where cell.demand.isFinite && cell.demand > 0 && cell.center.x.isFinite && cell.center.y.isFinite {
            let p = projection.pixel(cell.center)
            let scale = projection.groundMetersPerPixel(atLatitude: cell.center.latitude)
            let halfWidth = cellSizeMeters / 2 / scale.east, halfHeight = cellSizeMeters / 2 / scale.north
            guard halfWidth.isFinite, halfHeight.isFinite else { continue }
            squares.append(Square(x0: p.x - halfWidth, y0: p.y - halfHeight, x1: p.x + halfWidth, y1: p.y + halfHeight,
                                  densityPerKm2: cell.demand / areaKm2))
        }
        self.squares = squares
    }
}
