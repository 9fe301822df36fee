import Foundation

/// Writes nearby answers as compact JSON bytes, exactly the bytes `NearbyJSON.encode` gives for
/// `NearbyJSON.Response` and `NearbyJSON.FeatureCollection` (sorted keys, absent optionals left out,
/// numbers in Swift's shortest form), without `JSONEncoder`'s boxing, so the HTTP route spends its
/// time on the search rather than on encoding. Tests compare the two byte for byte.
public struct NearbyJSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 4_096) {
        bytes.reserveCapacity(capacity)
    }

    /// `{"at":…,"coordsys":…,"count":…,"results":[…]}`.
    public static func response(_ results: [NearbyResult], query: NearbyQuery) -> [UInt8] {
        var writer = NearbyJSONWriter(capacity: 256 + 900 * results.count)
        let system = query.coordinateSystem.description
        writer.raw("{\"at\":")
        writer.string(NearbyJSON.timestamp(query.at, in: NearbyJSON.utc))
        writer.raw(",\"coordsys\":")
        writer.string(system)
        writer.raw(",\"count\":")
        writer.raw(String(results.count))
        writer.raw(",\"results\":[")
        for (index, result) in results.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.result(result, system: system)
        }
        writer.raw("]}")
        return writer.bytes
    }

    /// An RFC 7946 FeatureCollection of the results (WGS84 points).
    public static func featureCollection(_ results: [NearbyResult], query: NearbyQuery) -> [UInt8] {
        var writer = NearbyJSONWriter(capacity: 64 + 1_000 * results.count)
        let system = query.coordinateSystem.description
        writer.raw("{\"features\":[")
        for (index, result) in results.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"geometry\":{\"coordinates\":")
            writer.numbers([result.outlet.position.x, result.outlet.position.y])
            writer.raw(",\"type\":\"Point\"},\"id\":")
            writer.string(result.outlet.id)
            writer.raw(",\"properties\":")
            writer.result(result, system: system)
            writer.raw(",\"type\":\"Feature\"}")
        }
        writer.raw("],\"type\":\"FeatureCollection\"}")
        return writer.bytes
    }

    /// One result, keys in sorted order as `NearbyJSON.Result` encodes them.
    mutating func result(_ result: NearbyResult, system: String) {
        let outlet = result.outlet
        let accessibility = outlet.accessibility
        raw("{\"accessibility\":{\"elderly\":")
        string(accessibility.elderlyFriendly.rawValue)
        raw(",\"hearing_impaired\":")
        string(accessibility.hearingImpairedAids.rawValue)
        raw(",\"visually_impaired\":")
        string(accessibility.visuallyImpairedAids.rawValue)
        raw(",\"wheelchair\":")
        string(accessibility.wheelchairAccess.rawValue)
        raw("}")
        if let adcode = outlet.adcode {
            raw(",\"adcode\":")
            string(adcode)
        }
        if let address = outlet.address {
            raw(",\"address\":")
            string(address)
        }
        raw(",\"azimuth_deg\":")
        number(NearbyJSON.roundedAzimuth(result.azimuthDegrees))
        raw(",\"coordsys\":")
        string(system)
        raw(",\"distance_m\":")
        number(NearbyJSON.rounded(result.distanceMeters, places: 3))
        raw(",\"hours_today\":")
        spans(result.todayHours)
        raw(",\"id\":")
        string(outlet.id)
        raw(",\"kind\":")
        string(outlet.kind.rawValue)
        raw(",\"name\":")
        string(outlet.name)
        if let zone = result.timeZone {
            if let close = result.nextClose {
                raw(",\"next_close\":")
                string(NearbyJSON.timestamp(close, in: zone))
            }
            if let open = result.nextOpen {
                raw(",\"next_open\":")
                string(NearbyJSON.timestamp(open, in: zone))
            }
        }
        if let open = result.openNow {
            raw(open ? ",\"open_now\":true" : ",\"open_now\":false")
        }
        raw(",\"position\":")
        numbers([result.callerPosition.x, result.callerPosition.y])
        raw(",\"position_wgs84\":")
        numbers([outlet.position.x, outlet.position.y])
        raw(",\"self_service_hours_today\":")
        spans(result.todaySecondaryHours)
        let services = outlet.services
        raw(",\"services\":{\"cash\":")
        raw(services.cash ? "true" : "false")
        raw(",\"foreign_exchange\":")
        raw(services.foreignExchange ? "true" : "false")
        raw(",\"self_service_devices\":")
        raw(String(services.selfServiceDevices))
        raw(",\"smart_counters\":")
        raw(String(services.smartCounters))
        raw(",\"wealth_management\":")
        raw(services.wealthManagement ? "true" : "false")
        raw("},\"time_zone\":")
        string(outlet.timeZone)
        raw("}")
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// A double as `JSONEncoder` writes it: Swift's shortest round-trip form, without a trailing `.0`.
    mutating func number(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        raw(text)
    }

    mutating func numbers(_ values: [Double]) {
        raw("[")
        for (index, value) in values.enumerated() {
            if index > 0 { raw(",") }
            number(value)
        }
        raw("]")
    }

    mutating func spans(_ spans: [OpeningHours.Span]) {
        raw("[")
        for (index, span) in spans.enumerated() {
            if index > 0 { raw(",") }
            string(span.description)
        }
        raw("]")
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`… or `\u00XX`, everything
    /// else (slashes and non-ASCII included) as it is.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
