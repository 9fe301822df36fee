public import Foundation

/// An outlet's business hours evaluated at instants: its weekly `OpeningHours`, optional secondary
/// hours (the self-service area, usually `24/7`), the dated exceptions of a `HolidayCalendar`, and
/// the IANA time zone the hours are written in (Asia/Shanghai by default, Xinjiang and Tibet
/// included: their outlets publish later hours in Beijing time rather than using Asia/Urumqi).
///
/// Semantics, all in local wall-clock time of `timeZone`:
/// - **Days.** Each local day takes its spans from, in order: a public holiday → the `PH` spans (or,
///   when the hours name no `PH`, `holidayFallback` for the primary hours — closed by default — and
///   the weekday's spans for the secondary, self-service hours); a make-up working day → the
///   spans of the weekday it borrows (Monday unless the calendar says otherwise), or the day's own
///   spans when the outlet is closed on that weekday (a `Tu-Su …; Mo off` outlet keeps its Saturday
///   hours on a make-up Saturday); any other day → its weekday's spans.
/// - **Midnight.** A span belongs to the day it starts on, as in OpenStreetMap: Friday `22:00-02:00`
///   keeps the outlet open until Saturday 02:00 even when Saturday is a public holiday, and does not
///   run at all when Friday is a holiday with `PH off`.
/// - **Daylight saving.** A span runs from the first instant the wall clock shows its start to the
///   first instant it shows its end. So on a spring-forward day a `01:00-04:00` span lasts 2 hours,
///   on a fall-back day 4 hours; a time the clock skips (02:30 when clocks jump from 02:00 to 03:00)
///   takes effect at the jump, and a time shown twice at its first occurrence.
/// - **Open** means inside a span; a period is `[open, close)`: open at its first second, closed at
///   the closing instant. Spans that touch or overlap (Monday `20:00-24:00`, Tuesday `00:00-08:00`)
///   form one period.
/// - **Search horizon.** `nextOpening` and `nextClosing` look `horizonDays` local days past the day
///   of the query (14 by default, longer than any Chinese holiday closure); nil means no change
///   within it: always open (`24/7`), or closed all that time.
///
/// Each zone's offset changes (1900-2200) are read from `TimeZone` once and cached per identifier;
/// away from a change, `isOpen` is plain wall-clock arithmetic.
public struct BusinessHours: Sendable {
    /// Which hours of the outlet.
    public enum Area: String, CaseIterable, Hashable, Sendable {
        /// The counters: the outlet's opening hours.
        case primary
        /// The self-service area. An outlet without secondary hours has no such area: it is never
        /// open and never opens.
        case secondary
    }

    /// What a public holiday means for hours that give no `PH` rule.
    public enum HolidayFallback: String, CaseIterable, Hashable, Sendable {
        /// Closed all day (the default: Chinese bank outlets mostly close on public holidays).
        case closed
        /// The weekday's usual hours (OpenStreetMap's reading of hours without `PH`).
        case weekdayHours
    }

    /// Open or closed at an instant, with the next changes.
    public struct Status: Hashable, Sendable {
        public var isOpen: Bool
        /// The next instant after the query when the outlet opens; nil within the horizon.
        public var nextOpening: Date?
        /// The next instant after the query when the outlet closes; nil within the horizon.
        public var nextClosing: Date?

        public init(isOpen: Bool, nextOpening: Date?, nextClosing: Date?) {
            self.isOpen = isOpen
            self.nextOpening = nextOpening
            self.nextClosing = nextClosing
        }
    }

    /// The zone used when none is given.
    public static let defaultTimeZoneIdentifier = "Asia/Shanghai"
    /// How many local days past the query `nextOpening` and `nextClosing` search by default.
    public static let defaultSearchHorizonDays = 14
    /// The longest search allowed (larger horizons are cut to it): ten years.
    public static let maximumSearchHorizonDays = 3660

    /// The counters' hours.
    public let primary: OpeningHours
    /// The self-service area's hours, nil when there is none.
    public let secondary: OpeningHours?
    public let holidays: HolidayCalendar
    public let holidayFallback: HolidayFallback
    private let zone: ZoneRules

    /// The zone the hours are written in.
    public var timeZone: TimeZone { zone.timeZone }
    /// The zone's offset table.
    var zoneRules: ZoneRules { zone }
    /// A Gregorian calendar in `timeZone` (built once per zone).
    public var calendar: Calendar { zone.calendar }

    /// Hours in `timeZone`.
    public init(primary: OpeningHours, secondary: OpeningHours? = nil, timeZone: TimeZone,
                holidays: HolidayCalendar = HolidayCalendar(), holidayFallback: HolidayFallback = .closed) {
        self.primary = primary
        self.secondary = secondary
        self.holidays = holidays
        self.holidayFallback = holidayFallback
        zone = ZoneRules.cached(timeZone)
    }

