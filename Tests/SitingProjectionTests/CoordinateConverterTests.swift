import Foundation
import SitingProjection
import SitingTestSupport
import Testing

/// `CoordinateConverter` against PROJ's `cs2cs`, run as a separate program at test time.
///
/// **Axis order.** Siting always speaks lon/lat (easting/northing). `cs2cs` given an authority code
/// uses that CRS's *official* axis order: `EPSG:4326` and `EPSG:4490` read and print latitude first,
/// `EPSG:3857` and `EPSG:32650` easting first. The tests hand `cs2cs` latitude-first rows for
/// `EPSG:4326` on purpose, so the oracle does not share Siting's normalization: if Siting swapped or
/// failed to normalize an axis, the numbers would differ by hundreds of kilometres. A PROJ string has
/// no authority order, so `+proj=longlat +datum=WGS84 +to <PROJ string>` reads longitude first; the
/// PROJ-string cases use that form: in PROJ 9.1, `cs2cs EPSG:4326 "+proj=aea ..."` takes the PROJ
/// string as the *source* and silently runs the inverse.
@Suite struct CoordinateConverterTests {
    /// Places over China, including Urumqi (87.6 E, 43.8 N): its longitude is below 90, so a swapped
    /// pair would still be a valid latitude and would be converted silently wrong.
    static let places: [Coordinate] = [
        Coordinate(longitude: 87.6, latitude: 43.8),  // Urumqi
        Coordinate(longitude: 116.404, latitude: 39.915),  // Beijing
        Coordinate(longitude: 121.4737, latitude: 31.2304),  // Shanghai
        Coordinate(longitude: 75.99, latitude: 39.47),  // Kashgar
        Coordinate(longitude: 109.51, latitude: 18.25),  // Sanya
        Coordinate(longitude: 126.63, latitude: 45.75),  // Harbin
        Coordinate(longitude: 114.06, latitude: 22.54),  // Shenzhen
        Coordinate(longitude: 91.13, latitude: 29.65),  // Lhasa
    ]

    static let urumqi = Coordinate(longitude: 87.6, latitude: 43.8)

    /// A target system, and how to ask `cs2cs` for the same conversion from WGS 84.
    struct Target: Sendable, CustomTestStringConvertible {
        var system: CoordinateSystem
        /// `cs2cs` arguments after `-d n`; the source is WGS 84 in the order `sourceLatitudeFirst` says.
        var cs2csArguments: [String]
        /// Whether `cs2cs`'s source reads latitude first (EPSG:4326) or longitude first (a PROJ string).
        var sourceLatitudeFirst: Bool
        /// Whether the target is geographic (degrees, latitude printed first by `cs2cs` for EPSG codes).
        var geographic: Bool
        var testDescription: String { system.description }
    }

    static let projTmerc = "+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs"

    static let targets: [Target] = [
        Target(system: .crs("EPSG:3857"), cs2csArguments: ["EPSG:4326", "EPSG:3857"],
               sourceLatitudeFirst: true, geographic: false),
        Target(system: .crs("EPSG:32650"), cs2csArguments: ["EPSG:4326", "EPSG:32650"],
               sourceLatitudeFirst: true, geographic: false),
        // CGCS2000: PROJ 9.1 has no datum shift WGS 84 -> CGCS2000, so it applies a "ballpark"
        // identity; both sides must agree on it (and on the lat/lon order EPSG:4490 declares).
        Target(system: .cgcs2000, cs2csArguments: ["EPSG:4326", "EPSG:4490"],
               sourceLatitudeFirst: true, geographic: true),
        Target(system: .crs(projTmerc),
               cs2csArguments: ["+proj=longlat", "+datum=WGS84", "+to"] + projTmerc.split(separator: " ").map(String.init),
               sourceLatitudeFirst: false, geographic: false),
    ]

    /// Runs `cs2cs` on lon/lat `points` for `target` and returns lon/lat or easting/northing pairs.
    static func oracle(_ points: [Coordinate], _ target: Target) throws -> [Coordinate?] {
        let rows = points.map { target.sourceLatitudeFirst ? ($0.latitude, $0.longitude) : ($0.longitude, $0.latitude) }
        let answers = try ProjPrograms.cs2cs(target.cs2csArguments, decimals: target.geographic ? 12 : 9, rows: rows)
        return answers.map { answer in
            answer.map { target.geographic ? Coordinate(x: $0.1, y: $0.0) : Coordinate(x: $0.0, y: $0.1) }
        }
    }

