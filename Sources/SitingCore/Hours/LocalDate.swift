/// A day of the week, Monday first (ISO 8601), numbered as `OpeningHours.weekly` is indexed.
public enum Weekday: Int, CaseIterable, Hashable, Comparable, Sendable, CustomStringConvertible {
    case monday = 0, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The two-letter OpenStreetMap name: `Mo`, `Tu`, `We`, `Th`, `Fr`, `Sa`, `Su`.
    public var abbreviation: String { OpeningHours.dayNames[rawValue] }

    /// The day named by its two-letter OpenStreetMap abbreviation (`Mo` … `Su`), or nil.
    public init?(abbreviation: some StringProtocol) {
        guard let index = OpeningHours.dayNames.firstIndex(where: { $0 == abbreviation }) else { return nil }
        self.init(rawValue: index)
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { abbreviation }
}

/// A calendar date (proleptic Gregorian) with no time and no time zone: a day on an outlet's local
/// calendar, such as a public holiday.
///
/// Dates convert to and from a day number (days since 1970-01-01) by pure arithmetic
/// (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", 2013), so no `Calendar` is needed.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    /// 1 … 12.
    public let month: Int
    /// 1 … 31.
    public let day: Int
    /// Days since 1970-01-01 (negative before it).
    public let daysSince1970: Int

    /// The date, or nil when it does not exist (`2026-02-30`) or the year is outside 1 … 9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= LocalDate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
        daysSince1970 = LocalDate.dayNumber(year: year, month: month, day: day)
    }

    /// The date `daysSince1970` days after 1970-01-01.
    public init(daysSince1970: Int) {
        var z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        z -= era * 146_097
        let yearOfEra = (z - z / 1460 + z / 36_524 - z / 146_096) / 365
        let dayOfYear = z - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        self.daysSince1970 = daysSince1970
    }

    /// Reads `YYYY-MM-DD` (ISO 8601 calendar date, exactly ten characters); nil when malformed or
    /// not a real date.
    public init?(iso8601 text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day of the week (1970-01-01 was a Thursday).
    public var weekday: Weekday { LocalDate.weekday(daysSince1970: daysSince1970) }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(daysSince1970: daysSince1970 + days) }

    /// `YYYY-MM-DD`.
    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSince1970 < rhs.daysSince1970 }

    static func weekday(daysSince1970 days: Int) -> Weekday {
        Weekday(rawValue: ((days + 3) % 7 + 7) % 7)!
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
