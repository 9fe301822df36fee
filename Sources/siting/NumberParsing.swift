import ArgumentParser

/// Strict reading of decimal numbers typed by people: `12`, `-3.5`, `1e-3`; not `nan`, `inf`, hex,
/// or anything with trailing text.
enum NumberParsing {
    static func decimal(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ byte in
            (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x2D || byte == 0x2B || byte == 0x65 || byte == 0x45
        }) else { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Reads `text` as the number named `field`, or throws a message naming both.
    static func decimal(_ text: String, field: String) throws -> Double {
        guard let value = decimal(Substring(text)) else { throw CLIError.notANumber(field: field, text: text) }
        return value
    }

    /// Checks the count of positional values, naming a misspelt option (which argument parsing passes on
    /// as a value) before complaining about the count.
    static func checkCount(_ values: [String], allowed: Set<Int>, expected: String) throws {
        guard !allowed.contains(values.count) else { return }
        if let unknown = values.first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("unknown option \(unknown)")
        }
        throw CLIError.wrongValueCount(expected: expected, found: values.count)
    }

    /// Splits a line into values separated by spaces, tabs, commas or semicolons.
    static func fields(_ line: Substring) -> [Substring] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == ";" || $0 == "\r" })
    }
}
