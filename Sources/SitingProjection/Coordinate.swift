/// A position as two numbers in the axis order Siting always uses: longitude then latitude in degrees for
/// a geographic coordinate system, easting then northing (usually metres) for a projected one.
///
/// Siting never hands PROJ a latitude-first pair: every transformer is normalized so `x` is east-west.
public struct Coordinate: Hashable, Sendable, CustomStringConvertible {
    /// Longitude in degrees (geographic systems) or easting (projected systems).
    public var x: Double
    /// Latitude in degrees (geographic systems) or northing (projected systems).
    public var y: Double

    @inlinable
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// A geographic position; `longitude` and `latitude` in degrees.
    @inlinable
    public init(longitude: Double, latitude: Double) {
        self.x = longitude
        self.y = latitude
    }

    /// Longitude in degrees, for a geographic coordinate.
    @inlinable public var longitude: Double { x }
    /// Latitude in degrees, for a geographic coordinate.
    @inlinable public var latitude: Double { y }

    public var description: String { "(\(x), \(y))" }

    /// Checks that this is a usable geographic position: both numbers finite, longitude within
    /// [-180, 180] and latitude within [-90, 90] degrees.
    ///
    /// - Throws: `ProjectionError.nonFiniteCoordinate`, `.longitudeOutOfRange` or `.latitudeOutOfRange`.
    public func validatedGeographic() throws(ProjectionError) -> Coordinate {
        guard x.isFinite, y.isFinite else { throw .nonFiniteCoordinate(self) }
        guard (-180.0...180.0).contains(x) else { throw .longitudeOutOfRange(x) }
        guard (-90.0...90.0).contains(y) else { throw .latitudeOutOfRange(y) }
        return self
    }

    /// Checks that both numbers are finite.
    ///
    /// - Throws: `ProjectionError.nonFiniteCoordinate`.
    public func validatedFinite() throws(ProjectionError) -> Coordinate {
        guard x.isFinite, y.isFinite else { throw .nonFiniteCoordinate(self) }
        return self
    }
}