    @Test("WGS 84 to each target agrees with cs2cs (1 mm, or 1e-9 degrees)", arguments: targets)
    func agreesWithCs2cs(target: Target) throws {
        let converter = CoordinateConverter()
        let expected = try Self.oracle(Self.places, target)
        let tolerance = target.geographic ? 1e-9 : 1e-3
        for (place, reference) in zip(Self.places, expected) {
            let reference = try #require(reference, "cs2cs could not convert \(place)")
            let got = try converter.convert(place, from: .wgs84, to: target.system)
            #expect(abs(got.x - reference.x) <= tolerance, "\(place) → \(target.system): x \(got.x) vs \(reference.x)")
            #expect(abs(got.y - reference.y) <= tolerance, "\(place) → \(target.system): y \(got.y) vs \(reference.y)")
        }
    }

    @Test("the same conversions backwards agree with cs2cs", arguments: targets)
    func inverseAgreesWithCs2cs(target: Target) throws {
        // Project with Siting, then bring the projected point back with both Siting and cs2cs.
        let converter = CoordinateConverter()
        let projected = try Self.places.map { try converter.convert($0, from: .wgs84, to: target.system) }
        let arguments: [String]
        let rows: [(Double, Double)]
        if target.sourceLatitudeFirst {
            // Swap the two CRSs; EPSG:4490 reads latitude first, projected EPSG codes easting first.
            arguments = [target.cs2csArguments[1], "EPSG:4326"]
            rows = projected.map { target.geographic ? ($0.y, $0.x) : ($0.x, $0.y) }
        } else {
            let plus = target.cs2csArguments.firstIndex(of: "+to")!
            arguments = Array(target.cs2csArguments[(plus + 1)...]) + ["+to"] + Array(target.cs2csArguments[..<plus])
            rows = projected.map { ($0.x, $0.y) }
        }
        let answers = try ProjPrograms.cs2cs(arguments, decimals: 12, rows: rows)
        for (index, place) in Self.places.enumerated() {
            let answer = try #require(answers[index])
            // EPSG:4326 prints latitude first; +proj=longlat prints longitude first.
            let reference = target.sourceLatitudeFirst
                ? Coordinate(longitude: answer.1, latitude: answer.0) : Coordinate(longitude: answer.0, latitude: answer.1)
            let got = try converter.convert(projected[index], from: target.system, to: .wgs84)
            #expect(abs(got.x - reference.x) <= 1e-9 && abs(got.y - reference.y) <= 1e-9,
                    "\(target.system) → wgs84: \(got) vs cs2cs \(reference)")
            // And the round trip lands where it started.
            #expect(abs(got.x - place.x) <= 1e-9 && abs(got.y - place.y) <= 1e-9)
        }
    }

    @Test("Urumqi is read as lon, lat: Web Mercator x = a·λ ≈ 9.75e6 m, not the 4.88e6 m of a swapped pair")
    func urumqiAxisOrder() throws {
        let converter = CoordinateConverter()
        let got = try converter.convert(Self.urumqi, from: .wgs84, to: .crs("EPSG:3857"))
        // Web Mercator is spherical by definition: x = a·λ, y = a·ln tan(π/4 + φ/2), a = 6378137 m.
        let a = 6_378_137.0
        let x = a * 87.6 * .pi / 180  // 9,751,587.393 m
        let y = a * log(tan(.pi / 4 + 43.8 * .pi / 360))  // 5,434,543.708 m
        #expect(abs(got.x - x) < 1e-3)
        #expect(abs(got.y - y) < 1e-3)
        #expect(got.x > 9.75e6 && got.x < 9.76e6)
        // Read the other way round, (87.6, 43.8) would be x = a·43.8° = 4,875,657 m: clearly not what we got.
        let swapped = try converter.convert(Coordinate(x: 43.8, y: 87.6), from: .wgs84, to: .crs("EPSG:3857"))
        #expect(abs(swapped.x - a * 43.8 * .pi / 180) < 1e-3)
        #expect(abs(got.x - swapped.x) > 4e6)
    }

    @Test("Urumqi to UTM 50N and to CGCS2000 keeps lon/lat order on both sides")
    func urumqiOtherSystems() throws {
        let converter = CoordinateConverter()
        // Urumqi is 29.4° west of zone 50's central meridian (117 E): far west, so x ≪ 500 km.
        let utm = try converter.convert(Self.urumqi, from: .wgs84, to: .crs("EPSG:32650"))
        let reference = try #require(try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:32650"], rows: [(43.8, 87.6)])[0])
        #expect(abs(utm.x - reference.0) < 1e-3 && abs(utm.y - reference.1) < 1e-3)
        #expect(utm.x < 0)
        // CGCS2000 is geographic: the answer comes back lon first, like the input.
        let cgcs = try converter.convert(Self.urumqi, from: .wgs84, to: .cgcs2000)
        #expect(abs(cgcs.longitude - 87.6) < 1e-9 && abs(cgcs.latitude - 43.8) < 1e-9)
    }

    @Test("a WKT source and a WKT target (EPSG:3857 as WKT2:2019 from projinfo) agree with cs2cs")
    func wktSourceAndTarget() throws {
        let wkt = try ProjPrograms.wkt("EPSG:3857")
        let converter = CoordinateConverter()
        let expected = try ProjPrograms.cs2cs(["EPSG:4326", wkt], rows: Self.places.map { ($0.latitude, $0.longitude) })
        var projected: [Coordinate] = []
        for (place, reference) in zip(Self.places, expected) {
            let reference = try #require(reference)
            let got = try converter.convert(place, from: .wgs84, to: .crs(wkt))
            #expect(abs(got.x - reference.0) < 1e-3 && abs(got.y - reference.1) < 1e-3, "\(place): \(got) vs \(reference)")
            projected.append(got)
        }
        // Back: the WKT system as the source, easting first for both programs; cs2cs prints lat, lon.
        let back = try ProjPrograms.cs2cs([wkt, "EPSG:4326"], decimals: 12, rows: projected.map { ($0.x, $0.y) })
        for (point, reference) in zip(projected, back) {
            let reference = try #require(reference)
            let got = try converter.convert(point, from: .crs(wkt), to: .wgs84)
            #expect(abs(got.longitude - reference.1) < 1e-9 && abs(got.latitude - reference.0) < 1e-9)
        }
    }

    @Test("WGS 84 to a fitted Albers agrees with cs2cs")
    func albersAgreesWithCs2cs() throws {
        // The Albers case proper lives in AlbersEqualAreaTests; here it is one more PROJ-string target.
        let system = AlbersEqualArea.fitted(to: try BoundingBox(west: 73, south: 18, east: 135, north: 54))
        let definition = try #require(system.projDefinition)
        let target = Target(system: system,
                            cs2csArguments: ["+proj=longlat", "+datum=WGS84", "+to"]
                                + definition.split(separator: " ").map(String.init),
                            sourceLatitudeFirst: false, geographic: false)
        try agreesWithCs2cs(target: target)
    }

    @Test("the PROJ version is the one PROJ's programs report")
    func projVersion() throws {
        // cs2cs without arguments prints its banner, "Rel. 9.1.1, …", and exits.
        let banner = try ExternalTool.run("cs2cs", [])
        #expect(!CoordinateConverter.projVersion.isEmpty)
        #expect((banner.standardOutput + banner.standardError).contains("Rel. \(CoordinateConverter.projVersion),"))
    }

    // MARK: - Batches

    /// Random lon/lat points over China and its neighbours, seeded.
    static func randomPoints(count: Int, seed: UInt64) -> [Coordinate] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            Coordinate(longitude: random.uniform(73...135), latitude: random.uniform(18...54))
        }
    }

    static let batchPairs: [(CoordinateSystem, CoordinateSystem)] = [
        (.wgs84, .crs("EPSG:32650")), (.wgs84, .crs("EPSG:3857")), (.wgs84, .cgcs2000), (.wgs84, .gcj02),
        (.wgs84, .bd09), (.gcj02, .bd09), (.bd09, .crs("EPSG:3857")), (.cgcs2000, .gcj02), (.gcj02, .wgs84),
    ]

    @Test("a batch gives exactly the single-point answers", arguments: batchPairs)
    func batchEqualsSinglePoints(source: CoordinateSystem, target: CoordinateSystem) throws {
        let converter = CoordinateConverter()
        let points = Self.randomPoints(count: 2_000, seed: 21)
        let batch = try converter.convert(points, from: source, to: target)
        #expect(batch.failures.isEmpty)
        #expect(batch.coordinates.count == points.count)
        for (point, converted) in zip(points, batch.coordinates) {
            #expect(try converter.convert(point, from: source, to: target) == converted)
        }
    }

    @Test("bad points in a batch are listed by index and come back NaN; their neighbours are right")
    func batchFailures() throws {
        let converter = CoordinateConverter()
        let beijing = Coordinate(longitude: 116.404, latitude: 39.915)
        let urumqi = Self.urumqi
        let shanghai = Coordinate(longitude: 121.4737, latitude: 31.2304)
        // cs2cs prints `*` for (30 E, 0 N) to UTM zone 50 (87° from its central meridian): PROJ rejects
        // it, while PROJ's extended transverse Mercator still accepts, say, 179 E at 10 N.
        let outsideZone = Coordinate(longitude: 30, latitude: 0)
        let input = [
            beijing, Coordinate(longitude: 10, latitude: 91), urumqi, Coordinate(x: .nan, y: 30),
            outsideZone, shanghai, Coordinate(x: 100, y: .infinity), Coordinate(longitude: 180.5, latitude: 0),
            beijing,
        ]
        let rejectedByCs2cs = try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:32650"], rows: [(0, 30), (10, 179)])
        #expect(rejectedByCs2cs[0] == nil, "PROJ now accepts (30 E, 0 N) in zone 50: choose another point")
        #expect(rejectedByCs2cs[1] != nil)

        let batch = try converter.convert(input, from: .wgs84, to: .crs("EPSG:32650"))
        #expect(batch.failures.map(\.index) == [1, 3, 4, 6, 7])
        #expect(batch.failures.first { $0.index == 1 }?.error == .latitudeOutOfRange(91))
        #expect(batch.failures.first { $0.index == 7 }?.error == .longitudeOutOfRange(180.5))
        for index in [3, 6] {
            guard case .nonFiniteCoordinate = batch.failures.first(where: { $0.index == index })?.error else {
                Issue.record("index \(index): expected nonFiniteCoordinate, got \(String(describing: batch.failures))")
                continue
            }
        }
        if case .transformFailed(let point, let reason) = batch.failures.first(where: { $0.index == 4 })?.error {
            #expect(point == outsideZone)
            #expect(reason.localizedCaseInsensitiveContains("outside"), "PROJ's reason: \(reason)")
        } else {
            Issue.record("index 4: expected transformFailed, got \(batch.failures)")
        }
        for index in [1, 3, 4, 6, 7] {
            #expect(batch.coordinates[index].x.isNaN && batch.coordinates[index].y.isNaN)
        }
        #expect(!batch.coordinates.contains { $0.x.isInfinite || $0.y.isInfinite })

        let goodIndices = [0, 2, 5, 8]
        let expected = try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:32650"],
                                              rows: goodIndices.map { (input[$0].latitude, input[$0].longitude) })
        for (index, reference) in zip(goodIndices, expected) {
            let reference = try #require(reference)
            #expect(abs(batch.coordinates[index].x - reference.0) < 1e-3)
            #expect(abs(batch.coordinates[index].y - reference.1) < 1e-3)
        }
    }

    @Test("a batch from GCJ-02 reports bad points too, and converts the rest through the offset")
    func batchFailuresWithOffsets() throws {
        let converter = CoordinateConverter()
        // DESIGN §5 vector: WGS84 (121.5272106, 31.1774276) is GCJ-02 (121.531541859215, 31.17530398364597).
        let gcj = Coordinate(longitude: 121.531541859215, latitude: 31.17530398364597)
        let input = [gcj, Coordinate(longitude: 121, latitude: -90.5), Coordinate(x: .nan, y: .nan),
                     Coordinate(longitude: 30, latitude: 0), gcj]
        let batch = try converter.convert(input, from: .gcj02, to: .crs("EPSG:32650"))
        #expect(batch.failures.map(\.index) == [1, 2, 3])
        #expect(batch.failures.first?.error == .latitudeOutOfRange(-90.5))
        let reference = try #require(try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:32650"], rows: [(31.1774276, 121.5272106)])[0])
        for index in [0, 4] {
            #expect(abs(batch.coordinates[index].x - reference.0) < 1e-3)
            #expect(abs(batch.coordinates[index].y - reference.1) < 1e-3)
        }
        for index in [1, 2, 3] { #expect(batch.coordinates[index].x.isNaN && batch.coordinates[index].y.isNaN) }
    }

    @Test("a batch from a projected system rejects non-finite numbers only")
    func batchFromProjected() throws {
        let converter = CoordinateConverter()
        let input = [Coordinate(x: 9_751_587.393_490_763, y: 5_434_543.708_480_057), Coordinate(x: .infinity, y: 0),
                     Coordinate(x: 0, y: -.nan)]
        let batch = try converter.convert(input, from: .crs("EPSG:3857"), to: .wgs84)
        #expect(batch.failures.map(\.index) == [1, 2])
        // cs2cs's own EPSG:3857 coordinates of Urumqi (see urumqiAxisOrder) come back to (87.6, 43.8).
        #expect(abs(batch.coordinates[0].longitude - 87.6) < 1e-9 && abs(batch.coordinates[0].latitude - 43.8) < 1e-9)
        #expect(batch.coordinates[1].x.isNaN && batch.coordinates[2].y.isNaN)
    }

    @Test("an empty batch is fine; an unknown system in a batch throws")
    func emptyAndUnknownBatches() throws {
        let converter = CoordinateConverter()
        let empty = try converter.convert([Coordinate](), from: .wgs84, to: .crs("EPSG:3857"))
        #expect(empty.coordinates.isEmpty && empty.failures.isEmpty)
        let error = #expect(throws: ProjectionError.self) {
            try converter.convert([Self.urumqi], from: .wgs84, to: .crs("EPSG:999999"))
        }
        guard case .unknownCoordinateSystem(let name, _) = error else {
            Issue.record("expected unknownCoordinateSystem, got \(String(describing: error))")
            return
        }
        #expect(name == "EPSG:999999")
    }

    // MARK: - Errors

    /// PROJ's own reason for rejecting `definition`, as `projinfo` prints it.
    static func projinfoReason(_ definition: String) throws -> String {
        let outcome = try ExternalTool.run("projinfo", [definition, "-q", "-o", "PROJ"])
        let text = outcome.standardOutput + outcome.standardError
        let marker = "parsing of user string failed: "
        let range = try #require(text.range(of: marker), "projinfo accepted \(definition): \(text)")
        return String(text[range.upperBound...].prefix { $0 != "\n" })
    }

    @Test("unknown system names throw unknownCoordinateSystem with the accepted names and PROJ's reason",
          arguments: ["wgs85", "EPSG:999999", "+proj=nonsense"])
    func unknownSystems(name: String) throws {
        let converter = CoordinateConverter()
        let system = CoordinateSystem(parsing: name)
        let reason = try Self.projinfoReason(try #require(system.projDefinition))
        #expect(!reason.isEmpty)
        for (source, target) in [(system, CoordinateSystem.wgs84), (.wgs84, system), (system, .gcj02)] {
            let error = #expect(throws: ProjectionError.self) {
                try converter.convert(Self.urumqi, from: source, to: target)
            }
            guard case .unknownCoordinateSystem(let reported, let projReason) = error else {
                Issue.record("\(source) → \(target): expected unknownCoordinateSystem, got \(String(describing: error))")
                continue
            }
            #expect(reported == name)
            #expect(projReason.contains(reason), "Siting: \(projReason); projinfo: \(reason)")
            let description = String(describing: error!)
            #expect(description.contains(ProjectionError.acceptedNamesSummary))
            #expect(description.contains(reason))
            #expect(description.contains(name))
            #expect(!description.contains("Unknown error"))
        }
    }

    @Test("definitions PROJ reads as something other than a CRS throw notACoordinateReferenceSystem",
          arguments: [
              "urn:ogc:def:ellipsoid:EPSG::7030",  // the WGS 84 ellipsoid
              "ELLIPSOID[\"WGS 84\",6378137,298.257223563,LENGTHUNIT[\"metre\",1]]",
              "urn:ogc:def:coordinateOperation:EPSG::1671",  // a datum transformation
              "+proj=helmert +x=1",  // an operation, even with the +type=crs Siting appends
          ])
    func notACRS(name: String) throws {
        let converter = CoordinateConverter()
        #expect(throws: ProjectionError.notACoordinateReferenceSystem(name: name)) {
            try converter.convert(Self.urumqi, from: .wgs84, to: .crs(name))
        }
        #expect(throws: ProjectionError.notACoordinateReferenceSystem(name: name)) {
            try converter.isGeographic(.crs(name))
        }
        let description = ProjectionError.notACoordinateReferenceSystem(name: name).description
        #expect(description.contains(name) && description.contains("+type=crs"))
    }

    @Test("two valid systems with no operation between them throw noTransformation with PROJ's reason")
    func noTransformation() throws {
        // Mars (IAU_2015:49900) and the Earth: projinfo says "Source and target ellipsoid do not belong
        // to the same celestial body"; cs2cs only prints "Unknown error (code 4096)".
        let outcome = try ExternalTool.run("projinfo", ["-s", "EPSG:4326", "-t", "IAU_2015:49900", "-q", "-o", "PROJ"])
        let projinfoText = outcome.standardOutput + outcome.standardError
        #expect(projinfoText.contains("celestial body"))
        let converter = CoordinateConverter()
        let error = #expect(throws: ProjectionError.self) {
            try converter.convert(Self.urumqi, from: .wgs84, to: .crs("IAU_2015:49900"))
        }
        guard case .noTransformation(let source, let target, let reason) = error else {
            Issue.record("expected noTransformation, got \(String(describing: error))")
            return
        }
        #expect(source == "wgs84" && target == "IAU_2015:49900")
        #expect(reason.contains("celestial body"), "PROJ's reason: \(reason)")
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var point: Coordinate
        var expected: ProjectionError?  // nil: nonFiniteCoordinate (NaN never compares equal)
        var testDescription: String { "\(point)" }
    }

    static let badInputs: [BadInput] = [
        BadInput(point: Coordinate(longitude: 87.6, latitude: 90.0001), expected: .latitudeOutOfRange(90.0001)),
        BadInput(point: Coordinate(longitude: 87.6, latitude: -90.0001), expected: .latitudeOutOfRange(-90.0001)),
        BadInput(point: Coordinate(longitude: 180.5, latitude: 43.8), expected: .longitudeOutOfRange(180.5)),
        BadInput(point: Coordinate(longitude: -180.0001, latitude: 43.8), expected: .longitudeOutOfRange(-180.0001)),
        // Beijing typed lat, lon: 116.404 is not a latitude.
        BadInput(point: Coordinate(x: 39.915, y: 116.404), expected: .latitudeOutOfRange(116.404)),
        BadInput(point: Coordinate(x: .nan, y: 43.8), expected: nil),
        BadInput(point: Coordinate(x: 87.6, y: .nan), expected: nil),
        BadInput(point: Coordinate(x: .infinity, y: 43.8), expected: nil),
        BadInput(point: Coordinate(x: 87.6, y: -.infinity), expected: nil),
    ]

    static let geographicSources: [CoordinateSystem] = [.wgs84, .cgcs2000, .gcj02, .bd09]

    @Test("bad geographic inputs throw the matching error from every geographic source",
          arguments: badInputs, geographicSources)
    func badGeographicInput(input: BadInput, source: CoordinateSystem) throws {
        let converter = CoordinateConverter()
        for target in [CoordinateSystem.crs("EPSG:3857"), .wgs84, source] {
            let error = #expect(throws: ProjectionError.self) { try converter.convert(input.point, from: source, to: target) }
            if let expected = input.expected {
                #expect(error == expected, "\(source) → \(target)")
            } else if case .nonFiniteCoordinate(let reported) = error {
                #expect(reported.x.isNaN == input.point.x.isNaN && reported.y.isInfinite == input.point.y.isInfinite)
            } else {
                Issue.record("\(source) → \(target): expected nonFiniteCoordinate, got \(String(describing: error))")
            }
        }
    }

    @Test("the edges of the valid range are accepted: ±180 longitude, ±90 latitude")
    func rangeEdgesAccepted() throws {
        let converter = CoordinateConverter()
        let edges = [Coordinate(longitude: 180, latitude: 0), Coordinate(longitude: -180, latitude: 0),
                     Coordinate(longitude: 0, latitude: 90), Coordinate(longitude: 0, latitude: -90)]
        let expected = try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:32650"], rows: edges.map { ($0.latitude, $0.longitude) })
        for (edge, reference) in zip(edges, expected) {
            // The antimeridian is 63° from zone 50's meridian: PROJ decides; the poles always project.
            if let reference {
                let got = try converter.convert(edge, from: .wgs84, to: .crs("EPSG:32650"))
                #expect(abs(got.x - reference.0) < 1e-3 && abs(got.y - reference.1) < 1e-3, "\(edge)")
            } else {
                #expect(throws: ProjectionError.self) { try converter.convert(edge, from: .wgs84, to: .crs("EPSG:32650")) }
            }
        }
        #expect(try converter.convert(Coordinate(longitude: 180, latitude: 90), from: .wgs84, to: .wgs84)
            == Coordinate(longitude: 180, latitude: 90))
    }

    @Test("a point outside a projection's domain throws transformFailed with PROJ's reason")
    func outsideProjectionDomain() throws {
        let converter = CoordinateConverter()
        let point = Coordinate(longitude: 30, latitude: 0)
        #expect(try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:32650"], rows: [(0, 30)])[0] == nil)
        let error = #expect(throws: ProjectionError.self) { try converter.convert(point, from: .wgs84, to: .crs("EPSG:32650")) }
        guard case .transformFailed(let reported, let reason) = error else {
            Issue.record("expected transformFailed, got \(String(describing: error))")
            return
        }
        #expect(reported == point)
        #expect(reason.localizedCaseInsensitiveContains("outside"), "PROJ's reason: \(reason)")
        // The converter is still usable afterwards: the error state does not leak into the next point.
        let next = try converter.convert(Self.urumqi, from: .wgs84, to: .crs("EPSG:32650"))
        let reference = try #require(try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:32650"], rows: [(43.8, 87.6)])[0])
        #expect(abs(next.x - reference.0) < 1e-3 && abs(next.y - reference.1) < 1e-3)
    }

    @Test("isGeographic: degrees for geographic CRSs (plain, 3D, compound, bound), metres for projected ones")
    func isGeographic() throws {
        let converter = CoordinateConverter()
        let geographic = ["EPSG:4326", "EPSG:4490", "EPSG:4979", "EPSG:4326+5773", "+proj=longlat +datum=WGS84",
                          "+proj=longlat +ellps=GRS80 +towgs84=0,0,0"]
        let projected = ["EPSG:3857", "EPSG:32650", "EPSG:4547", "+proj=utm +zone=50 +ellps=GRS80 +towgs84=0,0,0",
                         try ProjPrograms.wkt("EPSG:3857")]
        for name in geographic { #expect(try converter.isGeographic(.crs(name)), "\(name)") }
        for name in projected { #expect(try !converter.isGeographic(.crs(name)), "\(name)") }
        for system in [CoordinateSystem.wgs84, .cgcs2000, .gcj02, .bd09] { #expect(try converter.isGeographic(system)) }
        #expect(throws: ProjectionError.self) { try converter.isGeographic(.crs("EPSG:999999")) }
    }

    @Test("a projected source is range-checked as metres, not as degrees")
    func projectedSourceIsNotDegreeChecked() throws {
        let converter = CoordinateConverter()
        // 9.75e6 m is far outside [-180, 180] but a fine EPSG:3857 easting.
        let point = Coordinate(x: 9_751_587.393_490_763, y: 5_434_543.708_480_057)
        let got = try converter.convert(point, from: .crs("EPSG:3857"), to: .wgs84)
        #expect(abs(got.longitude - 87.6) < 1e-9 && abs(got.latitude - 43.8) < 1e-9)
    }

    // MARK: - Chinese offsets composed with PROJ

    @Test("GCJ-02 to EPSG:3857 equals cs2cs on the WGS 84 point of the DESIGN vectors")
    func gcj02ToWebMercator() throws {
        let converter = CoordinateConverter()
        // DESIGN §5, (lat, lng) WGS 84 → GCJ-02.
        let vectors: [(wgs: Coordinate, gcj: Coordinate)] = [
            (Coordinate(longitude: 121.5272106, latitude: 31.1774276), Coordinate(longitude: 121.531541859215, latitude: 31.17530398364597)),
            (Coordinate(longitude: 113.912316, latitude: 22.543847), Coordinate(longitude: 113.9171764808363, latitude: 22.540796131694766)),
            (Coordinate(longitude: 116.377817, latitude: 39.911954), Coordinate(longitude: 116.38404722455657, latitude: 39.91334545536069)),
        ]
        let expected = try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:3857"], rows: vectors.map { ($0.wgs.latitude, $0.wgs.longitude) })
        for (vector, reference) in zip(vectors, expected) {
            let reference = try #require(reference)
            let got = try converter.convert(vector.gcj, from: .gcj02, to: .crs("EPSG:3857"))
            #expect(abs(got.x - reference.0) < 1e-3 && abs(got.y - reference.1) < 1e-3, "\(vector.gcj): \(got) vs \(reference)")
            // And back: cs2cs's Web Mercator point to GCJ-02 is the published GCJ-02 point.
            let back = try converter.convert(Coordinate(x: reference.0, y: reference.1), from: .crs("EPSG:3857"), to: .gcj02)
            #expect(abs(back.x - vector.gcj.x) < 1e-9 && abs(back.y - vector.gcj.y) < 1e-9, "\(back) vs \(vector.gcj)")
        }
    }

    @Test("BD-09 to UTM 50N equals cs2cs on the WGS 84 point; the BD-09 vector converts both ways")
    func bd09ToUtm() throws {
        let converter = CoordinateConverter()
        // DESIGN §5: WGS 84 (116.377817, 39.911954) → GCJ-02 (116.38404722455657, 39.91334545536069); its
        // BD-09 by Baidu's published formula (transcribed in ChineseOffsetsTests and checked there).
        let gcj = Coordinate(longitude: 116.38404722455657, latitude: 39.91334545536069)
        let bd = ChineseOffsetsTests.bd09Reference(gcj)
        let reference = try #require(try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:32650"], rows: [(39.911954, 116.377817)])[0])
        let got = try converter.convert(bd, from: .bd09, to: .crs("EPSG:32650"))
        #expect(abs(got.x - reference.0) < 1e-3 && abs(got.y - reference.1) < 1e-3, "\(got) vs \(reference)")
        let back = try converter.convert(Coordinate(x: reference.0, y: reference.1), from: .crs("EPSG:32650"), to: .bd09)
        #expect(abs(back.x - bd.x) < 1e-9 && abs(back.y - bd.y) < 1e-9)

        // DESIGN §5: GCJ-02 (116.404, 39.915) is BD-09 (116.41036949371029, 39.92133699351021).
        let vectorGcj = Coordinate(longitude: 116.404, latitude: 39.915)
        let vectorBd = Coordinate(longitude: 116.41036949371029, latitude: 39.92133699351021)
        let toBd = try converter.convert(vectorGcj, from: .gcj02, to: .bd09)
        #expect(abs(toBd.x - vectorBd.x) < 1e-9 && abs(toBd.y - vectorBd.y) < 1e-9)
        let toGcj = try converter.convert(vectorBd, from: .bd09, to: .gcj02)
        #expect(abs(toGcj.x - vectorGcj.x) < 1e-9 && abs(toGcj.y - vectorGcj.y) < 1e-9)
        // And WGS 84 → BD-09 goes through GCJ-02 (DESIGN: WGS 84 (116.404, 39.915) → GCJ-02 below).
        let wgsToBd = try converter.convert(vectorGcj, from: .wgs84, to: .bd09)
        let expected = ChineseOffsetsTests.bd09Reference(Coordinate(longitude: 116.41024449916938, latitude: 39.91640428150164))
        #expect(abs(wgsToBd.x - expected.x) < 1e-9 && abs(wgsToBd.y - expected.y) < 1e-9)
    }

    @Test("CGCS2000 through PROJ: to Web Mercator like cs2cs, and to GCJ-02 like WGS 84 (ballpark identity)")
    func cgcs2000() throws {
        let converter = CoordinateConverter()
        let expected = try ProjPrograms.cs2cs(["EPSG:4490", "EPSG:3857"], rows: Self.places.map { ($0.latitude, $0.longitude) })
        for (place, reference) in zip(Self.places, expected) {
            let reference = try #require(reference)
            let got = try converter.convert(place, from: .cgcs2000, to: .crs("EPSG:3857"))
            #expect(abs(got.x - reference.0) < 1e-3 && abs(got.y - reference.1) < 1e-3)
        }
        // DESIGN §5 vector, with CGCS2000 = WGS 84 in PROJ 9.1.
        let gcj = try converter.convert(Coordinate(longitude: 121.5272106, latitude: 31.1774276), from: .cgcs2000, to: .gcj02)
        #expect(abs(gcj.x - 121.531541859215) < 1e-9 && abs(gcj.y - 31.17530398364597) < 1e-9)
        // Named and coded forms are the same system.
        #expect(CoordinateSystem(parsing: "EPSG:4490") == .cgcs2000)
        let coded = try converter.convert(Self.urumqi, from: .wgs84, to: .crs("EPSG:4490"))
        #expect(coded == (try converter.convert(Self.urumqi, from: .wgs84, to: .cgcs2000)))
    }

    @Test("converting a system to itself returns the input, after validation")
    func identity() throws {
        let converter = CoordinateConverter()
        for system in [CoordinateSystem.wgs84, .gcj02, .bd09, .cgcs2000] {
            #expect(try converter.convert(Self.urumqi, from: system, to: system) == Self.urumqi)
            #expect(throws: ProjectionError.latitudeOutOfRange(95)) {
                try converter.convert(Coordinate(longitude: 87.6, latitude: 95), from: system, to: system)
            }
        }
        let metres = Coordinate(x: 1e7, y: -3e6)
        #expect(try converter.convert(metres, from: .crs("EPSG:3857"), to: .crs("EPSG:3857")) == metres)
    }
}

@Suite struct ConversionErrorPositionTests {
    @Test("a failed PROJ step after removing GCJ-02 names the position as the caller typed it")
    func namesOriginalPosition() throws {
        let converter = CoordinateConverter()
        let typed = Coordinate(longitude: 116.404, latitude: 39.915)
        // The far side of the globe is outside an orthographic projection centred on 60 W.
        #expect {
            try converter.convert(typed, from: .gcj02, to: .crs("+proj=ortho +lon_0=-60 +lat_0=0 +datum=WGS84"))
        } throws: { error in
            guard case .transformFailed(let reported, _) = error as? ProjectionError else { return false }
            return reported == typed
        }
        let batch = try converter.convert([typed], from: .gcj02, to: .crs("+proj=ortho +lon_0=-60 +lat_0=0 +datum=WGS84"))
        guard case .transformFailed(let reported, _)? = batch.failures.first?.error else {
            Issue.record("expected a failure, got \(batch.failures)")
            return
        }
        #expect(reported == typed)
    }
}
