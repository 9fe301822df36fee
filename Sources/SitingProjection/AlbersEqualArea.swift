/// The Albers equal-area conic projection fitted to a region, on the WGS84 ellipsoid, in metres:
/// the projection of Siting's demand grid, where equal cells hold equal areas.
///
/// Fitting follows the classic one-sixth rule (Snyder, *Map Projections: A Working Manual*, 1987,
/// p. 99): standard parallels one sixth of the latitude range inside the box's south and north
/// edges, the origin at the box's centre. A box centred on the equator (parallels symmetric about it,
/// where the cone degenerates, within 0.001°) gets the cylindrical equal-area projection instead.
public enum AlbersEqualArea {
    /// Below this sum of the standard parallels (degrees) the cone is so flat that the conic formulas
    /// lose precision (cell areas off by 1e-4 at 1e-6°); the cylindrical equal-area takes over.
    static let nearlyFlatConeDegrees = 1e-3

    /// A PROJ-defined system (`CoordinateSystem.crs`) fitted to `box`.
    public static func fitted(to box: BoundingBox) -> CoordinateSystem {
        let range = box.north - box.south
        let parallel1 = box.south + range / 6
        let parallel2 = box.north - range / 6
        let centreLatitude = (box.south + box.north) / 2
        let centreLongitude = box.centralLongitude
        if abs(parallel1 + parallel2) < nearlyFlatConeDegrees {
            return .crs("+proj=cea +lat_ts=0 +lon_0=\(format(centreLongitude)) +datum=WGS84 +units=m +no_defs +type=crs")
        }
        return .crs(
            "+proj=aea +lat_1=\(format(parallel1)) +lat_2=\(format(parallel2)) +lat_0=\(format(centreLatitude)) "
                + "+lon_0=\(format(centreLongitude)) +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs +type=crs")
    }

    private static func format(_ value: Double) -> String {
        // Shortest exact text; PROJ parses it back to the same double.
        "\(value)"
    }
}
