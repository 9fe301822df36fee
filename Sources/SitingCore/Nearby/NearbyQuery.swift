public import Foundation

/// A service an outlet may offer, as callers name it in filters.
public enum OutletService: String, CaseIterable, Hashable, Sendable {
    case cash, wealthManagement, foreignExchange
    /// At least one self-service device (ATM, deposit or passbook machine).
    case selfService
    /// At least one smart counter.
    case smartCounter

    /// Whether `services` include this one.
    public func isOffered(by services: OutletServices) -> Bool {
        switch self {
        case .cash: services.cash
        case .wealthManagement: services.wealthManagement
        case .foreignExchange: services.foreignExchange
        case .selfService: services.selfServiceDevices > 0
        case .smartCounter: services.smartCounters > 0
        }
    }
}

/// An accessibility feature callers can require; only outlets where it is known to be present match.
public enum AccessibilityFeature: String, CaseIterable, Hashable, Sendable {
    case wheelchair, visuallyImpaired, hearingImpaired, elderly

    /// Whether `accessibility` has this feature for certain (`yes`, not `unknown`).
    public func isPresent(in accessibility: OutletAccessibility) -> Bool {
        switch self {
        case .wheelchair: accessibility.wheelchairAccess == .yes
        case .visuallyImpaired: accessibility.visuallyImpairedAids == .yes
        case .hearingImpaired: accessibility.hearingImpairedAids == .yes
        case .elderly: accessibility.elderlyFriendly == .yes
        }
    }
}

/// Names as callers write them: `smartCounter`, `smart-counter` and `smart_counter` are one name.
enum FilterName {
    /// The case of `Value` whose raw value matches `text`, ignoring case, `-` and `_`.
    static func parse<Value: RawRepresentable & CaseIterable>(_ text: String, as _: Value.Type) -> Value?
    where Value.RawValue == String {
        let key = folded(text)
        return Value.allCases.first { folded($0.rawValue) == key }
    }

    private static func folded(_ text: String) -> String {
        String(text.lowercased().filter { $0 != "-" && $0 != "_" })
    }
}

/// "Which outlets are near me": a position in the caller's coordinate system, how many, how far,
/// and what they must offer. `validated()` checks every field against the caps.
public struct NearbyQuery: Sendable {
    /// Most results one query returns.
    public static let maximumLimit = 100
    /// Results when the caller does not say.
    public static let defaultLimit = 20
    /// Widest search radius, metres.
    public static let maximumRadiusMeters = 50_000.0

    /// The caller's position (lon/lat, degrees) in `coordinateSystem`.
    public var position: Coordinate
    /// `wgs84`, `cgcs2000`, `gcj02` or `bd09`.
    public var coordinateSystem: CoordinateSystem
    /// How many outlets to return at most, 1 to `maximumLimit`.
    public var limit: Int
    /// A hard distance cap, metres (0, `maximumRadiusMeters`]; nil for none.
    public var radiusMeters: Double?
    /// Outlet kinds to keep; empty for every kind.
    public var kinds: Set<OutletKind>
    /// Services every result must offer.
    public var services: Set<OutletService>
    /// Accessibility features every result must have (known `yes`).
    public var accessibility: Set<AccessibilityFeature>
    /// Keep only outlets whose counters are open at `at`.
    public var openNow: Bool
    /// The instant for `open_now`, `next_open` and `next_close`.
    public var at: Date

    public init(position: Coordinate, coordinateSystem: CoordinateSystem = .wgs84, limit: Int = NearbyQuery.defaultLimit,
                radiusMeters: Double? = nil, kinds: Set<OutletKind> = [], services: Set<OutletService> = [],
                accessibility: Set<AccessibilityFeature> = [], openNow: Bool = false, at: Date = Date()) {
        self.position = position
        self.coordinateSystem = coordinateSystem
        self.limit = limit
        self.radiusMeters = radiusMeters
        self.kinds = kinds
        self.services = services
        self.accessibility = accessibility
        self.openNow = openNow
        self.at = at
    }

    /// The coordinate systems a phone may send.
    public static let supportedSystems: [CoordinateSystem] = [.wgs84, .cgcs2000, .gcj02, .bd09]

    /// Checks every field.
    ///
    /// - Throws: `NearbyError` naming the field and the accepted range.
    public func validated() throws(NearbyError) -> NearbyQuery {
        guard Self.supportedSystems.contains(coordinateSystem) else {
            throw .unsupportedCoordinateSystem(coordinateSystem.description)
        }
        do {
            _ = try position.validatedGeographic()
        } catch {
            throw .invalidQueryPosition(error.description)
        }
        guard (1...Self.maximumLimit).contains(limit) else { throw .invalidLimit(limit) }
        if let radiusMeters {
            guard radiusMeters > 0, radiusMeters <= Self.maximumRadiusMeters else { throw .invalidRadius(radiusMeters) }
        }
        guard at.timeIntervalSince1970.isFinite else { throw .invalidInstant("\(at)") }
        return self
    }

    /// The kind named `text` (`subBranch`, `sub-branch`, …).
    public static func kind(named text: String) throws(NearbyError) -> OutletKind {
        guard let kind = FilterName.parse(text, as: OutletKind.self) else {
            throw .unknownKind(text)
        }
        return kind
    }

    /// The service named `text`.
    public static func service(named text: String) throws(NearbyError) -> OutletService {
        guard let service = FilterName.parse(text, as: OutletService.self) else { throw .unknownService(text) }
        return service
    }

    /// The accessibility feature named `text`.
    public static func accessibilityFeature(named text: String) throws(NearbyError) -> AccessibilityFeature {
        guard let feature = FilterName.parse(text, as: AccessibilityFeature.self) else {
            throw .unknownAccessibilityFeature(text)
        }
        return feature
    }

    /// An instant written in ISO 8601 with a zone (`2026-05-01T09:30:00+08:00`, `…Z`), fractional
    /// seconds allowed.
    public static func instant(parsing text: String) throws(NearbyError) -> Date {
        if let date = quickInstant(text) { return date }
        let formats: [Date.ISO8601FormatStyle] = [
            .iso8601,
            Date.ISO8601FormatStyle(includingFractionalSeconds: true),
        ]
        for format in formats {
            if let date = try? format.parse(text) { return date }
        }
        throw .invalidInstant(text)
    }

    /// `YYYY-MM-DDTHH:MM:SS` with optional fractional seconds and `Z` or `±HH:MM`, read without a
    /// format style (the mobile app sends this on every request); nil for anything else, which the
    /// full ISO 8601 parser then reads or refuses.
    static func quickInstant(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":") else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for index in start..<(start + count) {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
              let minute = number(14, 2), let second = number(17, 2),
              let date = LocalDate(year: year, month: month, day: day), hour < 24, minute < 60, second < 60 else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, let digit = number(index, 1) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start, index < bytes.count else { return nil }
        }
        var offset = 0
        if bytes[index] == UInt8(ascii: "Z") {
            index += 1
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                  let hours = number(index + 1, 2), let minutes = number(index + 4, 2), hours < 24, minutes < 60 else { return nil }
            offset = (hours * 3_600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = date.daysSince1970 * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
