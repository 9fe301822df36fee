import Foundation

/// Numbers as text, the same on every run and platform, appended to byte buffers without
/// intermediate strings on the common paths.
enum NumberText {
    /// Decimals of exported coordinates: 1e-7° is about 1 cm, below the accuracy of any outlet's position.
    static let coordinateDecimals = 7

    private static let powersOfTen: [Double] = (0...12).map { pow(10, Double($0)) }

    /// Appends `value` rounded to `decimals` places exactly as `printf("%.*f")` rounds it, never
    /// "-0.000…". A fast integer path serves all but the values within a hair of a rounding tie,
    /// which go to printf.
    static func appendFixed(_ value: Double, decimals: Int, to out: inout [UInt8]) {
        precondition(value.isFinite && decimals <= 12)
        let scale = powersOfTen[decimals]
        let scaled = abs(value) * scale
        if scaled < 9e15 {
            let fraction = scaled - scaled.rounded(.down)
            if abs(fraction - 0.5) > 1e-3 {
                let units = UInt64(scaled.rounded())
                let divisor = UInt64(scale)
                if value < 0 && units != 0 { out.append(0x2D) }
                appendDigits(units / divisor, minimumCount: 1, to: &out)
                if decimals > 0 {
                    out.append(0x2E)
                    appendDigits(units % divisor, minimumCount: decimals, to: &out)
                }
                return
            }
        }
        var text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
        out.append(contentsOf: text.utf8)
    }

    /// Appends the decimal digits of `value`, left-padded with zeros to `minimumCount`.
    static func appendDigits(_ value: UInt64, minimumCount: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var count = 0
            var rest = value
            repeat {
                digits[count] = 0x30 + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            while count < minimumCount {
                digits[count] = 0x30
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(digits[index]) }
        }
    }

    /// Appends a whole number.
    static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        appendDigits(UInt64(value.magnitude), minimumCount: 1, to: &out)
    }

    /// Appends a coordinate with `coordinateDecimals` places.
    static func appendCoordinate(_ value: Double, to out: inout [UInt8]) {
        appendFixed(value, decimals: coordinateDecimals, to: &out)
    }

    /// Appends the shortest text that reads back as exactly `value` (Swift's own algorithm); valid
    /// JSON and readable by `Double(_:)`.
    static func appendShortest(_ value: Double, to out: inout [UInt8]) {
        precondition(value.isFinite)
        out.append(contentsOf: value.description.utf8)
    }

    /// `value` with `decimals` places, as a string.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var bytes: [UInt8] = []
        appendFixed(value, decimals: decimals, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A coordinate with `coordinateDecimals` places, as a string.
    static func coordinate(_ value: Double) -> String {
        fixed(value, decimals: coordinateDecimals)
    }
}
