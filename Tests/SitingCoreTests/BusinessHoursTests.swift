import Foundation
import SitingCore
import SitingTestSupport
import Testing

/// Business hours at instants, against cases worked by hand. Every instant is written with its UTC
/// offset, worked out by hand (Beijing time is +08:00 all year; Berlin is +01:00 in winter and +02:00
/// in summer; New York -05:00 and -04:00), and read by Foundation's ISO 8601 parser, not by Siting.
@Suite struct BusinessHoursTests {
    /// An instant from ISO 8601 text with an explicit offset, e.g. `2026-10-01T10:00:00+08:00`.
    static func at(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { fatalError("bad test instant \(text)") }
        return date
    }

    /// China's 2025-2026 calendar as shipped in `Geodata/public-holidays-cn.csv`.
    static let china: HolidayCalendar = {
        let path = PackageLayout.root() + "/Geodata/public-holidays-cn.csv"
        let text = try! String(contentsOfFile: path, encoding: .utf8)
        return try! HolidayCalendar(csv: text)
    }()

    static func hours(_ text: String, secondary: String? = nil, zone: String = "Asia/Shanghai",
                      holidays: HolidayCalendar = HolidayCalendar(),
                      fallback: BusinessHours.HolidayFallback = .closed) -> BusinessHours {
        try! BusinessHours(parsing: text, secondary: secondary, timeZoneIdentifier: zone, holidays: holidays,
                           holidayFallback: fallback)
    }

    static func span(_ start: Int, _ end: Int) -> OpeningHours.Span {
        OpeningHours.Span(startMinute: start, endMinute: end)
    }

    @Test("on a public holiday without PH hours the counters close but the self-service area keeps its weekday hours")
    func secondaryHoursOnHolidays() {
        // 2026-10-01 (a Thursday) is National Day in the shipped calendar.
        let hours = Self.hours("Mo-Fr 09:00-17:00; Sa,Su off", secondary: "Mo-Su 06:00-22:00", holidays: Self.china)
        let morning = Self.at("2026-10-01T10:00:00+08:00")
        #expect(!hours.isOpen(at: morning))
        #expect(hours.isOpen(at: morning, area: .secondary))
        #expect(!hours.isOpen(at: Self.at("2026-10-01T23:00:00+08:00"), area: .secondary))
    }

    // MARK: Midnight

    @Test("a Friday 22:00-02:00 span keeps the outlet open early on Saturday, and only then")
    func midnightCrossing() {
        // 2026-03-06 is a Friday, 03-07 a Saturday.
        let hours = Self.hours("Mo-Th 09:00-17:00; Fr 09:00-17:00,22:00-02:00; Sa,Su off")
        #expect(!hours.isOpen(at: Self.at("2026-03-06T21:59:59+08:00")))
        #expect(hours.isOpen(at: Self.at("2026-03-06T22:00:00+08:00")))  // opens at its first second
        #expect(hours.isOpen(at: Self.at("2026-03-06T23:59:59+08:00")))
        #expect(hours.isOpen(at: Self.at("2026-03-07T00:00:00+08:00")))  // no gap at midnight
        #expect(hours.isOpen(at: Self.at("2026-03-07T01:00:00+08:00")))  // Friday's span, Saturday's date
        #expect(!hours.isOpen(at: Self.at("2026-03-07T02:00:00+08:00")))  // closes at 02:00
        #expect(!hours.isOpen(at: Self.at("2026-03-07T10:00:00+08:00")))  // Saturday is off
        // Today's spans are the local day's own: Saturday shows none, Friday shows both.
        #expect(hours.todaysSpans(at: Self.at("2026-03-07T01:00:00+08:00")) == [])
        #expect(hours.todaysSpans(at: Self.at("2026-03-06T12:00:00+08:00")).map(\.description) == ["09:00-17:00", "22:00-02:00"])
    }

