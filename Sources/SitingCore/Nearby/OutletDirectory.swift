import CSitingPrefetch
public import Foundation

/// One answer to a nearby query: the outlet, how far and which way, where it is in the caller's
/// coordinate system, and its hours at the query's instant.
public struct NearbyResult: Sendable {
    /// The outlet, read in place from the directory's table: a result holds one reference to the
    /// table rather than a copy of the outlet's strings, whose reference counts would each be a
    /// write to memory the answer does not otherwise touch.
    public var outlet: Outlet {
        _read { yield outlets[ordinal] }
    }
    /// The directory's outlets and this one's place among them.
    fileprivate let outlets: [Outlet]
    fileprivate let ordinal: Int
    /// WGS84 ellipsoidal distance from the caller, metres.
    public var distanceMeters: Double
    /// Direction of the geodesic from the caller to the outlet, degrees clockwise from north, [0, 360).
    public var azimuthDegrees: Double
    /// The outlet's position in the caller's coordinate system (lon/lat, degrees).
    public var callerPosition: Coordinate
    /// Today's counter hours, in the outlet's time zone (empty: closed all day, or hours unknown).
    public var todayHours: [OpeningHours.Span]
    /// Today's self-service hours (empty when there is no self-service area).
    public var todaySecondaryHours: [OpeningHours.Span]
    /// Whether the counters are open at the query's instant; nil when the outlet's hours are unknown.
    public var openNow: Bool?
    /// The next opening and closing after the query's instant (within two weeks).
    public var nextOpen: Date?
    public var nextClose: Date?
    /// The outlet's time zone, from its parsed hours; nil when the hours are unknown.
    public var timeZone: TimeZone? { zoneRules?.timeZone }
    /// The same zone's offset table, for writing instants.
    var zoneRules: ZoneRules?

    /// Calls `body` with the outlet borrowed through a pointer into the table: the strings `body`
    /// reads are not retained, as they can be when read through `outlet`.
    func withOutlet<Result>(_ body: (borrowing Outlet) -> Result) -> Result {
        outlets.withUnsafeBufferPointer { body($0[ordinal]) }
    }
}

/// The bank's outlets ready for nearby queries: sorted by id (so equal distances come back in id
/// order), indexed by a `GridIndex`, each with its business hours parsed once. Immutable and safe to
/// share between threads; a new snapshot replaces it when the data change.
public struct OutletDirectory: Sendable {
    /// The outlets, sorted by id.
    public let outlets: [Outlet]
    /// The distinct parsed hours (outlets share a few dozen hours texts) ...
    let distinctHours: [BusinessHours]
    /// ... and which of them each outlet keeps, by ordinal; -1 where it has none or they do not parse.
    let hoursIndex: [Int32]
    /// Per outlet: its kind, services and known accessibility as bits (`AttributeBits`), so a
    /// filter inside the search is two integer tests.
    let attributes: [UInt32]
    let index: GridIndex
    public let holidays: HolidayCalendar

    /// - Throws: `NearbyError.invalidPosition` when an outlet's position is unusable.
    public init(outlets: [Outlet], holidays: HolidayCalendar = HolidayCalendar()) throws(NearbyError) {
        let sorted = outlets.sorted { $0.id < $1.id }
        // Parse each distinct hours text once.
        var known: [String: Int32] = [:]
        var distinct: [BusinessHours] = []
        hoursIndex = sorted.map { outlet in
            let key = (outlet.openingHours ?? "") + "\u{1}" + (outlet.secondaryHours ?? "") + "\u{1}" + outlet.timeZone
            if let number = known[key] { return number }
            var number: Int32 = -1
            if let made = try? BusinessHours(outlet: outlet, holidays: holidays) {
                number = Int32(distinct.count)
                distinct.append(made)
            }
            known[key] = number
            return number
        }
        distinctHours = distinct
        do {
            index = try GridIndex(positions: sorted.map(\.position))
        } catch {
            if case .invalidPosition(let ordinal, let reason) = error {
                throw .invalidPosition(ordinal: ordinal, reason: "outlet \(sorted[ordinal].id): \(reason)")
            }
            throw error
        }
        self.outlets = sorted
        attributes = sorted.map(AttributeBits.of)
        self.holidays = holidays
    }

    /// Number of outlets.
    public var count: Int { outlets.count }

    /// The outlet with this id.
    public func outlet(id: String) -> Outlet? {
        ordinal(id: id).map { outlets[$0] }
    }

    /// The outlet's business hours, nil when it has none or they do not parse.
    public func businessHours(id: String) -> BusinessHours? {
        ordinal(id: id).flatMap(hours)
    }

    /// The business hours of the outlet with this ordinal, nil when it has none or they do not parse.
    @inline(__always)
    func hours(_ ordinal: Int) -> BusinessHours? {
        let number = Int(hoursIndex[ordinal])
        return number < 0 ? nil : distinctHours[number]
    }

