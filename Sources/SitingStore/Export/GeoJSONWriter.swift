import SitingCore

/// Writes an RFC 7946 FeatureCollection as it goes, one feature per line, members in a fixed order
/// (`type`, `id`, `geometry`, `properties`; properties in the order given), so the same rows always
/// give the same bytes. Strings are written as UTF-8, escaping only what JSON requires.
struct GeoJSONWriter {
    /// A property value, typed as JSON types it.
    enum Value {
        case null
        case string(String)
        case integer(Int)
        case real(Double)
        case bool(Bool)
    }

    let sink: OutputSink
    private var features = 0

    init(sink: OutputSink) {
        self.sink = sink
    }

    /// Opens the collection. `name` is a foreign member (RFC 7946 §6.1) that GDAL and QGIS take as
    /// the layer name.
    func begin(name: String) throws(ExportError) {
        try sink.write("{\"type\":\"FeatureCollection\",\"name\":" + Self.string(name) + ",\"features\":[\n")
    }

    /// Writes one feature; a missing geometry is written as `null` (RFC 7946 §3.2).
    mutating func feature(id: String?, geometry: Geometry?, properties: [(String, Value)]) throws(ExportError) {
        var line = features == 0 ? "" : ",\n"
        line += "{\"type\":\"Feature\","
        if let id { line += "\"id\":" + Self.string(id) + "," }
        line += "\"geometry\":" + (geometry.map(GeometryText.geoJSON) ?? "null") + ",\"properties\":{"
        for (index, (key, value)) in properties.enumerated() {
            if index > 0 { line += "," }
            line += Self.string(key) + ":"
            switch value {
            case .null: line += "null"
            case .string(let text): line += Self.string(text)
            case .integer(let number): line += String(number)
            case .real(let number): line += NumberText.shortest(number)
            case .bool(let flag): line += flag ? "true" : "false"
            }
        }
        line += "}}"
        features += 1
        try sink.write(line)
    }

    /// Closes the collection.
    func end() throws(ExportError) {
        try sink.write(features == 0 ? "]}\n" : "\n]}\n")
    }

    /// A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
