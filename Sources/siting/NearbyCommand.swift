import ArgumentParser
import Foundation
import SitingCore
import SitingStore

/// `siting nearby`: the outlets nearest a position, as the mobile app asks for them.
struct NearbyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nearby",
        abstract: "List the outlets nearest a position, with distance, hours, services and accessibility.",
        discussion: """
            Distances are WGS84 ellipsoidal metres; results are nearest first (ties by id). Filters \
            apply inside the search, so --limit 10 returns 10 outlets when 10 match.

            Kinds: \(OutletKind.allCases.map(\.rawValue).joined(separator: ", ")).
            Services: \(OutletService.allCases.map(\.rawValue).joined(separator: ", ")).
            Accessibility: \(AccessibilityFeature.allCases.map(\.rawValue).joined(separator: ", ")) \
            (only outlets where the feature is known to be present match).
            Repeat --kind, --service or --accessible, or separate values with commas.

            Examples:
              siting nearby --lng 121.4737 --lat 31.2304
              siting nearby --lng 116.404 --lat 39.915 --coordsys gcj02 --limit 5 --open-now
              siting nearby --lng 104.066 --lat 30.572 --service smartCounter --accessible wheelchair --format json
              siting nearby --lng 113.264 --lat 23.129 --radius-meters 3000 --at 2026-10-01T10:00:00+08:00
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, geojson
    }

    @OptionGroup var database: DatabaseOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Longitude of the position, degrees.", valueName: "X"))
    var lng: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Latitude of the position, degrees.", valueName: "Y"))
    var lat: String

    @Option(help: ArgumentHelp("Coordinate system of the position and of the positions shown: wgs84, cgcs2000, gcj02 or bd09.",
                               valueName: "SYS"))
    var coordsys: String = "wgs84"

    @Option(help: ArgumentHelp("How many outlets, 1 to \(NearbyQuery.maximumLimit).", valueName: "N"))
    var limit: Int = NearbyQuery.defaultLimit

    @Option(help: ArgumentHelp("Only outlets within this distance, metres (at most \(Int(NearbyQuery.maximumRadiusMeters))).",
                               valueName: "R"))
    var radiusMeters: String?

    @Option(help: ArgumentHelp("Only outlets of this kind.", valueName: "K"))
    var kind: [String] = []

    @Option(help: ArgumentHelp("Only outlets offering this service.", valueName: "S"))
    var service: [String] = []

    @Option(help: ArgumentHelp("Only outlets with this accessibility feature.", valueName: "FEATURE"))
    var accessible: [String] = []

    @Flag(help: "Only outlets whose counters are open at --at (default: now).")
    var openNow = false

    @Option(help: ArgumentHelp("The instant for open-now and the hours shown, ISO 8601 with a zone (default: now).",
                               valueName: "ISO8601"))
    var at: String?

    @Option(help: "Output: table, json or geojson (RFC 7946, WGS84).")
    var format: Format = .table

    func run() throws {
        let query = try makeQuery()
        let db = try SitingDatabase(path: database.path, mode: .readOnly)
        let directory = try OutletDirectory(outlets: try db.outlets(), holidays: try db.holidayCalendar())
        let results = try directory.nearby(query, converters: ConverterPool())
        switch format {
        case .json:
            print(String(decoding: try NearbyJSON.encode(NearbyJSON.Response(results, query: query), pretty: true), as: UTF8.self))
        case .geojson:
            print(String(decoding: try NearbyJSON.encode(NearbyJSON.FeatureCollection(results, query: query), pretty: true), as: UTF8.self))
        case .table:
            printTable(results, query: query)
        }
    }

    /// The query from the options, every value checked.
    func makeQuery() throws -> NearbyQuery {
        let longitude = try NumberParsing.decimal(lng, field: "--lng")
        let latitude = try NumberParsing.decimal(lat, field: "--lat")
        let system = CoordinateSystem(parsing: coordsys)
        var radius: Double?
        if let radiusMeters { radius = try NumberParsing.decimal(radiusMeters, field: "--radius-meters") }
        func names(_ values: [String]) -> [String] {
            values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        }
        var query = NearbyQuery(position: Coordinate(longitude: longitude, latitude: latitude), coordinateSystem: system,
                                limit: limit, radiusMeters: radius, openNow: openNow)
        query.kinds = Set(try names(kind).map { name throws(NearbyError) in try NearbyQuery.kind(named: name) })
        query.services = Set(try names(service).map { name throws(NearbyError) in try NearbyQuery.service(named: name) })
        query.accessibility = Set(try names(accessible).map { name throws(NearbyError) in
            try NearbyQuery.accessibilityFeature(named: name)
        })
        if let at { query.at = try NearbyQuery.instant(parsing: at) }
        return try query.validated()
    }

    private func printTable(_ results: [NearbyResult], query: NearbyQuery) {
        guard !results.isEmpty else {
            print("No outlet matches.")
            return
        }
        let zoneLabel = "hours (local)"
        var rows: [[String]] = [["#", "distance_m", "bearing", "id", "kind", "open", zoneLabel, "name", "address"]]
        for (rank, result) in results.enumerated() {
            let open = result.openNow.map { $0 ? "yes" : "no" } ?? "?"
            let hours = result.todayHours.isEmpty ? (result.openNow == nil ? "unknown" : "closed")
                : result.todayHours.map(\.description).joined(separator: ",")
            rows.append([String(rank + 1), String(format: "%.1f", result.distanceMeters),
                         String(format: "%.0f°", result.azimuthDegrees), result.outlet.id, result.outlet.kind.rawValue,
                         open, hours, result.outlet.name, result.outlet.address ?? ""])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, text in
                column == row.count - 1 ? text : text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            print(cells.joined(separator: "  "))
        }
        print("Times in each outlet's zone at \(NearbyJSON.timestamp(query.at, in: TimeZone(identifier: "Asia/Shanghai")!)); positions converted from \(query.coordinateSystem).")
    }
}
