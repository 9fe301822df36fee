import Foundation
import SitingCore
import SitingTestSupport
import Testing

/// Nearby queries end to end in the core, against a brute force over every outlet with Karney's
/// geodesic (PROJ `geod.h`) and filters written out again here.
@Suite struct OutletDirectoryTests {
    static let weekdayHours = "Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off"

    /// Seeded outlets around Shanghai's centre with every mix of kind, services and accessibility.
    static func outlets(count: Int, seed: UInt64) -> [Outlet] {
        var random = SeededRandom(seed: seed)
        let centre = Coordinate(longitude: 121.4737, latitude: 31.2304)
        let tri: [TriState] = [.yes, .no, .unknown]
        return (0..<count).map { number in
            let position = EllipsoidalDistanceTests.destination(
                from: centre, azimuthDegrees: random.uniform(-180...180), meters: random.uniform(0...30_000))
            let kind = OutletKind.allCases[Int.random(in: 0..<5, using: &random)]
            // Ids not in placement order, so sorting by id matters.
            let id = String(format: "S%05d", (number * 7_919) % 100_000)
            return Outlet(
                id: id, name: "outlet \(id)", kind: kind, position: position,
                openingHours: kind == .selfService ? "24/7" : (number % 5 == 0 ? "Mo-Su 10:00-22:00" : weekdayHours),
                secondaryHours: kind == .selfService ? nil : "24/7",
                services: OutletServices(cash: Bool.random(using: &random), wealthManagement: Bool.random(using: &random),
                                         foreignExchange: number % 4 == 0,
                                         selfServiceDevices: Int.random(in: 0...3, using: &random),
                                         smartCounters: Int.random(in: 0...2, using: &random)),
                accessibility: OutletAccessibility(wheelchairAccess: tri[number % 3], visuallyImpairedAids: tri[(number / 3) % 3],
                                                   hearingImpairedAids: tri[(number / 9) % 3], elderlyFriendly: tri[(number / 27) % 3]))
        }
    }

    static let holidays = try! HolidayCalendar(csv: """
        date,kind,name
        2026-10-01,holiday,国庆节
        2026-10-10,workday,国庆节
        """)

    /// The expected answer, computed the slow way: every outlet, Karney distance, filters, id ties.
    static func bruteForce(_ outlets: [Outlet], from origin: Coordinate, query: NearbyQuery) -> [(id: String, meters: Double)] {
        outlets.compactMap { outlet -> (id: String, meters: Double)? in
            let meters = Geodesic.distanceMeters(from: origin, to: outlet.position)
            if let radius = query.radiusMeters, meters > radius { return nil }
            if !query.kinds.isEmpty, !query.kinds.contains(outlet.kind) { return nil }
            if query.services.contains(.smartCounter), outlet.services.smartCounters == 0 { return nil }
            if query.services.contains(.cash), !outlet.services.cash { return nil }
            if query.accessibility.contains(.wheelchair), outlet.accessibility.wheelchairAccess != .yes { return nil }
            if query.openNow {
                let hours = try! BusinessHours(outlet: outlet, holidays: holidays)
                if !hours.isOpen(at: query.at) { return nil }
            }
            return (outlet.id, meters)
        }
        .sorted { ($0.meters, $0.id) < ($1.meters, $1.id) }
        .prefix(query.limit).map { $0 }
    }

    static func instant(_ text: String) -> Date { try! NearbyQuery.instant(parsing: text) }

