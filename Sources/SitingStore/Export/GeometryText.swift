import SitingCore

/// Geometries as Well-Known Text and as GeoJSON, coordinates with `NumberText.coordinateDecimals` places.
enum GeometryText {
    /// Appends OGC Well-Known Text that `WellKnownText.parse` reads back: `POINT (x y)`,
    /// `POLYGON ((x y, …), (…))`, `MULTIPOLYGON (((x y, …)), …)`. Rings are written as stored.
    static func appendWKT(_ geometry: Geometry, to out: inout [UInt8]) {
        switch geometry {
        case .point(let p):
            out.append(contentsOf: "POINT (".utf8)
            appendWKTPosition(p, to: &out)
            out.append(0x29)
        case .polygon(let polygon):
            out.append(contentsOf: "POLYGON ".utf8)
            appendWKT(polygon, to: &out)
        case .multiPolygon(let multi):
            out.append(contentsOf: "MULTIPOLYGON (".utf8)
            for (index, polygon) in multi.polygons.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                appendWKT(polygon, to: &out)
            }
            out.append(0x29)
        }
    }

    /// Well-Known Text as a string.
    static func wkt(_ geometry: Geometry) -> String {
        var bytes: [UInt8] = []
        appendWKT(geometry, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendWKTPosition(_ p: Coordinate, to out: inout [UInt8]) {
        NumberText.appendCoordinate(p.x, to: &out)
        out.append(0x20)
        NumberText.appendCoordinate(p.y, to: &out)
    }

    private static func appendWKT(_ polygon: Polygon, to out: inout [UInt8]) {
        out.append(0x28)
        for (ringIndex, ring) in polygon.rings.enumerated() {
            if ringIndex > 0 { out.append(contentsOf: ", ".utf8) }
            out.append(0x28)
            for (index, p) in ring.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                appendWKTPosition(p, to: &out)
            }
            out.append(0x29)
        }
        out.append(0x29)
    }

    /// Appends an RFC 7946 geometry object with a stable member order (`type`, then `coordinates`).
    /// Polygon rings follow the right-hand rule of RFC 7946 §3.1.6: exterior rings counter-clockwise,
    /// holes clockwise; rings that do not are reversed.
    static func appendGeoJSON(_ geometry: Geometry, to out: inout [UInt8]) {
        switch geometry {
        case .point(let p):
            out.append(contentsOf: "{\"type\":\"Point\",\"coordinates\":".utf8)
            appendPosition(p, to: &out)
        case .polygon(let polygon):
            out.append(contentsOf: "{\"type\":\"Polygon\",\"coordinates\":".utf8)
            appendGeoJSON(RingOrientation.rightHanded(polygon), to: &out)
        case .multiPolygon(let multi):
            out.append(contentsOf: "{\"type\":\"MultiPolygon\",\"coordinates\":[".utf8)
            for (index, polygon) in multi.polygons.enumerated() {
                if index > 0 { out.append(0x2C) }
                appendGeoJSON(RingOrientation.rightHanded(polygon), to: &out)
            }
            out.append(0x5D)
        }
        out.append(0x7D)
    }

    /// A GeoJSON geometry object as a string.
    static func geoJSON(_ geometry: Geometry) -> String {
        var bytes: [UInt8] = []
        appendGeoJSON(geometry, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendPosition(_ p: Coordinate, to out: inout [UInt8]) {
        out.append(0x5B)
        NumberText.appendCoordinate(p.x, to: &out)
        out.append(0x2C)
        NumberText.appendCoordinate(p.y, to: &out)
        out.append(0x5D)
    }

    private static func appendGeoJSON(_ polygon: Polygon, to out: inout [UInt8]) {
        out.append(0x5B)
        for (ringIndex, ring) in polygon.rings.enumerated() {
            if ringIndex > 0 { out.append(0x2C) }
            out.append(0x5B)
            for (index, p) in ring.enumerated() {
                if index > 0 { out.append(0x2C) }
                appendPosition(p, to: &out)
            }
            out.append(0x5D)
        }
        out.append(0x5D)
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
