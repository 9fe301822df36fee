/// The geometries Siting stores: points (outlets, settlements, candidates) and polygons (regions).
/// Coordinates are WGS84 lon/lat in degrees unless a caller says otherwise.
public enum Geometry: Hashable, Sendable {
    case point(Coordinate)
    case polygon(Polygon)
    case multiPolygon(MultiPolygon)

    /// The smallest lon/lat rectangle holding every vertex, or nil for an empty geometry.
    public var envelope: Envelope? {
        switch self {
        case .point(let p): return p.x.isNaN ? nil : Envelope(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y)
        case .polygon(let polygon): return Envelope(covering: polygon.rings.joined())
        case .multiPolygon(let multi): return Envelope(covering: multi.polygons.lazy.flatMap(\.rings).joined())
        }
    }

    /// All polygons, as a multipolygon (a point gives none).
    public var asMultiPolygon: MultiPolygon {
        switch self {
        case .point: return MultiPolygon(polygons: [])
        case .polygon(let polygon): return MultiPolygon(polygons: [polygon])
        case .multiPolygon(let multi): return multi
        }
    }
}

/// A polygon: the first ring is the exterior, the others are holes. Rings are closed (the first
/// vertex repeated at the end), as in WKB and GeoJSON.
public struct Polygon: Hashable, Sendable {
    public var rings: [[Coordinate]]

    public init(rings: [[Coordinate]]) {
        self.rings = rings
    }
}

/// Several polygons, as one region with islands.
public struct MultiPolygon: Hashable, Sendable {
    public var polygons: [Polygon]

    public init(polygons: [Polygon]) {
        self.polygons = polygons
    }
}

/// An axis-aligned rectangle in the geometry's own units.
public struct Envelope: Hashable, Sendable {
    public var minX, minY, maxX, maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The envelope of `points`, or nil when there are none.
    public init?<Points: Sequence>(covering points: Points) where Points.Element == Coordinate {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for p in points {
            minX = min(minX, p.x); maxX = max(maxX, p.x)
            minY = min(minY, p.y); maxY = max(maxY, p.y)
        }
        guard minX <= maxX else { return nil }
        self.init(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }

    /// The smallest envelope holding both.
    public func union(_ other: Envelope) -> Envelope {
        Envelope(minX: min(minX, other.minX), minY: min(minY, other.minY),
                 maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }
}