    /// Hours in the zone named `timeZoneIdentifier`.
    ///
    /// - Parameter timeZoneIdentifier: an IANA name such as `Asia/Shanghai` or `Europe/Berlin`
    ///   (`UTC` and `GMT` too). Abbreviations are refused: Foundation reads `CST` as US Central time,
    ///   not China Standard Time.
    /// - Throws: `BusinessHoursError.unknownTimeZone`.
    public init(primary: OpeningHours, secondary: OpeningHours? = nil,
                timeZoneIdentifier: String = BusinessHours.defaultTimeZoneIdentifier,
                holidays: HolidayCalendar = HolidayCalendar(),
                holidayFallback: HolidayFallback = .closed) throws(BusinessHoursError) {
        self.init(primary: primary, secondary: secondary, timeZone: try BusinessHours.timeZone(named: timeZoneIdentifier),
                  holidays: holidays, holidayFallback: holidayFallback)
    }

    /// Hours read from opening-hours text (see `OpeningHours`).
    ///
    /// - Throws: `BusinessHoursError.invalidOpeningHours`, `.invalidSecondaryHours`, `.unknownTimeZone`.
    public init(parsing primary: String, secondary: String? = nil,
                timeZoneIdentifier: String = BusinessHours.defaultTimeZoneIdentifier,
                holidays: HolidayCalendar = HolidayCalendar(),
                holidayFallback: HolidayFallback = .closed) throws(BusinessHoursError) {
        let primaryHours: OpeningHours
        do { primaryHours = try OpeningHours(parsing: primary) } catch { throw .invalidOpeningHours(error) }
        var secondaryHours: OpeningHours?
        if let secondary {
            do { secondaryHours = try OpeningHours(parsing: secondary) } catch { throw .invalidSecondaryHours(error) }
        }
        try self.init(primary: primaryHours, secondary: secondaryHours, timeZoneIdentifier: timeZoneIdentifier,
                      holidays: holidays, holidayFallback: holidayFallback)
    }

    /// The hours of `outlet` (its `openingHours`, `secondaryHours` and `timeZone`); empty secondary
    /// text means no self-service area.
    ///
    /// - Throws: `BusinessHoursError.missingOpeningHours` when the outlet has no opening hours, or
    ///   the errors of `init(parsing:secondary:timeZoneIdentifier:holidays:holidayFallback:)`.
    public init(outlet: Outlet, holidays: HolidayCalendar = HolidayCalendar(),
                holidayFallback: HolidayFallback = .closed) throws(BusinessHoursError) {
        guard let text = outlet.openingHours, !text.isEmpty else { throw .missingOpeningHours(outletID: outlet.id) }
        let secondary = outlet.secondaryHours.flatMap { $0.isEmpty ? nil : $0 }
        try self.init(parsing: text, secondary: secondary, timeZoneIdentifier: outlet.timeZone,
                      holidays: holidays, holidayFallback: holidayFallback)
    }

    /// The zone named `identifier`, refusing abbreviations (`CST`, `EST`, `GMT+8`) and unknown names.
    ///
    /// - Throws: `BusinessHoursError.unknownTimeZone`.
    public static func timeZone(named identifier: String) throws(BusinessHoursError) -> TimeZone {
        let isRegionName = identifier.contains("/") || identifier == "UTC" || identifier == "GMT"
        guard isRegionName, let zone = TimeZone(identifier: identifier) else { throw .unknownTimeZone(identifier) }
        return zone
    }

    /// The hours of `area`, nil when the outlet has no self-service area.
    public func hours(for area: Area) -> OpeningHours? {
        area == .primary ? primary : secondary
    }

    // MARK: Queries

    /// Whether `area` is open at `date`.
    ///
    /// - Complexity: O(spans of two days); no allocation. Zones with daylight saving cost a few
    ///   `TimeZone` offset lookups more.
    public func isOpen(at date: Date, area: Area = .primary) -> Bool {
        switch area {
        case .primary: return isOpen(primary, at: date, fallback: holidayFallback)
        case .secondary:
            guard let secondary else { return false }
            return isOpen(secondary, at: date, fallback: .weekdayHours)
        }
    }

    /// The next instant after `date` when `area` opens (if open at `date`, the opening after the
    /// current period ends); nil when it does not open within `horizonDays` local days past the day
    /// of `date` — always open, or closed all that time.
    public func nextOpening(after date: Date, area: Area = .primary,
                           horizonDays: Int = BusinessHours.defaultSearchHorizonDays) -> Date? {
        status(at: date, area: area, horizonDays: horizonDays).nextOpening
    }

