import Foundation
import SitingProjection
import SitingTestSupport
import Testing

/// `ConverterPool` under concurrent use: every borrower gets the answers a lone converter gives, and the
/// pool keeps no more converters than there were concurrent borrowers.
@Suite struct ConverterPoolTests {
    static let tasks = 8
    static let conversionsPerTask = 1_000

    /// Seeded points over China; task `t` converts its own slice.
    static let points: [Coordinate] = {
        var random = SeededRandom(seed: 8)
        return (0..<(tasks * conversionsPerTask)).map { _ in
            Coordinate(longitude: random.uniform(73...135), latitude: random.uniform(18...54))
        }
    }()

    /// The pairs the tasks cycle through: PROJ operations, Chinese offsets, and both composed.
    static let pairs: [(CoordinateSystem, CoordinateSystem)] = [
        (.wgs84, .crs("EPSG:3857")), (.wgs84, .crs("EPSG:32650")), (.wgs84, .gcj02), (.wgs84, .bd09),
        (.wgs84, .cgcs2000),
    ]

    @Test("8 concurrent tasks × 1,000 conversions give the single-converter answers; idleCount ≤ 8")
    func concurrentTasksAgreeWithOneConverter() async throws {
        let single = CoordinateConverter()
        var expected: [Coordinate] = []
        for (index, point) in Self.points.enumerated() {
            let (source, target) = Self.pairs[index % Self.pairs.count]
            expected.append(try single.convert(point, from: source, to: target))
        }

        let pool = ConverterPool()
        let results = try await withThrowingTaskGroup(of: (Int, [Coordinate]).self) { group in
            for task in 0..<Self.tasks {
                group.addTask {
                    let range = (task * Self.conversionsPerTask)..<((task + 1) * Self.conversionsPerTask)
                    var answers: [Coordinate] = []
                    for index in range {
                        let (source, target) = Self.pairs[index % Self.pairs.count]
                        // One borrow per conversion, so borrowers interleave as a server's requests do.
                        answers.append(try pool.withConverter { try $0.convert(Self.points[index], from: source, to: target) })
                    }
                    #expect(pool.idleCount <= Self.tasks)
                    return (task, answers)
                }
            }
            var all = [[Coordinate]](repeating: [], count: Self.tasks)
            for try await (task, answers) in group { all[task] = answers }
            return all.flatMap { $0 }
        }
        #expect(results.count == expected.count)
        var mismatches = 0
        for (got, want) in zip(results, expected) where got != want { mismatches += 1 }
        #expect(mismatches == 0, "\(mismatches) of \(expected.count) conversions differ from a lone converter")
        #expect(pool.idleCount >= 1 && pool.idleCount <= Self.tasks, "idleCount \(pool.idleCount)")
    }

    @Test("sequential borrowers reuse one converter, and a throwing body returns it to the pool")
    func sequentialReuse() throws {
        let pool = ConverterPool()
        #expect(pool.idleCount == 0)
        for _ in 0..<100 {
            let point = try pool.withConverter { try $0.convert(Coordinate(longitude: 87.6, latitude: 43.8), from: .wgs84, to: .crs("EPSG:3857")) }
            #expect(abs(point.x - 6_378_137 * 87.6 * .pi / 180) < 1e-3)  // x = a·λ
        }
        #expect(pool.idleCount == 1)
        #expect(throws: ProjectionError.latitudeOutOfRange(91)) {
            try pool.withConverter { try $0.convert(Coordinate(longitude: 87.6, latitude: 91), from: .wgs84, to: .gcj02) }
        }
        #expect(pool.idleCount == 1)
    }

    @Test("nested borrows get distinct converters")
    func nestedBorrows() throws {
        let pool = ConverterPool()
        let identities = pool.withConverter { outer in
            pool.withConverter { inner in (ObjectIdentifier(outer), ObjectIdentifier(inner)) }
        }
        #expect(identities.0 != identities.1)
        #expect(pool.idleCount == 2)
    }
}
