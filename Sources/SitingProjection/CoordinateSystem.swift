/// A coordinate system a caller can name.
///
/// `wgs84`, `cgcs2000`, `gcj02` and `bd09` are the systems phones and Chinese map providers use
/// (DESIGN glossary); `crs` is anything PROJ knows: `EPSG:n`, a PROJ string or WKT.
/// GCJ-02 and BD-09 are obfuscated geographic systems that PROJ does not know; Siting computes them
/// itself (see `ChineseOffsets`) on top of WGS84.
public enum CoordinateSystem: Hashable, Sendable, CustomStringConvertible {
    /// WGS 84 longitude/latitude (EPSG:4326): GPS, storage, GeoJSON.
    case wgs84
    /// China Geodetic Coordinate System 2000 (EPSG:4490), the official Chinese datum.
    case cgcs2000
    /// GCJ-02, the mainland-China obfuscated system of Amap, Tencent and Apple Maps in China.
    case gcj02
    /// BD-09, Baidu's system, a further offset of GCJ-02.
    case bd09
    /// Any coordinate reference system PROJ understands, by its definition text.
    case crs(String)

    /// Reads a user's name for a system. Siting's own names are matched without regard to case
    /// (`WGS84`, `wgs-84`, `EPSG:4326` for WGS 84); anything else is kept as a PROJ definition and is checked
    /// when a transformer is built.
    public init(parsing text: String) {
        let trimmed = text.trimmingWhitespace()
        switch trimmed.lowercased() {
        case "wgs84", "wgs-84", "wgs 84", "epsg:4326": self = .wgs84
        case "cgcs2000", "cgcs-2000", "epsg:4490": self = .cgcs2000
        case "gcj02", "gcj-02", "gcj": self = .gcj02
        case "bd09", "bd-09", "bd09ll", "baidu": self = .bd09
        default: self = .crs(trimmed)
        }
    }

    /// The definition handed to PROJ for the systems PROJ knows; nil for GCJ-02 and BD-09.
    /// A PROJ string without `+type=crs` gets it, as `cs2cs` does.
    public var projDefinition: String? {
        switch self {
        case .wgs84: return "EPSG:4326"
        case .cgcs2000: return "EPSG:4490"
        case .gcj02, .bd09: return nil
        case .crs(let text):
            if text.hasPrefix("+"), !text.contains("+type=crs") { return text + " +type=crs" }
            return text
        }
    }

    /// True for GCJ-02 and BD-09, which are computed from WGS84 by Siting rather than by PROJ.
    public var isChineseOffset: Bool { self == .gcj02 || self == .bd09 }

    public var description: String {
        switch self {
        case .wgs84: return "wgs84"
        case .cgcs2000: return "cgcs2000"
        case .gcj02: return "gcj02"
        case .bd09: return "bd09"
        case .crs(let text): return text
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
