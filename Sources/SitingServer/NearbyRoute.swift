import Foundation
import Hummingbird
import SitingCore
import SitingProjection

/// `GET /v1/outlets/nearby`: the outlets nearest the caller, as the mobile app asks (DESIGN §4).
struct NearbyRoute {
    static let parameterNames = ["lat", "lng", "coordsys", "radius", "limit", "kind", "service", "accessible",
                                 "open_now", "at", "format"]
    /// Longest a nearby answer may be cached, seconds.
    static let maximumAgeSeconds = 60
    /// An answer for a given `at` is fixed for the data version: cache it longer.
    static let fixedInstantAgeSeconds = 300

    let store: SnapshotStore
    let converters: ConverterPool

    func respond(_ request: Request) throws(ServerError) -> Response {
        let parameters = try QueryParameters(request, known: Self.parameterNames)
        let (query, explicitInstant) = try Self.query(from: parameters)
        let geoJSON: Bool
        switch try parameters.single("format") ?? "json" {
        case "json": geoJSON = false
        case "geojson": geoJSON = true
        case let other: throw .invalidParameter(name: "format", reason: "\"\(other)\" is not a format: use json or geojson")
        }
        let snapshot = store.snapshot
        let results: [NearbyResult]
        do {
            results = try snapshot.directory.nearby(query, converters: converters)
        } catch {
            throw Self.serverError(error)
        }
        let body = geoJSON ? NearbyJSONWriter.featureCollection(results, query: query) : NearbyJSONWriter.response(results, query: query)
        // An answer about "now" changes at the first opening or closing among its outlets.
        var lifetime = explicitInstant ? Self.fixedInstantAgeSeconds : Self.maximumAgeSeconds
        if !explicitInstant {
            func until(_ change: Date?) -> Int {
                change.map { max(0, Int($0.timeIntervalSince(query.at).rounded(.down))) } ?? .max
            }
            for result in results {
                lifetime = min(lifetime, until(result.nextOpen), until(result.nextClose))
            }
        }
        return Caching.response(for: request, body: body,
                                contentType: geoJSON ? "application/geo+json" : "application/json",
                                dataVersion: snapshot.dataVersion, cacheControl: Caching.publicLifetime(seconds: lifetime))
    }

    /// The query the parameters describe, every value checked, and whether `at` was given.
    static func query(from parameters: QueryParameters) throws(ServerError) -> (NearbyQuery, Bool) {
        guard let latitude = try parameters.number("lat", in: -90...90, unit: " degrees") else {
            throw .missingParameter(name: "lat", accepted: "latitude in degrees, -90 to 90")
        }
        guard let longitude = try parameters.number("lng", in: -180...180, unit: " degrees") else {
            throw .missingParameter(name: "lng", accepted: "longitude in degrees, -180 to 180")
        }
        let systemName = try parameters.single("coordsys") ?? "wgs84"
        let system = CoordinateSystem(parsing: systemName.lowercased())
        guard NearbyQuery.supportedSystems.contains(system) else {
            throw .invalidParameter(name: "coordsys", reason: "\"\(systemName)\" is not supported: use wgs84, cgcs2000, gcj02 or bd09")
        }
        var query = NearbyQuery(position: Coordinate(longitude: longitude, latitude: latitude), coordinateSystem: system)
        query.limit = try parameters.integer("limit", in: 1...NearbyQuery.maximumLimit) ?? NearbyQuery.defaultLimit
        if let text = try parameters.single("radius") {
            let range = "give more than 0 and at most \(Int(NearbyQuery.maximumRadiusMeters)) metres"
            guard QueryParameters.isDecimal(text), let radius = Double(text), radius.isFinite else {
                throw .invalidParameter(name: "radius", reason: "\"\(text)\" is not a number: \(range)")
            }
            guard radius > 0, radius <= NearbyQuery.maximumRadiusMeters else {
                throw .invalidParameter(name: "radius", reason: "\(text) is out of range: \(range)")
            }
            query.radiusMeters = radius
        }
        do {
            query.kinds = Set(try parameters.list("kind").map { name throws(NearbyError) in try NearbyQuery.kind(named: name) })
            query.services = Set(try parameters.list("service").map { name throws(NearbyError) in try NearbyQuery.service(named: name) })
            query.accessibility = Set(try parameters.list("accessible").map { name throws(NearbyError) in
                try NearbyQuery.accessibilityFeature(named: name)
            })
        } catch {
            throw serverError(error)
        }
        query.openNow = try parameters.flag("open_now")
        let at = try parameters.single("at")
        if let at {
            do {
                query.at = try NearbyQuery.instant(parsing: at)
            } catch {
                throw serverError(error)
            }
        }
        do {
            return (try query.validated(), at != nil)
        } catch {
            throw serverError(error)
        }
    }

    /// The core's refusal, named by the HTTP parameter it concerns.
    static func serverError(_ error: NearbyError) -> ServerError {
        switch error {
        case .invalidQueryPosition(let reason): .invalidParameter(name: "lat/lng", reason: reason)
        case .invalidLimit, .invalidCount: .invalidParameter(name: "limit", reason: error.description)
        case .invalidRadius: .invalidParameter(name: "radius", reason: error.description)
        case .unsupportedCoordinateSystem: .invalidParameter(name: "coordsys", reason: error.description)
        case .unknownKind: .invalidParameter(name: "kind", reason: error.description)
        case .unknownService: .invalidParameter(name: "service", reason: error.description)
        case .unknownAccessibilityFeature: .invalidParameter(name: "accessible", reason: error.description)
        case .invalidInstant: .invalidParameter(name: "at", reason: error.description)
        case .conversionFailed: .invalidParameter(name: "lat/lng", reason: error.description)
        case .invalidPosition: .dataUnavailable(error.description)
        }
    }
}
