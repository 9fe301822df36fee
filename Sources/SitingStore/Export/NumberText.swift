import Foundation

/// Numbers as text, the same on every run and platform.
enum NumberText {
    /// Decimals of exported coordinates: 1e-7° is about 1 cm, below the accuracy of any outlet's position.
    static let coordinateDecimals = 7

    private static let powersOfTen: [Double] = (0...12).map { pow(10, Double($0)) }

    /// `value` rounded to `decimals` places exactly as `printf("%.*f")` rounds it, never "-0.000…".
    /// A fast integer path serves all but the values within a hair of a rounding tie, which go to printf.
    static func fixed(_ value: Double, decimals: Int) -> String {
        precondition(value.isFinite && decimals <= 12)
        let scale = powersOfTen[decimals]
        let scaled = abs(value) * scale
        if scaled < 9e15 {
            let fraction = scaled - scaled.rounded(.down)
            if abs(fraction - 0.5) > 1e-3 {
                let units = UInt64(scaled.rounded())
                let divisor = UInt64(scale)
                var text = value < 0 && units != 0 ? "-" : ""
                text += String(units / divisor)
                guard decimals > 0 else { return text }
                let digits = String(units % divisor)
                text += "." + String(repeating: "0", count: decimals - digits.count) + digits
                return text
            }
        }
        let text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
        return text
    }

    /// A coordinate with `coordinateDecimals` places.
    static func coordinate(_ value: Double) -> String {
        fixed(value, decimals: coordinateDecimals)
    }

    /// The shortest text that reads back as exactly `value` (Swift's own algorithm); valid JSON and
    /// readable by `Double(_:)`.
    static func shortest(_ value: Double) -> String {
        precondition(value.isFinite)
        return "\(value)"
    }
}
