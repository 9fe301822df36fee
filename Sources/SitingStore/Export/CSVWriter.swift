/// Writes RFC 4180 CSV records: fields separated by commas, records ended by CRLF; a field is quoted
/// when it holds a comma, a quote, a line break or leading or trailing blanks, and inner quotes are
/// doubled. Line breaks inside a quoted field are kept as they are.
struct CSVWriter {
    let sink: OutputSink

    /// Writes one record; `nil` fields are written empty.
    func write(_ fields: [String?]) throws(ExportError) {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += "," }
            if let field { Self.appendField(field, to: &line) }
        }
        line += "\r\n"
        try sink.write(line)
    }

    /// Appends `field`, quoted if it needs to be.
    static func appendField(_ field: String, to line: inout String) {
        guard needsQuotes(field) else {
            line += field
            return
        }
        line += "\""
        for character in field.unicodeScalars {
            if character == "\"" { line += "\"\"" } else { line.unicodeScalars.append(character) }
        }
        line += "\""
    }

    static func needsQuotes(_ field: String) -> Bool {
        let bytes = field.utf8
        if let first = bytes.first, first == 0x20 || first == 0x09 { return true }
        if let last = bytes.last, last == 0x20 || last == 0x09 { return true }
        return bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    }
}
