/// Dated exceptions to weekly business hours, as data rather than rules: public holidays and
/// make-up working days (调休上班, a weekend day worked as a weekday) on the outlets' local calendar.
///
/// - A **public holiday** replaces the day's weekly hours with the `PH` hours of `OpeningHours`; when
///   the hours say nothing about `PH`, `BusinessHours.holidayFallback` decides (closed by default).
/// - A **make-up working day** opens with the hours of a named weekday (Monday unless the data say
///   otherwise), even on a Saturday or Sunday.
///
/// Read it from rows `date,kind,name` like `Geodata/public-holidays-cn.csv` with `init(csv:)`.
/// Lookups are O(1): one byte per day of the covered date range, indexed by day number.
public struct HolidayCalendar: Hashable, Sendable {
    /// What a listed date is.
    public enum DayKind: String, CaseIterable, Hashable, Sendable {
        /// A public holiday: closed unless the hours give `PH` times.
        case holiday
        /// A make-up working day: open with the hours of a weekday.
        case workday
    }

    /// One listed date.
    public struct Entry: Hashable, Sendable {
        public var date: LocalDate
        public var kind: DayKind
        /// The holiday's name, e.g. `国庆节`.
        public var name: String
        /// Whose hours a make-up working day borrows (ignored for holidays).
        public var hoursOf: Weekday

        public init(date: LocalDate, kind: DayKind, name: String, hoursOf: Weekday = .monday) {
            self.date = date
            self.kind = kind
            self.name = name
            self.hoursOf = hoursOf
        }
    }

    /// What the lookup table holds for a day: 0 nothing, 1 holiday, 2 + weekday a make-up working day.
    enum Marker: Equatable {
        case none, holiday, workday(Weekday)
    }

    /// The listed dates, in date order.
    public let entries: [Entry]
    /// Day number of `codes[0]`.
    private let firstDay: Int
    /// One code per day from `firstDay` on (see `Marker`).
    private let codes: [UInt8]

    /// A calendar with no exceptions: every day follows the weekly hours.
    public init() {
        entries = []
        firstDay = 0
        codes = []
    }

    /// A calendar listing `entries`.
    ///
    /// - Throws: `HolidayCalendarError` (with no line) when a date is listed twice.
    /// - Complexity: O(n + d) for n entries spanning d days.
    public init(entries: some Sequence<Entry>) throws(HolidayCalendarError) {
        try self.init(checked: Array(entries), lines: nil)
    }

    private init(checked unsorted: [Entry], lines: [Int]?) throws(HolidayCalendarError) {
        let order = unsorted.indices.sorted {
            (unsorted[$0].date, $0) < (unsorted[$1].date, $1)
        }
        let sorted = order.map { unsorted[$0] }
        for position in sorted.indices.dropFirst() where sorted[position].date == sorted[position - 1].date {
            let line = lines.map { max($0[order[position]], $0[order[position - 1]]) }
            throw HolidayCalendarError(line: line, field: "date",
                                       message: "\(sorted[position].date) is listed twice")
        }
        entries = sorted
        guard let first = sorted.first, let last = sorted.last else {
            firstDay = 0
            codes = []
            return
        }
        firstDay = first.date.daysSince1970
        var codes = [UInt8](repeating: 0, count: last.date.daysSince1970 - firstDay + 1)
        for entry in sorted {
            codes[entry.date.daysSince1970 - firstDay] =
                entry.kind == .holiday ? 1 : 2 + UInt8(entry.hoursOf.rawValue)
        }
        self.codes = codes
    }

