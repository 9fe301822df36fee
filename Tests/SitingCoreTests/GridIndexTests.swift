import Foundation
import SitingCore
import SitingTestSupport
import Testing

/// `GridIndex` against a brute-force scan of every position with Karney's geodesic (PROJ `geod.h`):
/// the same ordinals in the same order, distances within 1 cm.
@Suite struct GridIndexTests {
    // MARK: Oracles

    /// Every position, by Karney distance then ordinal.
    static func bruteForce(_ positions: [Coordinate], from query: Coordinate,
                           where isIncluded: (Int) -> Bool = { _ in true }) -> [GridIndex.Neighbor] {
        positions.indices.filter(isIncluded)
            .map { GridIndex.Neighbor(ordinal: $0, distanceMeters: Geodesic.distanceMeters(from: query, to: positions[$0])) }
            .sorted { ($0.distanceMeters, $0.ordinal) < ($1.distanceMeters, $1.ordinal) }
    }

    /// Same ordinals in the same order and distances within 1 cm, except that two reference distances
    /// closer than 1 mm may come in either order (the fast distance is within 0.3 mm of Karney).
    static func expectSame(_ found: [GridIndex.Neighbor], _ expected: [GridIndex.Neighbor],
                           _ context: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(found.count == expected.count, "\(context()): count", sourceLocation: sourceLocation)
        for (index, (got, want)) in zip(found, expected).enumerated() {
            #expect(abs(got.distanceMeters - want.distanceMeters) < 0.01,
                    "\(context()): result \(index) distance \(got.distanceMeters) vs \(want.distanceMeters)",
                    sourceLocation: sourceLocation)
            if got.ordinal != want.ordinal {
                let nearTie = expected.contains { $0.ordinal == got.ordinal && abs($0.distanceMeters - want.distanceMeters) < 0.001 }
                #expect(nearTie, "\(context()): result \(index) is \(got.ordinal), expected \(want.ordinal)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    /// `nearest(count)` and `within(radiusMeters)` from `query` both equal the brute force.
    static func expectNearestAndWithin(_ index: GridIndex, _ positions: [Coordinate], from query: Coordinate, count: Int,
                                       radiusMeters: Double, _ context: String,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let all = bruteForce(positions, from: query)
        expectSame(try index.nearest(to: query, count: count), Array(all.prefix(count)), "\(context) k=\(count)",
                   sourceLocation: sourceLocation)
        expectSame(try index.within(radiusMeters: radiusMeters, of: query), all.filter { $0.distanceMeters <= radiusMeters },
                   "\(context) radius", sourceLocation: sourceLocation)
    }

    // MARK: Data

    /// Positions clustered like outlets: cluster centres anywhere (or in `region`), members spread
    /// log-uniformly from 10 m to `spreadMeters` around them.
    static func clustered(count: Int, clusters: Int, spreadMeters: Double, seed: UInt64,
                          longitudes: ClosedRange<Double> = -180...180,
                          latitudes: ClosedRange<Double> = -85...85) -> [Coordinate] {
        var random = SeededRandom(seed: seed)
        let centres = (0..<clusters).map { _ in
            Coordinate(longitude: random.uniform(longitudes), latitude: random.uniform(latitudes))
        }
        return (0..<count).map { _ in
            let centre = centres[Int.random(in: 0..<clusters, using: &random)]
            let meters = exp(random.uniform(log(10)...log(spreadMeters)))
            return EllipsoidalDistanceTests.destination(from: centre, azimuthDegrees: random.uniform(-180...180),
                                                        meters: meters)
        }
    }

    static func queries(near positions: [Coordinate], count: Int, seed: UInt64) -> [Coordinate] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { index in
            if index % 4 == 3 {  // a quarter anywhere on earth
                return Coordinate(longitude: random.uniform(-180...180), latitude: random.uniform(-90...90))
            }
            let anchor = positions[Int.random(in: 0..<positions.count, using: &random)]
            return EllipsoidalDistanceTests.destination(from: anchor, azimuthDegrees: random.uniform(-180...180),
                                                        meters: random.uniform(0...20_000))
        }
    }

    // MARK: k nearest

    @Test("k nearest equals brute force on clustered points worldwide", arguments: [1, 10, 100])
    func nearestMatchesBruteForce(k: Int) throws {
        let positions = Self.clustered(count: 4_000, clusters: 40, spreadMeters: 30_000, seed: 11)
        let index = try GridIndex(positions: positions)
        for (number, query) in Self.queries(near: positions, count: 120, seed: 12).enumerated() {
            let found = try index.nearest(to: query, count: k)
            let expected = Array(Self.bruteForce(positions, from: query).prefix(k))
            Self.expectSame(found, expected, "query \(number) \(query) k=\(k)")
        }
    }

    @Test("dense sub-grids: 20,000 points in three cities, k = 10 and radius 3 km")
    func denseCities() throws {
        // Beijing, Shanghai and Chongqing centres; spread 40 km so cells get sub-grids of sub-grids.
        var positions: [Coordinate] = []
        for (seed, centre) in [(21, (116.40, 39.90)), (22, (121.47, 31.23)), (23, (106.55, 29.56))] {
            positions += Self.clustered(count: 7_000, clusters: 1, spreadMeters: 40_000, seed: UInt64(seed),
                                        longitudes: centre.0...centre.0, latitudes: centre.1...centre.1)
        }
        let index = try GridIndex(positions: positions)
        #expect(index.gridCount > 10)
        for (number, query) in Self.queries(near: positions, count: 60, seed: 24).enumerated() {
            try Self.expectNearestAndWithin(index, positions, from: query, count: 10, radiusMeters: 3_000, "query \(number)")
        }
    }

    @Test("a filter applied inside the search still returns k when k pass")
    func filterInsideSearch() throws {
        let positions = Self.clustered(count: 3_000, clusters: 10, spreadMeters: 20_000, seed: 31,
                                       longitudes: 100...120, latitudes: 22...40)
        let index = try GridIndex(positions: positions)
        let rare: (Int) -> Bool = { $0 % 37 == 0 }  // 82 positions pass
        for (number, query) in Self.queries(near: positions, count: 40, seed: 32).enumerated() {
            let found = try index.nearest(to: query, count: 10, where: rare)
            #expect(found.count == 10)
            #expect(found.allSatisfy { rare($0.ordinal) })
            Self.expectSame(found, Array(Self.bruteForce(positions, from: query, where: rare).prefix(10)),
                            "query \(number)")
        }
    }

    @Test("k larger than the count returns everything, sorted; a distance cap cuts the list")
    func largeKAndCap() throws {
        let positions = Self.clustered(count: 300, clusters: 5, spreadMeters: 500_000, seed: 41)
        let index = try GridIndex(positions: positions)
        let query = Coordinate(longitude: 10, latitude: 50)
        let all = Self.bruteForce(positions, from: query)
        Self.expectSame(try index.nearest(to: query, count: 1_000), all, "k > count")
        let cap = all[150].distanceMeters
        Self.expectSame(try index.nearest(to: query, count: 1_000, maximumDistanceMeters: cap),
                        all.filter { $0.distanceMeters <= cap }, "capped")
    }

    // MARK: Edge cases

    @Test("across the antimeridian")
    func antimeridian() throws {
        let positions = [
            Coordinate(longitude: 179.999, latitude: -17.0), Coordinate(longitude: -179.999, latitude: -17.0),
            Coordinate(longitude: 179.5, latitude: -17.0), Coordinate(longitude: -179.2, latitude: -17.0),
            Coordinate(longitude: 180, latitude: -16.9), Coordinate(longitude: 0, latitude: 0),
        ]
        let index = try GridIndex(positions: positions)
        for query in [Coordinate(longitude: -179.9999, latitude: -17.0), Coordinate(longitude: 179.9999, latitude: -17.01),
                      Coordinate(longitude: -180, latitude: -17), Coordinate(longitude: 180, latitude: -17)] {
            Self.expectSame(try index.nearest(to: query, count: 6), Self.bruteForce(positions, from: query), "\(query)")
            let box = try BoundingBox(west: 179.9, south: -17.5, east: -179.9, north: -16.5)
            #expect(index.inBoundingBox(box) == [0, 1, 4])
        }
    }

    @Test("near the poles, where cells meet at a point")
    func poles() throws {
        var random = SeededRandom(seed: 51)
        var positions: [Coordinate] = []
        for _ in 0..<500 {
            positions.append(Coordinate(longitude: random.uniform(-180...180), latitude: random.uniform(88...90)))
            positions.append(Coordinate(longitude: random.uniform(-180...180), latitude: random.uniform(-90 ... -87)))
        }
        positions.append(Coordinate(longitude: 0, latitude: 90))
        let index = try GridIndex(positions: positions)
        for _ in 0..<40 {
            let query = Coordinate(longitude: random.uniform(-180...180),
                                   latitude: random.uniform(86...90) * (Bool.random(using: &random) ? 1 : -1))
            try Self.expectNearestAndWithin(index, positions, from: query, count: 25, radiusMeters: 50_000, "\(query)")
        }
    }

    @Test("a query in an empty desert reaches outlets hundreds of kilometres away (Karney range)")
    func emptyDesert() throws {
        let positions = Self.clustered(count: 2_000, clusters: 20, spreadMeters: 20_000, seed: 61,
                                       longitudes: 105...122, latitudes: 22...40)
        let index = try GridIndex(positions: positions)
        let taklamakan = Coordinate(longitude: 83.0, latitude: 39.0)
        let found = try index.nearest(to: taklamakan, count: 10)
        #expect(found.first!.distanceMeters > 1_000_000)
        Self.expectSame(found, Array(Self.bruteForce(positions, from: taklamakan).prefix(10)), "Taklamakan")
        // And from the far side of the world.
        let argentina = Coordinate(longitude: -64, latitude: -34)
        Self.expectSame(try index.nearest(to: argentina, count: 10),
                        Array(Self.bruteForce(positions, from: argentina).prefix(10)), "Argentina")
    }

    @Test("where the chord's order differs from the distance's, the distance's wins (a ring at 300 km)")
    func chordOrderIsNotDistanceOrder() throws {
        // At 300 km the geodesic exceeds the chord by about 28 m, and by some 0.3 m more or less
        // depending on the direction; outlets on a ring whose distances differ by centimetres are
        // therefore ranked differently by chord than by distance.
        let query = Coordinate(longitude: 10, latitude: 45)
        var random = SeededRandom(seed: 97)
        let positions = (0..<400).map { _ in
            // Placed on the sphere, then pulled in or out along the same azimuth until Karney's
            // distance is the one drawn (to well under a millimetre).
            let azimuth = random.uniform(-180...180), target = 300_000 + random.uniform(0...2)
            var sphereMeters = target
            var position = query
            for _ in 0..<4 {
                position = EllipsoidalDistanceTests.destination(from: query, azimuthDegrees: azimuth, meters: sphereMeters)
                sphereMeters *= target / Geodesic.distanceMeters(from: query, to: position)
            }
            return position
        }
        let index = try GridIndex(positions: positions)
        let all = Self.bruteForce(positions, from: query)
        let byChord = positions.indices.sorted {
            EarthCenteredPoint(query).chordMeters(to: EarthCenteredPoint(positions[$0]))
                < EarthCenteredPoint(query).chordMeters(to: EarthCenteredPoint(positions[$1]))
        }
        #expect(Array(byChord.prefix(10)) != all.prefix(10).map(\.ordinal), "the ring should not be in chord order")
        for k in [1, 5, 10, 50] {
            Self.expectSame(try index.nearest(to: query, count: k), Array(all.prefix(k)), "ring k=\(k)")
        }
    }

    @Test("many outlets at one position: ties broken by ordinal")
    func manyAtOnePosition() throws {
        let spot = Coordinate(longitude: 121.4737, latitude: 31.2304)
        var positions = [Coordinate](repeating: spot, count: 500)
        positions += Self.clustered(count: 200, clusters: 1, spreadMeters: 2_000, seed: 71,
                                    longitudes: 121.4737...121.4737, latitudes: 31.2304...31.2304)
        let index = try GridIndex(positions: positions)
        let found = try index.nearest(to: spot, count: 10)
        #expect(found.map(\.ordinal) == Array(0..<10))
        #expect(found.allSatisfy { $0.distanceMeters == 0 })
        let near = Coordinate(longitude: 121.48, latitude: 31.23)
        Self.expectSame(try index.nearest(to: near, count: 100), Array(Self.bruteForce(positions, from: near).prefix(100)),
                        "near the spot")
        #expect(try index.within(radiusMeters: 0, of: spot).count == 500)
    }

    @Test("an empty index answers nothing")
    func emptyIndex() throws {
        let index = try GridIndex(positions: [])
        #expect(try index.nearest(to: Coordinate(longitude: 0, latitude: 0), count: 10).isEmpty)
        #expect(try index.within(radiusMeters: 50_000, of: Coordinate(longitude: 0, latitude: 0)).isEmpty)
    }

    // MARK: Bounding box

    @Test("bounding box equals a scan of every position")
    func boundingBox() throws {
        let positions = Self.clustered(count: 5_000, clusters: 30, spreadMeters: 50_000, seed: 81)
        let index = try GridIndex(positions: positions)
        var random = SeededRandom(seed: 82)
        for _ in 0..<50 {
            let west = random.uniform(-180...180), south = random.uniform(-90...80)
            let east = GridIndex.normalizedLongitudeForTests(west + random.uniform(0.1...60))
            let box = try BoundingBox(west: west, south: south, east: east, north: min(90, south + random.uniform(0.1...30)))
            let expected = positions.indices.filter { position in
                let p = positions[position]
                guard p.y >= box.south, p.y <= box.north else { return false }
                return box.west <= box.east ? (p.x >= box.west && p.x <= box.east) : (p.x >= box.west || p.x <= box.east)
            }
            #expect(index.inBoundingBox(box) == expected, "\(box)")
        }
    }

    // MARK: Bad input and sharing

    @Test("bad positions and queries are refused with a reason")
    func badInput() throws {
        #expect(throws: NearbyError.self) { try GridIndex(positions: [Coordinate(longitude: .nan, latitude: 0)]) }
        #expect(throws: NearbyError.self) { try GridIndex(positions: [Coordinate(longitude: 0, latitude: 91)]) }
        let index = try GridIndex(positions: [Coordinate(longitude: 0, latitude: 0)])
        #expect(throws: NearbyError.self) { try index.nearest(to: Coordinate(longitude: 0, latitude: .infinity), count: 1) }
        #expect(throws: NearbyError.self) { try index.nearest(to: Coordinate(longitude: 0, latitude: 0), count: -1) }
        #expect(throws: NearbyError.self) { try index.within(radiusMeters: -1, of: Coordinate(longitude: 0, latitude: 0)) }
        #expect(throws: NearbyError.self) { try index.within(radiusMeters: .nan, of: Coordinate(longitude: 0, latitude: 0)) }
        do {
            _ = try GridIndex(positions: [Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 200, latitude: 0)])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("position 1"))
        }
    }

    @Test("one index shared by concurrent tasks answers each the same as alone")
    func sharedBetweenTasks() async throws {
        let positions = Self.clustered(count: 5_000, clusters: 20, spreadMeters: 30_000, seed: 91)
        let index = try GridIndex(positions: positions)
        let queries = Self.queries(near: positions, count: 200, seed: 92)
        let alone = try queries.map { try index.nearest(to: $0, count: 10) }
        let together = try await withThrowingTaskGroup(of: (Int, [GridIndex.Neighbor]).self) { group in
            for (number, query) in queries.enumerated() {
                group.addTask { (number, try index.nearest(to: query, count: 10)) }
            }
            var results = [[GridIndex.Neighbor]](repeating: [], count: queries.count)
            for try await (number, found) in group { results[number] = found }
            return results
        }
        #expect(together == alone)
    }
}

extension GridIndex {
    /// Longitude wrapped into [-180, 180], for building test boxes.
    static func normalizedLongitudeForTests(_ longitude: Double) -> Double {
        longitude > 180 ? longitude - 360 : longitude
    }
}
