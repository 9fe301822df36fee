import SitingCore
import Testing

/// The opening-hours text form: what it reads, and where it points when it cannot.
@Suite struct OpeningHoursTests {
    typealias Span = OpeningHours.Span

    static func span(_ start: String, _ end: String) -> Span {
        func minutes(_ clock: String) -> Int {
            let parts = clock.split(separator: ":")
            return Int(parts[0])! * 60 + Int(parts[1])!
        }
        return Span(startMinute: minutes(start), endMinute: minutes(end))
    }

    /// The 0-based offset the parser blames, nil when the text parses.
    static func errorOffset(_ text: String) -> Int? {
        do {
            _ = try OpeningHours(parsing: text)
            return nil
        } catch {
            return error.offset
        }
    }

    @Test("weekdays, a Saturday and PH off")
    func typicalBranch() throws {
        let hours = try OpeningHours(parsing: "Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off")
        for day in 0..<5 { #expect(hours.weekly[day] == [Self.span("09:00", "17:00")]) }
        #expect(hours.weekly[5] == [Self.span("09:30", "16:00")])
        #expect(hours.weekly[6] == [])  // not named: closed
        #expect(hours.publicHoliday == [])  // named "off": closed, not nil
        #expect(hours.description == "Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off")
    }

    @Test("PH not named leaves publicHoliday nil")
    func holidayUnnamed() throws {
        #expect(try OpeningHours(parsing: "Mo-Fr 09:00-17:00").publicHoliday == nil)
        #expect(try OpeningHours(parsing: "Mo-Fr 09:00-17:00; PH 10:00-15:00").publicHoliday == [Self.span("10:00", "15:00")])
    }

    @Test("a lunch break: spans come back sorted by start")
    func twoSpans() throws {
        let hours = try OpeningHours(parsing: "Mo 13:30-17:00 , 09:00-12:00")
        #expect(hours.weekly[0] == [Self.span("09:00", "12:00"), Self.span("13:30", "17:00")])
    }

    @Test("24/7 opens every day and every holiday for the whole day")
    func alwaysOpen() throws {
        let hours = try OpeningHours(parsing: "24/7")
        let whole = Span(startMinute: 0, endMinute: 1440)
        #expect(hours.weekly == Array(repeating: [whole], count: 7))
        #expect(hours.publicHoliday == [whole])
        #expect(Self.errorOffset("  24/7  ") == nil)
    }

    @Test("Sa-Mo wraps round the week end: Saturday, Sunday, Monday")
    func wrappingRange() throws {
        let hours = try OpeningHours(parsing: "Sa-Mo 10:00-12:00")
        let open = [Self.span("10:00", "12:00")]
        #expect(hours.weekly == [open, [], [], [], [], open, open])
    }

    @Test("a day list mixes single days, ranges and PH")
    func dayList() throws {
        let hours = try OpeningHours(parsing: "Mo,We-Th,PH 08:00-09:00")
        let open = [Self.span("08:00", "09:00")]
        #expect(hours.weekly == [open, [], open, open, [], [], []])
        #expect(hours.publicHoliday == open)
    }

    @Test("later rules replace earlier ones for the days they name")
    func laterRulesOverride() throws {
        let hours = try OpeningHours(parsing: "Mo-Sa 09:00-17:00; Sa 10:00-14:00; We off")
        #expect(hours.weekly[5] == [Self.span("10:00", "14:00")])  // not 09:00-17:00 plus 10:00-14:00
        #expect(hours.weekly[2] == [])
        #expect(hours.weekly[4] == [Self.span("09:00", "17:00")])
    }

    @Test("spans past midnight end after 24:00 of their own day", arguments: [
        ("Fr 22:00-02:00", 22 * 60, 26 * 60),  // end not after start: runs into the next day
        ("Fr 22:00-26:00", 22 * 60, 26 * 60),  // the same, written with hours past 24
        ("Fr 00:00-24:00", 0, 24 * 60),  // exactly one day
        ("Fr 09:00-09:00", 9 * 60, 33 * 60),  // equal ends mean 24 hours, not nothing
        ("Fr 23:00-47:00", 23 * 60, 47 * 60),  // the longest span starting at 23:00
    ])
    func pastMidnight(text: String, start: Int, end: Int) throws {
        let hours = try OpeningHours(parsing: text)
        #expect(hours.weekly[4] == [Span(startMinute: start, endMinute: end)])
        #expect(hours.weekly[5] == [])  // the span belongs to Friday, Saturday stays closed
    }

    @Test("a trailing semicolon, spaces and tabs are harmless")
    func lenientSpacing() throws {
        let hours = try OpeningHours(parsing: " Mo - Fr\t09:00 - 17:00 ;")
        #expect(hours.weekly[0] == [Self.span("09:00", "17:00")])
        #expect(try OpeningHours(parsing: "Mo-Fr 09:00-17:00; Sa,Su closed").weekly[6] == [])
    }

    // Errors: offsets are 0-based; the description says "character offset + 1".
    @Test("errors point at the offending character", arguments: [
        ("Mo-Fr 9-17", 6),  // the character after "Mo-Fr ": a time needs HH:MM
        ("Xx 09:00-10:00", 0),  // not a day
        ("Mon 09:00-10:00", 0),  // "Mo" followed by a letter is not a day
        ("Mo-Fr 25:00-26:00", 6),  // opening hour past 23: points at the start of the time
        ("Mo 24:00-25:00", 3),
        ("Mo 09:60-10:00", 6),  // minutes past 59: points at the minutes
        ("Mo 09:00-49:00", 9),  // closing hour past 48
        ("Mo 09:00-48:01", 9),
        ("Mo 22:00-23:00,23:30-47:31", 21),  // a span longer than 24 hours: points at its end
        ("Mo 23:00-48:00", 9),
        ("Mo-Fr 09:00-17:00;;", 18),  // the second ";" where a day should be
        ("Mo-Fr 09:00-17:00 foo", 18),  // trailing garbage instead of ";"
        ("Mo-Fr 08:00-09:00-10:00", 17),
        ("Mo 09:00", 8),  // the end of the text where "-" should be
        ("Mo 0900-1000", 5),  // ":" missing
        ("Mo", 2),  // days without hours
        ("Mo-", 3),
        ("", 0),  // empty text
        ("   ", 3),  // only spaces
        ("24/7 Mo off", 5),  // nothing may follow 24/7
        ("Mo-Fr 09:00-17:00; PH", 21),
    ])
    func errorPositions(text: String, offset: Int) {
        #expect(Self.errorOffset(text) == offset, "\(text)")
    }

    @Test("the error message names the text, a 1-based position and what was expected")
    func errorMessage() {
        do {
            _ = try OpeningHours(parsing: "Xx 09:00-10:00")
            Issue.record("parsed")
        } catch {
            #expect(error.offset == 0)
            #expect(error.text == "Xx 09:00-10:00")
            #expect(error.description.hasPrefix("invalid opening hours \"Xx 09:00-10:00\" at character 1: expected a day"))
            #expect(error.description.contains("found \"Xx 09:00-10:\""))  // the next 12 characters
        }
        do {
            _ = try OpeningHours(parsing: "Mo-Fr 9-17")
            Issue.record("parsed")
        } catch {
            #expect(error.description.contains("at character 7"))
            #expect(error.description.contains("HH:MM"))
        }
    }

    @Test("spans print in the text form")
    func spanDescription() {
        #expect(Self.span("09:00", "17:00").description == "09:00-17:00")
        #expect(Span(startMinute: 22 * 60, endMinute: 26 * 60).description == "22:00-02:00")
        #expect(Span(startMinute: 0, endMinute: 1440).description == "00:00-24:00")
    }
}
