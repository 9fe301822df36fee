import Foundation
import SitingCore
import SitingTestSupport
import Testing

/// Dates, and the holiday calendar read from CSV rows.
@Suite struct HolidayCalendarTests {
    static let shippedPath = PackageLayout.root() + "/Geodata/public-holidays-cn.csv"

    static func date(_ text: String) -> LocalDate { LocalDate(iso8601: text)! }

    static func error(_ csv: String) -> HolidayCalendarError? {
        do {
            _ = try HolidayCalendar(csv: csv)
            return nil
        } catch {
            return error
        }
    }

    // MARK: LocalDate

    @Test("known dates: the epoch, a leap day, National Day 2026")
    func knownDates() {
        #expect(Self.date("1970-01-01").daysSince1970 == 0)
        #expect(Self.date("1970-01-01").weekday == .thursday)
        #expect(Self.date("1969-12-31").daysSince1970 == -1)
        #expect(Self.date("2000-03-01").daysSince1970 == 11_017)  // 30 years of 365 days + 7 leap days + 31 + 29
        #expect(Self.date("2026-10-01").weekday == .thursday)
        #expect(Self.date("2026-02-14").weekday == .saturday)
        #expect(Self.date("2026-02-14").adding(days: 1) == Self.date("2026-02-15"))
        #expect(Self.date("2024-02-29").description == "2024-02-29")
        #expect(LocalDate(daysSince1970: 20_727).description == "2026-10-01")
    }

    @Test("impossible or malformed dates are refused", arguments: [
        "2026-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01", "26-01-01",
        "2026/01/01", "2026-01-01 ", "", "0000-01-01", "２０２６-01-01",
    ])
    func refusedDates(text: String) {
        #expect(LocalDate(iso8601: text) == nil)
    }

