import Foundation
import SitingCore
import SitingTestSupport
import Testing

/// The fast distance against Karney's geodesic (PROJ `geod.h`), the reference.
@Suite struct EllipsoidalDistanceTests {
    /// Random pairs: a start anywhere (poles and antimeridian included), an end at a random azimuth
    /// and a distance up to `maximumMeters`, placed with Karney's direct problem via `geod`.
    static func randomPairs(count: Int, maximumMeters: Double, seed: UInt64) -> [(Coordinate, Coordinate)] {
        var random = SeededRandom(seed: seed)
        var pairs: [(Coordinate, Coordinate)] = []
        for _ in 0..<count {
            let start = Coordinate(longitude: random.uniform(-180...180), latitude: random.uniform(-90...90))
            // Spread distances log-uniformly from 1 m so short lines are tested as hard as long ones.
            let distance = exp(random.uniform(0...log(maximumMeters)))
            let bearing = random.uniform(-180...180)
            let end = Self.destination(from: start, azimuthDegrees: bearing, meters: distance)
            pairs.append((start, end))
        }
        return pairs
    }

    /// A crude spherical destination is enough to place the second point; the reference distance
    /// is computed afterwards by Karney's inverse.
    static func destination(from start: Coordinate, azimuthDegrees: Double, meters: Double) -> Coordinate {
        let radius = 6_371_008.8
        let phi1 = start.latitude * .pi / 180, lambda1 = start.longitude * .pi / 180
        let theta = azimuthDegrees * .pi / 180, delta = meters / radius
        let phi2 = asin(sin(phi1) * cos(delta) + cos(phi1) * sin(delta) * cos(theta))
        var lambda2 = lambda1 + atan2(sin(theta) * sin(delta) * cos(phi1), cos(delta) - sin(phi1) * sin(phi2))
        lambda2 = (lambda2 + 3 * .pi).truncatingRemainder(dividingBy: 2 * .pi) - .pi
        return Coordinate(longitude: lambda2 * 180 / .pi, latitude: phi2 * 180 / .pi)
    }

    @Test("the eccentricity written as a literal is WGS84's, from its flattening")
    func eccentricityFromFlattening() {
        let f = 1.0 / 298.257_223_563
        #expect(EllipsoidalDistance.eccentricitySquared == f * (2 - f))
    }

    @Test("agrees with Karney to 1 cm below 100 km, everywhere")
    func agreesWithKarneyBelow100Kilometres() {
        var worst = 0.0
        for (a, b) in Self.randomPairs(count: 200_000, maximumMeters: 100_000, seed: 7) {
            let reference = Geodesic.distanceMeters(from: a, to: b)
            let fast = EllipsoidalDistance.meters(from: a, to: b)
            worst = max(worst, abs(fast - reference))
        }
        print("EllipsoidalDistance: worst error below 100 km over 200,000 pairs = \(worst * 1000) mm")
        #expect(worst < 0.01)
    }

    @Test("agrees with Karney to 1 cm up to the fast-path limit, and exactly beyond it")
    func agreesWithKarneyAtAllDistances() {
        var worst = 0.0
        for (a, b) in Self.randomPairs(count: 50_000, maximumMeters: 20_000_000, seed: 11) {
            let reference = Geodesic.distanceMeters(from: a, to: b)
            worst = max(worst, abs(EllipsoidalDistance.meters(from: a, to: b) - reference))
        }
        print("EllipsoidalDistance: worst error up to 20,000 km over 50,000 pairs = \(worst * 1000) mm")
        #expect(worst < 0.01)
    }

    @Test("the azimuth agrees with Karney's to 1e-4 degrees below 100 km and equals it beyond, everywhere")
    func azimuthAgreesWithKarney() {
        func difference(_ a: Double, _ b: Double) -> Double {
            let raw = abs(a - b).truncatingRemainder(dividingBy: 360)
            return min(raw, 360 - raw)
        }
        var worst = 0.0
        for (a, b) in Self.randomPairs(count: 100_000, maximumMeters: 20_000_000, seed: 13) where abs(a.latitude) < 89.999 {
            let line = Geodesic.inverse(from: a, to: b)
            let reference = line.initialAzimuthDegrees < 0 ? line.initialAzimuthDegrees + 360 : line.initialAzimuthDegrees
            let fast = EllipsoidalDistance.azimuthDegrees(from: a, to: b, distanceMeters: line.distanceMeters)
            #expect(fast >= 0 && fast < 360)
            if line.distanceMeters < EllipsoidalDistance.fastAzimuthLimitMeters {
                worst = max(worst, difference(fast, reference))
            } else {
                #expect(difference(fast, reference) < 1e-9)
            }
        }
        print("EllipsoidalDistance: worst azimuth difference below 100 km = \(worst)°")
        #expect(worst < 1e-4)
    }

    @Test("the chord never exceeds the geodesic, so it prunes safely")
    func chordIsALowerBound() {
        for (a, b) in Self.randomPairs(count: 50_000, maximumMeters: 20_000_000, seed: 13) {
            let chord = EarthCenteredPoint(a).chordMeters(to: EarthCenteredPoint(b))
            #expect(chord <= Geodesic.distanceMeters(from: a, to: b) + 1e-6)
        }
    }

    @Test("hand-checked cases: identical points, across the antimeridian, over a pole")
    func specialCases() {
        let here = Coordinate(longitude: 116.391, latitude: 39.907)
        #expect(EllipsoidalDistance.meters(from: here, to: here) == 0)
        // 0.002° of longitude on the equator across the antimeridian: 2πa·0.002/360 = 222.639 m.
        let west = Coordinate(longitude: 179.999, latitude: 0), east = Coordinate(longitude: -179.999, latitude: 0)
        #expect(abs(EllipsoidalDistance.meters(from: west, to: east) - 222.638_981_6) < 1e-3)
        // Across the north pole along meridians 0 and 180: a meridian arc of 2 × 0.001°.
        let a = Coordinate(longitude: 0, latitude: 89.999), b = Coordinate(longitude: 180, latitude: 89.999)
        #expect(abs(EllipsoidalDistance.meters(from: a, to: b) - Geodesic.distanceMeters(from: a, to: b)) < 1e-3)
    }
}
