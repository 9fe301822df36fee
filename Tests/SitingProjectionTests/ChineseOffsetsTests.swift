import Foundation
import SitingProjection
import SitingTestSupport
import Testing

/// GCJ-02 and BD-09 against the published vectors of DESIGN §5, and their iterated inverses.
///
/// Tolerances: 1e-9° is about 0.1 mm on the ground (1° of latitude ≈ 111 km), far below anything a
/// user sees; the inverses iterate until a step moves less than about 1e-13°, so their round trips
/// are checked much tighter than that, at 1e-12°.
@Suite struct ChineseOffsetsTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var wgs: Coordinate
        var gcj: Coordinate
        var testDescription: String { "\(wgs)" }
    }

    /// DESIGN §5, given there as (lat, lng) pairs; written here lon/lat.
    static let wgsToGcjVectors: [Vector] = [
        Vector(wgs: Coordinate(longitude: 121.5272106, latitude: 31.1774276),
               gcj: Coordinate(longitude: 121.531541859215, latitude: 31.17530398364597)),
        Vector(wgs: Coordinate(longitude: 113.912316, latitude: 22.543847),
               gcj: Coordinate(longitude: 113.9171764808363, latitude: 22.540796131694766)),
        Vector(wgs: Coordinate(longitude: 116.377817, latitude: 39.911954),
               gcj: Coordinate(longitude: 116.38404722455657, latitude: 39.91334545536069)),
        Vector(wgs: Coordinate(longitude: 116.404, latitude: 39.915),
               gcj: Coordinate(longitude: 116.41024449916938, latitude: 39.91640428150164)),
    ]

    /// DESIGN §5: the point (116.404, 39.915) taken as GCJ-02, converted to BD-09. (DESIGN lists it next
    /// to the WGS 84 → GCJ-02 vector of the same point; the BD-09 value is that point's, not the
    /// converted point's: BD-09 is GCJ-02 moved by about (0.0065°, 0.006°), and 116.41037 − 116.404
    /// fits, 116.41037 − 116.41024 does not.)
    static let gcjToBdVector = (gcj: Coordinate(longitude: 116.404, latitude: 39.915),
                                bd: Coordinate(longitude: 116.41036949371029, latitude: 39.92133699351021))

    static func close(_ a: Coordinate, _ b: Coordinate, within tolerance: Double) -> Bool {
        abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
    }

    @Test("WGS 84 → GCJ-02 matches the published vectors to 1e-9°", arguments: wgsToGcjVectors)
    func wgsToGcj(vector: Vector) {
        let got = ChineseOffsets.wgs84ToGcj02(vector.wgs)
        #expect(Self.close(got, vector.gcj, within: 1e-9), "\(got) vs \(vector.gcj)")
        // The published shifts are hundreds of metres, so this is not an identity passing by accident.
        #expect(abs(got.x - vector.wgs.x) > 1e-3 || abs(got.y - vector.wgs.y) > 1e-3)
    }

    @Test("GCJ-02 → WGS 84 recovers the published WGS 84 points to 1e-9°", arguments: wgsToGcjVectors)
    func gcjToWgs(vector: Vector) {
        let got = ChineseOffsets.gcj02ToWgs84(vector.gcj)
        #expect(Self.close(got, vector.wgs, within: 1e-9), "\(got) vs \(vector.wgs)")
    }

    @Test("GCJ-02 → BD-09 matches the published vector, BD-09 → GCJ-02 inverts it")
    func bd09Vector() {
        let (gcj, bd) = Self.gcjToBdVector
        #expect(Self.close(ChineseOffsets.gcj02ToBd09(gcj), bd, within: 1e-9))
        #expect(Self.close(Self.bd09Reference(gcj), bd, within: 1e-9))
        #expect(Self.close(ChineseOffsets.bd09ToGcj02(bd), gcj, within: 1e-9))
        // Some public suites compute BD-09 with π where Baidu uses x_pi = π·3000/180 and end up
        // 10–41 m away; the published vector rules that out: this is its x_pi answer.
        #expect(Geodesic.distanceMeters(from: Self.bd09UsingPi(gcj), to: bd) > 5)
    }

    @Test("WGS 84 ↔ BD-09 is GCJ-02 ↔ BD-09 after WGS 84 ↔ GCJ-02, on the published points", arguments: wgsToGcjVectors)
    func wgsToBd(vector: Vector) {
        // The GCJ-02 points are published; BD-09 from them by the test's own copy of Baidu's formula.
        let bd = Self.bd09Reference(vector.gcj)
        #expect(Self.close(ChineseOffsets.wgs84ToBd09(vector.wgs), bd, within: 1e-9))
        #expect(Self.close(ChineseOffsets.bd09ToWgs84(bd), vector.wgs, within: 1e-9))
        #expect(Self.close(ChineseOffsets.bd09ToGcj02(bd), vector.gcj, within: 1e-9))
    }

    /// Baidu's GCJ-02 → BD-09 formula as published (x_pi = π·3000/180), transcribed independently of
    /// the code under test; `bd09Vector` checks it against DESIGN's vector.
    static func bd09Reference(_ p: Coordinate) -> Coordinate {
        let xPi = Double.pi * 3000 / 180
        let z = (p.x * p.x + p.y * p.y).squareRoot() + 0.00002 * sin(p.y * xPi)
        let theta = atan2(p.y, p.x) + 0.000003 * cos(p.x * xPi)
        return Coordinate(x: z * cos(theta) + 0.0065, y: z * sin(theta) + 0.006)
    }

    /// The common mistake DESIGN §5 warns about: Baidu's formula with π instead of x_pi.
    static func bd09UsingPi(_ p: Coordinate) -> Coordinate {
        let z = (p.x * p.x + p.y * p.y).squareRoot() + 0.00002 * sin(p.y * .pi)
        let theta = atan2(p.y, p.x) + 0.000003 * cos(p.x * .pi)
        return Coordinate(x: z * cos(theta) + 0.0065, y: z * sin(theta) + 0.006)
    }

    /// At least `count` seeded random WGS 84 points inside mainland China.
    static func mainlandPoints(count: Int, seed: UInt64) -> [Coordinate] {
        var random = SeededRandom(seed: seed)
        var points: [Coordinate] = []
        while points.count < count {
            let p = Coordinate(longitude: random.uniform(73...135.5), latitude: random.uniform(3...54))
            if MainlandChina.contains(p) { points.append(p) }
        }
        return points
    }

    static let grid = mainlandPoints(count: 12_000, seed: 2024)

    @Test("inverses round-trip over 12,000 mainland points: max error below 1e-12°")
    func roundTrips() {
        var worstGcj = 0.0, worstBdToGcj = 0.0, worstBd = 0.0
        for wgs in Self.grid {
            let gcj = ChineseOffsets.wgs84ToGcj02(wgs)
            let back = ChineseOffsets.gcj02ToWgs84(gcj)
            worstGcj = max(worstGcj, abs(back.x - wgs.x), abs(back.y - wgs.y))

            let bd = ChineseOffsets.gcj02ToBd09(gcj)
            let gcjBack = ChineseOffsets.bd09ToGcj02(bd)
            worstBdToGcj = max(worstBdToGcj, abs(gcjBack.x - gcj.x), abs(gcjBack.y - gcj.y))

            let bdDirect = ChineseOffsets.wgs84ToBd09(wgs)
            #expect(Self.close(bdDirect, bd, within: 1e-12), "wgs→bd and wgs→gcj→bd differ at \(wgs)")
            let wgsBack = ChineseOffsets.bd09ToWgs84(bdDirect)
            worstBd = max(worstBd, abs(wgsBack.x - wgs.x), abs(wgsBack.y - wgs.y))
        }
        print("ChineseOffsets round trips over \(Self.grid.count) points: gcj→wgs \(worstGcj)°, bd→gcj \(worstBdToGcj)°, bd→wgs \(worstBd)°")
        #expect(worstGcj < 1e-12)
        #expect(worstBdToGcj < 1e-12)
        #expect(worstBd < 1e-12)
    }

    @Test("the one-step GCJ-02 inverse would be off by metres, so the iteration matters")
    func oneStepInverseIsNotEnough() {
        var worstOneStep = 0.0, worstIterated = 0.0
        for wgs in Self.grid {
            let gcj = ChineseOffsets.wgs84ToGcj02(wgs)
            // The usual shortcut: subtract the offset evaluated at the GCJ-02 point instead of the WGS one.
            // (Unchecked: near the border a GCJ-02 point may fall outside the domain, and the checked
            // forward would then return it unmoved, which measures the domain test, not the shortcut.)
            let shift = ChineseOffsets.wgs84ToGcj02Unchecked(gcj)
            let oneStep = Coordinate(x: 2 * gcj.x - shift.x, y: 2 * gcj.y - shift.y)
            worstOneStep = max(worstOneStep, Geodesic.distanceMeters(from: oneStep, to: wgs))
            worstIterated = max(worstIterated, Geodesic.distanceMeters(from: ChineseOffsets.gcj02ToWgs84(gcj), to: wgs))
        }
        print("GCJ-02 inverse: one-step worst \(worstOneStep) m, iterated worst \(worstIterated) m")
        #expect(worstOneStep > 1)
        #expect(worstOneStep < 10)  // DESIGN §5: up to about 4.4 m
        #expect(worstIterated < 1e-7)
    }

    struct Place: Sendable, CustomTestStringConvertible {
        var name: String
        var position: Coordinate
        var testDescription: String { name }
    }

    static let outside: [Place] = [
        Place(name: "Tokyo", position: Coordinate(longitude: 139.6917, latitude: 35.6895)),
        Place(name: "Seoul", position: Coordinate(longitude: 126.978, latitude: 37.5665)),
        Place(name: "Taipei", position: Coordinate(longitude: 121.56, latitude: 25.04)),
        Place(name: "Hong Kong", position: Coordinate(longitude: 114.17, latitude: 22.32)),
        Place(name: "New York", position: Coordinate(longitude: -74.006, latitude: 40.7128)),
        Place(name: "Ulaanbaatar", position: Coordinate(longitude: 106.9057, latitude: 47.8864)),
    ]

    @Test("positions outside mainland China are unchanged in every direction", arguments: outside)
    func outsideUnchanged(place: Place) {
        let p = place.position
        #expect(ChineseOffsets.wgs84ToGcj02(p) == p)
        #expect(ChineseOffsets.gcj02ToWgs84(p) == p)
        #expect(ChineseOffsets.gcj02ToBd09(p) == p)
        #expect(ChineseOffsets.bd09ToGcj02(p) == p)
        #expect(ChineseOffsets.wgs84ToBd09(p) == p)
        #expect(ChineseOffsets.bd09ToWgs84(p) == p)
        // The raw formula would move them by hundreds of metres: the domain test is what keeps them.
        #expect(Geodesic.distanceMeters(from: ChineseOffsets.wgs84ToGcj02Unchecked(p), to: p) > 50)
    }

    @Test("through the converter, outside points are unchanged as well", arguments: outside)
    func outsideUnchangedThroughConverter(place: Place) throws {
        let converter = CoordinateConverter()
        let systems: [CoordinateSystem] = [.wgs84, .gcj02, .bd09]
        for source in systems {
            for target in systems {
                #expect(try converter.convert(place.position, from: source, to: target) == place.position, "\(source) → \(target)")
            }
        }
    }

    @Test("the GCJ-02 offset is a few hundred metres everywhere in mainland China, never more than 1 km")
    func offsetMagnitude() {
        var smallest = Double.infinity, largest = 0.0
        for wgs in Self.grid.prefix(3_000) {
            let d = Geodesic.distanceMeters(from: wgs, to: ChineseOffsets.wgs84ToGcj02(wgs))
            smallest = min(smallest, d)
            largest = max(largest, d)
        }
        #expect(smallest > 1)
        #expect(largest < 1_000)
    }
}