    @Test("day numbers and weekdays agree with Foundation's Gregorian calendar from 1600 to 2400")
    func agreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Every 97th day: all weekdays, months and leap rules get visited.
        for day in stride(from: -135_000, through: 157_000, by: 97) {
            let date = LocalDate(daysSince1970: day)
            let components = calendar.dateComponents([.year, .month, .day, .weekday],
                                                     from: Date(timeIntervalSince1970: Double(day) * 86_400))
            #expect(date.year == components.year && date.month == components.month && date.day == components.day)
            // Foundation numbers Sunday 1 … Saturday 7.
            #expect((date.weekday.rawValue + 1) % 7 + 1 == components.weekday)
            #expect(LocalDate(year: date.year, month: date.month, day: date.day)?.daysSince1970 == day)
        }
    }

    // MARK: The shipped calendar

    @Test("Geodata/public-holidays-cn.csv reads: 61 holidays and 11 make-up working days of 2025-2026")
    func shippedCalendar() throws {
        let text = try String(contentsOfFile: Self.shippedPath, encoding: .utf8)
        let calendar = try HolidayCalendar(csv: text)
        #expect(calendar.entries.count == 72)
        #expect(calendar.entries.filter { $0.kind == .holiday }.count == 61)
        #expect(calendar.coveredDates == Self.date("2025-01-01")...Self.date("2026-10-10"))
        #expect(calendar.isPublicHoliday(Self.date("2026-10-01")))
        #expect(calendar.entry(on: Self.date("2026-10-01"))?.name == "国庆节")
        #expect(calendar.makeUpWorkdayHours(on: Self.date("2026-02-14")) == .monday)  // a Saturday worked
        #expect(!calendar.isPublicHoliday(Self.date("2026-02-14")))
        #expect(calendar.makeUpWorkdayHours(on: Self.date("2026-02-07")) == nil)  // an ordinary Saturday
        #expect(calendar.entry(on: Self.date("2026-02-07")) == nil)
        #expect(!calendar.isPublicHoliday(Self.date("2030-10-01")))  // outside the data: nothing
    }

    // MARK: CSV details

    @Test("quoting, CRLF, a byte-order mark, blank lines, columns in any order")
    func csvVariants() throws {
        let text = "\u{FEFF}name,kind,date\r\n\"New Year, observed\",holiday,2027-01-01\r\n\r\n\"say \"\"hi\"\"\",workday,2027-01-02\r\n"
        let calendar = try HolidayCalendar(csv: text)
        #expect(calendar.entry(on: Self.date("2027-01-01"))?.name == "New Year, observed")
        #expect(calendar.entry(on: Self.date("2027-01-02"))?.name == "say \"hi\"")
        #expect(calendar.makeUpWorkdayHours(on: Self.date("2027-01-02")) == .monday)
    }

    @Test("an hours_of column picks the weekday a make-up day borrows; the default can be changed")
    func hoursOf() throws {
        let text = "date,kind,name,hours_of\n2026-02-14,workday,春节,Fr\n2026-02-28,workday,春节,\n2026-02-15,holiday,春节,\n"
        let calendar = try HolidayCalendar(csv: text, makeUpHoursOf: .tuesday)
        #expect(calendar.makeUpWorkdayHours(on: Self.date("2026-02-14")) == .friday)
        #expect(calendar.makeUpWorkdayHours(on: Self.date("2026-02-28")) == .tuesday)
        #expect(calendar.isPublicHoliday(Self.date("2026-02-15")))
    }

    @Test("entries given directly; a date listed twice is refused")
    func directEntries() throws {
        let calendar = try HolidayCalendar(entries: [
            .init(date: Self.date("2026-10-02"), kind: .holiday, name: "国庆节"),
            .init(date: Self.date("2026-10-01"), kind: .holiday, name: "国庆节"),
        ])
        #expect(calendar.entries.map(\.date) == [Self.date("2026-10-01"), Self.date("2026-10-02")])  // sorted
        #expect(HolidayCalendar().isEmpty && HolidayCalendar().coveredDates == nil)
        #expect(throws: HolidayCalendarError.self) {
            try HolidayCalendar(entries: [
                .init(date: Self.date("2026-10-01"), kind: .holiday, name: "a"),
                .init(date: Self.date("2026-10-01"), kind: .workday, name: "b"),
            ])
        }
    }

    @Test("bad rows name their line and field", arguments: [
        ("date,kind,name\n2026-10-01,holiday,国庆节\n2026-02-30,holiday,x\n", 3, "date"),
        ("date,kind,name\n2026-10-01,Holiday,国庆节\n", 2, "kind"),  // kinds are lower case
        ("date,kind,name\n2026-10-01,closed,国庆节\n", 2, "kind"),
        ("date,kind,name\n2026-10-01,holiday,  \n", 2, "name"),
        ("date,kind,name\n2026-10-01,holiday\n", 2, nil),  // too few fields
        ("date,kind,name\n2026-10-01,holiday,a,b\n", 2, nil),  // too many
        ("date,kind,name\n2026-10-01,holiday,\"unterminated\n", 2, nil),
        ("date,kind,name\n2026-10-01,holiday,\"a\"b\n", 2, nil),  // text after a closing quote
        ("date,kind,name\n2026-10-01,holiday,a\n2026-10-02,holiday,b\n2026-10-01,workday,c\n", 4, "date"),  // twice
        ("date,kind,name,hours_of\n2026-02-14,workday,春节,Monday\n", 2, "hours_of"),
        ("date,kind,title\n2026-10-01,holiday,a\n", 1, "title"),  // unknown column
        ("date,kind\n2026-10-01,holiday\n", 1, "name"),  // missing column
        ("date,kind,kind,name\n", 1, "kind"),  // a column twice
        ("", 1, nil),  // no header
    ] as [(String, Int, String?)])
    func badRows(csv: String, line: Int, field: String?) {
        let error = Self.error(csv)
        #expect(error?.line == line, "\(csv)")
        #expect(error?.field == field, "\(csv)")
    }

    @Test("error messages say where and what")
    func errorMessage() {
        let error = Self.error("date,kind,name\n2026-10-01,holiday,国庆节\n2026-02-30,holiday,x\n")
        #expect(error?.description == "invalid holiday calendar, line 3, field \"date\": expected a real date as YYYY-MM-DD, found \"2026-02-30\"")
    }
}
