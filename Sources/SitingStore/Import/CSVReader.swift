import Foundation

/// A streaming RFC 4180 CSV reader: reads the file in chunks, so memory stays bounded by the longest
/// record, not the file. Accepts a UTF-8 byte-order mark, CRLF or LF line ends, quoted fields with
/// doubled quotes and embedded line breaks; the delimiter is a comma, or a tab when the header has
/// tabs and no commas.
struct CSVReader {
    let path: String
    private var chunks: ByteChunks
    private var chunk: ArraySlice<UInt8> = []
    private var position = 0
    var bytesRead: Int { chunks.bytesRead }
    private var line = 1
    private var delimiter: UInt8 = 0x2C
    private var isFirstRecord = true

    init(path: String) throws(ImportError) {
        self.path = path
        chunks = try ByteChunks(path: path)
    }

    private mutating func refill() throws(ImportError) -> Bool {
        let first = chunks.bytesRead == 0
        guard let next = try chunks.next(line: line) else { return false }
        chunk = next
        position = next.startIndex
        if first {
            // A header line with tabs and no commas makes a tab-separated file.
            let header = chunk.prefix { $0 != 0x0A }
            if header.contains(0x09), !header.contains(0x2C) { delimiter = 0x09 }
        }
        return true
    }

    /// The next record and the line it starts on, or nil at the end of the file.
    mutating func next() throws(ImportError) -> (line: Int, fields: [String])? {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false, inQuotes = false, afterQuote = false, sawAnything = false
        let startLine = line
        while true {
            if position >= chunk.endIndex {
                guard try refill() else { break }
            }
            let byte = chunk[position]
            position += 1
            if inQuotes {
                if byte == 0x22 {
                    if position >= chunk.endIndex { _ = try refill() }
                    if position < chunk.endIndex, chunk[position] == 0x22 {
                        field.append(0x22)
                        position += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                continue
            }
            sawAnything = true
            switch byte {
            case delimiter:
                fields.append(try text(field, fields.count, startLine))
                field.removeAll(keepingCapacity: true)
                quoted = false
                afterQuote = false
            case 0x0A:
                line += 1
                if field.last == 0x0D, !afterQuote { field.removeLast() }
                fields.append(try text(field, fields.count, startLine))
                isFirstRecord = false
                return (startLine, fields)
            case 0x0D where afterQuote:
                continue  // CR of a CRLF after a closing quote
            case 0x22:
                guard field.isEmpty, !quoted else {
                    throw .unreadable(ImportIssue(file: path, location: .line(line), field: "column \(fields.count + 1)",
                                                  reason: "a quote (\") inside a field that is not quoted; quote the whole field and double inner quotes"))
                }
                quoted = true
                inQuotes = true
            default:
                if afterQuote {
                    throw .unreadable(ImportIssue(file: path, location: .line(line), field: "column \(fields.count + 1)",
                                                  reason: "text after the closing quote of a quoted field"))
                }
                field.append(byte)
            }
        }
        if inQuotes {
            throw .unreadable(ImportIssue(file: path, location: .line(startLine), field: "column \(fields.count + 1)",
                                          reason: "a quoted field opened on this line is never closed (unbalanced quotes)"))
        }
        guard sawAnything else { return nil }
        if field.last == 0x0D { field.removeLast() }
        fields.append(try text(field, fields.count, startLine))
        isFirstRecord = false
        return (startLine, fields)
    }

    private func text(_ bytes: [UInt8], _ column: Int, _ line: Int) throws(ImportError) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }  // ASCII is valid UTF-8
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw .unreadable(ImportIssue(file: path, location: .line(line), field: "column \(column + 1)",
                                          reason: "not valid UTF-8 text (save the file as UTF-8)"))
        }
        return string
    }
}
