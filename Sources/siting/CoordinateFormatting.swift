import Foundation

/// Text for coordinates and distances: degrees with 9 decimals (about 0.1 mm), metres with 3.
enum CoordinateFormatting {
    static func number(_ value: Double, decimals: Int) -> String {
        if let fast = fixedPoint(value, decimals: decimals) { return fast }
        let text = String(format: "%.\(decimals)f", value)
        // Never print "-0.000…": a rounded negative zero means zero.
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
        return text
    }

    private static let powersOfTen: [Double] = (0...12).map { pow(10, Double($0)) }

    /// `%.Nf` without the C library for the common case; nil when the exact result could differ from
    /// printf's (the digit after the last is within a hair of a half) or the number is too large.
    private static func fixedPoint(_ value: Double, decimals: Int) -> String? {
        guard decimals <= 12, value.isFinite else { return nil }
        let scale = powersOfTen[decimals]
        let scaled = abs(value) * scale
        guard scaled < 9e15 else { return nil }
        let fraction = scaled - scaled.rounded(.down)
        guard abs(fraction - 0.5) > 1e-3 else { return nil }
        let units = UInt64(scaled.rounded())
        let divisor = UInt64(scale)
        var text = value < 0 && units != 0 ? "-" : ""
        text += String(units / divisor)
        guard decimals > 0 else { return text }
        let digits = String(units % divisor)
        text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        return text
    }

    static func decimals(geographic: Bool) -> Int { geographic ? 9 : 3 }

    /// A JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
