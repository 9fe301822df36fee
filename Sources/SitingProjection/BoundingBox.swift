/// A WGS84 longitude/latitude rectangle in degrees.
///
/// `west > east` means the box crosses the antimeridian (for example west 170, east -170).
public struct BoundingBox: Hashable, Sendable, CustomStringConvertible {
    public var west: Double
    public var south: Double
    public var east: Double
    public var north: Double

    /// A box from its edges in degrees.
    ///
    /// - Throws: `ProjectionError.invalidBoundingBox` when an edge is not finite or out of range, or
    ///   `south` is not below `north`.
    public init(west: Double, south: Double, east: Double, north: Double) throws(ProjectionError) {
        guard [west, south, east, north].allSatisfy(\.isFinite) else {
            throw .invalidBoundingBox("edges must be finite numbers")
        }
        guard (-180.0...180.0).contains(west), (-180.0...180.0).contains(east) else {
            throw .invalidBoundingBox("west \(west) and east \(east) must lie within [-180, 180] degrees")
        }
        guard (-90.0...90.0).contains(south), (-90.0...90.0).contains(north) else {
            throw .invalidBoundingBox("south \(south) and north \(north) must lie within [-90, 90] degrees")
        }
        guard south < north else { throw .invalidBoundingBox("south \(south) must be below north \(north)") }
        guard west != east, !(abs(west) == 180 && abs(east) == 180 && west > east) else {
            throw .invalidBoundingBox("west \(west) and east \(east) are the same meridian: the box has no width")
        }
        self.west = west
        self.south = south
        self.east = east
        self.north = north
    }

    /// Whether the box crosses the antimeridian.
    public var crossesAntimeridian: Bool { west > east }

    /// Width in degrees of longitude, accounting for the antimeridian.
    public var widthDegrees: Double { crossesAntimeridian ? east + 360 - west : east - west }

    /// The central meridian, in [-180, 180).
    public var centralLongitude: Double {
        var centre = west + widthDegrees / 2
        if centre >= 180 { centre -= 360 }
        return centre
    }

    public var description: String { "\(west),\(south),\(east),\(north)" }
}
