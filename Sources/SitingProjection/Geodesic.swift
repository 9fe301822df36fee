internal import CProj

/// Geodesics on the WGS84 ellipsoid through PROJ's implementation of Karney's algorithms
/// (C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 2013): accurate to about 15 nm
/// anywhere, antipodal and polar pairs included. This is Siting's reference distance.
///
/// A call costs about 1 µs; hot paths use `SitingCore`'s chord-based distance, tested against this.
public enum Geodesic {
    /// WGS84 semi-major axis, metres.
    public static let wgs84SemiMajorAxisMeters = 6_378_137.0
    /// WGS84 flattening.
    public static let wgs84Flattening = 1.0 / 298.257_223_563

    /// The result of the inverse problem between two positions.
    public struct Inverse: Sendable, Equatable {
        /// Ellipsoidal distance along the geodesic, metres.
        public var distanceMeters: Double
        /// Azimuth of the geodesic at the first position, degrees clockwise from north, (-180, 180].
        public var initialAzimuthDegrees: Double
        /// Azimuth of the geodesic (forward direction) at the second position, degrees from north.
        public var finalAzimuthDegrees: Double
    }

    private static let ellipsoid: geod_geodesic = {
        var g = geod_geodesic()
        geod_init(&g, wgs84SemiMajorAxisMeters, wgs84Flattening)
        return g
    }()

    /// Solves the inverse problem from `start` to `end` (WGS84 lon/lat, degrees).
    ///
    /// Inputs are not range-checked here; validate with `Coordinate.validatedGeographic()` first.
    public static func inverse(from start: Coordinate, to end: Coordinate) -> Inverse {
        var distance = 0.0, azimuth1 = 0.0, azimuth2 = 0.0
        withUnsafePointer(to: ellipsoid) { g in
            geod_inverse(g, start.y, start.x, end.y, end.x, &distance, &azimuth1, &azimuth2)
        }
        return Inverse(distanceMeters: distance, initialAzimuthDegrees: azimuth1, finalAzimuthDegrees: azimuth2)
    }

    /// Ellipsoidal distance in metres between two WGS84 positions (lon/lat, degrees).
    public static func distanceMeters(from start: Coordinate, to end: Coordinate) -> Double {
        inverse(from: start, to: end).distanceMeters
    }

    /// Area in square metres of a simple polygon on the WGS84 ellipsoid whose vertices (lon/lat,
    /// degrees) are given in order, without repeating the first; positive whatever the winding.
    public static func polygonAreaSquareMeters(_ vertices: [Coordinate]) -> Double {
        var latitudes = vertices.map(\.y)
        var longitudes = vertices.map(\.x)
        var area = 0.0, perimeter = 0.0
        withUnsafePointer(to: ellipsoid) { g in
            geod_polygonarea(g, &latitudes, &longitudes, Int32(vertices.count), &area, &perimeter)
        }
        return abs(area)
    }
}
