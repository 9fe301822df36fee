import Foundation

extension GridIndex {
    /// Ordinals of every position inside `box` (WGS84 degrees, edges inclusive; a box whose west edge
    /// is east of its east edge crosses the antimeridian) that passes `isIncluded`, in ordinal order.
    ///
    /// - Complexity: proportional to the cells the box overlaps plus the points in them.
    public func inBoundingBox(_ box: BoundingBox, where isIncluded: (Int) -> Bool = { _ in true }) -> [Int] {
        let south = Self.geocentricLatitudeDegrees(geodetic: box.south)
        let north = Self.geocentricLatitudeDegrees(geodetic: box.north)
        let west = Self.normalizedLongitude(box.west)
        let east = box.east >= 180 ? 180 : Self.normalizedLongitude(box.east)
        // Longitude ranges of the box, split at the antimeridian when it crosses it.
        let spans: [ClosedRange<Double>] = box.crossesAntimeridian || west > east
            ? [west...180, -180...east] : [west...east]
        var found: [Int] = []
        collect(grid: 0, south: south, north: north, spans: spans, box: box, into: &found, where: isIncluded)
        found.sort()
        return found
    }

    private func collect(grid number: Int32, south: Double, north: Double, spans: [ClosedRange<Double>],
                         box: BoundingBox, into found: inout [Int], where isIncluded: (Int) -> Bool) {
        let grid = storage.grids[Int(number)]
        let rows = Int(grid.rows), cols = Int(grid.cols)
        let margin = 1e-9  // degrees: rounding in the latitude conversion
        let firstRow = max(0, Int(((south - margin - grid.latitudeStart) / grid.latitudeStep).rounded(.down)))
        let lastRow = min(rows - 1, Int(((north + margin - grid.latitudeStart) / grid.latitudeStep).rounded(.down)))
        guard firstRow <= lastRow else { return }
        for span in spans {
            let firstCol = max(0, Int(((span.lowerBound - margin - grid.longitudeStart) / grid.longitudeStep).rounded(.down)))
            let lastCol = min(cols - 1, Int(((span.upperBound + margin - grid.longitudeStart) / grid.longitudeStep).rounded(.down)))
            guard firstCol <= lastCol else { continue }
            for row in firstRow...lastRow {
                for col in firstCol...lastCol {
                    let slot = Int(grid.cellBase) + row * cols + col
                    let child = storage.cells[slot].child
                    if child >= 0 {
                        collect(grid: child, south: south, north: north, spans: spans, box: box, into: &found,
                                where: isIncluded)
                        continue
                    }
                    for k in Int(storage.cells[slot].start)..<Int(storage.cells[slot + 1].start) {
                        let ordinal = Int(storage.points[k].ordinal)
                        if box.containsPosition(positions[ordinal]), isIncluded(ordinal) { found.append(ordinal) }
                    }
                }
            }
        }
    }

    /// Geocentric latitude (degrees) of a surface point at a geodetic latitude (degrees):
    /// tan φc = (1 − e²) tan φ.
    static func geocentricLatitudeDegrees(geodetic latitude: Double) -> Double {
        let (sinPhi, cosPhi) = Trigonometry.sinCos(degrees: latitude)
        return Trigonometry.geocentricLatitudeDegrees(geodetic: latitude, sinLatitude: sinPhi, cosLatitude: cosPhi)
    }
}

extension BoundingBox {
    /// Whether a WGS84 position (degrees) lies inside, edges included, across the antimeridian too.
    func containsPosition(_ position: Coordinate) -> Bool {
        guard position.y >= south, position.y <= north else { return false }
        let longitude = position.x
        if crossesAntimeridian { return longitude >= west || longitude <= east }
        return (longitude >= west && longitude <= east) || (longitude + 360 >= west && longitude + 360 <= east)
    }
}
