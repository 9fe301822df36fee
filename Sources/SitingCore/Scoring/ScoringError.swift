/// A ranking that cannot run, with what to change.
public enum ScoringError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No region in the database has this adcode.
    case unknownRegion(String)
    /// The bounding box is empty, inverted or crosses itself (field and reason).
    case invalidBoundingBox(String)
    /// Financial weights that do not parse or are negative.
    case invalidWeights(String)
    /// A model parameter out of range: its name and the reason.
    case invalidParameter(name: String, reason: String)
    /// The requested number of sites is not between 1 and the number of candidates.
    case invalidSiteCount(requested: Int, candidates: Int)
    /// The region has no population to serve.
    case noDemand(String)
    /// A population raster that cannot be read (line and reason).
    case invalidRaster(line: Int, reason: String)
    /// The demand grid cannot be built.
    case demand(DemandError)

    public var description: String {
        switch self {
        case .unknownRegion(let adcode):
            "unknown region \(adcode): no region in the database has this adcode (list them with siting info or siting export regions)"
        case .invalidBoundingBox(let reason): "invalid bounding box: \(reason)"
        case .invalidWeights(let reason): "invalid --weights: \(reason)"
        case .invalidParameter(let name, let reason): "invalid \(name): \(reason)"
        case .invalidSiteCount(let requested, let candidates):
            candidates == 0 ? "there are no candidates to pick from: the region has no populated land cell and no listed site"
                : "cannot pick \(requested) site\(requested == 1 ? "" : "s"): give 1 to \(candidates) (the number of candidates)"
        case .noDemand(let region): "\(region) has no demand: no population reaches its land cells (import region statistics with a population, settlements or a raster)"
        case .invalidRaster(let line, let reason): "population raster, line \(line): \(reason)"
        case .demand(let error): error.description
        }
    }
}
