public import SitingCore

extension SitingDatabase {
    /// The public holidays and make-up working days the database holds (empty for a database from
    /// before they were stored, opened read-only).
    public func holidayCalendar() throws(StoreError) -> HolidayCalendar {
        guard try connection.scalarInteger(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'public_holidays'") == 1
        else { return HolidayCalendar() }
        let statement = try connection.prepare("SELECT date, kind, name, hours_of FROM public_holidays ORDER BY date")
        var entries: [HolidayCalendar.Entry] = []
        while try statement.step() {
            let text = statement.text(0) ?? ""
            guard let date = LocalDate(iso8601: text),
                  let kind = HolidayCalendar.DayKind(rawValue: statement.text(1) ?? "") else {
                throw .invalidData(table: "public_holidays", reason: "row \(text) has an unreadable date or kind")
            }
            entries.append(HolidayCalendar.Entry(date: date, kind: kind, name: statement.text(2) ?? "",
                                                 hoursOf: Weekday(rawValue: statement.integer(3)) ?? .monday))
        }
        do {
            return try HolidayCalendar(entries: entries)
        } catch {
            throw .invalidData(table: "public_holidays", reason: "\(error)")
        }
    }

    /// Replaces every stored holiday with `calendar`'s, in one transaction; returns the count stored.
    @discardableResult
    public func replaceHolidays(with calendar: HolidayCalendar) throws(StoreError) -> Int {
        do {
            try connection.transaction {
                try connection.execute("DELETE FROM public_holidays", context: "clearing public holidays")
                let insert = try connection.prepare(
                    "INSERT INTO public_holidays (date, kind, name, hours_of) VALUES (?, ?, ?, ?)")
                for entry in calendar.entries {
                    insert.bind(1, entry.date.description)
                    insert.bind(2, entry.kind.rawValue)
                    insert.bind(3, entry.name)
                    insert.bind(4, entry.hoursOf.rawValue)
                    try insert.step()
                    insert.reset()
                }
                try bumpDataVersion()
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .sqlite(code: 0, message: "\(error)", context: "storing public holidays")
        }
        return calendar.entries.count
    }
}
