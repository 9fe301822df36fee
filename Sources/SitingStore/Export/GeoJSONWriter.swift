import SitingCore

/// Writes an RFC 7946 FeatureCollection as it goes, one feature per line, members in a fixed order
/// (`type`, `id`, `geometry`, `properties`; properties in column order), so the same rows always
/// give the same bytes. Strings are written as UTF-8, escaping only what JSON requires (RFC 8259 §7).
struct GeoJSONWriter {
    let sink: OutputSink
    /// `"name":` for each property, encoded once.
    private let keys: [[UInt8]]
    private var features = 0

    init(sink: OutputSink, propertyNames: [String]) {
        self.sink = sink
        keys = propertyNames.map { name in
            var bytes: [UInt8] = []
            Self.appendString(name, to: &bytes)
            bytes.append(0x3A)
            return bytes
        }
    }

    /// Opens the collection. `name` is a foreign member (RFC 7946 §6.1) that GDAL and QGIS take as
    /// the layer name.
    func begin(name: String) throws(ExportError) {
        var bytes = Array("{\"type\":\"FeatureCollection\",\"name\":".utf8)
        Self.appendString(name, to: &bytes)
        bytes.append(contentsOf: ",\"features\":[\n".utf8)
        try sink.write(bytes: bytes)
    }

    /// Writes one feature; a missing geometry is written as `null` (RFC 7946 §3.2). Flags become
    /// booleans, numbers numbers, missing values `null`.
    mutating func feature(id: String?, geometry: Geometry?, values: [ExportLayout.Value]) throws(ExportError) {
        if features > 0 { sink.buffer.append(contentsOf: ",\n".utf8) }
        sink.buffer.append(contentsOf: "{\"type\":\"Feature\",".utf8)
        if let id {
            sink.buffer.append(contentsOf: "\"id\":".utf8)
            Self.appendString(id, to: &sink.buffer)
            sink.buffer.append(0x2C)
        }
        sink.buffer.append(contentsOf: "\"geometry\":".utf8)
        if let geometry {
            GeometryText.appendGeoJSON(geometry, to: &sink.buffer)
        } else {
            sink.buffer.append(contentsOf: "null".utf8)
        }
        sink.buffer.append(contentsOf: ",\"properties\":{".utf8)
        for (index, value) in values.enumerated() {
            if index > 0 { sink.buffer.append(0x2C) }
            sink.buffer.append(contentsOf: keys[index])
            switch value {
            case .null: sink.buffer.append(contentsOf: "null".utf8)
            case .text(let text): Self.appendString(text, to: &sink.buffer)
            case .integer(let number): NumberText.appendInteger(number, to: &sink.buffer)
            case .real(let number): NumberText.appendShortest(number, to: &sink.buffer)
            case .flag(let flag): sink.buffer.append(contentsOf: (flag ? "true" : "false").utf8)
            }
        }
        sink.buffer.append(contentsOf: "}}".utf8)
        features += 1
        try sink.flushIfNeeded()
    }

    /// Closes the collection.
    func end() throws(ExportError) {
        try sink.write(features == 0 ? "]}\n" : "\n]}\n")
    }

    /// Appends a JSON string literal: quote, backslash and control characters escaped, everything
    /// else (UTF-8 multi-byte sequences included) as it is.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    /// A JSON string literal as a string.
    static func string(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
