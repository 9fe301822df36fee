import Foundation
import SitingProjection
import SitingTestSupport
import Testing

/// `Geodesic` against PROJ's `geod` program and hand-worked areas.
///
/// `geod -I` prints the azimuth at the first point, the *back* azimuth at the second point (pointing
/// back to the first) and the distance, always to the millimetre. `Geodesic.Inverse` gives the forward
/// azimuth at the second point, which is the back azimuth turned by 180°.
@Suite struct GeodesicTests {
    struct Pair: Sendable, CustomTestStringConvertible {
        var label: String
        var start: Coordinate
        var end: Coordinate
        var testDescription: String { label }
    }

    static let pairs: [Pair] = [
        Pair(label: "Beijing → Shanghai", start: Coordinate(longitude: 116.404, latitude: 39.915),
             end: Coordinate(longitude: 121.4737, latitude: 31.2304)),
        Pair(label: "Urumqi → Haikou", start: Coordinate(longitude: 87.6, latitude: 43.8),
             end: Coordinate(longitude: 110.35, latitude: 20.02)),
        Pair(label: "one metre east in Shanghai", start: Coordinate(longitude: 121.4737, latitude: 31.2304),
             end: Coordinate(longitude: 121.473_710_5, latitude: 31.2304)),
        Pair(label: "London → Sydney", start: Coordinate(longitude: -0.1276, latitude: 51.5072),
             end: Coordinate(longitude: 151.2093, latitude: -33.8688)),
        Pair(label: "nearly antipodal 0,0 → 0.5 N 179.7 E", start: Coordinate(longitude: 0, latitude: 0),
             end: Coordinate(longitude: 179.7, latitude: 0.5)),
        Pair(label: "nearly antipodal 30 S 0 → 29.9 N 179.8 E", start: Coordinate(longitude: 0, latitude: -30),
             end: Coordinate(longitude: 179.8, latitude: 29.9)),
        Pair(label: "exact antipodes on the equator", start: Coordinate(longitude: 0, latitude: 0),
             end: Coordinate(longitude: 180, latitude: 0)),
        Pair(label: "exact antipodes 40 N 116 E / 40 S 64 W", start: Coordinate(longitude: 116, latitude: 40),
             end: Coordinate(longitude: -64, latitude: -40)),
        Pair(label: "both near the north pole, opposite meridians", start: Coordinate(longitude: 0, latitude: 89.9),
             end: Coordinate(longitude: 180, latitude: 89.9)),
        Pair(label: "both near the north pole, 90° apart", start: Coordinate(longitude: 45, latitude: 89.99),
             end: Coordinate(longitude: 135, latitude: 89.98)),
        Pair(label: "pole to pole", start: Coordinate(longitude: 0, latitude: 90), end: Coordinate(longitude: 0, latitude: -90)),
        Pair(label: "equator to the south pole", start: Coordinate(longitude: 30, latitude: 0),
             end: Coordinate(longitude: 0, latitude: -90)),
        Pair(label: "across the antimeridian", start: Coordinate(longitude: 179.5, latitude: 10),
             end: Coordinate(longitude: -179.5, latitude: -10)),
        Pair(label: "across the antimeridian, 200 m on the equator", start: Coordinate(longitude: 179.999, latitude: 0),
             end: Coordinate(longitude: -179.999, latitude: 0)),
        Pair(label: "same point", start: Coordinate(longitude: 116.404, latitude: 39.915),
             end: Coordinate(longitude: 116.404, latitude: 39.915)),
    ]