    @Test("a holiday on Saturday does not cut Friday's night short; a holiday on Friday cancels it")
    func midnightAndHolidays() {
        let hours = Self.hours("Mo-Th 09:00-17:00; Fr 09:00-17:00,22:00-02:00; Sa,Su off; PH off", holidays: Self.china)
        // 2026-04-03 is an ordinary Friday; Saturday 04-04 is 清明节 (PH off). The span belongs to Friday.
        #expect(hours.isOpen(at: Self.at("2026-04-04T01:00:00+08:00")))
        #expect(hours.nextClosing(after: Self.at("2026-04-03T23:00:00+08:00")) == Self.at("2026-04-04T02:00:00+08:00"))
        // 2026-10-02 is a Friday and a holiday (国庆节): Friday's spans do not run at all.
        #expect(!hours.isOpen(at: Self.at("2026-10-02T23:00:00+08:00")))
        #expect(!hours.isOpen(at: Self.at("2026-10-03T01:00:00+08:00")))
    }

    @Test("next closing of an outlet open past midnight")
    func nextClosingPastMidnight() {
        // Every day 18:00 to 03:00 the next morning. 2026-03-03 is a Tuesday.
        let hours = Self.hours("Mo-Su 18:00-03:00")
        let evening = Self.at("2026-03-03T23:00:00+08:00")
        #expect(hours.isOpen(at: evening))
        #expect(hours.nextClosing(after: evening) == Self.at("2026-03-04T03:00:00+08:00"))
        #expect(hours.nextOpening(after: evening) == Self.at("2026-03-04T18:00:00+08:00"))  // after this night
        // At 02:00 the outlet is open on Tuesday's span; it closes at 03:00, reopens at 18:00.
        let night = Self.at("2026-03-04T02:00:00+08:00")
        #expect(hours.status(at: night) == BusinessHours.Status(
            isOpen: true, nextOpening: Self.at("2026-03-04T18:00:00+08:00"), nextClosing: Self.at("2026-03-04T03:00:00+08:00")))
        // At 03:00 exactly it is closed: a period is [open, close).
        #expect(!hours.isOpen(at: Self.at("2026-03-04T03:00:00+08:00")))
    }

    @Test("spans that touch at midnight are one period: no closing at 24:00")
    func touchingSpans() {
        // 2026-03-02 is a Monday.
        let hours = Self.hours("Mo 20:00-24:00; Tu 00:00-08:00")
        let monday = Self.at("2026-03-02T21:00:00+08:00")
        #expect(hours.nextClosing(after: monday) == Self.at("2026-03-03T08:00:00+08:00"))
        #expect(hours.isOpen(at: Self.at("2026-03-03T00:00:00+08:00")))
        #expect(hours.nextOpening(after: monday) == Self.at("2026-03-09T20:00:00+08:00"))  // next Monday
    }

    // MARK: Holidays and make-up working days

    @Test("National Day 2026-10-01 closes a PH-off branch; PH 10:00-15:00 opens those hours")
    func holidayClosure() {
        let closed = Self.hours("Mo-Fr 09:00-17:00; Sa-Su off; PH off", holidays: Self.china)
        #expect(!closed.isOpen(at: Self.at("2026-10-01T10:00:00+08:00")))  // a Thursday, but National Day
        #expect(closed.isOpen(at: Self.at("2026-09-30T10:00:00+08:00")))  // the Wednesday before: open
        #expect(closed.todaysSpans(at: Self.at("2026-10-01T10:00:00+08:00")) == [])

        let holidayHours = Self.hours("Mo-Fr 09:00-17:00; Sa-Su 09:30-16:00; PH 10:00-15:00", holidays: Self.china)
        #expect(!holidayHours.isOpen(at: Self.at("2026-10-01T09:30:00+08:00")))
        #expect(holidayHours.isOpen(at: Self.at("2026-10-01T10:00:00+08:00")))
        #expect(holidayHours.isOpen(at: Self.at("2026-10-01T14:59:59+08:00")))
        #expect(!holidayHours.isOpen(at: Self.at("2026-10-01T15:00:00+08:00")))
        #expect(holidayHours.nextOpening(after: Self.at("2026-10-01T09:00:00+08:00")) == Self.at("2026-10-01T10:00:00+08:00"))
        #expect(holidayHours.nextClosing(after: Self.at("2026-10-01T10:00:00+08:00")) == Self.at("2026-10-01T15:00:00+08:00"))
        #expect(holidayHours.todaysSpans(at: Self.at("2026-10-01T12:00:00+08:00")) == [Self.span(600, 900)])
        // Saturday 10-03 is also a holiday: PH hours, not the Saturday hours (09:30 would be open).
        #expect(!holidayHours.isOpen(at: Self.at("2026-10-03T09:45:00+08:00")))
    }

    @Test("hours without a PH rule: closed on holidays by default, the weekday's hours on request")
    func holidayFallback() {
        let text = "Mo-Fr 09:00-17:00"
        let national = Self.at("2026-10-01T10:00:00+08:00")
        #expect(!Self.hours(text, holidays: Self.china).isOpen(at: national))
        #expect(Self.hours(text, holidays: Self.china, fallback: .weekdayHours).isOpen(at: national))
    }

    @Test("make-up Saturday 2026-02-14 opens a Mo-Fr branch with Monday's hours")
    func makeUpSaturday() {
        let hours = Self.hours("Mo-Fr 09:00-17:00; Sa-Su off; PH off", holidays: Self.china)
        #expect(hours.isOpen(at: Self.at("2026-02-14T10:00:00+08:00")))
        #expect(!hours.isOpen(at: Self.at("2026-02-07T10:00:00+08:00")))  // an ordinary Saturday
        #expect(hours.todaysSpans(at: Self.at("2026-02-14T10:00:00+08:00")) == [Self.span(540, 1020)])
        // Friday evening → the make-up Saturday morning.
        #expect(hours.nextOpening(after: Self.at("2026-02-13T18:00:00+08:00")) == Self.at("2026-02-14T09:00:00+08:00"))
        // After it: Spring Festival 02-15 (Sunday) to 02-23 (Monday), so Tuesday 02-24.
        #expect(hours.nextOpening(after: Self.at("2026-02-14T18:00:00+08:00")) == Self.at("2026-02-24T09:00:00+08:00"))
    }

    @Test("a make-up day keeps the outlet's own hours when it is closed on the borrowed weekday")
    func makeUpDayOfClosedWeekday() {
        // Closed on Mondays, open Saturdays 09:30-18:00: the make-up Saturday keeps Saturday's hours.
        let hours = Self.hours("Tu-Su 09:30-18:00; Mo off; PH off", holidays: Self.china)
        #expect(hours.todaysSpans(at: Self.at("2026-02-14T12:00:00+08:00")) == [Self.span(570, 1080)])
    }

    @Test("a make-up day can borrow another weekday's hours")
    func makeUpBorrowsFriday() throws {
        let calendar = try HolidayCalendar(csv: "date,kind,name,hours_of\n2026-02-14,workday,春节,Fr\n")
        let hours = Self.hours("Mo-Th 09:00-17:00; Fr 09:00-12:00; Sa-Su off", holidays: calendar)
        #expect(hours.todaysSpans(at: Self.at("2026-02-14T08:00:00+08:00")) == [Self.span(540, 720)])
        #expect(!hours.isOpen(at: Self.at("2026-02-14T13:00:00+08:00")))
    }

    // MARK: Next opening

    @Test("next opening across the week boundary: Sunday 20:00 → Monday 09:00")
    func nextOpeningAcrossWeek() {
        let hours = Self.hours("Mo-Fr 09:00-17:00; Sa-Su off")
        // 2026-03-08 is a Sunday.
        let sunday = Self.at("2026-03-08T20:00:00+08:00")
        #expect(!hours.isOpen(at: sunday))
        #expect(hours.nextOpening(after: sunday) == Self.at("2026-03-09T09:00:00+08:00"))
        #expect(hours.nextClosing(after: sunday) == Self.at("2026-03-09T17:00:00+08:00"))
        // Friday 17:00 exactly is closed; the next opening is Monday's.
        #expect(!hours.isOpen(at: Self.at("2026-03-06T17:00:00+08:00")))
        #expect(hours.isOpen(at: Self.at("2026-03-06T16:59:59+08:00").addingTimeInterval(0.999)))
        #expect(hours.nextOpening(after: Self.at("2026-03-06T17:00:00+08:00")) == Self.at("2026-03-09T09:00:00+08:00"))
    }

    @Test("next opening skips the National Day week: 2026-09-30 evening → Thursday 10-08")
    func nextOpeningAcrossHolidays() {
        let hours = Self.hours("Mo-Fr 09:00-17:00; Sa-Su off; PH off", holidays: Self.china)
        #expect(hours.nextOpening(after: Self.at("2026-09-30T18:00:00+08:00")) == Self.at("2026-10-08T09:00:00+08:00"))
    }

    @Test("beyond the search horizon: nil, unless the horizon is widened")
    func horizon() throws {
        // Twenty holidays in a row from Monday 2026-03-02, PH off.
        let entries = (0..<20).map {
            HolidayCalendar.Entry(date: LocalDate(year: 2026, month: 3, day: 2)!.adding(days: $0), kind: .holiday, name: "long")
        }
        let hours = Self.hours("Mo-Fr 09:00-17:00; PH off", holidays: try HolidayCalendar(entries: entries))
        let start = Self.at("2026-03-01T12:00:00+08:00")
        #expect(hours.nextOpening(after: start) == nil)
        #expect(hours.nextClosing(after: start) == nil)
        // The holidays end on Saturday 03-21; Sunday is off; Monday 03-23 opens.
        #expect(hours.nextOpening(after: start, horizonDays: 30) == Self.at("2026-03-23T09:00:00+08:00"))
        let never = Self.hours("Mo-Su off")
        #expect(never.status(at: start) == BusinessHours.Status(isOpen: false, nextOpening: nil, nextClosing: nil))
        #expect(never.nextOpening(after: start, horizonDays: .max) == nil)  // cut to ten years, no overflow
    }

    // MARK: Secondary hours

    @Test("24/7 self-service hours: open on a holiday at night, no next opening or closing")
    func secondaryAlwaysOpen() {
        let hours = Self.hours("Mo-Fr 09:00-17:00; PH off", secondary: "24/7", holidays: Self.china)
        let night = Self.at("2026-10-01T03:00:00+08:00")
        #expect(hours.isOpen(at: night, area: .secondary))
        #expect(!hours.isOpen(at: night, area: .primary))
        #expect(hours.status(at: night, area: .secondary) == BusinessHours.Status(isOpen: true, nextOpening: nil, nextClosing: nil))
        #expect(hours.nextOpening(after: night) == Self.at("2026-10-08T09:00:00+08:00"))
        #expect(hours.todaysSpans(at: night, area: .secondary) == [Self.span(0, 1440)])

        let withoutArea = Self.hours("Mo-Fr 09:00-17:00")
        #expect(!withoutArea.isOpen(at: night, area: .secondary))
        #expect(withoutArea.nextOpening(after: night, area: .secondary) == nil)
        #expect(withoutArea.todaysSpans(at: night, area: .secondary) == [])
    }

    @Test("an outlet's own fields: empty secondary text means no self-service area")
    func fromOutlet() throws {
        var outlet = Outlet(id: "O1", name: "Test", kind: .subBranch, position: Coordinate(longitude: 121.47, latitude: 31.23),
                            openingHours: "Mo-Fr 09:00-17:00", secondaryHours: "")
        let hours = try BusinessHours(outlet: outlet)
        #expect(hours.secondary == nil)
        #expect(hours.timeZone.identifier == "Asia/Shanghai")
        outlet.openingHours = nil
        #expect(throws: BusinessHoursError.missingOpeningHours(outletID: "O1")) { try BusinessHours(outlet: outlet) }
        outlet.openingHours = "24/7"
        outlet.timeZone = "Asia/Shangai"
        #expect(throws: BusinessHoursError.unknownTimeZone("Asia/Shangai")) { try BusinessHours(outlet: outlet) }
    }

    // MARK: Time zones

    @Test("unknown or ambiguous time zone names are refused with a clear error", arguments: [
        "Asia/Shangai", "Mars/Olympus", "", "asia/shanghai", "CST", "EST", "GMT+8", "+08:00", "Beijing",
    ])
    func invalidTimeZones(name: String) {
        do {
            _ = try BusinessHours(parsing: "24/7", timeZoneIdentifier: name)
            Issue.record("accepted \(name)")
        } catch {
            #expect(error == .unknownTimeZone(name))
            #expect(error.description.contains("unknown time zone \"\(name)\""))
            #expect(error.description.contains("Asia/Shanghai"))  // says what would work
        }
    }

    @Test("IANA names are accepted", arguments: ["Asia/Shanghai", "Asia/Urumqi", "Europe/Berlin", "America/New_York", "UTC"])
    func validTimeZones(name: String) throws {
        #expect(try BusinessHours(parsing: "24/7", timeZoneIdentifier: name).timeZone.secondsFromGMT() == TimeZone(identifier: name)!.secondsFromGMT())
    }

    @Test("bad hours text is reported as primary or secondary, with its position")
    func invalidHoursText() {
        #expect(throws: BusinessHoursError.self) { try BusinessHours(parsing: "Mo-Fr 9-17") }
        do {
            _ = try BusinessHours(parsing: "24/7", secondary: "Xx 09:00-10:00")
            Issue.record("parsed")
        } catch {
            guard case .invalidSecondaryHours(let inner) = error else { Issue.record("\(error)"); return }
            #expect(inner.offset == 0)
            #expect(error.description.hasPrefix("secondary hours: invalid opening hours"))
        }
    }

    @Test("Xinjiang: hours shifted by +1 h and kept in Asia/Shanghai")
    func urumqiShiftedHours() {
        // Outlets in Xinjiang publish 10:00-18:00 Beijing time (08:00-16:00 by the local UTC+6 clock).
        let xinjiang = Self.hours("Mo-Fr 10:00-18:00; Sa-Su off; PH off", zone: "Asia/Shanghai")
        // 2026-03-02 is a Monday.
        #expect(!xinjiang.isOpen(at: Self.at("2026-03-02T09:59:59+08:00")))
        #expect(xinjiang.isOpen(at: Self.at("2026-03-02T08:00:00+06:00")))  // = 10:00 Beijing
        #expect(!xinjiang.isOpen(at: Self.at("2026-03-02T18:00:00+08:00")))
        #expect(xinjiang.nextOpening(after: Self.at("2026-03-02T01:00:00Z")) == Self.at("2026-03-02T02:00:00Z"))
        // The same text read in Asia/Urumqi would open two hours later: the data must say Asia/Shanghai.
        let misread = Self.hours("Mo-Fr 10:00-18:00; Sa-Su off; PH off", zone: "Asia/Urumqi")
        #expect(misread.nextOpening(after: Self.at("2026-03-02T01:00:00Z")) == Self.at("2026-03-02T04:00:00Z"))
    }

    // MARK: Daylight saving

    @Test("Berlin spring forward: a 01:00-04:00 span on 2026-03-29 lasts two hours")
    func springForward() {
        // Clocks jump from 02:00 CET (+01:00) to 03:00 CEST (+02:00) at 01:00 UTC.
        let hours = Self.hours("Su 01:00-04:00", zone: "Europe/Berlin")
        let day = LocalDate(year: 2026, month: 3, day: 29)!
        #expect(hours.intervals(on: day) == [DateInterval(start: Self.at("2026-03-29T01:00:00+01:00"),
                                                          end: Self.at("2026-03-29T04:00:00+02:00"))])
        #expect(hours.intervals(on: day).first?.duration == 7200)
        #expect(hours.isOpen(at: Self.at("2026-03-29T03:59:59+02:00")))
        #expect(!hours.isOpen(at: Self.at("2026-03-29T04:00:00+02:00")))
        #expect(hours.nextClosing(after: Self.at("2026-03-29T01:30:00+01:00")) == Self.at("2026-03-29T02:00:00Z"))
        #expect(hours.nextOpening(after: Self.at("2026-03-28T12:00:00+01:00")) == Self.at("2026-03-29T00:00:00Z"))
    }

    @Test("Berlin fall back: a 01:00-04:00 span on 2026-10-25 lasts four hours")
    func fallBack() {
        // Clocks go back from 03:00 CEST (+02:00) to 02:00 CET (+01:00) at 01:00 UTC.
        let hours = Self.hours("Su 01:00-04:00", zone: "Europe/Berlin")
        let interval = hours.intervals(on: LocalDate(year: 2026, month: 10, day: 25)!).first
        #expect(interval?.start == Self.at("2026-10-25T01:00:00+02:00"))
        #expect(interval?.end == Self.at("2026-10-25T04:00:00+01:00"))
        #expect(interval?.duration == 14_400)  // four hours
        #expect(hours.isOpen(at: Self.at("2026-10-25T02:30:00+01:00")))  // the second 02:30
        #expect(hours.nextClosing(after: Self.at("2026-10-25T02:30:00+02:00")) == Self.at("2026-10-25T03:00:00Z"))
    }

    @Test("a time the clock skips takes effect at the jump; a time shown twice at its first showing")
    func skippedAndRepeatedTimes() {
        let hours = Self.hours("Su 02:30-05:00", zone: "Europe/Berlin")
        // 02:30 never shows on 2026-03-29: the outlet opens when the clock jumps to 03:00 CEST.
        // (Foundation's Calendar.date(from:) would say 03:30 CEST, pushing the time by the gap.)
        #expect(!hours.isOpen(at: Self.at("2026-03-29T01:59:59+01:00")))
        #expect(hours.isOpen(at: Self.at("2026-03-29T03:00:00+02:00")))
        #expect(hours.nextOpening(after: Self.at("2026-03-29T00:00:00+01:00")) == Self.at("2026-03-29T03:00:00+02:00"))
        // 02:30 shows twice on 2026-10-25: the outlet opens at the first, 02:30 CEST.
        #expect(hours.nextOpening(after: Self.at("2026-10-25T00:00:00+02:00")) == Self.at("2026-10-25T02:30:00+02:00"))
        #expect(hours.isOpen(at: Self.at("2026-10-25T02:45:00+02:00")))
    }

    @Test("New York: Friday evening to Monday morning across the spring-forward weekend")
    func newYorkWeekend() {
        // Clocks jump at 02:00 EST on Sunday 2026-03-08; Monday opens at 09:00 EDT (-04:00).
        let hours = Self.hours("Mo-Fr 09:00-17:00", zone: "America/New_York")
        let friday = Self.at("2026-03-06T18:00:00-05:00")
        #expect(hours.nextOpening(after: friday) == Self.at("2026-03-09T09:00:00-04:00"))
        #expect(hours.nextOpening(after: friday) == Self.at("2026-03-09T13:00:00Z"))
        #expect(hours.isOpen(at: Self.at("2026-03-09T16:59:00-04:00")))
        #expect(!hours.isOpen(at: Self.at("2026-03-09T17:00:00-04:00")))
    }

    @Test("span instants agree with Foundation's Calendar on every day of 2026", arguments: ["Europe/Berlin", "America/New_York", "Asia/Shanghai"])
    func agreesWithCalendar(zone: String) {
        let hours = Self.hours("Mo-Su 09:15-17:45", zone: zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        for offset in 0..<365 {
            let day = LocalDate(year: 2026, month: 1, day: 1)!.adding(days: offset)
            let open = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 9, minute: 15))!
            let close = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 17, minute: 45))!
            #expect(hours.intervals(on: day) == [DateInterval(start: open, end: close)], "\(zone) \(day)")
        }
    }

    @Test("open or closed agrees with Foundation's wall clock at random instants 1950-2150", arguments: [
        "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Europe/Moscow", "Asia/Pyongyang",
        "America/Sao_Paulo", "Asia/Kolkata",
    ])
    func agreesWithFoundationWallClock(zone: String) {
        // Span boundaries between 09:00 and 17:00 never fall in a daylight-saving change, so the
        // oracle is simply the local weekday and time that Foundation's Calendar reports.
        let hours = Self.hours("Mo-Fr 09:00-12:00,13:30-17:00; Sa 10:00-14:00", zone: zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        var random = SeededRandom(seed: 4)
        for _ in 0..<3000 {
            let instant = Date(timeIntervalSince1970: random.uniform(-631_152_000...5_680_281_600).rounded(.down))
            let local = calendar.dateComponents([.weekday, .hour, .minute], from: instant)
            let minute = local.hour! * 60 + local.minute!
            let expected: Bool = switch local.weekday! {  // Sunday 1 … Saturday 7
            case 2...6: (540..<720).contains(minute) || (810..<1020).contains(minute)
            case 7: (600..<840).contains(minute)
            default: false
            }
            #expect(hours.isOpen(at: instant) == expected, "\(zone) \(instant)")
        }
    }

    // MARK: Consistency

    /// Hours that cross midnight, touch at midnight, split a day, differ on holidays.
    static let consistencyTexts = [
        "Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off", "Mo-Su 18:00-03:00",
        "Mo-Fr 09:00-12:00,13:30-17:00; Su 01:00-04:00; PH 10:00-15:00", "Tu-Su 02:30-05:00; Mo off",
        "Mo-Fr 16:00-24:00; Tu-Sa 00:00-02:00", "Mo-Sa 20:00-24:00; Su 00:00-24:00",
    ]

    /// Whole seconds of 2025-2026, where the holiday calendar has data.
    static func seededInstants(count: Int, seed: UInt64) -> [Date] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            Date(timeIntervalSince1970: (random.uniform(1_735_660_800...1_798_675_200)).rounded(.down))
        }
    }

    @Test("isOpen agrees with status, and next opening/closing really change the state", arguments: [
        "Europe/Berlin", "Asia/Shanghai", "America/New_York",
    ])
    func consistency(zone: String) {
        for text in Self.consistencyTexts {
            let hours = Self.hours(text, zone: zone, holidays: Self.china)
            for instant in Self.seededInstants(count: 400, seed: 2026) {
                let status = hours.status(at: instant)
                #expect(status.isOpen == hours.isOpen(at: instant), "\(text) \(instant)")
                if let opening = status.nextOpening {
                    #expect(opening > instant && hours.isOpen(at: opening) && !hours.isOpen(at: opening - 1), "\(text) \(instant)")
                }
                if let closing = status.nextClosing {
                    #expect(closing > instant && !hours.isOpen(at: closing) && hours.isOpen(at: closing - 1), "\(text) \(instant)")
                }
            }
        }
    }

    @Test("next opening and closing are the first changes: minute by minute, the state flips at them and only there",
          arguments: ["Europe/Berlin", "Asia/Shanghai", "America/New_York"])
    func firstChanges(zone: String) {
        for text in Self.consistencyTexts {
            let hours = Self.hours(text, zone: zone, holidays: Self.china)
            for instant in Self.seededInstants(count: 40, seed: 2027) {
                let status = hours.status(at: instant)
                // Open now: the state holds until the closing, then the opposite until the opening, then
                // back; closed now, the other way round. Walked minute by minute (spans are whole minutes).
                let changes = [status.nextOpening, status.nextClosing].compactMap { $0 }.sorted()
                let first = changes.first ?? instant.addingTimeInterval(16 * 86_400)
                let second = changes.count == 2 ? changes[1] : first
                var minute = Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
                var mismatch: Date?
                while minute <= second, mismatch == nil {
                    let expected = minute < first || (changes.count == 2 && minute >= second) ? status.isOpen : !status.isOpen
                    if hours.isOpen(at: minute) != expected { mismatch = minute }
                    minute += 60
                }
                #expect(mismatch == nil, "\(text) at \(instant): \(status) but the state is wrong at \(String(describing: mismatch))")
            }
        }
    }
}
