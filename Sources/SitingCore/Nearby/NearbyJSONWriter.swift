import Foundation

/// Writes nearby answers as compact JSON bytes, exactly the bytes `NearbyJSON.encode` gives for
/// `NearbyJSON.Response` and `NearbyJSON.FeatureCollection` (sorted keys, absent optionals left out,
/// numbers in Swift's shortest form), without `JSONEncoder`'s boxing, so the HTTP route spends its
/// time on the search rather than on encoding. Tests compare the two byte for byte.
public struct NearbyJSONWriter: ~Copyable {
    private var bytes: JSONBytes

    init(capacity: Int) {
        bytes = JSONBytes(capacity: capacity)
    }

    /// `{"at":…,"coordsys":…,"count":…,"results":[…]}`.
    public static func response(_ results: [NearbyResult], query: NearbyQuery) -> [UInt8] {
        var writer = NearbyJSONWriter(capacity: 256 + 900 * results.count)
        let system = query.coordinateSystem.description
        writer.raw("{\"at\":")
        writer.timestamp(query.at, in: ZoneRules.cached(NearbyJSON.utc))
        writer.raw(",\"coordsys\":")
        writer.string(system)
        writer.raw(",\"count\":")
        writer.integer(results.count)
        writer.raw(",\"results\":[")
        results.withUnsafeBufferPointer { results in  // borrows each result instead of copying it
            for index in results.indices {
                if index > 0 { writer.raw(",") }
                writer.result(results[index], system: system)
            }
        }
        writer.raw("]}")
        return writer.bytes.array()
    }

    /// An RFC 7946 FeatureCollection of the results (WGS84 points).
    public static func featureCollection(_ results: [NearbyResult], query: NearbyQuery) -> [UInt8] {
        var writer = NearbyJSONWriter(capacity: 64 + 1_000 * results.count)
        let system = query.coordinateSystem.description
        writer.raw("{\"features\":[")
        results.withUnsafeBufferPointer { results in  // borrows each result instead of copying it
            for index in results.indices {
                if index > 0 { writer.raw(",") }
                writer.raw("{\"geometry\":{\"coordinates\":")
                writer.position(results[index].outlet.position)
                writer.raw(",\"type\":\"Point\"},\"id\":")
                writer.string(results[index].outlet.id)
                writer.raw(",\"properties\":")
                writer.result(results[index], system: system)
                writer.raw(",\"type\":\"Feature\"}")
            }
        }
        writer.raw("],\"type\":\"FeatureCollection\"}")
        return writer.bytes.array()
    }

    /// One result, keys in sorted order as `NearbyJSON.Result` encodes them.
    mutating func result(_ result: borrowing NearbyResult, system: String) {
        // Its strings are written without being retained: at a million outlets each retain would
        // wait for memory the answer touches once.
        result.withOutlet { outlet in self.result(result, outlet: outlet, system: system) }
    }

    private mutating func result(_ result: borrowing NearbyResult, outlet: borrowing Outlet, system: String) {
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
        rounded(NearbyJSON.roundedAzimuth(result.azimuthDegrees), places: 2)
        raw(",\"coordsys\":")
        string(system)
        raw(",\"distance_m\":")
        rounded(NearbyJSON.rounded(result.distanceMeters, places: 3), places: 3)
        raw(",\"hours_today\":")
        spans(result.todayHours)
        raw(",\"id\":")
        string(outlet.id)
        raw(",\"kind\":")
        string(outlet.kind.rawValue)
        raw(",\"name\":")
        string(outlet.name)
        if let zone = result.zoneRules {
            if let close = result.nextClose {
                raw(",\"next_close\":")
                timestamp(close, in: zone)
            }
            if let open = result.nextOpen {
                raw(",\"next_open\":")
                timestamp(open, in: zone)
            }
        }
        if let open = result.openNow {
            raw(open ? ",\"open_now\":true" : ",\"open_now\":false")
        }
        raw(",\"position\":")
        let callerStart = bytes.count
        position(result.callerPosition)
        let callerText = callerStart..<bytes.count
        raw(",\"position_wgs84\":")
        if result.callerPosition == outlet.position {
            bytes.appendCopy(of: callerText)  // a WGS84 caller: the same text again
        } else {
            position(outlet.position)
        }
        raw(",\"self_service_hours_today\":")
        spans(result.todaySecondaryHours)
        let services = outlet.services
        raw(",\"services\":{\"cash\":")
        raw(services.cash ? "true" : "false")
        raw(",\"foreign_exchange\":")
        raw(services.foreignExchange ? "true" : "false")
        raw(",\"self_service_devices\":")
        integer(services.selfServiceDevices)
        raw(",\"smart_counters\":")
        integer(services.smartCounters)
        raw(",\"wealth_management\":")
        raw(services.wealthManagement ? "true" : "false")
        raw("},\"time_zone\":")
        string(outlet.timeZone)
        raw("}")
    }

