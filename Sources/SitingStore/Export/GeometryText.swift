import SitingCore

/// Geometries as Well-Known Text and as GeoJSON, coordinates with `NumberText.coordinateDecimals` places.
enum GeometryText {
    /// OGC Well-Known Text that `WellKnownText.parse` reads back: `POINT (x y)`,
    /// `POLYGON ((x y, …), (…))`, `MULTIPOLYGON (((x y, …)), …)`. Rings are written as stored.
    static func wkt(_ geometry: Geometry) -> String {
        var out = ""
        switch geometry {
        case .point(let p):
            out = "POINT (" + NumberText.coordinate(p.x) + " " + NumberText.coordinate(p.y) + ")"
        case .polygon(let polygon):
            out = "POLYGON "
            appendWKT(polygon, to: &out)
        case .multiPolygon(let multi):
            out = "MULTIPOLYGON ("
            for (index, polygon) in multi.polygons.enumerated() {
                if index > 0 { out += ", " }
                appendWKT(polygon, to: &out)
            }
            out += ")"
        }
        return out
    }

    private static func appendWKT(_ polygon: Polygon, to out: inout String) {
        out += "("
        for (ringIndex, ring) in polygon.rings.enumerated() {
            if ringIndex > 0 { out += ", " }
            out += "("
            for (index, p) in ring.enumerated() {
                if index > 0 { out += ", " }
                out += NumberText.coordinate(p.x) + " " + NumberText.coordinate(p.y)
            }
            out += ")"
        }
        out += ")"
    }

    /// An RFC 7946 geometry object with a stable member order (`type`, then `coordinates`). Polygon
    /// rings follow the right-hand rule of RFC 7946 §3.1.6: exterior rings counter-clockwise, holes
    /// clockwise; rings that do not are reversed.
    static func geoJSON(_ geometry: Geometry) -> String {
        var out = ""
        switch geometry {
        case .point(let p):
            out = "{\"type\":\"Point\",\"coordinates\":"
            appendPosition(p, to: &out)
        case .polygon(let polygon):
            out = "{\"type\":\"Polygon\",\"coordinates\":"
            appendGeoJSON(RingOrientation.rightHanded(polygon), to: &out)
        case .multiPolygon(let multi):
            out = "{\"type\":\"MultiPolygon\",\"coordinates\":["
            for (index, polygon) in multi.polygons.enumerated() {
                if index > 0 { out += "," }
                appendGeoJSON(RingOrientation.rightHanded(polygon), to: &out)
            }
            out += "]"
        }
        return out + "}"
    }

    private static func appendPosition(_ p: Coordinate, to out: inout String) {
        out += "[" + NumberText.coordinate(p.x) + "," + NumberText.coordinate(p.y) + "]"
    }

    private static func appendGeoJSON(_ polygon: Polygon, to out: inout String) {
        out += "["
        for (ringIndex, ring) in polygon.rings.enumerated() {
            if ringIndex > 0 { out += "," }
            out += "["
            for (index, p) in ring.enumerated() {
                if index > 0 { out += "," }
                appendPosition(p, to: &out)
            }
            out += "]"
        }
        out += "]"
    }
}

/// Ring orientation in the lon/lat plane (RFC 7946 §3.1.6, the right-hand rule).
enum RingOrientation {
    /// Twice the signed area of a closed ring by the shoelace formula, in square degrees: positive
    /// when the ring runs counter-clockwise (longitude east, latitude north). Coordinates are taken
    /// relative to the first vertex to keep the sum accurate far from (0, 0).
    static func signedDoubleArea(_ ring: [Coordinate]) -> Double {
        guard ring.count >= 3, let origin = ring.first else { return 0 }
        var sum = 0.0
        for index in 0..<(ring.count - 1) {
            let a = ring[index], b = ring[index + 1]
            sum += (a.x - origin.x) * (b.y - origin.y) - (b.x - origin.x) * (a.y - origin.y)
        }
        return sum
    }

    /// `polygon` with its exterior ring counter-clockwise and its holes clockwise; degenerate rings
    /// (zero area) are left as they are.
    static func rightHanded(_ polygon: Polygon) -> Polygon {
        var rings = polygon.rings
        for index in rings.indices {
            let area = signedDoubleArea(rings[index])
            let wantCounterClockwise = index == 0
            if (wantCounterClockwise && area < 0) || (!wantCounterClockwise && area > 0) { rings[index].reverse() }
        }
        return Polygon(rings: rings)
    }
}
