/// A growable run of UTF-8 bytes that JSON text is appended to: literal text, copied bytes, whole
/// numbers and clock times, each a bounds check and a copy (no `String` in between).
struct JSONBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes written, as an array.
    consuming func array() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// The bytes written, as text.
    consuming func string() -> String {
        String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(2 * capacity, count + extra))
        larger.initialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = max(2 * capacity, count + extra)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Bytes already written, again.
    mutating func appendCopy(of range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        reserve(range.count)
        (base + count).initialize(from: base + range.lowerBound, count: range.count)
        count += range.count
    }

    /// Literal text.
    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A whole number in decimal, zero-padded to `minimumDigits`.
    mutating func appendDecimal(_ value: Int, minimumDigits: Int = 1) {
        reserve(21 + minimumDigits)
        if value < 0 { append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 0
        var reversed = magnitude
        repeat { digits += 1; reversed /= 10 } while reversed > 0
        digits = max(digits, minimumDigits)
        var position = count + digits
        count = position
        repeat {
            position -= 1
            base[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while position > count - digits
    }

    /// Two decimal digits of `value` (0 to 99).
    @inline(__always)
    mutating func appendTwoDigits(_ value: Int) {
        reserve(2)
        base[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10)
        base[count + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
        count += 2
    }

    /// `HH:MM` for minutes since midnight (24:00 for 1,440; at most 99:59).
    mutating func appendClockTime(_ minutes: Int) {
        appendTwoDigits(minutes / 60)
        append(UInt8(ascii: ":"))
        appendTwoDigits(minutes % 60)
    }
}