    /// Reads CSV text with a header line naming the columns `date`, `kind`, `name` and optionally
    /// `hours_of`, in any order: `date` is `YYYY-MM-DD`; `kind` is `holiday` or `workday`; `name` is
    /// not empty; `hours_of` (`Mo` … `Su`, may be empty) names the weekday whose hours a make-up
    /// working day borrows, `makeUpHoursOf` when absent. RFC 4180 quoting (a quoted field may not span
    /// lines), LF or CRLF line ends, an optional byte-order mark; blank lines are skipped.
    ///
    /// - Throws: `HolidayCalendarError` naming the line (1-based, the header is line 1) and the field.
    public init(csv text: String, makeUpHoursOf: Weekday = .monday) throws(HolidayCalendarError) {
        var text = Substring(text)
        if text.unicodeScalars.first == "\u{FEFF}" { text = Substring(text.unicodeScalars.dropFirst()) }
        // "\r\n" is one Character in Swift, so split on it as well as on "\n".
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { line in line.hasSuffix("\r") ? line.dropLast() : line }
        guard let headerLine = lines.first, !headerLine.allSatisfy({ $0 == " " }) else {
            throw HolidayCalendarError(line: 1, field: nil, message: "expected a header line \"date,kind,name\", found nothing")
        }
        let header = try Self.fields(of: headerLine, line: 1)
        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            let name = name.trimmingSpaces()
            guard ["date", "kind", "name", "hours_of"].contains(name) else {
                throw HolidayCalendarError(line: 1, field: name,
                                           message: "unknown column \"\(name)\"; expected date, kind, name and optionally hours_of")
            }
            guard columns[name] == nil else {
                throw HolidayCalendarError(line: 1, field: name, message: "column \"\(name)\" appears twice")
            }
            columns[name] = index
        }
        for required in ["date", "kind", "name"] where columns[required] == nil {
            throw HolidayCalendarError(line: 1, field: required, message: "the header has no column \"\(required)\"")
        }
        var entries: [Entry] = []
        var entryLines: [Int] = []
        for (offset, line) in lines.enumerated().dropFirst() {
            let lineNumber = offset + 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = try Self.fields(of: line, line: lineNumber)
            guard fields.count == header.count else {
                throw HolidayCalendarError(line: lineNumber, field: nil,
                                           message: "expected \(header.count) fields like the header, found \(fields.count)")
            }
            let dateText = fields[columns["date"]!].trimmingSpaces()
            guard let date = LocalDate(iso8601: dateText) else {
                throw HolidayCalendarError(line: lineNumber, field: "date",
                                           message: "expected a real date as YYYY-MM-DD, found \"\(dateText)\"")
            }
            let kindText = fields[columns["kind"]!].trimmingSpaces()
            guard let kind = DayKind(rawValue: kindText) else {
                throw HolidayCalendarError(line: lineNumber, field: "kind",
                                           message: "expected \"holiday\" or \"workday\", found \"\(kindText)\"")
            }
            let name = fields[columns["name"]!].trimmingSpaces()
            guard !name.isEmpty else {
                throw HolidayCalendarError(line: lineNumber, field: "name", message: "the holiday's name is empty")
            }
            var hoursOf = makeUpHoursOf
            if let column = columns["hours_of"] {
                let weekdayText = fields[column].trimmingSpaces()
                if !weekdayText.isEmpty {
                    guard let weekday = Weekday(abbreviation: weekdayText) else {
                        throw HolidayCalendarError(line: lineNumber, field: "hours_of",
                                                   message: "expected a weekday Mo Tu We Th Fr Sa Su or nothing, found \"\(weekdayText)\"")
                    }
                    hoursOf = weekday
                }
            }
            entries.append(Entry(date: date, kind: kind, name: name, hoursOf: hoursOf))
            entryLines.append(lineNumber)
        }
        try self.init(checked: entries, lines: entryLines)
    }

    /// Whether `date` is listed, and as what.
    ///
    /// - Complexity: O(log n).
    public func entry(on date: LocalDate) -> Entry? {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].date < date { low = middle + 1 } else { high = middle }
        }
        return low < entries.count && entries[low].date == date ? entries[low] : nil
    }

    /// Whether `date` is a public holiday. O(1).
    public func isPublicHoliday(_ date: LocalDate) -> Bool { marker(daysSince1970: date.daysSince1970) == .holiday }

    /// The weekday whose hours apply when `date` is a make-up working day, else nil. O(1).
    public func makeUpWorkdayHours(on date: LocalDate) -> Weekday? {
        if case .workday(let weekday) = marker(daysSince1970: date.daysSince1970) { return weekday }
        return nil
    }

    /// True when no date is listed.
    public var isEmpty: Bool { entries.isEmpty }

    /// The range of listed dates, nil when empty (days outside it follow the weekly hours: an
    /// outdated calendar silently stops closing outlets on holidays, so check the range).
    public var coveredDates: ClosedRange<LocalDate>? {
        guard let first = entries.first, let last = entries.last else { return nil }
        return first.date...last.date
    }

    @inline(__always)
    func marker(daysSince1970 day: Int) -> Marker {
        let index = day &- firstDay
        guard index >= 0, index < codes.count else { return .none }
        let code = codes[index]
        switch code {
        case 0: return .none
        case 1: return .holiday
        default: return .workday(Weekday(rawValue: Int(code) - 2)!)
        }
    }

    public static func == (lhs: HolidayCalendar, rhs: HolidayCalendar) -> Bool { lhs.entries == rhs.entries }

    public func hash(into hasher: inout Hasher) { hasher.combine(entries) }

    /// Splits one CSV line (RFC 4180 quoting, no line breaks inside quotes).
    private static func fields(of line: Substring, line number: Int) throws(HolidayCalendarError) -> [Substring] {
        var fields: [Substring] = []
        var index = line.startIndex
        while true {
            if index < line.endIndex, line[index] == "\"" {
                var value = ""
                var position = line.index(after: index)
                while true {
                    guard position < line.endIndex else {
                        throw HolidayCalendarError(line: number, field: nil,
                                                   message: "field \(fields.count + 1) has an opening quote but no closing quote")
                    }
                    if line[position] == "\"" {
                        let next = line.index(after: position)
                        if next < line.endIndex, line[next] == "\"" {
                            value.append("\"")
                            position = line.index(after: next)
                            continue
                        }
                        position = next
                        break
                    }
                    value.append(line[position])
                    position = line.index(after: position)
                }
                fields.append(Substring(value))
                guard position == line.endIndex || line[position] == "," else {
                    throw HolidayCalendarError(line: number, field: nil,
                                               message: "field \(fields.count) has text after its closing quote")
                }
                index = position
            } else {
                let end = line[index...].firstIndex(of: ",") ?? line.endIndex
                fields.append(line[index..<end])
                index = end
            }
            guard index < line.endIndex else { return fields }
            index = line.index(after: index)  // past the comma
        }
    }
}

/// A holiday calendar that cannot be read.
public struct HolidayCalendarError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 1-based line of the text (the header is line 1); nil for entries not read from text.
    public var line: Int?
    /// The column at fault (`date`, `kind`, `name`, `hours_of`), nil when it is the whole line.
    public var field: String?
    public var message: String

    public var description: String {
        var place = "invalid holiday calendar"
        if let line { place += ", line \(line)" }
        if let field { place += ", field \"\(field)\"" }
        return "\(place): \(message)"
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
