public import Foundation

/// The JSON shape of nearby results, shared by `siting nearby --format json|geojson` and the HTTP
/// service (DESIGN §4): snake_case names, distances in metres, positions `[lon, lat]`, instants in
/// ISO 8601 with the outlet's own UTC offset.
public enum NearbyJSON {
    /// One result as a JSON object.
    public struct Result: Encodable, Sendable {
        public var id: String
        public var name: String
        public var kind: String
        public var address: String?
        public var adcode: String?
        public var distance_m: Double
        public var azimuth_deg: Double
        /// `[lon, lat]` in WGS84.
        public var position_wgs84: [Double]
        /// `[lon, lat]` in the caller's coordinate system, named by `coordsys`.
        public var position: [Double]
        public var coordsys: String
        public var services: Services
        public var accessibility: Accessibility
        public var time_zone: String
        public var hours_today: [String]
        public var self_service_hours_today: [String]
        public var open_now: Bool?
        public var next_open: String?
        public var next_close: String?

        public struct Services: Encodable, Sendable {
            public var cash: Bool
            public var wealth_management: Bool
            public var foreign_exchange: Bool
            public var self_service_devices: Int
            public var smart_counters: Int

            public init(_ services: OutletServices) {
                cash = services.cash
                wealth_management = services.wealthManagement
                foreign_exchange = services.foreignExchange
                self_service_devices = services.selfServiceDevices
                smart_counters = services.smartCounters
            }
        }

        /// Tri-state: `yes`, `no` or `unknown`.
        public struct Accessibility: Encodable, Sendable {
            public var wheelchair: String
            public var visually_impaired: String
            public var hearing_impaired: String
            public var elderly: String

            public init(_ accessibility: OutletAccessibility) {
                wheelchair = accessibility.wheelchairAccess.rawValue
                visually_impaired = accessibility.visuallyImpairedAids.rawValue
                hearing_impaired = accessibility.hearingImpairedAids.rawValue
                elderly = accessibility.elderlyFriendly.rawValue
            }
        }

        public init(_ result: NearbyResult, coordinateSystem: CoordinateSystem) {
            let outlet = result.outlet
            id = outlet.id
            name = outlet.name
            kind = outlet.kind.rawValue
            address = outlet.address
            adcode = outlet.adcode
            distance_m = NearbyJSON.rounded(result.distanceMeters, places: 3)
            azimuth_deg = NearbyJSON.roundedAzimuth(result.azimuthDegrees)
            position_wgs84 = [outlet.position.x, outlet.position.y]
            position = [result.callerPosition.x, result.callerPosition.y]
            coordsys = coordinateSystem.description
            services = Services(outlet.services)
            accessibility = Accessibility(outlet.accessibility)
            time_zone = outlet.timeZone
            hours_today = result.todayHours.map(\.description)
            self_service_hours_today = result.todaySecondaryHours.map(\.description)
            open_now = result.openNow
            // Instants exist only when the hours parsed, and then the zone came with them.
            if let zone = result.timeZone {
                next_open = result.nextOpen.map { NearbyJSON.timestamp($0, in: zone) }
                next_close = result.nextClose.map { NearbyJSON.timestamp($0, in: zone) }
            }
        }
    }

    /// The response of a nearby query.
    public struct Response: Encodable, Sendable {
        public var coordsys: String
        public var at: String
        public var count: Int
        public var results: [Result]

        public init(_ results: [NearbyResult], query: NearbyQuery) {
            coordsys = query.coordinateSystem.description
            at = NearbyJSON.timestamp(query.at, in: NearbyJSON.utc)
            count = results.count
            self.results = results.map { Result($0, coordinateSystem: query.coordinateSystem) }
        }
    }

    /// An RFC 7946 FeatureCollection: WGS84 `[lon, lat]` points, the result's fields as properties.
    public struct FeatureCollection: Encodable, Sendable {
        public var type = "FeatureCollection"
        public var features: [Feature]

        public struct Feature: Encodable, Sendable {
            public var type = "Feature"
            public var id: String
            public var geometry: Point
            public var properties: Result
        }

        public struct Point: Encodable, Sendable {
            public var type = "Point"
            public var coordinates: [Double]
        }

        public init(_ results: [NearbyResult], query: NearbyQuery) {
            features = results.map { result in
                Feature(id: result.outlet.id,
                        geometry: Point(coordinates: [result.outlet.position.x, result.outlet.position.y]),
                        properties: Result(result, coordinateSystem: query.coordinateSystem))
            }
        }
    }

    /// `2026-05-01T09:00:00+08:00`: the instant, to the whole second below, in the zone's local time
    /// with the zone's offset at that instant (`Z` for a zero offset), as ISO 8601's extended format.
    public static func timestamp(_ date: Date, in zone: TimeZone) -> String {
        var bytes = JSONBytes(capacity: 25)
        appendTimestamp(date, in: ZoneRules.cached(zone), to: &bytes)
        return bytes.string()
    }

    /// Appends `timestamp(date, in: zone)`'s UTF-8 bytes, the zone given by its offset table.
    static func appendTimestamp(_ date: Date, in zone: ZoneRules, to bytes: inout JSONBytes) {
        let instant = Int((date.timeIntervalSince1970).rounded(.down))
        let offset = zone.offset(at: instant)
        let local = instant + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - days * 86_400
        let civil = LocalDate(daysSince1970: days)
        bytes.appendDecimal(civil.year, minimumDigits: 4)
        bytes.append(UInt8(ascii: "-"))
        bytes.appendTwoDigits(civil.month)
        bytes.append(UInt8(ascii: "-"))
        bytes.appendTwoDigits(civil.day)
        bytes.append(UInt8(ascii: "T"))
        bytes.appendClockTime(seconds / 60)
        bytes.append(UInt8(ascii: ":"))
        bytes.appendTwoDigits(seconds % 60)
        if offset == 0 {
            bytes.append(UInt8(ascii: "Z"))
            return
        }
        bytes.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        bytes.appendClockTime(abs(offset) / 60)
    }

    /// Coordinated Universal Time.
    public static let utc = TimeZone(identifier: "UTC")!

    /// An azimuth to 0.01°, in [0, 360): 359.996° is written 0.
    public static func roundedAzimuth(_ degrees: Double) -> Double {
        let value = rounded(degrees, places: 2)
        return value >= 360 ? 0 : value
    }

    /// `value` rounded to `places` decimals, as every distance and angle is written.
    public static func rounded(_ value: Double, places: Int) -> Double {
        let scale = places == 3 ? 1_000.0 : places == 2 ? 100.0 : pow(10, Double(places))
        return (value * scale).rounded() / scale
    }

    /// Encodes with stable key order, so output diffs cleanly.
    public static func encode<Value: Encodable>(_ value: Value, pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