    @Test("filters inside the search: same ids in the same order as brute force", arguments: [
        ("2026-09-30T12:00:00+08:00", false), ("2026-10-01T12:00:00+08:00", true), ("2026-10-10T12:00:00+08:00", true),
        ("2026-10-03T23:30:00+08:00", true),
    ])
    func matchesBruteForce(at: String, openNow: Bool) throws {
        let outlets = Self.outlets(count: 3_000, seed: 5)
        let directory = try OutletDirectory(outlets: outlets, holidays: Self.holidays)
        let converters = ConverterPool()
        var random = SeededRandom(seed: 6)
        let filterSets: [(Set<OutletKind>, Set<OutletService>, Set<AccessibilityFeature>)] = [
            ([], [], []), ([.subBranch, .community], [], []), ([], [.smartCounter], [.wheelchair]), ([], [.cash], []),
        ]
        for round in 0..<20 {
            let origin = Coordinate(longitude: random.uniform(121.2...121.8), latitude: random.uniform(31.0...31.4))
            let (kinds, services, accessibility) = filterSets[round % filterSets.count]
            let query = NearbyQuery(position: origin, limit: 10, radiusMeters: round % 3 == 0 ? 4_000 : nil, kinds: kinds,
                                    services: services, accessibility: accessibility, openNow: openNow, at: Self.instant(at))
            let found = try directory.nearby(query, converters: converters)
            let expected = Self.bruteForce(outlets, from: origin, query: query)
            #expect(found.map(\.outlet.id) == expected.map(\.id), "round \(round) at \(at)")
            for (result, want) in zip(found, expected) {
                #expect(abs(result.distanceMeters - want.meters) < 0.01)
                if openNow { #expect(result.openNow == true) }
            }
        }
    }

    @Test("hours at the query's instant: a holiday closure, a make-up Saturday, the next opening across days")
    func hoursAtInstant() throws {
        let branch = Outlet(id: "B1", name: "branch", kind: .subBranch, position: Coordinate(longitude: 121.47, latitude: 31.23),
                            openingHours: Self.weekdayHours, secondaryHours: "24/7")
        let directory = try OutletDirectory(outlets: [branch], holidays: Self.holidays)
        let converters = ConverterPool()
        func result(_ at: String) throws -> NearbyResult {
            try directory.nearby(NearbyQuery(position: branch.position, limit: 1, at: Self.instant(at)), converters: converters)[0]
        }
        // Thursday 1 October 2026 is National Day: closed, opens Friday 09:00.
        let holiday = try result("2026-10-01T10:00:00+08:00")
        #expect(holiday.openNow == false)
        #expect(holiday.todayHours.isEmpty)
        #expect(holiday.todaySecondaryHours.map(\.description) == ["00:00-24:00"])
        #expect(holiday.nextOpen == Self.instant("2026-10-02T09:00:00+08:00"))
        // Saturday 10 October 2026 is a make-up working day: Monday's hours.
        let makeUp = try result("2026-10-10T16:30:00+08:00")
        #expect(makeUp.openNow == true)
        #expect(makeUp.todayHours.map(\.description) == ["09:00-17:00"])
        #expect(makeUp.nextClose == Self.instant("2026-10-10T17:00:00+08:00"))
        // Saturday night: the next opening is Monday morning (Sunday is closed).
        let weekend = try result("2026-10-17T20:00:00+08:00")
        #expect(weekend.openNow == false)
        #expect(weekend.nextOpen == Self.instant("2026-10-19T09:00:00+08:00"))
        #expect(weekend.distanceMeters == 0)
    }

    @Test("a GCJ-02 or BD-09 caller gets the same outlets as the WGS84 caller at the same place, positions in its system")
    func callerCoordinateSystems() throws {
        let outlets = Self.outlets(count: 500, seed: 9)
        let directory = try OutletDirectory(outlets: outlets)
        let converters = ConverterPool()
        let wgs = Coordinate(longitude: 121.45, latitude: 31.22)
        let reference = try directory.nearby(NearbyQuery(position: wgs, limit: 10), converters: converters)
        for (system, shifted) in [(CoordinateSystem.gcj02, ChineseOffsets.wgs84ToGcj02(wgs)),
                                  (.bd09, ChineseOffsets.wgs84ToBd09(wgs)), (.cgcs2000, wgs)] {
            let found = try directory.nearby(NearbyQuery(position: shifted, coordinateSystem: system, limit: 10),
                                             converters: converters)
            #expect(found.map(\.outlet.id) == reference.map(\.outlet.id), "\(system)")
            for (a, b) in zip(found, reference) { #expect(abs(a.distanceMeters - b.distanceMeters) < 0.01) }
            if system == .gcj02 {
                // The shift is hundreds of metres in Shanghai; the returned position must carry it.
                let first = try #require(found.first)
                let shift = Geodesic.distanceMeters(from: first.outlet.position, to: first.callerPosition)
                #expect(shift > 100 && shift < 1_000)
            }
        }
    }

    @Test("the azimuth agrees with Karney's: due north is 0, due west 270 degrees clockwise from north")
    func azimuth() throws {
        let north = Outlet(id: "N", name: "north", kind: .community, position: Coordinate(longitude: 121.0, latitude: 31.1))
        let west = Outlet(id: "W", name: "west", kind: .community, position: Coordinate(longitude: 120.9, latitude: 31.0))
        let directory = try OutletDirectory(outlets: [north, west])
        let found = try directory.nearby(NearbyQuery(position: Coordinate(longitude: 121.0, latitude: 31.0), limit: 2),
                                         converters: ConverterPool())
        let byID = Dictionary(uniqueKeysWithValues: found.map { ($0.outlet.id, $0.azimuthDegrees) })
        #expect(abs(byID["N"]! - 0) < 1e-6)
        #expect(abs(byID["W"]! - 270) < 0.1)
    }

    @Test("bad queries are refused with the parameter and the accepted range")
    func badQueries() throws {
        let directory = try OutletDirectory(outlets: Self.outlets(count: 10, seed: 1))
        let converters = ConverterPool()
        let origin = Coordinate(longitude: 121, latitude: 31)
        let cases: [(NearbyQuery, String)] = [
            (NearbyQuery(position: origin, limit: 0), "limit 0"),
            (NearbyQuery(position: origin, limit: 101), "1 to 100"),
            (NearbyQuery(position: origin, radiusMeters: 0), "radius"),
            (NearbyQuery(position: origin, radiusMeters: 50_001), "50000"),
            (NearbyQuery(position: Coordinate(longitude: .nan, latitude: 31)), "lng/lat"),
            (NearbyQuery(position: Coordinate(longitude: 121, latitude: 95)), "lng/lat"),
            (NearbyQuery(position: origin, coordinateSystem: .crs("EPSG:3857")), "coordsys"),
        ]
        for (query, mention) in cases {
            do {
                _ = try directory.nearby(query, converters: converters)
                Issue.record("expected an error mentioning \(mention)")
            } catch {
                #expect(error.description.contains(mention), "\(error)")
            }
        }
        #expect(throws: NearbyError.unknownService("atm")) { try NearbyQuery.service(named: "atm") }
        #expect(try NearbyQuery.service(named: "smart-counter") == .smartCounter)
        #expect(try NearbyQuery.kind(named: "SUB_BRANCH") == .subBranch)
        #expect(throws: NearbyError.self) { try NearbyQuery.instant(parsing: "2026-10-01 10:00") }
    }
}
