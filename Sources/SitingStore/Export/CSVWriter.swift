/// RFC 4180 CSV, appended to a byte buffer: fields separated by commas, records ended by CRLF; a
/// field is quoted when it holds a comma, a quote, a line break or leading or trailing blanks, and
/// inner quotes are doubled. Line breaks inside a quoted field are kept as they are.
enum CSVWriter {
    /// Appends one record of text fields (`nil` is written empty), CRLF included.
    static func appendRecord(_ fields: [String?], to out: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(0x2C) }
            if let field { appendField(field, to: &out) }
        }
        appendLineEnd(to: &out)
    }

    /// Appends `field`, quoted if it needs to be.
    static func appendField(_ field: String, to out: inout [UInt8]) {
        var field = field
        field.withUTF8 { bytes in
            guard needsQuotes(bytes) else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(0x22)
            for byte in bytes {
                out.append(byte)
                if byte == 0x22 { out.append(0x22) }
            }
            out.append(0x22)
        }
    }

    static func appendLineEnd(to out: inout [UInt8]) {
        out.append(0x0D)
        out.append(0x0A)
    }

    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
        for byte in bytes where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
        return false
    }
}