    /// Where the outlet with this id sits in `outlets` (binary search).
    private func ordinal(id: String) -> Int? {
        var low = 0, high = outlets.count
        while low < high {
            let middle = (low + high) / 2
            if outlets[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low < outlets.count && outlets[low].id == id ? low : nil
    }

    /// The outlets nearest the caller that pass every filter, nearest first (ties by id).
    ///
    /// - Parameter converters: converts the caller's position to WGS84 and results back.
    /// - Throws: `NearbyError` for a query out of range or a position that does not convert.
    public func nearby(_ query: NearbyQuery, converters: ConverterPool) throws(NearbyError) -> [NearbyResult] {
        let query = try query.validated()
        let origin = try convert(query.position, from: query.coordinateSystem, to: .wgs84, converters)
        let at = query.at
        let allowedKinds = query.kinds.isEmpty ? AttributeBits.allKinds : query.kinds.reduce(0) { $0 | AttributeBits.kind($1) }
        let required = query.services.reduce(0) { $0 | AttributeBits.service($1) }
            | query.accessibility.reduce(0) { $0 | AttributeBits.feature($1) }
        let radiusMeters = query.radiusMeters ?? .infinity
        // Without a filter the search does not read the attribute table at all: at a million
        // outlets each of its reads would be a cache miss for every point the search weighs.
        let filtered = allowedKinds != AttributeBits.allKinds || required != 0 || query.openNow
        let found = !filtered
            ? try index.nearest(to: origin, count: query.limit, maximumDistanceMeters: radiusMeters)
            : try index.nearest(to: origin, count: query.limit, maximumDistanceMeters: radiusMeters) { ordinal in
                let bits = attributes[ordinal]
                guard bits & allowedKinds != 0, bits & required == required else { return false }
                if query.openNow {
                    let number = Int(hoursIndex[ordinal])
                    return number >= 0 && distinctHours[number].isOpen(at: at)
                }
                return true
            }
        requestRecords(found)
        var results: [NearbyResult] = []
        results.reserveCapacity(found.count)
        // Every result is at the same instant, and neighbours mostly share their hours: each
        // distinct hours' status and today's spans are worked out once per answer.
        var hoursToday: [(number: Int32, today: HoursToday)] = []
        for neighbor in found {
            let position = outlets[neighbor.ordinal].position
            let azimuth = EllipsoidalDistance.azimuthDegrees(from: origin, to: position,
                                                             distanceMeters: neighbor.distanceMeters)
            var today: HoursToday?
            let number = hoursIndex[neighbor.ordinal]
            if let known = hoursToday.first(where: { $0.number == number }) {
                today = known.today
            } else if number >= 0 {
                let worked = HoursToday(distinctHours[Int(number)], at: at)
                hoursToday.append((number, worked))
                today = worked
            }
            results.append(NearbyResult(
                outlets: outlets, ordinal: neighbor.ordinal, distanceMeters: neighbor.distanceMeters,
                azimuthDegrees: azimuth,
                callerPosition: try convert(position, from: .wgs84, to: query.coordinateSystem, converters),
                todayHours: today?.primary ?? [], todaySecondaryHours: today?.secondary ?? [],
                openNow: today?.status.isOpen, nextOpen: today?.status.nextOpening,
                nextClose: today?.status.nextClosing, zoneRules: today?.zoneRules))
        }
        return results
    }

    /// Asks for the results' outlet records and hours numbers all at once, before the loop over
    /// them reads each: in a large directory they are far apart in memory, and one miss after
    /// another would cost more than the rest of the answer.
    private func requestRecords(_ found: [GridIndex.Neighbor]) {
        let stride = MemoryLayout<Outlet>.stride
        outlets.withUnsafeBytes { records in
            guard let base = records.baseAddress else { return }
            for neighbor in found {
                let record = base + neighbor.ordinal * stride
                for offset in Swift.stride(from: 0, to: stride, by: 64) { siting_prefetch(record + offset) }
                siting_prefetch(record + stride - 1)
            }
        }
        hoursIndex.withUnsafeBufferPointer { numbers in
            guard let base = numbers.baseAddress else { return }
            for neighbor in found { siting_prefetch(base + neighbor.ordinal) }
        }
    }

    private func convert(_ position: Coordinate, from source: CoordinateSystem, to target: CoordinateSystem,
                         _ converters: ConverterPool) throws(NearbyError) -> Coordinate {
        if source == target { return position }
        do {
            return try converters.withConverter { converter in
                try converter.convert(position, from: source, to: target)
            }
        } catch {
            throw .conversionFailed("\(error)")
        }
    }
}

/// What one outlet's hours say at the query's instant: open or not, the next change, today's spans.
private struct HoursToday {
    let status: BusinessHours.Status
    let primary: [OpeningHours.Span]
    let secondary: [OpeningHours.Span]
    let zoneRules: ZoneRules

    init(_ hours: BusinessHours, at date: Date) {
        status = hours.status(at: date)
        let today = hours.localDate(at: date)
        primary = hours.spans(on: today)
        secondary = hours.spans(on: today, area: .secondary)
        zoneRules = hours.zoneRules
    }
}

/// An outlet's filterable attributes as bits: one per kind, one per service offered, one per
/// accessibility feature known to be present.
enum AttributeBits {
    static func kind(_ kind: OutletKind) -> UInt32 { 1 << UInt32(OutletKind.allCases.firstIndex(of: kind)!) }
    static func service(_ service: OutletService) -> UInt32 {
        1 << UInt32(8 + OutletService.allCases.firstIndex(of: service)!)
    }
    static func feature(_ feature: AccessibilityFeature) -> UInt32 {
        1 << UInt32(16 + AccessibilityFeature.allCases.firstIndex(of: feature)!)
    }
    static let allKinds: UInt32 = OutletKind.allCases.reduce(0) { $0 | kind($1) }

    static func of(_ outlet: Outlet) -> UInt32 {
        var bits = kind(outlet.kind)
        for service in OutletService.allCases where service.isOffered(by: outlet.services) { bits |= Self.service(service) }
        for feature in AccessibilityFeature.allCases where feature.isPresent(in: outlet.accessibility) {
            bits |= Self.feature(feature)
        }
        return bits
    }
}
