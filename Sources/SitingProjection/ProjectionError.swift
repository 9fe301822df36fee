/// Everything that can go wrong while converting coordinates or measuring on the ellipsoid.
///
/// Messages say what was wrong and what to do instead; PROJ's own reason is kept word for word.
public enum ProjectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name is neither one of Siting's coordinate systems nor a definition PROJ understands.
    case unknownCoordinateSystem(name: String, projReason: String)
    /// PROJ understood the definition, but it is not a coordinate reference system (for example a bare
    /// operation such as `+proj=merc` without `+type=crs`, or an ellipsoid).
    case notACoordinateReferenceSystem(name: String)
    /// PROJ could not build an operation between two valid systems.
    case noTransformation(source: String, target: String, projReason: String)
    /// A number that must be finite was NaN or infinite.
    case nonFiniteCoordinate(Coordinate)
    /// A longitude outside [-180, 180] degrees.
    case longitudeOutOfRange(Double)
    /// A latitude outside [-90, 90] degrees.
    case latitudeOutOfRange(Double)
    /// PROJ failed on one point (for example a point outside a projection's domain).
    case transformFailed(Coordinate, projReason: String)
    /// A bounding box that cannot be used (south above north, out of range, not finite).
    case invalidBoundingBox(String)

    /// The names Siting accepts besides PROJ definitions, for messages and help text.
    public static let acceptedNamesSummary =
        "wgs84, cgcs2000, gcj02, bd09, EPSG:<code> (for example EPSG:3857), a PROJ string "
        + "(for example \"+proj=utm +zone=50 +datum=WGS84\") or a WKT definition"

    public var description: String {
        switch self {
        case .unknownCoordinateSystem(let name, let reason):
            return "unknown coordinate system \"\(name)\": PROJ says: \(reason). "
                + "Accepted: \(Self.acceptedNamesSummary)."
        case .notACoordinateReferenceSystem(let name):
            return "\"\(name)\" is not a coordinate reference system (PROJ reads it as an operation or "
                + "another object); name a CRS such as EPSG:4326, or add +type=crs to a PROJ string."
        case .noTransformation(let source, let target, let reason):
            return "no transformation from \(source) to \(target): PROJ says: \(reason)"
        case .nonFiniteCoordinate(let coordinate):
            return "coordinate \(coordinate) is not a finite number pair"
        case .longitudeOutOfRange(let value):
            return "longitude \(value) is outside [-180, 180] degrees (is the pair in lon lat order?)"
        case .latitudeOutOfRange(let value):
            return "latitude \(value) is outside [-90, 90] degrees (is the pair in lon lat order?)"
        case .transformFailed(let coordinate, let reason):
            return "cannot transform \(coordinate): PROJ says: \(reason)"
        case .invalidBoundingBox(let reason):
            return "invalid bounding box: \(reason)"
        }
    }
}
