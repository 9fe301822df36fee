import Foundation
import SitingTestSupport
import Testing

/// `GET /v1/outlets/{id}`: one outlet as the shipped CSV describes it, its week of hours, the
/// dated exceptions ahead from a holiday calendar imported with `siting import holidays`, and its
/// position in the caller's coordinate system.
@Suite(.demoServer(prepare: { database, directory in
    try CoordinateVectors.importAll(into: database, directory: directory)
    let path = try directory.write("holidays.csv", HolidayDates.csv)
    try Siting.importFile("holidays", path, into: database)
}))
struct OutletRouteTests {
    var client: HTTPTestClient { get throws { try SuiteServer.required.client } }

    func shipped(_ id: String) throws -> ShippedOutlet {
        try #require(ShippedOutlet.all.first { $0.id == id }, "\(id) is not in Geodata/outlets.csv")
    }

    func detail(_ id: String, coordsys: String? = nil) throws -> [String: Any] {
        let response = try client.request("GET", "/v1/outlets/\(id)" + (coordsys.map { "?coordsys=\($0)" } ?? ""))
        try #require(response.status == 200, "\(response.text.prefix(300))")
        #expect(response.headers["content-type"] == "application/json")
        return try response.json()
    }

    static let weekdays = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]

    static func week(_ hours: [String: Any]?, _ key: String = "weekly") -> [String: [String]] {
        let days = hours?[key] as? [[String: Any]] ?? []
        return Dictionary(days.map { ($0["day"] as? String ?? "?", $0["spans"] as? [String] ?? ["?"]) }, uniquingKeysWith: { a, _ in a })
    }

    @Test("an outlet as the CSV describes it: name, kind, address, position, services, accessibility, time zone")
    func fields() throws {
        for id in ["O00001", "O00002", "O00355", "O01443"] {
            let row = try shipped(id)
            let object = try detail(id)
            #expect(object["id"] as? String == id)
            #expect(object["name"] as? String == row.name)
            #expect(object["kind"] as? String == row.kind)
            #expect(object["address"] as? String == row.address)
            #expect(object["position_wgs84"] as? [Double] == [row.lon, row.lat])
            #expect(object["position"] as? [Double] == [row.lon, row.lat])
            #expect(object["coordsys"] as? String == "wgs84")
            #expect(object["time_zone"] as? String == "Asia/Shanghai")
            let services = try #require(object["services"] as? [String: Any])
            #expect(services["cash"] as? Bool == row.cash)
            #expect(services["wealth_management"] as? Bool == row.wealth)
            #expect(services["foreign_exchange"] as? Bool == row.foreignExchange)
            #expect(services["self_service_devices"] as? Int == row.devices)
            #expect(services["smart_counters"] as? Int == row.smartCounters)
            let accessibility = try #require(object["accessibility"] as? [String: Any])
            #expect(accessibility["wheelchair"] as? String == row.wheelchair)
            #expect(accessibility["visually_impaired"] as? String == row.visual)
            #expect(accessibility["hearing_impaired"] as? String == row.hearing)
            #expect(accessibility["elderly"] as? String == row.elderly)
            let hours = try #require(object["hours"] as? [String: Any])
            #expect(hours["text"] as? String == row.hours)
        }
    }

    @Test("weekly hours: seven days Monday to Sunday, as the opening_hours text says")
    func weeklyHours() throws {
        // O00001: "Mo-Fr 09:00-17:00; Sa-Su 09:30-16:00; PH 10:00-15:00", self-service "24/7".
        #expect(try shipped("O00001").hours == "Mo-Fr 09:00-17:00; Sa-Su 09:30-16:00; PH 10:00-15:00")
        let first = try #require(try detail("O00001")["hours"] as? [String: Any])
        let days = try #require(first["weekly"] as? [[String: Any]])
        #expect(days.map { $0["day"] as? String } == Self.weekdays)
        let week = Self.week(first)
        for day in ["Mo", "Tu", "We", "Th", "Fr"] { #expect(week[day] == ["09:00-17:00"], "\(day)") }
        for day in ["Sa", "Su"] { #expect(week[day] == ["09:30-16:00"], "\(day)") }
        #expect(first["public_holiday"] as? [String] == ["10:00-15:00"])
        #expect(first["self_service_text"] as? String == "24/7")
        let selfService = Self.week(first, "self_service_weekly")
        #expect(Self.weekdays.allSatisfy { selfService[$0] == ["00:00-24:00"] }, "\(selfService)")

        // O00002: "Mo-Fr 09:00-17:00; Sa,Su 10:00-16:00; PH off".
        #expect(try shipped("O00002").hours == "Mo-Fr 09:00-17:00; Sa,Su 10:00-16:00; PH off")
        let second = try #require(try detail("O00002")["hours"] as? [String: Any])
        let secondWeek = Self.week(second)
        #expect(secondWeek["We"] == ["09:00-17:00"])
        #expect(secondWeek["Sa"] == ["10:00-16:00"] && secondWeek["Su"] == ["10:00-16:00"])
        #expect((second["public_holiday"] as? [String] ?? []).isEmpty, "PH off: no hours on public holidays")
    }

    @Test("exceptions: the imported holidays ahead (not past ones, not beyond a year), with each day's hours")
    func exceptions() throws {
        let first = try #require(try detail("O00001")["hours"] as? [String: Any])
        let exceptions = try #require(first["exceptions"] as? [[String: Any]])
        #expect(exceptions.map { $0["date"] as? String } == [HolidayDates.text(HolidayDates.holiday), HolidayDates.text(HolidayDates.workday)])
        try #require(exceptions.count == 2)
        #expect(exceptions[0]["kind"] as? String == "holiday")
        #expect(exceptions[0]["name"] as? String == "Test holiday")
        // A public holiday takes the PH hours; the self-service area keeps 24/7.
        #expect(exceptions[0]["hours"] as? [String] == ["10:00-15:00"])
        #expect(exceptions[0]["self_service_hours"] as? [String] == ["00:00-24:00"])
        // A make-up working day on a Saturday opens with the weekday hours, not Saturday's 09:30-16:00.
        #expect(exceptions[1]["kind"] as? String == "workday")
        #expect(exceptions[1]["name"] as? String == "Make-up day")
        #expect(exceptions[1]["hours"] as? [String] == ["09:00-17:00"])

        let second = try #require(try detail("O00002")["hours"] as? [String: Any])
        let closed = try #require((second["exceptions"] as? [[String: Any]])?.first)
        #expect(closed["date"] as? String == HolidayDates.text(HolidayDates.holiday))
        #expect(closed["hours"] as? [String] == [], "PH off: closed on the holiday")
    }

    @Test("the holiday shows in nearby answers too: closed on the holiday, open on the make-up Saturday")
    func holidayInNearby() throws {
        let row = try shipped("O00002")
        func answer(on date: Date, hour: Int) throws -> [String: Any] {
            let at = "\(HolidayDates.text(date))T\(String(format: "%02d", hour)):00:00+08:00"
            let response = try client.request("GET", "/v1/outlets/nearby?" + query([("lat", "\(row.lat)"), ("lng", "\(row.lon)"),
                                                                                   ("limit", "1"), ("at", at)]))
            try #require(response.status == 200, "\(response.text.prefix(300))")
            let result = try #require(try response.results().first)
            try #require(result["id"] as? String == "O00002")
            return result
        }
        #expect(try answer(on: HolidayDates.holiday, hour: 11)["open_now"] as? Bool == false)
        #expect(try answer(on: HolidayDates.holiday, hour: 11)["hours_today"] as? [String] == [])
        let saturday = try answer(on: HolidayDates.workday, hour: 16)
        #expect(saturday["open_now"] as? Bool == true, "16:00 on the make-up day is within 09:00-17:00")
        #expect(saturday["hours_today"] as? [String] == ["09:00-17:00"])
    }

    @Test("coordsys: the outlet's position converted as DESIGN §5 and PROJ's cs2cs say")
    func coordinateSystems() throws {
        for vector in CoordinateVectors.gcj {
            let object = try detail(vector.id, coordsys: "gcj02")
            let position = try #require(object["position"] as? [Double])
            #expect(abs(position[0] - vector.gcj.lon) < 1e-9 && abs(position[1] - vector.gcj.lat) < 1e-9, "\(vector.id): \(position)")
            #expect(object["position_wgs84"] as? [Double] == [vector.wgs.lon, vector.wgs.lat])
            #expect(object["coordsys"] as? String == "gcj02")
        }
        let bd = CoordinateVectors.bd
        let inGCJ = try #require(try detail(bd.id, coordsys: "gcj02")["position"] as? [Double])
        #expect(abs(inGCJ[0] - bd.gcj.lon) < 1e-9 && abs(inGCJ[1] - bd.gcj.lat) < 1e-9, "\(inGCJ)")
        let inBD = try #require(try detail(bd.id, coordsys: "bd09")["position"] as? [Double])
        #expect(abs(inBD[0] - bd.bd.lon) < 1e-9 && abs(inBD[1] - bd.bd.lat) < 1e-9, "\(inBD)")
        let design = CoordinateVectors.gcjImported
        let storedAsGCJ = try #require(try detail(design.id, coordsys: "gcj02")["position"] as? [Double])
        #expect(abs(storedAsGCJ[0] - design.gcj.lon) < 1e-9 && abs(storedAsGCJ[1] - design.gcj.lat) < 1e-9, "\(storedAsGCJ)")
        let designBD = try #require(try detail(design.id, coordsys: "bd09")["position"] as? [Double])
        #expect(abs(designBD[0] - design.bd.lon) < 1e-9 && abs(designBD[1] - design.bd.lat) < 1e-9, "\(designBD)")
        let row = try shipped("O00001")
        let cgcs = try #require(try detail("O00001", coordsys: "cgcs2000")["position"] as? [Double])
        let reference = try #require(try ProjPrograms.cs2cs(["EPSG:4326", "EPSG:4490"], decimals: 12, rows: [(row.lat, row.lon)]).first ?? nil)
        #expect(abs(cgcs[0] - reference.1) < 1e-9 && abs(cgcs[1] - reference.0) < 1e-9, "\(cgcs) vs cs2cs \(reference)")
    }

    @Test("an unknown id is a 404 problem naming the id; ETag and 304 work here too")
    func notFoundAndValidators() throws {
        let missing = try client.request("GET", "/v1/outlets/NO-SUCH-OUTLET")
        try expectProblem(missing, status: 404, mentions: ["NO-SUCH-OUTLET"])
        #expect(try missing.json()["instance"] as? String == "/v1/outlets/NO-SUCH-OUTLET")
        let found = try client.request("GET", "/v1/outlets/O00001")
        let tag = try #require(found.headers["etag"])
        #expect(dataVersion(fromETag: tag) == (try Siting.dataVersion(try SuiteServer.required.database)))
        #expect((maxAge(found.headers["cache-control"]) ?? 0) > 0)
        let again = try client.request("GET", "/v1/outlets/O00001", headers: ["If-None-Match": tag])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        // A percent-encoded id is the same id.
        #expect(try client.request("GET", "/v1/outlets/%4F00001").status == 200)
        // The same outlet in another coordinate system is another representation.
        #expect(try client.request("GET", "/v1/outlets/O00001?coordsys=gcj02", headers: ["If-None-Match": tag]).status == 200)
    }
}

/// A holiday calendar relative to today (Shanghai): one date in the past, a holiday ten days
/// ahead, a make-up working day on a Saturday two or more weeks ahead, one beyond a year.
enum HolidayDates {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static var gregorian: Foundation.Calendar {
        var calendar = Foundation.Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
    static let today = gregorian.startOfDay(for: Date())
    static func day(_ offset: Int) -> Date { gregorian.date(byAdding: .day, value: offset, to: today)! }
    static func text(_ date: Date) -> String {
        let parts = gregorian.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
    static let past = day(-5)
    static let holiday = day(10)
    /// The first Saturday at least 14 days ahead.
    static let workday = (14...20).map(day).first { gregorian.component(.weekday, from: $0) == 7 }!
    static let beyondHorizon = day(400)
    static var csv: String {
        "date,kind,name\n\(text(past)),holiday,Past day\n\(text(holiday)),holiday,Test holiday\n"
            + "\(text(workday)),workday,Make-up day\n\(text(beyondHorizon)),holiday,Far away\n"
    }
}
