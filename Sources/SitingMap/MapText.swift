/// Text for the SVG: XML escaping and the number formats the map prints, all locale-free so the output
/// is the same on every machine.
enum MapText {
    /// `text` safe inside XML character data and double- or single-quoted attributes: `&`, `<`, `>`,
    /// `"` and `'` become entities, and characters XML 1.0 forbids (C0 controls other than tab, line
    /// feed and carriage return; U+FFFE, U+FFFF) are dropped.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `value` rounded to `decimals` places (0…9), trailing zeros and a bare point removed: 12.30 → "12.3",
    /// 4.0 → "4", -0.04 at one place → "0". Non-finite values print as "0"; magnitudes are clamped to 1e12.
    static func decimal(_ value: Double, places decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let clamped = min(max(value, -1e12), 1e12)
        let scaled = Int64((clamped * scale).rounded())
        let magnitude = scaled.magnitude
        let unit = UInt64(scale)
        let whole = magnitude / unit
        var fraction = magnitude % unit
        var text = scaled < 0 ? "-" + String(whole) : String(whole)
        guard fraction != 0 else { return text }
        var places = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        let digits = String(fraction)
        text += "." + String(repeating: "0", count: places - digits.count) + digits
        return text
    }

    /// A pixel coordinate rounded to 0.1 px.
    @inline(__always)
    static func pixel(_ value: Double) -> String {
        decimal(value, places: 1)
    }

    /// A count with thousands separators: 1234 → "1,234".
    static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var result = count < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return result
    }

    /// A quantity in few characters: 1,234 → "1.2k", 35,000 → "35k", 2,500,000 → "2.5M", 999.6 → "1k",
    /// 0.035 → "0.035". Two significant digits below 1, one decimal from 1 to 10 of a unit, none above.
    static func compact(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        if value < 0 { return "-" + compact(-value) }
        if value == 0 { return "0" }
        let suffixes = ["", "k", "M", "G", "T"]
        var scaled = value, index = 0
        while scaled >= 1000, index < suffixes.count - 1 {
            scaled /= 1000
            index += 1
        }
        if index == 0, scaled < 1 {
            // Two significant digits, at most six places.
            var places = 2
            var probe = scaled
            while probe < 0.1, places < 6 {
                probe *= 10
                places += 1
            }
            return decimal(scaled, places: places)
        }
        var rounded = scaled < 10 ? (scaled * 10).rounded() / 10 : scaled.rounded()
        if rounded >= 1000, index < suffixes.count - 1 {
            scaled /= 1000
            index += 1
            rounded = (scaled * 10).rounded() / 10
        }
        return decimal(rounded, places: rounded < 10 ? 1 : 0) + suffixes[index]
    }

    /// Rough rendered width of `text` in ems for a sans-serif font: wide (CJK, full-width) characters
    /// count 1, others 0.56. Used only to shrink or cut text that would overflow.
    static func estimatedWidthEms(_ text: String) -> Double {
        var width = 0.0
        for scalar in text.unicodeScalars {
            width += isWide(scalar) ? 1.0 : 0.56
        }
        return width
    }

    /// `text` cut with an ellipsis so its estimated width stays within `maximumEms`.
    static func truncated(_ text: String, maximumEms: Double) -> String {
        guard estimatedWidthEms(text) > maximumEms else { return text }
        var result = ""
        var width = 0.0
        for character in text {
            let characterWidth = estimatedWidthEms(String(character))
            if width + characterWidth + 1.0 > maximumEms { break }
            result.append(character)
            width += characterWidth
        }
        return result + "…"
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
