import Foundation
@testable import SitingCore
import SitingTestSupport
import Testing

/// The k-nearest fast path (`GridIndex.searchLeafBlock`): when it says it holds the answer, the answer
/// is the brute force's; when it hands over, the best-first search finishes without offering a point
/// twice. Queries are put where the fast path's certificate is tightest: on the edges and corners of
/// sub-grid cells, and on the edges of the cells those sub-grids refine.
@Suite struct GridIndexLeafBlockTests {
    /// Three dense cities (sub-grids of sub-grids) and a scatter of villages.
    static let positions: [Coordinate] = {
        var positions: [Coordinate] = []
        for (seed, centre) in [(81, (116.40, 39.90)), (82, (121.47, 31.23)), (83, (113.26, 23.13))] {
            positions += GridIndexTests.clustered(count: 4_000, clusters: 1, spreadMeters: 30_000, seed: UInt64(seed),
                                                  longitudes: centre.0...centre.0, latitudes: centre.1...centre.1)
        }
        positions += GridIndexTests.clustered(count: 1_500, clusters: 60, spreadMeters: 3_000, seed: 84,
                                              longitudes: 112...122, latitudes: 28...40)
        return positions
    }()

    /// WGS84 latitude (degrees) whose geocentric latitude is `degrees`: tan φ = tan ψ / (1 − e²).
    static func geodeticLatitude(geocentric degrees: Double) -> Double {
        atan(tan(degrees * .pi / 180) / (1 - EllipsoidalDistance.eccentricitySquared)) * 180 / .pi
    }

    /// Points on the corners and edge midpoints of random cells of every sub-grid, nudged by up to
    /// a millimetre's worth either way.
    static func edgeQueries(_ index: GridIndex, perGrid: Int, seed: UInt64) -> [Coordinate] {
        var random = SeededRandom(seed: seed)
        var queries: [Coordinate] = []
        for number in 1..<index.storage.grids.count {
            let grid = index.storage.grids[number]
            for _ in 0..<perGrid {
                let row = Int.random(in: 0...Int(grid.rows), using: &random)
                let col = Int.random(in: 0...Int(grid.cols), using: &random)
                let alongRow = [0.0, 0.5][Int.random(in: 0...1, using: &random)]
                let nudge = { random.uniform(-1e-8...1e-8) }
                let latitude = grid.latitudeStart + Double(row) * grid.latitudeStep + nudge()
                let longitude = grid.longitudeStart + (Double(col) + alongRow) * grid.longitudeStep + nudge()
                queries.append(Coordinate(longitude: longitude, latitude: geodeticLatitude(geocentric: latitude)))
            }
        }
        return queries
    }

    /// The fast path alone: its answer, or nil when it hands over.
    static func fastAnswer(_ index: GridIndex, _ query: Coordinate, count: Int, capMeters: Double = .infinity,
                           where isIncluded: (Int) -> Bool) throws -> [GridIndex.Neighbor]? {
        let frame = try QueryFrame(query)
        return withUnsafeTemporaryAllocation(of: NearestSink.Candidate.self,
                                             capacity: count + NearestSink.spareCandidates) { buffer in
            var sink = NearestSink(capacity: count, limitMeters: capMeters, buffer: buffer)
            defer { sink.releaseGrownMemory() }
            guard case .answered = index.searchLeafBlock(frame, into: &sink, where: isIncluded) else { return nil }
            return sink.neighbors(from: frame, in: index)
        }
    }

    @Test("on cell edges and corners: the fast path's answers and the whole search equal brute force")
    func edgesAndCorners() throws {
        let positions = Self.positions
        let index = try GridIndex(positions: positions)
        #expect(index.storage.grids.count > 20, "the data should make sub-grids of sub-grids")
        let queries = Self.edgeQueries(index, perGrid: 1, seed: 85)
            + GridIndexTests.queries(near: positions, count: 60, seed: 86)
        var answered: [Int: Int] = [:]
        for (number, query) in queries.enumerated() {
            let all = GridIndexTests.bruteForce(positions, from: query)
            for k in [1, 10, 40] {
                let expected = Array(all.prefix(k))
                if let fast = try Self.fastAnswer(index, query, count: k, where: { _ in true }) {
                    answered[k, default: 0] += 1
                    GridIndexTests.expectSame(fast, expected, "fast path, query \(number) \(query) k=\(k)")
                }
                GridIndexTests.expectSame(try index.nearest(to: query, count: k), expected,
                                          "query \(number) \(query) k=\(k)")
            }
        }
        // Even on edges the fast path answers many queries for k = 10 (most, in town): a certificate
        // that never passed would leave this suite nothing to check.
        #expect(answered[10, default: 0] * 5 > queries.count, "the fast path answered \(answered) of \(queries.count)")
    }

    @Test("uniform town: the fast path's certificate passes and fails on every side, and its answers equal brute force")
    func uniformTown() throws {
        // Even density, about 8 points a cell: for k = 40 the 40th neighbour lies about a cell away,
        // as far as the block's sides, so the certificate passes or fails on each side in turn.
        var random = SeededRandom(seed: 88)
        let positions = (0..<8_000).map { _ in
            Coordinate(longitude: random.uniform(120.1...120.6), latitude: random.uniform(30.1...30.6))
        }
        let index = try GridIndex(positions: positions)
        var answered = 0, queries = 0
        for number in 0..<300 {
            let query = Coordinate(longitude: random.uniform(120.1...120.6), latitude: random.uniform(30.1...30.6))
            let all = GridIndexTests.bruteForce(positions, from: query)
            for k in [20, 40, 60] {
                queries += 1
                if let fast = try Self.fastAnswer(index, query, count: k, where: { _ in true }) {
                    answered += 1
                    GridIndexTests.expectSame(fast, Array(all.prefix(k)), "fast path, query \(number) \(query) k=\(k)")
                }
            }
        }
        // Neither always nor never: both outcomes of the certificate are exercised.
        #expect(answered * 5 > queries && answered * 5 < 4 * queries, "the fast path answered \(answered) of \(queries)")
    }

    @Test("with a filter and a distance cap, the fast path and the hand-off still equal brute force")
    func filteredAndCapped() throws {
        let positions = Self.positions
        let index = try GridIndex(positions: positions)
        let some: (Int) -> Bool = { $0 % 3 != 0 }
        let queries = Self.edgeQueries(index, perGrid: 1, seed: 87)
        var answered = 0
        for (number, query) in queries.enumerated() {
            let all = GridIndexTests.bruteForce(positions, from: query, where: some)
            // Between the 5th and 6th: some caps fall inside the block, none within a rounding of an outlet.
            let cap = all.count > 5 ? (all[4].distanceMeters + all[5].distanceMeters) / 2 : .infinity
            let expected = Array(all.filter { $0.distanceMeters <= cap }.prefix(10))
            if let fast = try Self.fastAnswer(index, query, count: 10, capMeters: cap, where: some) {
                answered += 1
                GridIndexTests.expectSame(fast, expected, "fast path, query \(number) \(query)")
            }
            GridIndexTests.expectSame(try index.nearest(to: query, count: 10, maximumDistanceMeters: cap, where: some),
                                      expected, "query \(number) \(query)")
        }
        #expect(answered * 5 > queries.count, "the fast path answered \(answered) of \(queries.count)")
    }
}
