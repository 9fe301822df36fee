/// A JSON value as decoded, keeping numbers, booleans and strings apart.
enum JSONValue: Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The value as field text: strings as they are, integral numbers without a decimal point,
    /// booleans as yes/no; nil for null, arrays and objects.
    var fieldText: String? {
        switch self {
        case .string(let text): return text
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return "\(value)"
        case .bool(let value): return value ? "yes" : "no"
        case .null, .array, .object: return nil
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}
