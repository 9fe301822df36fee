import Foundation

/// Checks and number parsing straight on the UTF-8 bytes of CSV fields, for the import's fast path.
/// Each function takes only the common, unambiguous forms and leaves everything else (returns nil)
/// to the `String`-based checks, so both paths accept the same texts with the same values.
enum ByteText {
    /// Whether `bytes` are well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no
    /// surrogates, nothing above U+10FFFF), the same rule as `String(validating:as:)`.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            // Eight ASCII bytes at a time.
            while index + 8 <= count,
                  UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            guard index < count else { break }
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
                index + offset < count && (low...high).contains(base[index + offset])
            }
            switch lead {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                index += 2
            case 0xE0:
                guard continuation(1, 0xA0), continuation(2) else { return false }
                index += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard continuation(1), continuation(2) else { return false }
                index += 3
            case 0xED:
                guard continuation(1, 0x80, 0x9F), continuation(2) else { return false }
                index += 3
            case 0xF0:
                guard continuation(1, 0x90), continuation(2), continuation(3) else { return false }
                index += 4
            case 0xF1...0xF3:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                index += 4
            case 0xF4:
                guard continuation(1, 0x80, 0x8F), continuation(2), continuation(3) else { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }

    /// Whether two byte strings are equal.
    static func equal(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
        guard first.count == second.count else { return false }
        guard let a = first.baseAddress, let b = second.baseAddress else { return true }
        return memcmp(a, b, first.count) == 0
    }

    /// Whether `bytes` spell `literal` (ASCII).
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        equal(bytes, UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Whether a field's text needs trimming: it starts or ends with a space or a tab.
    static func needsTrimming(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
    }

    /// A whole number written as 1 to 18 ASCII digits; nil for any other form.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            let digit = Int(byte) &- 0x30
            guard digit >= 0, digit <= 9 else { return nil }
            value = value &* 10 &+ digit
        }
        return value
    }

    /// A decimal `-?digits(.digits)?` with at most 15 digits in all, as the nearest double; nil for
    /// any other form. With at most 15 digits the digits are an exact double and so is the power of
    /// ten, so one division rounds correctly (Clinger 1990, "How to read floating point numbers
    /// accurately"), giving exactly what `Double(String)` gives.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let negative = bytes.first == 0x2D
        if negative { index = 1 }
        var mantissa: Int64 = 0
        var digits = 0, fractionDigits = 0
        var inFraction = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == 0x2E {
                guard !inFraction, digits > 0 else { return nil }
                inFraction = true
                continue
            }
            let digit = Int64(byte) &- 0x30
            guard digit >= 0, digit <= 9 else { return nil }
            mantissa = mantissa &* 10 &+ digit
            digits += 1
            if inFraction { fractionDigits += 1 }
        }
        guard digits > 0, digits <= 15, !inFraction || fractionDigits > 0 else { return nil }
        let magnitude = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -magnitude : magnitude
    }

    private static let powersOfTen: [Double] = (0...15).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A 64-bit hash of `bytes` (FNV-1a over 8-byte words), for `ByteTextSet`.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        guard let base = bytes.baseAddress else { return hash }
        var index = 0
        while index + 8 <= bytes.count {
            hash = (hash ^ UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) &* 0x100_0000_01b3
            index += 8
        }
        while index < bytes.count {
            hash = (hash ^ UInt64(base[index])) &* 0x100_0000_01b3
            index += 1
        }
        return (hash ^ UInt64(bytes.count)) &* 0x100_0000_01b3
    }
}

/// Texts already found valid, looked up by their bytes without making a `String`. A hash collision
/// only costs a miss: the caller then checks the text in full.
struct ByteTextSet {
    private var texts: [UInt64: [UInt8]] = [:]

    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let stored = texts[ByteText.hash(bytes)] else { return false }
        return stored.withUnsafeBufferPointer { ByteText.equal($0, bytes) }
    }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) {
        let hash = ByteText.hash(bytes)
        if texts[hash] == nil { texts[hash] = Array(bytes) }
    }
}
