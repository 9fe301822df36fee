/// A nearby search that cannot run: bad positions, counts, radii or filters.
public enum NearbyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A position given to the index is not a usable WGS84 position.
    case invalidPosition(ordinal: Int, reason: String)
    /// The query position is not a usable position.
    case invalidQueryPosition(String)
    /// The number of results asked for is out of range.
    case invalidCount(Int)
    /// The search radius is out of range.
    case invalidRadius(Double)

    public var description: String {
        switch self {
        case .invalidPosition(let ordinal, let reason): "position \(ordinal): \(reason)"
        case .invalidQueryPosition(let reason): "query position: \(reason)"
        case .invalidCount(let count): "limit \(count) is out of range: ask for at least 1 result"
        case .invalidRadius(let meters): "radius \(meters) m is out of range: use a finite distance of 0 m or more"
        }
    }
}
