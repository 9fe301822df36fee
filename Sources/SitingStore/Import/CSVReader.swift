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

    /// The header line's fields, or nil for an empty file.
    mutating func next() throws(ImportError) -> (line: Int, fields: [String])? {
        var record = CSVRecord()
        guard let line = try next(into: &record) else { return nil }
        return (line, record.strings)
    }

    /// Reads the next record into `record` (replacing what it held) and returns the line it starts
    /// on, or nil at the end of the file. Runs of ordinary bytes are copied at once; only delimiters,
    /// line ends and quotes are looked at one by one.
    mutating func next(into record: inout CSVRecord) throws(ImportError) -> Int? {
        record.removeAll()
        var quoted = false, inQuotes = false, afterQuote = false, sawAnything = false
        let startLine = line
        while true {
            if position >= chunk.endIndex {
                guard try refill() else { break }
            }
            let delimiter = self.delimiter  // known once the first chunk is read
            if inQuotes {
                copyRun(into: &record) { $0 == 0x22 || $0 == 0x0A }
                guard position < chunk.endIndex else { continue }
                let byte = chunk[position]
                position += 1
                if byte == 0x0A {
                    line += 1
                    record.append(0x0A)
                    continue
                }
                if position >= chunk.endIndex { _ = try refill() }
                if position < chunk.endIndex, chunk[position] == 0x22 {
                    record.append(0x22)
                    position += 1
                } else {
                    inQuotes = false
                    afterQuote = true
                }
                continue
            }
            sawAnything = true
            if afterQuote {
                let byte = chunk[position]
                if byte != delimiter, byte != 0x0A, byte != 0x0D, byte != 0x22 {
                    throw .unreadable(ImportIssue(file: path, location: .line(line), field: "column \(record.count + 1)",
                                                  reason: "text after the closing quote of a quoted field"))
                }
            } else {
                copyRun(into: &record) { $0 <= 0x2C && ($0 == delimiter || $0 == 0x0A || $0 == 0x0D || $0 == 0x22) }
                guard position < chunk.endIndex else { continue }
            }
            let byte = chunk[position]
            position += 1
            switch byte {
            case delimiter:
                try finishField(&record, startLine)
                quoted = false
                afterQuote = false
            case 0x0A:
                line += 1
                if !afterQuote { record.dropPendingLast(ifEqualTo: 0x0D) }
                try finishField(&record, startLine)
                return startLine
            case 0x0D:
                if !afterQuote { record.append(0x0D) }  // else the CR of a CRLF after a closing quote
            default:  // a quote
                guard record.pendingCount == 0, !quoted else {
                    throw .unreadable(ImportIssue(file: path, location: .line(line), field: "column \(record.count + 1)",
                                                  reason: "a quote (\") inside a field that is not quoted; quote the whole field and double inner quotes"))
                }
                quoted = true
                inQuotes = true
            }
        }
        if inQuotes {
            throw .unreadable(ImportIssue(file: path, location: .line(startLine), field: "column \(record.count + 1)",
                                          reason: "a quoted field opened on this line is never closed (unbalanced quotes)"))
        }
        guard sawAnything else { return nil }
        record.dropPendingLast(ifEqualTo: 0x0D)
        try finishField(&record, startLine)
        return startLine
    }

    /// Copies the bytes from `position` up to the first that `stops` (or the chunk's end) into the
    /// record's pending field, and moves `position` to that byte.
    private mutating func copyRun(into record: inout CSVRecord, stops: (UInt8) -> Bool) {
        let base = chunk.startIndex
        let offset = position - base
        let end = chunk.withUnsafeBufferPointer { buffer in
            var index = offset
            while index < buffer.count, !stops(buffer[index]) { index += 1 }
            if index > offset { record.append(UnsafeBufferPointer(rebasing: buffer[offset..<index])) }
            return index
        }
        position = base + end
    }

    private func finishField(_ record: inout CSVRecord, _ line: Int) throws(ImportError) {
        guard record.finishField() else {
            throw .unreadable(ImportIssue(file: path, location: .line(line), field: "column \(record.count)",
                                          reason: "not valid UTF-8 text (save the file as UTF-8)"))
        }
    }
}
