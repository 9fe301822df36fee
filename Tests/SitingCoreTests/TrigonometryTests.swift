import Foundation
import SitingCore
import SitingTestSupport
import Testing

/// `Trigonometry` against the C maths library, hand-worked values, and PROJ's geocentric conversion.
@Suite struct TrigonometryTests {
    @Test("Quarter turns and the textbook angles come out exact or within one unit in the last place")
    func handWorkedAngles() {
        for (degrees, sin, cos) in [(0.0, 0.0, 1.0), (90, 1, 0), (180, 0, -1), (-90, -1, 0), (270, -1, 0),
                                    (-180, 0, -1), (360, 0, 1), (450, 1, 0), (720, 0, 1)] {
            let result = Trigonometry.sinCos(degrees: degrees)
            #expect(result.sin == sin && result.cos == cos, "\(degrees)°: \(result)")
        }
        for degrees in [Double.nan, .infinity, -.infinity] {  // as libm: NaN, not a trap
            let result = Trigonometry.sinCos(degrees: degrees)
            #expect(result.sin.isNaN && result.cos.isNaN, "\(degrees)")
        }
        #expect(EarthCenteredPoint(Coordinate(longitude: .nan, latitude: 10)).x.isNaN)
        let half = 0.5, rootHalf = 0.5.squareRoot(), rootThreeHalves = 3.0.squareRoot() / 2
        for (degrees, sin, cos) in [(30.0, half, rootThreeHalves), (45, rootHalf, rootHalf), (60, rootThreeHalves, half),
                                    (135, rootHalf, -rootHalf), (-150, -half, -rootThreeHalves)] {
            let result = Trigonometry.sinCos(degrees: degrees)
            #expect(abs(result.sin - sin) <= sin.ulp.magnitude && abs(result.cos - cos) <= cos.ulp.magnitude,
                    "\(degrees)°: \(result) vs (\(sin), \(cos))")
        }
    }

    @Test("sin and cos agree with libm's on the same reduced argument, for random angles to ±1,000°")
    func agreesWithLibm() {
        var random = SeededRandom(seed: 11)
        var worst = 0.0
        for _ in 0..<200_000 {
            let degrees = random.uniform(-1_000...1_000)
            let result = Trigonometry.sinCos(degrees: degrees)
            // libm's own sin(d·π/180) carries the rounding of a large argument; reduce first so the
            // comparison measures the polynomials and the quadrant logic.
            let quarters = (degrees.truncatingRemainder(dividingBy: 360) / 90).rounded()
            let x = (degrees.truncatingRemainder(dividingBy: 360) - 90 * quarters) * (Double.pi / 180)
            let turns = ((Int(quarters) % 4) + 4) % 4
            let (s, c) = (Foundation.sin(x), Foundation.cos(x))
            let expected = [(s, c), (c, -s), (-s, -c), (-c, s)][turns]
            worst = max(worst, abs(result.sin - expected.0), abs(result.cos - expected.1))
        }
        #expect(worst <= 2.3e-16, "worst difference \(worst)")
    }

    @Test("Geocentric latitude from the series agrees with atan2((1 − e²) tan φ) to a few units in the last place")
    func geocentricLatitude() {
        let e2 = EllipsoidalDistance.eccentricitySquared
        var worst = 0.0
        for step in -9_000...9_000 {
            let degrees = Double(step) / 100
            let (s, c) = Trigonometry.sinCos(degrees: degrees)
            let series = Trigonometry.geocentricLatitudeDegrees(geodetic: degrees, sinLatitude: s, cosLatitude: c)
            let phi = degrees * .pi / 180
            let reference = abs(degrees) == 90 ? degrees : atan2((1 - e2) * Foundation.sin(phi), Foundation.cos(phi)) * 180 / .pi
            worst = max(worst, abs(series - reference))
        }
        #expect(worst <= 4 * 90.0.ulp, "worst difference \(worst)°")  // 5.7e-14°, 6 nm on the ground
        // Largest at 45°, where ψ = φ − 0.1924°.
        let (s, c) = Trigonometry.sinCos(degrees: 45)
        #expect(abs(Trigonometry.geocentricLatitudeDegrees(geodetic: 45, sinLatitude: s, cosLatitude: c) - 44.807_576) < 1e-6)
    }

    @Test("Earth-centred points agree with PROJ's geocentric conversion (cs2cs) to a micrometre")
    func earthCenteredPointsAgreeWithCs2cs() throws {
        var random = SeededRandom(seed: 12)
        var positions = [Coordinate(longitude: 180, latitude: 90), Coordinate(longitude: -180, latitude: -90),
                         Coordinate(longitude: 90, latitude: 0), Coordinate(longitude: 121.49, latitude: 31.24)]
        for _ in 0..<300 {
            positions.append(Coordinate(longitude: random.uniform(-180...180), latitude: random.uniform(-90...90)))
        }
        let input = positions.map { "\($0.longitude) \($0.latitude)\n" }.joined()
        let outcome = try ExternalTool.run("cs2cs", ["+proj=longlat", "+datum=WGS84", "+to", "+proj=geocent",
                                                     "+datum=WGS84", "-f", "%.7f"], input: input)
        try #require(outcome.status == 0, "cs2cs: \(outcome.standardError)")
        let lines = outcome.standardOutput.split(separator: "\n")
        try #require(lines.count == positions.count)
        for (position, line) in zip(positions, lines) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            try #require(fields.count == 3, "cs2cs line \(line)")
            let point = EarthCenteredPoint(position)
            #expect(abs(point.x - fields[0]) < 1e-6 && abs(point.y - fields[1]) < 1e-6 && abs(point.z - fields[2]) < 1e-6,
                    "\(position): \(point) vs cs2cs \(fields)")
        }
    }
}
