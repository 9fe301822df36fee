import Foundation
import SitingProjection
import SitingTestSupport
import Testing

/// `MainlandChina.contains` on real places and against a brute-force even-odd test over the rings of
/// `Geodata/mainland-china-boundary.geojson`, the committed boundary the Swift rings are generated from.
@Suite struct MainlandChinaTests {
    struct Place: Sendable, CustomTestStringConvertible {
        var name: String
        var position: Coordinate
        var testDescription: String { name }
    }

    static let inside: [Place] = [
        Place(name: "Beijing", position: Coordinate(longitude: 116.404, latitude: 39.915)),
        Place(name: "Shanghai", position: Coordinate(longitude: 121.4737, latitude: 31.2304)),
        Place(name: "Urumqi", position: Coordinate(longitude: 87.6, latitude: 43.8)),
        Place(name: "Lhasa", position: Coordinate(longitude: 91.13, latitude: 29.65)),
        Place(name: "Haikou", position: Coordinate(longitude: 110.35, latitude: 20.02)),
        Place(name: "Sanya", position: Coordinate(longitude: 109.51, latitude: 18.25)),
        Place(name: "Harbin", position: Coordinate(longitude: 126.63, latitude: 45.75)),
        Place(name: "Kashgar", position: Coordinate(longitude: 75.99, latitude: 39.47)),
        Place(name: "Shenzhen", position: Coordinate(longitude: 114.06, latitude: 22.54)),
        Place(name: "Zhuhai", position: Coordinate(longitude: 113.57, latitude: 22.27)),
        Place(name: "Mohe", position: Coordinate(longitude: 122.53, latitude: 52.97)),
        Place(name: "Xiamen", position: Coordinate(longitude: 118.09, latitude: 24.48)),
        Place(name: "Sansha (Woody Island)", position: Coordinate(longitude: 112.34, latitude: 16.83)),
    ]

    static let outside: [Place] = [
        Place(name: "Hong Kong island", position: Coordinate(longitude: 114.16, latitude: 22.28)),
        Place(name: "Kowloon", position: Coordinate(longitude: 114.17, latitude: 22.32)),
        Place(name: "Macao", position: Coordinate(longitude: 113.54, latitude: 22.19)),
        Place(name: "Taipei", position: Coordinate(longitude: 121.56, latitude: 25.04)),
        Place(name: "Seoul", position: Coordinate(longitude: 126.978, latitude: 37.5665)),
        Place(name: "Hanoi", position: Coordinate(longitude: 105.85, latitude: 21.03)),
        Place(name: "Ulaanbaatar", position: Coordinate(longitude: 106.9057, latitude: 47.8864)),
        Place(name: "Tokyo", position: Coordinate(longitude: 139.6917, latitude: 35.6895)),
        Place(name: "Almaty", position: Coordinate(longitude: 76.95, latitude: 43.24)),
        Place(name: "Pyongyang", position: Coordinate(longitude: 125.75, latitude: 39.03)),
        Place(name: "Kathmandu", position: Coordinate(longitude: 85.32, latitude: 27.72)),
        Place(name: "middle of the Pacific", position: Coordinate(longitude: -150, latitude: 0)),
        Place(name: "Null Island", position: Coordinate(longitude: 0, latitude: 0)),
    ]

    @Test("real cities of mainland China are inside", arguments: inside)
    func citiesInside(place: Place) {
        #expect(MainlandChina.contains(place.position))
    }

    @Test("Hong Kong, Macao, Taiwan and neighbouring countries are outside", arguments: outside)
    func placesOutside(place: Place) {
        #expect(!MainlandChina.contains(place.position))
    }

    @Test("non-finite positions are outside")
    func nonFinite() {
        #expect(!MainlandChina.contains(Coordinate(x: .nan, y: 35)))
        #expect(!MainlandChina.contains(Coordinate(x: 105, y: .infinity)))
        #expect(!MainlandChina.contains(Coordinate(x: -.infinity, y: -.infinity)))
    }

    @Test("finite positions far outside the grid are outside, without trapping")
    func hugeFiniteCoordinates() {
        // Int(Double) traps beyond ±9.2e18: the index must answer "outside" before converting.
        #expect(!MainlandChina.contains(Coordinate(x: 1e300, y: 35)))
        #expect(ChineseOffsets.wgs84ToGcj02(Coordinate(x: 105, y: -1e20)) == Coordinate(x: 105, y: -1e20))
        // Large but convertible values answer normally.
        #expect(!MainlandChina.contains(Coordinate(x: 1e15, y: 35)))
        #expect(!MainlandChina.contains(Coordinate(x: 105, y: -1e15)))
    }

    // MARK: - Brute force against the committed GeoJSON

    /// Boundary edges read from the GeoJSON, with a plain even-odd test over them.
    struct Rings {
        struct Edge { var x1, y1, x2, y2: Double }
        var edges: [Edge] = []
        /// Edges listed per latitude band of `bandHeight` degrees (every band an edge's y-range touches).
        /// Only a speed-up: an edge whose y-range misses y can never straddle the ray at y, so the even-odd
        /// count over a band's edges equals the count over all edges.
        private var bands: [[Int]] = []
        private var minY = 0.0
        private let bandHeight = 0.05

