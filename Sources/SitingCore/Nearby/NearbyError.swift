/// A nearby search that cannot run: bad positions, counts, radii or filters. Each message names the
/// parameter and what is accepted.
public enum NearbyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A position given to the index is not a usable WGS84 position.
    case invalidPosition(ordinal: Int, reason: String)
    /// The query position is not a usable position.
    case invalidQueryPosition(String)
    /// The number of results asked of the index is negative.
    case invalidCount(Int)
    /// The `limit` of a nearby query is out of range.
    case invalidLimit(Int)
    /// The search radius is out of range.
    case invalidRadius(Double)
    /// The caller's coordinate system is not one a phone sends.
    case unsupportedCoordinateSystem(String)
    /// No outlet kind has this name.
    case unknownKind(String)
    /// No service has this name.
    case unknownService(String)
    /// No accessibility feature has this name.
    case unknownAccessibilityFeature(String)
    /// The instant is not ISO 8601 with a time zone.
    case invalidInstant(String)
    /// The caller's position could not be converted to WGS84 (or a result back).
    case conversionFailed(String)

    public var description: String {
        switch self {
        case .invalidPosition(let ordinal, let reason): "position \(ordinal): \(reason)"
        case .invalidQueryPosition(let reason): "lng/lat: \(reason)"
        case .invalidCount(let count): "count \(count) is out of range: ask for 0 or more results"
        case .invalidLimit(let limit): "limit \(limit) is out of range: use 1 to \(NearbyQuery.maximumLimit)"
        case .invalidRadius(let meters):
            "radius \(meters) m is out of range: use more than 0 and at most \(Int(NearbyQuery.maximumRadiusMeters)) m"
        case .unsupportedCoordinateSystem(let name):
            "coordsys \"\(name)\" is not supported here: use wgs84, cgcs2000, gcj02 or bd09"
        case .unknownKind(let name):
            "kind \"\(name)\" is unknown: use " + OutletKind.allCases.map(\.rawValue).joined(separator: ", ")
        case .unknownService(let name):
            "service \"\(name)\" is unknown: use " + OutletService.allCases.map(\.rawValue).joined(separator: ", ")
        case .unknownAccessibilityFeature(let name):
            "accessible \"\(name)\" is unknown: use " + AccessibilityFeature.allCases.map(\.rawValue).joined(separator: ", ")
        case .invalidInstant(let text):
            "at \"\(text)\" is not an ISO 8601 instant with a zone, such as 2026-05-01T09:30:00+08:00"
        case .conversionFailed(let reason): "coordinate conversion failed: \(reason)"
        }
    }
}
