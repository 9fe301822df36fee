import Foundation

/// A position on the WGS84 ellipsoid's surface as earth-centred, earth-fixed Cartesian coordinates
/// in metres (x towards lon 0 lat 0, y towards lon 90 E, z towards the north pole).
///
/// The straight line (chord) between two of these is never longer than the geodesic between them,
/// so it prunes spatial searches safely; `EllipsoidalDistance` turns it into the geodesic length.
public struct EarthCenteredPoint: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var z: Double

    @inlinable
    public init(x: Double, y: Double, z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// The surface point at a WGS84 position (lon/lat, degrees; height zero).
    public init(_ position: Coordinate) {
        let (sinPhi, cosPhi) = Trigonometry.sinCos(degrees: position.y)
        let (sinLambda, cosLambda) = Trigonometry.sinCos(degrees: position.x)
        self.init(sinLatitude: sinPhi, cosLatitude: cosPhi, sinLongitude: sinLambda, cosLongitude: cosLambda)
    }

    /// The surface point from the sines and cosines of its geodetic latitude and longitude.
    @inline(__always)
    init(sinLatitude sinPhi: Double, cosLatitude cosPhi: Double, sinLongitude: Double, cosLongitude: Double) {
        let e2 = EllipsoidalDistance.eccentricitySquared
        let n = EllipsoidalDistance.semiMajorAxisMeters / (1 - e2 * sinPhi * sinPhi).squareRoot()
        x = n * cosPhi * cosLongitude
        y = n * cosPhi * sinLongitude
        z = n * (1 - e2) * sinPhi
    }

    /// Straight-line distance to `other` through the earth, metres.
    @inlinable
    public func chordMeters(to other: EarthCenteredPoint) -> Double {
        chordSquared(to: other).squareRoot()
    }

    /// Square of the straight-line distance, square metres: the cheapest comparable key.
    @inlinable
    public func chordSquared(to other: EarthCenteredPoint) -> Double {
        let dx = x - other.x, dy = y - other.y, dz = z - other.z
        return dx * dx + dy * dy + dz * dz
    }
}