    /// The next instant after `date` when `area` closes (if closed at `date`, the end of the next
    /// period); nil when it does not close within `horizonDays` local days past the day of `date`
    /// (`24/7`), or never opens in that time.
    public func nextClosing(after date: Date, area: Area = .primary,
                           horizonDays: Int = BusinessHours.defaultSearchHorizonDays) -> Date? {
        status(at: date, area: area, horizonDays: horizonDays).nextClosing
    }

    /// Open or closed at `date`, with the next opening and closing.
    ///
    /// Periods are gathered day by day from the day before `date`'s local day; the walk stops at the
    /// first day after which both answers are settled (no later period can open before the start of
    /// the next day), so a shop with daily hours looks at three days, a 24/7 one at the whole horizon.
    ///
    /// - Complexity: O(spans in `horizonDays` + 3 days) at worst.
    public func status(at date: Date, area: Area = .primary,
                       horizonDays: Int = BusinessHours.defaultSearchHorizonDays) -> Status {
        guard let hours = hours(for: area), let instant = Self.wholeSeconds(date) else {
            return Status(isOpen: false, nextOpening: nil, nextClosing: nil)
        }
        let seconds = date.timeIntervalSince1970
        let today = floorDivide(zone.localSeconds(at: instant), 86_400)
        let lastDay = today + min(max(0, horizonDays), BusinessHours.maximumSearchHorizonDays) + 1
        // Anything past the horizon could be cut short by the days not looked at.
        let horizonEnd = zone.instant(localSeconds: lastDay * 86_400)
        let fallback = fallback(for: area)
        var periods: [(open: Int, close: Int)] = []
        periods.reserveCapacity(8)
        for day in (today - 1)...lastDay {
            for span in spans(hours, day: day, fallback: fallback) {
                let open = zone.instant(localSeconds: day * 86_400 + span.startMinute * 60)
                let close = zone.instant(localSeconds: day * 86_400 + span.endMinute * 60)
                if close > open { periods.append((open, close)) }
            }
            guard day >= today, day < lastDay else { continue }
            // Later days' periods open from the next local midnight on (two hours' margin for an
            // offset change), so answers before then are final.
            let settledBefore = zone.instant(localSeconds: (day + 1) * 86_400) - 7_200
            let status = Self.status(merging: &periods, at: seconds, horizonEnd: horizonEnd)
            if let opening = status.nextOpening, let closing = status.nextClosing,
               opening.timeIntervalSince1970 < Double(settledBefore), closing.timeIntervalSince1970 < Double(settledBefore) {
                return status
            }
        }
        return Self.status(merging: &periods, at: seconds, horizonEnd: horizonEnd)
    }

    /// Sorts `periods` (instants, seconds since 1970) by opening, merges overlapping ones, and reads
    /// off whether `seconds` falls in one and the first opening and closing after it, up to `horizonEnd`.
    private static func status(merging periods: inout [(open: Int, close: Int)], at seconds: Double,
                               horizonEnd: Int) -> Status {
        periods.sort { $0.open < $1.open }
        var status = Status(isOpen: false, nextOpening: nil, nextClosing: nil)
        var index = 0
        while index < periods.count {
            var (open, close) = periods[index]
            index += 1
            while index < periods.count, periods[index].open <= close {
                close = max(close, periods[index].close)
                index += 1
            }
            if Double(open) <= seconds, seconds < Double(close) { status.isOpen = true }
            if status.nextOpening == nil, Double(open) > seconds, open <= horizonEnd {
                status.nextOpening = Date(timeIntervalSince1970: Double(open))
            }
            if status.nextClosing == nil, Double(close) > seconds, close <= horizonEnd {
                status.nextClosing = Date(timeIntervalSince1970: Double(close))
            }
        }
        return status
    }

    /// The local date at `date` in `timeZone`.
    public func localDate(at date: Date) -> LocalDate {
        let instant = Self.wholeSeconds(date) ?? 0
        return LocalDate(daysSince1970: floorDivide(zone.localSeconds(at: instant), 86_400))
    }

    /// The spans of the local day at `date`, for display: that day's own spans after holidays and
    /// make-up working days (a span may end past 24:00); the early hours of a span started the day
    /// before are not repeated.
    public func todaysSpans(at date: Date, area: Area = .primary) -> [OpeningHours.Span] {
        spans(on: localDate(at: date), area: area)
    }

    /// The spans of local day `date` (see `todaysSpans(at:area:)`).
    public func spans(on date: LocalDate, area: Area = .primary) -> [OpeningHours.Span] {
        guard let hours = hours(for: area) else { return [] }
        return spans(hours, day: date.daysSince1970, fallback: fallback(for: area))
    }

