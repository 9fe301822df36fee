import Foundation
import Hummingbird

/// A request's query parameters, read strictly: an unknown name, a repeated single value or a value
/// that does not parse is a `ServerError` naming the parameter and what is accepted.
struct QueryParameters {
    private var values: [String: [String]] = [:]

    init(_ request: Request, known: [String]) throws(ServerError) {
        for (key, value) in request.uri.queryParameters {
            let name = key.utf8.contains(UInt8(ascii: "%")) ? String(key).removingPercentEncoding ?? String(key) : String(key)
            guard known.contains(name) else { throw .unknownParameter(name: name, known: known) }
            values[name, default: []].append(String(value))
        }
    }

    /// The single value of `name`, nil when absent.
    func single(_ name: String) throws(ServerError) -> String? {
        guard let all = values[name] else { return nil }
        guard all.count == 1 else { throw .invalidParameter(name: name, reason: "given \(all.count) times: give it once") }
        return all[0]
    }

    /// A finite decimal number in `range`.
    func number(_ name: String, in range: ClosedRange<Double>, unit: String = "") throws(ServerError) -> Double? {
        guard let text = try single(name) else { return nil }
        let trimmed = Self.trimmed(text)
        guard Self.isDecimal(trimmed), let value = Double(trimmed), value.isFinite else {
            throw .invalidParameter(name: name, reason: "\"\(text)\" is not a number: give a decimal number from \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound))\(unit)")
        }
        guard range.contains(value) else {
            throw .invalidParameter(name: name, reason: "\(text) is out of range: give \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound))\(unit)")
        }
        return value
    }

    /// A whole number in `range`.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(ServerError) -> Int? {
        guard let text = try single(name) else { return nil }
        guard let value = Int(Self.trimmed(text)) else {
            throw .invalidParameter(name: name, reason: "\"\(text)\" is not a whole number: give \(range.lowerBound) to \(range.upperBound)")
        }
        guard range.contains(value) else {
            throw .invalidParameter(name: name, reason: "\(value) is out of range: give \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`); absent is false.
    func flag(_ name: String) throws(ServerError) -> Bool {
        guard let text = try single(name) else { return false }
        switch text.lowercased() {
        case "true", "1", "yes", "": return true
        case "false", "0", "no": return false
        default: throw .invalidParameter(name: name, reason: "\"\(text)\" is not a boolean: give true or false")
        }
    }

    /// Every value of a repeatable parameter, commas splitting values too.
    func list(_ name: String) -> [String] {
        (values[name] ?? []).flatMap { $0.split(separator: ",").map { Self.trimmed(String($0)) } }
            .filter { !$0.isEmpty }
    }

    /// `text` without the spaces and tabs (`CharacterSet.whitespaces`) at its ends. A value that starts
    /// and ends with a visible ASCII character, as nearly all do, is returned as it is without asking
    /// Foundation, whose trimming costs more than the rest of a nearby query's parsing.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return text
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Plain decimal notation only (`-12.5`, `3e2`): Swift's `Double(_:)` would also take `0x10`, `inf` and `nan`.
    static func isDecimal(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var mantissa = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    private static func text(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
