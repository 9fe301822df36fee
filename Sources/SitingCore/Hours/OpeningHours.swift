/// Weekly business hours, read from a documented subset of OpenStreetMap's `opening_hours` syntax.
///
/// Grammar (whitespace allowed around `;` `,` `-`):
/// ```
/// hours    = "24/7" | rule { ";" rule }
/// rule     = days ( spans | "off" | "closed" )
/// days     = day-spec { "," day-spec }
/// day-spec = day [ "-" day ] | "PH"                 day = Mo | Tu | We | Th | Fr | Sa | Su
/// spans    = span { "," span }                      span = HH:MM "-" HH:MM
/// ```
/// `PH` is a public holiday (the dates come from data, not rules). A span whose end is not after its
/// start, or is past 24:00 (`22:00-02:00`, `22:00-26:00`), runs past midnight into the next day.
/// Later rules replace earlier ones for the days they name, as in OpenStreetMap:
/// `Mo-Sa 09:00-17:00; Sa 10:00-14:00` opens Saturday 10 to 14 only.
///
/// Examples: `Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off`, `Mo-Fr 09:00-12:00,13:30-17:00`, `24/7`.
public struct OpeningHours: Hashable, Sendable, CustomStringConvertible {
    /// A period of one day, in minutes after that day's midnight; `endMinute` may exceed 1440 when
    /// it runs into the next day.
    public struct Span: Hashable, Sendable {
        public var startMinute: Int
        public var endMinute: Int

        public init(startMinute: Int, endMinute: Int) {
            self.startMinute = startMinute
            self.endMinute = endMinute
        }
    }

    /// Spans for Monday (index 0) through Sunday (index 6).
    public var weekly: [[Span]]
    /// Spans on public holidays; nil when the text says nothing about them (the weekday's hours apply).
    /// `BusinessHours` reads nil as closed on public holidays unless told otherwise
    /// (`BusinessHours.HolidayFallback`).
    public var publicHoliday: [Span]?
    /// The text this was read from.
    public let text: String