    /// The spans of local day `date` as instants (see the daylight-saving rule above); spans the
    /// clock skips entirely are left out.
    public func intervals(on date: LocalDate, area: Area = .primary) -> [DateInterval] {
        let day = date.daysSince1970
        return spans(on: date, area: area).compactMap { span in
            let open = zone.instant(localSeconds: day * 86_400 + span.startMinute * 60)
            let close = zone.instant(localSeconds: day * 86_400 + span.endMinute * 60)
            guard close > open else { return nil }
            return DateInterval(start: Date(timeIntervalSince1970: Double(open)),
                                end: Date(timeIntervalSince1970: Double(close)))
        }
    }

    // MARK: Internals

    /// How a public holiday without `PH` hours is treated: as the caller chose for the counters, but
    /// the self-service area keeps its weekday hours (machines do not take holidays).
    private func fallback(for area: Area) -> HolidayFallback {
        area == .primary ? holidayFallback : .weekdayHours
    }

    private func isOpen(_ hours: OpeningHours, at date: Date, fallback: HolidayFallback) -> Bool {
        guard let instant = Self.wholeSeconds(date) else { return false }
        if let offset = zone.constantOffset(around: instant) {
            // No offset change near: compare wall-clock seconds directly.
            let local = instant + offset
            let day = floorDivide(local, 86_400)
            let second = local - day * 86_400
            for span in spans(hours, day: day, fallback: fallback) where span.startMinute * 60 <= second && second < span.endMinute * 60 {
                return true
            }
            for span in spans(hours, day: day - 1, fallback: fallback) where second + 86_400 < span.endMinute * 60 {
                return true
            }
            return false
        }
        let day = floorDivide(zone.localSeconds(at: instant), 86_400)
        let seconds = date.timeIntervalSince1970
        for candidate in (day - 1)...(day + 1) {
            for span in spans(hours, day: candidate, fallback: fallback) {
                let open = zone.instant(localSeconds: candidate * 86_400 + span.startMinute * 60)
                guard Double(open) <= seconds else { continue }
                let close = zone.instant(localSeconds: candidate * 86_400 + span.endMinute * 60)
                if seconds < Double(close) { return true }
            }
        }
        return false
    }

    /// The spans of local day `day` (days since 1970), after holidays and make-up working days.
    @inline(__always)
    private func spans(_ hours: OpeningHours, day: Int, fallback: HolidayFallback) -> [OpeningHours.Span] {
        let weekday = ((day % 7) + 10) % 7  // 1970-01-01 was a Thursday (3)
        switch holidays.marker(daysSince1970: day) {
        case .none:
            return hours.weekly[weekday]
        case .holiday:
            if let holiday = hours.publicHoliday { return holiday }
            return fallback == .closed ? [] : hours.weekly[weekday]
        case .workday(let borrowed):
            let borrowedSpans = hours.weekly[borrowed.rawValue]
            return borrowedSpans.isEmpty ? hours.weekly[weekday] : borrowedSpans
        }
    }

    /// Whole seconds since 1970, rounded down; nil for instants no calendar can hold.
    @inline(__always)
    private static func wholeSeconds(_ date: Date) -> Int? {
        let seconds = date.timeIntervalSince1970
        guard seconds > -1e13, seconds < 1e13 else { return nil }  // ±300,000 years; NaN fails too
        return Int(seconds.rounded(.down))
    }
}

/// Business hours that cannot be set up.
public enum BusinessHoursError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The time zone is not an IANA zone name known to this system (abbreviations are refused).
    case unknownTimeZone(String)
    /// The opening hours do not follow the grammar of `OpeningHours`.
    case invalidOpeningHours(OpeningHoursError)
    /// The secondary (self-service) hours do not follow the grammar of `OpeningHours`.
    case invalidSecondaryHours(OpeningHoursError)
    /// The outlet has no opening hours.
    case missingOpeningHours(outletID: String)

    public var description: String {
        switch self {
        case .unknownTimeZone(let name):
            "unknown time zone \"\(name)\": use an IANA name such as \"Asia/Shanghai\" (abbreviations like CST are ambiguous and refused)"
        case .invalidOpeningHours(let error): "\(error)"
        case .invalidSecondaryHours(let error): "secondary hours: \(error)"
        case .missingOpeningHours(let id): "outlet \(id) has no opening hours"
        }
    }
}

extension OpeningHours.Span: CustomStringConvertible {
    /// `HH:MM-HH:MM`, the end written as the clock shows it (`02:00` for a span past midnight).
    public var description: String {
        var bytes = JSONBytes(capacity: 11)
        appendClockTimes(to: &bytes)
        return bytes.string()
    }

    /// Appends `description`'s UTF-8 bytes.
    func appendClockTimes(to bytes: inout JSONBytes) {
        bytes.appendClockTime(startMinute)
        bytes.append(UInt8(ascii: "-"))
        bytes.appendClockTime(endMinute > 1440 ? endMinute - 1440 : endMinute)
    }
}
