/// One CSV record: its fields' bytes (quotes removed, doubled quotes undoubled) back to back in one
/// buffer, and where each field ends. The reader refills the same record for every line, so reading
/// a file allocates nothing per record; every field has been checked to be valid UTF-8.
struct CSVRecord {
    /// The fields' bytes, back to back.
    private(set) var bytes: [UInt8] = []
    /// The end offset of each field in `bytes`; a field starts where the one before it ends.
    private(set) var ends: [Int] = []

    init() {
        bytes.reserveCapacity(512)
        ends.reserveCapacity(32)
    }

    /// Number of fields.
    var count: Int { ends.count }

    /// Where field `index` lies in `bytes`.
    func range(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : ends[index - 1])..<ends[index]
    }

    /// Field `index` as a string.
    func string(_ index: Int) -> String {
        String(decoding: bytes[range(index)], as: UTF8.self)
    }

    /// Every field as a string.
    var strings: [String] { (0..<count).map(string) }

    /// Bytes of the field being read (those after the last finished field).
    var pendingCount: Int { bytes.count - (ends.last ?? 0) }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: run)
    }

    /// Drops the last byte of the field being read if it is `byte`.
    mutating func dropPendingLast(ifEqualTo byte: UInt8) {
        if pendingCount > 0, bytes[bytes.count - 1] == byte { bytes.removeLast() }
    }

    /// Ends the field being read; false when its bytes are not valid UTF-8.
    mutating func finishField() -> Bool {
        let start = ends.last ?? 0
        let valid = bytes.withUnsafeBufferPointer { ByteText.isValidUTF8(UnsafeBufferPointer(rebasing: $0[start...])) }
        ends.append(bytes.count)
        return valid
    }
}
