import Foundation
import Hummingbird
import SitingCore
import SitingProjection

/// `GET /v1/outlets/{id}`: one outlet with its weekly hours and the dated exceptions ahead.
struct OutletRoute {
    static let parameterNames = ["coordsys"]
    /// Exceptions listed from today on, days.
    static let exceptionHorizonDays = 366
    static let maximumAgeSeconds = 300

    let store: SnapshotStore
    let converters: ConverterPool

    /// The JSON shape of one outlet.
    struct Detail: Encodable {
        var id: String
        var name: String
        var kind: String
        var address: String?
        var adcode: String?
        var position_wgs84: [Double]
        var position: [Double]
        var coordsys: String
        var services: NearbyJSON.Result.Services
        var accessibility: NearbyJSON.Result.Accessibility
        var time_zone: String
        var hours: Hours?

        struct Hours: Encodable {
            /// The import file's texts (a subset of OpenStreetMap `opening_hours`).
            var text: String
            var self_service_text: String?
            var weekly: [Day]
            var self_service_weekly: [Day]?
            /// Hours on public holidays when the text gives them (`PH …`; `[]` for `PH off`); absent when
            /// the text says nothing about holidays (then they are closed).
            var public_holiday: [String]?
            var exceptions: [Exception]
        }

        struct Day: Encodable {
            var day: String
            var spans: [String]
        }

        struct Exception: Encodable {
            var date: String
            /// `holiday` or `workday` (a make-up working day).
            var kind: String
            var name: String
            var hours: [String]
            var self_service_hours: [String]?
        }
    }

    func respond(_ request: Request, id: String) throws(ServerError) -> Response {
        let parameters = try QueryParameters(request, known: Self.parameterNames)
        let systemName = try parameters.single("coordsys") ?? "wgs84"
        let system = CoordinateSystem(parsing: systemName.lowercased())
        guard NearbyQuery.supportedSystems.contains(system) else {
            throw .invalidParameter(name: "coordsys", reason: "\"\(systemName)\" is not supported: use wgs84, cgcs2000, gcj02 or bd09")
        }
        let snapshot = store.snapshot
        guard let outlet = snapshot.directory.outlet(id: id) else { throw .outletNotFound(id) }
        var position = outlet.position
        if system != .wgs84 {
            do {
                position = try converters.withConverter { try $0.convert(outlet.position, from: .wgs84, to: system) }
            } catch {
                throw .invalidParameter(name: "coordsys", reason: "the outlet's position does not convert: \(error)")
            }
        }
        let detail = Detail(id: outlet.id, name: outlet.name, kind: outlet.kind.rawValue, address: outlet.address, adcode: outlet.adcode,
                            position_wgs84: [outlet.position.x, outlet.position.y], position: [position.x, position.y],
                            coordsys: system.description, services: .init(outlet.services),
                            accessibility: .init(outlet.accessibility), time_zone: outlet.timeZone,
                            hours: snapshot.directory.businessHours(id: id).map { Self.hours($0, holidays: snapshot.directory.holidays) })
        let body: Data
        do { body = try NearbyJSON.encode(detail) } catch { throw .dataUnavailable("the answer could not be encoded: \(error)") }
        return Caching.response(for: request, body: body, contentType: "application/json", dataVersion: snapshot.dataVersion,
                                cacheControl: Caching.publicLifetime(seconds: Self.maximumAgeSeconds))
    }

    static func hours(_ hours: BusinessHours, holidays: HolidayCalendar) -> Detail.Hours {
        func week(_ opening: OpeningHours) -> [Detail.Day] {
            Weekday.allCases.map { Detail.Day(day: $0.abbreviation, spans: opening.weekly[$0.rawValue].map(\.description)) }
        }
        let today = hours.localDate(at: Date())
        let last = today.adding(days: exceptionHorizonDays)
        let exceptions = holidays.entries.filter { $0.date >= today && $0.date <= last }.map { entry in
            Detail.Exception(date: entry.date.description, kind: entry.kind.rawValue, name: entry.name,
                             hours: hours.spans(on: entry.date).map(\.description),
                             self_service_hours: hours.secondary == nil ? nil : hours.spans(on: entry.date, area: .secondary).map(\.description))
        }
        return Detail.Hours(text: hours.primary.text, self_service_text: hours.secondary?.text, weekly: week(hours.primary),
                            self_service_weekly: hours.secondary.map(week), public_holiday: hours.primary.publicHoliday?.map(\.description),
                            exceptions: exceptions)
    }
}