    static let dayNames = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]

    /// Reads `text`.
    ///
    /// - Throws: `OpeningHoursError` pointing at the offending character.
    public init(parsing text: String) throws(OpeningHoursError) {
        self.text = text
        var parser = Parser(text: text)
        (weekly, publicHoliday) = try parser.parse()
    }

    public var description: String { text }

    private struct Parser {
        let text: String
        let scalars: [Unicode.Scalar]
        var index = 0

        init(text: String) {
            self.text = text
            scalars = Array(text.unicodeScalars)
        }

        mutating func parse() throws(OpeningHoursError) -> ([[Span]], [Span]?) {
            skipSpaces()
            guard index < scalars.count else { throw failure("expected hours such as \"Mo-Fr 09:00-17:00\" or \"24/7\"") }
            if consumeLiteral("24/7") {
                skipSpaces()
                guard index == scalars.count else { throw failure("expected nothing after \"24/7\"") }
                let always = Span(startMinute: 0, endMinute: 1440)
                return (Array(repeating: [always], count: 7), [always])
            }
            var weekly = [[Span]](repeating: [], count: 7)
            var holiday: [Span]?
            while true {
                let (days, includesHoliday) = try parseDays()
                skipSpaces()
                let spans: [Span]
                if consumeWord("off") || consumeWord("closed") {
                    spans = []
                } else {
                    spans = try parseSpans()
                }
                for day in days { weekly[day] = spans }
                if includesHoliday { holiday = spans }
                skipSpaces()
                if index == scalars.count { break }
                guard scalars[index] == ";" else { throw failure("expected \";\" between rules") }
                index += 1
                skipSpaces()
                if index == scalars.count { break }  // a trailing ";" is harmless
            }
            return (weekly, holiday)
        }

        mutating func parseDays() throws(OpeningHoursError) -> ([Int], Bool) {
            var days: [Int] = []
            var holiday = false
            repeat {
                skipSpaces()
                if consumeWord("PH") {
                    holiday = true
                } else {
                    let first = try parseDay()
                    skipSpaces()
                    if index < scalars.count, scalars[index] == "-" {
                        index += 1
                        skipSpaces()
                        let last = try parseDay()
                        var day = first
                        while true {  // Sa-Mo wraps round the week
                            days.append(day)
                            if day == last { break }
                            day = (day + 1) % 7
                        }
                    } else {
                        days.append(first)
                    }
                }
                skipSpaces()
            } while consume(",")
            return (days, holiday)
        }

        mutating func parseDay() throws(OpeningHoursError) -> Int {
            for (number, name) in OpeningHours.dayNames.enumerated() where consumeWord(name) { return number }
            throw failure("expected a day (Mo Tu We Th Fr Sa Su) or PH")
        }

        mutating func parseSpans() throws(OpeningHoursError) -> [Span] {
            var spans: [Span] = []
            repeat {
                skipSpaces()
                let start = try parseTime(allowPastMidnight: false)
                skipSpaces()
                guard consume("-") else { throw failure("expected \"-\" between opening and closing times") }
                skipSpaces()
                let endOffset = index
                var end = try parseTime(allowPastMidnight: true)
                if end <= start { end += 1440 }
                guard end - start <= 1440 else {
                    index = endOffset
                    throw failure("a span cannot last more than 24 hours")
                }
                spans.append(Span(startMinute: start, endMinute: end))
                skipSpaces()
            } while consume(",")
            return spans.sorted { $0.startMinute < $1.startMinute }
        }

        /// HH:MM; hours up to 23 (or up to 48 for a closing time, where 24:00 is midnight).
        mutating func parseTime(allowPastMidnight: Bool) throws(OpeningHoursError) -> Int {
            let start = index
            guard let hours = digits(2) else { throw failure("expected a time as HH:MM") }
            guard consume(":") else { throw failure("expected \":\" in a time HH:MM") }
            guard let minutes = digits(2) else { throw failure("expected two digits of minutes") }
            guard minutes < 60 else {
                index -= 2
                throw failure("minutes must be 00 to 59")
            }
            let limit = allowPastMidnight ? 48 : 23
            guard hours <= limit, !(hours == 48 && minutes > 0), allowPastMidnight || hours < 24 else {
                index = start
                throw failure(allowPastMidnight ? "hours must be 00 to 48" : "opening hours must be 00 to 23")
            }
            return hours * 60 + minutes
        }

        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= scalars.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let scalar = scalars[index + offset]
                guard scalar.value >= 0x30, scalar.value <= 0x39 else { return nil }
                value = value * 10 + Int(scalar.value - 0x30)
            }
            index += count
            return value
        }

        mutating func consumeLiteral(_ literal: String) -> Bool {
            var position = index
            for scalar in literal.unicodeScalars {
                guard position < scalars.count, scalars[position] == scalar else { return false }
                position += 1
            }
            index = position
            return true
        }

        mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
            return true
        }

        mutating func consumeWord(_ word: String) -> Bool {
            let start = index
            guard consumeLiteral(word) else { return false }
            if index < scalars.count, scalars[index].properties.isAlphabetic {
                index = start
                return false
            }
            return true
        }

        mutating func skipSpaces() {
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        }

        func failure(_ message: String) -> OpeningHoursError {
            let found = index < scalars.count ? "\"\(String(String.UnicodeScalarView(scalars[index...].prefix(12))))\"" : "the end"
            return OpeningHoursError(text: text, offset: index, message: "\(message), found \(found)")
        }
    }
}

/// Opening-hours text that does not follow the grammar of `OpeningHours`.
public struct OpeningHoursError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The whole text.
    public var text: String
    /// 0-based position (in Unicode scalars) of the offending character.
    public var offset: Int
    public var message: String

    public var description: String {
        "invalid opening hours \"\(text)\" at character \(offset + 1): \(message)"
    }
}