    /// Literal JSON text.
    @inline(__always)
    mutating func raw(_ text: StaticString) {
        bytes.append(text)
    }

    /// A whole number in decimal.
    mutating func integer(_ value: Int) {
        bytes.appendDecimal(value)
    }

    /// A double as `JSONEncoder` writes it: Swift's shortest round-trip form, without a trailing `.0`.
    mutating func number(_ value: Double) {
        var text = value.description
        text.withUTF8 { digits in
            let wholeNumber = digits.count > 2 && digits[digits.count - 2] == UInt8(ascii: ".")
                && digits[digits.count - 1] == UInt8(ascii: "0")
            bytes.append(UnsafeBufferPointer(rebasing: digits[..<(wholeNumber ? digits.count - 2 : digits.count)]))
        }
    }

    /// A value already rounded to `places` (1 to 3) decimals by `NearbyJSON.rounded`, written as
    /// `number` would write it: the shortest form of such a double is its decimal digits with trailing
    /// zeros dropped, so they are written straight from the integer `value × 10^places`.
    mutating func rounded(_ value: Double, places: Int) {
        let scale = places == 3 ? 1_000.0 : places == 2 ? 100.0 : 10.0
        let scaled = (value * scale).rounded()
        // Outside this range (or for -0) Swift's form may differ: let it write the number.
        guard places >= 1, places <= 3, scaled.magnitude < 1e15, scaled / scale == value,
              value != 0 || value.sign == .plus else {
            number(value)
            return
        }
        var units = Int(scaled)
        if units < 0 {
            bytes.append(UInt8(ascii: "-"))
            units = -units
        }
        let divisor = places == 3 ? 1_000 : places == 2 ? 100 : 10
        bytes.appendDecimal(units / divisor)
        var fraction = units % divisor, digits = places
        guard fraction != 0 else { return }
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        bytes.append(UInt8(ascii: "."))
        bytes.appendDecimal(fraction, minimumDigits: digits)
    }

    /// `[lon,lat]`.
    mutating func position(_ position: Coordinate) {
        raw("[")
        number(position.x)
        raw(",")
        number(position.y)
        raw("]")
    }

    mutating func spans(_ spans: [OpeningHours.Span]) {
        raw("[")
        for (index, span) in spans.enumerated() {
            raw(index > 0 ? ",\"" : "\"")
            span.appendClockTimes(to: &bytes)
            raw("\"")
        }
        raw("]")
    }

    /// An instant as a JSON string (`NearbyJSON.timestamp`).
    mutating func timestamp(_ date: Date, in zone: ZoneRules) {
        raw("\"")
        NearbyJSON.appendTimestamp(date, in: zone, to: &bytes)
        raw("\"")
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`… or `\u00XX`, everything
    /// else (slashes and non-ASCII included) as it is.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        if text.utf8.withContiguousStorageIfAvailable({ quoted($0) }) == nil {
            var copy = text
            copy.withUTF8 { quoted($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string's UTF-8 bytes, escaped where JSON needs it.
    private mutating func quoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        if !Self.needsEscaping(utf8) {
            bytes.append(utf8)
        } else {
            for byte in utf8 { escape(byte) }
        }
    }

    /// Whether any byte is a control character, `"` or `\`. Eight bytes at a time: for a word x,
    /// `(x − 0x01…01·n) & ~x & 0x80…80` is non-zero exactly when some byte of x is below n (n ≤ 128),
    /// and a byte equal to c is a zero byte of `x ^ 0x01…01·c`.
    static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = utf8.baseAddress else { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= utf8.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
            let found = ((word &- ones &* 0x20) & ~word) | ((quote &- ones) & ~quote)
                | ((backslash &- ones) & ~backslash)
            if found & highBits != 0 { return true }
            index += 8
        }
        while index < utf8.count {
            let byte = start[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            index += 1
        }
        return false
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        case 0..<0x20:
            let hex: StaticString = "0123456789abcdef"
            raw("\\u00")
            bytes.append(hex.utf8Start[Int(byte >> 4)])
            bytes.append(hex.utf8Start[Int(byte & 0xF)])
        default: bytes.append(byte)
        }
    }
}
