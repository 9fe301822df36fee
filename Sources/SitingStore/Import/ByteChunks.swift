import Foundation

/// A file read in chunks of `size` bytes, with a UTF-8 byte-order mark dropped from the start: the
/// byte source of the streaming CSV and GeoJSON readers.
struct ByteChunks {
    let path: String
    private let handle: FileHandle
    private var finished = false
    /// Bytes read from the file so far.
    private(set) var bytesRead = 0

    static let size = 1 << 20

    init(path: String) throws(ImportError) {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw .unreadable(ImportIssue(file: path, location: .file,
                                          reason: exists ? "cannot be read (check its permissions)" : "no such file"))
        }
        self.handle = handle
    }

    /// The next chunk, or nil at the end of the file; `line` only names the place of a read error.
    mutating func next(line: Int) throws(ImportError) -> ArraySlice<UInt8>? {
        guard !finished else { return nil }
        let data: Data?
        do {
            data = try handle.read(upToCount: Self.size)
        } catch {
            throw .unreadable(ImportIssue(file: path, location: .line(line), reason: "read failed: \(error.localizedDescription)"))
        }
        guard let data, !data.isEmpty else {
            finished = true
            return nil
        }
        let bytes = [UInt8](data)
        let first = bytesRead == 0
        bytesRead += bytes.count
        if first, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return bytes[3...] }
        return bytes[...]
    }
}