    @Test("inverse agrees with geod: distance to 1 mm, azimuths to 1e-7°")
    func inverseAgreesWithGeod() throws {
        // One geod process for all pairs; each pair is checked in both directions.
        let rows = Self.pairs.flatMap { pair in
            [(lat1: pair.start.latitude, lon1: pair.start.longitude, lat2: pair.end.latitude, lon2: pair.end.longitude),
             (lat1: pair.end.latitude, lon1: pair.end.longitude, lat2: pair.start.latitude, lon2: pair.start.longitude)]
        }
        let answers = try ProjPrograms.geodInverse(rows)
        for (index, pair) in Self.pairs.enumerated() {
            for (direction, (from, to)) in [(pair.start, pair.end), (pair.end, pair.start)].enumerated() {
                let reference = answers[2 * index + direction]
                let got = Geodesic.inverse(from: from, to: to)
                let label = "\(pair.label)\(direction == 1 ? " (reversed)" : "")"
                // geod rounds distances to the millimetre: allow that half-millimetre plus 0.5 mm.
                #expect(abs(got.distanceMeters - reference.distanceMeters) <= 1e-3,
                        "\(label): \(got.distanceMeters) vs geod \(reference.distanceMeters)")
                #expect(abs(Geodesic.distanceMeters(from: from, to: to) - got.distanceMeters) == 0)
                guard got.distanceMeters > 0 else { continue }  // azimuths of a zero-length line are conventions
                #expect(angularDifferenceDegrees(got.initialAzimuthDegrees, reference.azimuth1) <= 1e-7,
                        "\(label): azimuth 1 \(got.initialAzimuthDegrees) vs geod \(reference.azimuth1)")
                #expect(angularDifferenceDegrees(got.finalAzimuthDegrees, reference.backAzimuth2 + 180) <= 1e-7,
                        "\(label): azimuth 2 \(got.finalAzimuthDegrees) vs geod back azimuth \(reference.backAzimuth2)")
            }
        }
    }

    @Test("random pairs worldwide agree with geod to 1 mm and 1e-7°")
    func randomPairsAgreeWithGeod() throws {
        var random = SeededRandom(seed: 99)
        var starts: [Coordinate] = [], ends: [Coordinate] = []
        for _ in 0..<500 {
            starts.append(Coordinate(longitude: random.uniform(-180...180), latitude: random.uniform(-90...90)))
            ends.append(Coordinate(longitude: random.uniform(-180...180), latitude: random.uniform(-90...90)))
        }
        let answers = try ProjPrograms.geodInverse(zip(starts, ends).map {
            (lat1: $0.latitude, lon1: $0.longitude, lat2: $1.latitude, lon2: $1.longitude)
        })
        var worstDistance = 0.0, worstAzimuth = 0.0
        for ((start, end), reference) in zip(zip(starts, ends), answers) {
            let got = Geodesic.inverse(from: start, to: end)
            worstDistance = max(worstDistance, abs(got.distanceMeters - reference.distanceMeters))
            worstAzimuth = max(worstAzimuth, angularDifferenceDegrees(got.initialAzimuthDegrees, reference.azimuth1),
                               angularDifferenceDegrees(got.finalAzimuthDegrees, reference.backAzimuth2 + 180))
        }
        #expect(worstDistance <= 1e-3)
        #expect(worstAzimuth <= 1e-7)
    }

    @Test("hand-checked lengths: a quarter meridian and the equator")
    func handCheckedLengths() {
        // Half the equator is π·a = 20,037,508.343 m; the geodesic between antipodes on the equator
        // runs over a pole instead, along half a meridian: 2 × 10,001,965.729 m (the WGS 84 quarter
        // meridian, a standard published value).
        let poleToPole = Geodesic.distanceMeters(from: Coordinate(longitude: 0, latitude: 90),
                                                 to: Coordinate(longitude: 0, latitude: -90))
        #expect(abs(poleToPole - 2 * 10_001_965.729) < 2e-3)
        let antipodes = Geodesic.distanceMeters(from: Coordinate(longitude: 0, latitude: 0),
                                                to: Coordinate(longitude: 180, latitude: 0))
        #expect(abs(antipodes - poleToPole) < 1e-6)
        #expect(antipodes < .pi * Geodesic.wgs84SemiMajorAxisMeters)
        // 0.002° of equator across the antimeridian: 2π·a·0.002/360 = 222.638 982 m.
        let across = Geodesic.distanceMeters(from: Coordinate(longitude: 179.999, latitude: 0),
                                             to: Coordinate(longitude: -179.999, latitude: 0))
        #expect(abs(across - 2 * .pi * 6_378_137 * 0.002 / 360) < 1e-6)
    }

    /// Area of the ellipsoid zone between latitudes `south` and `north` (degrees) over `widthDegrees` of
    /// longitude, in closed form: A = Δλ · b²/2 · [f(φ₂) − f(φ₁)],
    /// f(φ) = sin φ / (1 − e² sin² φ) + ln((1 + e sin φ)/(1 − e sin φ)) / (2e).
    static func zoneArea(south: Double, north: Double, widthDegrees: Double) -> Double {
        let a = Geodesic.wgs84SemiMajorAxisMeters, f = Geodesic.wgs84Flattening
        let e2 = f * (2 - f), e = e2.squareRoot(), b = a * (1 - f)
        func q(_ degrees: Double) -> Double {
            let s = sin(degrees * .pi / 180)
            return s / (1 - e2 * s * s) + log((1 + e * s) / (1 - e * s)) / (2 * e)
        }
        return widthDegrees * .pi / 180 * b * b / 2 * (q(north) - q(south))
    }

    @Test("an octant of the ellipsoid (equator, two meridians, the pole) is an eighth of its surface")
    func octantArea() {
        // All three edges are geodesics (the equator and two meridians), so the polygon is exact.
        // Whole WGS 84 surface: 2πa² + πb²/e · ln((1+e)/(1−e)) = 510,065,621,724,088 m² (zone formula, ±90°).
        let total = Self.zoneArea(south: -90, north: 90, widthDegrees: 360)
        #expect(abs(total - 510_065_621_724_088.5) < 1e3)
        let octant = [Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 90, latitude: 0),
                      Coordinate(longitude: 0, latitude: 90)]
        let area = Geodesic.polygonAreaSquareMeters(octant)
        #expect(abs(area - total / 8) / (total / 8) < 1e-12)
        // Winding does not matter.
        #expect(abs(Geodesic.polygonAreaSquareMeters(octant.reversed()) - area) / area < 1e-12)
    }

    @Test("a 1° × 1° cell with densified parallels has the closed-form zone area", arguments: [0.0, 30, 60, -45, 89])
    func cellArea(south: Double) {
        // Parallels are not geodesics: place 2,000 points along each so the geodesic chords between them
        // sag by under a millimetre; the meridians are geodesics already.
        let north = south + 1, west = 116.0, east = 117.0, steps = 2_000
        var ring: [Coordinate] = []
        for i in 0...steps { ring.append(Coordinate(longitude: west + Double(i) / Double(steps), latitude: south)) }
        for i in 0...steps { ring.append(Coordinate(longitude: east - Double(i) / Double(steps), latitude: north)) }
        let expected = Self.zoneArea(south: south, north: north, widthDegrees: 1)
        let area = Geodesic.polygonAreaSquareMeters(ring)
        #expect(abs(area - expected) / expected < 1e-7, "\(area) vs \(expected)")
        #expect(abs(Geodesic.polygonAreaSquareMeters(ring.reversed()) - area) < 1e-3)
    }

    @Test("a cell across the antimeridian has the same area as one beside it")
    func cellAcrossAntimeridian() {
        let across = [Coordinate(longitude: 179.5, latitude: 10), Coordinate(longitude: -179.5, latitude: 10),
                      Coordinate(longitude: -179.5, latitude: 11), Coordinate(longitude: 179.5, latitude: 11)]
        let beside = across.map { Coordinate(longitude: $0.longitude >= 0 ? 100.5 : 101.5, latitude: $0.latitude) }
        let a = Geodesic.polygonAreaSquareMeters(across), b = Geodesic.polygonAreaSquareMeters(beside)
        #expect(abs(a - b) / b < 1e-12)
        // About 1° × 1° at 10.5 N: 111.3 km × 109.4 km ≈ 1.2e10 m², not (a sliver of) the rest of the Earth.
        #expect(a > 1.1e10 && a < 1.3e10)
    }
}