        init(edges: [Edge]) {
            self.edges = edges
            minY = edges.map { min($0.y1, $0.y2) }.min() ?? 0
            let maxY = edges.map { max($0.y1, $0.y2) }.max() ?? 0
            bands = Array(repeating: [], count: Int((maxY - minY) / bandHeight) + 1)
            for (index, edge) in edges.enumerated() {
                let low = Int((min(edge.y1, edge.y2) - minY) / bandHeight)
                let high = Int((max(edge.y1, edge.y2) - minY) / bandHeight)
                for band in low...high { bands[band].append(index) }
            }
        }

        /// The textbook even-odd rule: count the edges a ray from (x, y) towards +x crosses.
        func contains(x: Double, y: Double) -> Bool {
            let band = Int(((y - minY) / bandHeight).rounded(.down))
            guard band >= 0, band < bands.count else { return false }
            var inside = false
            for index in bands[band] {
                let e = edges[index]
                if (e.y1 > y) != (e.y2 > y), x < e.x1 + (y - e.y1) * (e.x2 - e.x1) / (e.y2 - e.y1) { inside.toggle() }
            }
            return inside
        }

        /// Distance in degrees from (x, y) to the nearest edge.
        func distanceToBoundary(x: Double, y: Double) -> Double {
            var best = Double.infinity
            for e in edges {
                let dx = e.x2 - e.x1, dy = e.y2 - e.y1
                let length2 = dx * dx + dy * dy
                let t = length2 == 0 ? 0 : max(0, min(1, ((x - e.x1) * dx + (y - e.y1) * dy) / length2))
                best = min(best, hypot(e.x1 + t * dx - x, e.y1 + t * dy - y))
            }
            return best
        }
    }

    static func loadRings() throws -> Rings {
        // Tests/SitingProjectionTests/<this file> → package root → Geodata/.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Geodata/mainland-china-boundary.geojson")
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: url))
        let root = try #require(json as? [String: Any])
        let features = try #require(root["features"] as? [[String: Any]])
        var edges: [Rings.Edge] = []
        for feature in features {
            let geometry = try #require(feature["geometry"] as? [String: Any])
            let polygons: [[[[Double]]]]
            switch geometry["type"] as? String {
            case "MultiPolygon": polygons = try #require(geometry["coordinates"] as? [[[[Double]]]])
            case "Polygon": polygons = [try #require(geometry["coordinates"] as? [[[Double]]])]
            default: throw ProjPrograms.ProgramError(program: "geojson", message: "unexpected geometry")
            }
            for ring in polygons.flatMap({ $0 }) {
                for i in ring.indices {
                    let a = ring[i], b = ring[(i + 1) % ring.count]
                    edges.append(Rings.Edge(x1: a[0], y1: a[1], x2: b[0], y2: b[1]))
                }
            }
        }
        return Rings(edges: edges)
    }

    @Test("the grid index agrees with a plain even-odd test over the GeoJSON rings at 100,000 random points")
    func agreesWithBruteForce() throws {
        let rings = try Self.loadRings()
        #expect(rings.edges.count > 1_000)
        var random = SeededRandom(seed: 20_240_601)
        var insideCount = 0
        var disagreements: [(Coordinate, Bool, Double)] = []
        for _ in 0..<100_000 {
            let x = random.uniform(70...140), y = random.uniform(0...56)
            let expected = rings.contains(x: x, y: y)
            let got = MainlandChina.contains(Coordinate(x: x, y: y))
            if expected { insideCount += 1 }
            if got != expected {
                disagreements.append((Coordinate(x: x, y: y), got, rings.distanceToBoundary(x: x, y: y)))
            }
        }
        for (point, got, distance) in disagreements {
            print("MainlandChina disagreement at \(point): index says \(got), GeoJSON says \(!got), \(distance)° from an edge")
        }
        // China with its 10 km margin covers roughly a quarter of this box; both sides must be well sampled.
        #expect(insideCount > 15_000 && insideCount < 40_000, "\(insideCount) of 100,000 inside")
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements")
    }

    @Test("points just inside and just outside boundary vertices agree with the GeoJSON")
    func nearTheBoundary() throws {
        // The random test rarely lands within metres of an edge; probe there deliberately: 1e-3° (~100 m)
        // to either side of sampled vertices, where the answer differs between the two probes.
        let rings = try Self.loadRings()
        var checked = 0
        for i in stride(from: 0, to: rings.edges.count, by: 7) {
            let e = rings.edges[i]
            let mx = (e.x1 + e.x2) / 2, my = (e.y1 + e.y2) / 2
            let dx = e.x2 - e.x1, dy = e.y2 - e.y1
            let length = hypot(dx, dy)
            guard length > 0.005 else { continue }
            // Normal to the edge at its midpoint, 1e-3° long.
            let nx = -dy / length * 1e-3, ny = dx / length * 1e-3
            for sign in [-1.0, 1.0] {
                let x = mx + sign * nx, y = my + sign * ny
                // Only probes clear of the 4-decimal rounding of the generated rings (see report) count.
                guard rings.distanceToBoundary(x: x, y: y) > 5e-4 else { continue }
                #expect(MainlandChina.contains(Coordinate(x: x, y: y)) == rings.contains(x: x, y: y),
                        "at (\(x), \(y))")
                checked += 1
            }
        }
        #expect(checked > 500)
    }
}
