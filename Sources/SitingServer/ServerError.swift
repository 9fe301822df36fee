public import HTTPTypes
public import Hummingbird
import Foundation
import SitingCore

/// Why the server refused or could not answer a request. Each case becomes an RFC 9457
/// `application/problem+json` response with the real status code and a `detail` naming the
/// parameter and what is accepted.
public enum ServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A required query parameter is absent.
    case missingParameter(name: String, accepted: String)
    /// A parameter is present but its value is not accepted.
    case invalidParameter(name: String, reason: String)
    /// A parameter or body field this route does not know.
    case unknownParameter(name: String, known: [String])
    /// No outlet has this id.
    case outletNotFound(String)
    /// No route has this path.
    case routeNotFound(String)
    /// The path exists but not for this method.
    case methodNotAllowed(method: String, allowed: [String])
    /// The request body is larger than the server accepts.
    case bodyTooLarge(limitBytes: Int)
    /// The request body is not what the route reads.
    case malformedBody(String)
    /// The body is not JSON.
    case unsupportedMediaType(String)
    /// A ranking over more cells than the server computes per request.
    case rankingTooLarge(cells: Int, limit: Int)
    /// A ranking that cannot run (unknown region, no demand, bad model values): the body field, if
    /// one is to blame, and why.
    case rankingRefused(parameter: String?, reason: String)
    /// Every ranking slot is busy.
    case rankingBusy(running: Int)
    /// The ranking ran out of its time budget.
    case rankingTimedOut(seconds: Double)
    /// Admin routes are switched off (no token configured).
    case adminDisabled
    /// The bearer token is missing or wrong.
    case unauthorized
    /// The data could not be (re)loaded.
    case dataUnavailable(String)

    /// The HTTP status this error answers with.
    public var status: HTTPResponse.Status {
        switch self {
        case .missingParameter, .invalidParameter, .unknownParameter, .malformedBody: .badRequest
        case .outletNotFound, .routeNotFound, .adminDisabled: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .bodyTooLarge, .rankingTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .rankingRefused: .unprocessableContent
        case .rankingBusy: .tooManyRequests
        case .rankingTimedOut: .serviceUnavailable
        case .unauthorized: .unauthorized
        case .dataUnavailable: .serviceUnavailable
        }
    }

    /// A short name of the problem type, the last part of its `type` URI.
    var slug: String {
        switch self {
        case .missingParameter: "missing-parameter"
        case .invalidParameter: "invalid-parameter"
        case .unknownParameter: "unknown-parameter"
        case .outletNotFound: "outlet-not-found"
        case .routeNotFound: "not-found"
        case .methodNotAllowed: "method-not-allowed"
        case .bodyTooLarge: "body-too-large"
        case .malformedBody: "malformed-body"
        case .unsupportedMediaType: "unsupported-media-type"
        case .rankingTooLarge: "ranking-too-large"
        case .rankingRefused: "ranking-refused"
        case .rankingBusy: "ranking-busy"
        case .rankingTimedOut: "ranking-timed-out"
        case .adminDisabled: "not-found"
        case .unauthorized: "unauthorized"
        case .dataUnavailable: "data-unavailable"
        }
    }

    /// The parameter the problem is about, when there is one.
    public var parameter: String? {
        let name: String? = switch self {
        case .missingParameter(let name, _), .invalidParameter(let name, _), .unknownParameter(let name, _): name
        case .rankingTooLarge: "region"
        case .rankingRefused(let parameter, _): parameter
        default: nil
        }
        return name?.isEmpty == true ? nil : name
    }

    public var description: String {
        switch self {
        case .missingParameter(let name, let accepted): "\(name) is required: \(accepted)"
        case .invalidParameter(let name, let reason): "\(name): \(reason)"
        case .unknownParameter(let name, let known):
            "\(name) is not a parameter of this route: use " + known.joined(separator: ", ")
        case .outletNotFound(let id): "no outlet has the id \"\(id)\""
        case .routeNotFound(let path): "no route at \(path): see /openapi.json for the routes"
        case .methodNotAllowed(let method, let allowed):
            "\(method) is not allowed here: use " + allowed.joined(separator: " or ")
        case .bodyTooLarge(let limit): "the request body is larger than \(limit) bytes"
        case .malformedBody(let reason): "the request body is not valid: \(reason)"
        case .unsupportedMediaType(let type): "Content-Type \(type) is not accepted: send application/json"
        case .rankingTooLarge(let cells, let limit):
            "the area has about \(cells) demand cells; this server ranks at most \(limit) per request: choose a smaller region or a larger cell_size_m, or run siting rank"
        case .rankingRefused(let parameter?, let reason): "\(parameter): \(reason)"
        case .rankingRefused(nil, let reason): reason
        case .rankingBusy(let running):
            "\(running) ranking\(running == 1 ? " is" : "s are") already running: retry in a few seconds"
        case .rankingTimedOut(let seconds):
            "the ranking did not finish within \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s: choose a smaller region or fewer sites, or run siting rank"
        case .adminDisabled: "admin routes are disabled: start the server with --admin-token to enable them"
        case .unauthorized: "a valid bearer token is required (Authorization: Bearer TOKEN)"
        case .dataUnavailable(let reason): "the data could not be loaded: \(reason)"
        }
    }
}

extension ServerError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Problem(self, instance: request.uri.path, requestID: context.requestID).response()
    }
}

/// An RFC 9457 problem document.
struct Problem: Encodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String?
    var parameter: String?
    var request_id: String?
    /// Extra headers: `Allow` for 405, `WWW-Authenticate` for 401, `Retry-After` for 429/503.
    var headers: HTTPFields

    init(_ error: ServerError, instance: String?, requestID: String?) {
        type = "urn:siting:problem:" + error.slug
        title = error.status.reasonPhrase
        status = error.status.code
        detail = error.description
        self.instance = instance
        parameter = error.parameter
        request_id = requestID
        headers = [:]
        switch error {
        case .methodNotAllowed(_, let allowed): headers[.allow] = allowed.joined(separator: ", ")
        case .unauthorized: headers[.wwwAuthenticate] = "Bearer"
        case .rankingBusy, .dataUnavailable, .rankingTimedOut: headers[.retryAfter] = "5"
        default: break
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance, parameter, request_id
    }

    func response() -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        fields[.cacheControl] = "no-store"
        let body = (try? NearbyJSON.encode(self)) ?? Data("{}".utf8)
        return Response(status: HTTPResponse.Status(code: status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension RequestContext {
    /// The request id the log lines, the `X-Request-Id` header and problem responses carry.
    var requestID: String? { logger[metadataKey: "hb.request.id"].map { "\($0)" } }
}

extension ServerError {
    /// The core's refusal of a ranking, named by the body field it concerns.
    init(_ error: ScoringError) {
        switch error {
        case .unknownRegion, .noDemand: self = .rankingRefused(parameter: "region", reason: error.description)
        case .invalidBoundingBox(let reason): self = .rankingRefused(parameter: "bbox", reason: reason)
        case .invalidWeights(let reason): self = .rankingRefused(parameter: "weights", reason: reason)
        case .invalidSiteCount: self = .rankingRefused(parameter: "sites", reason: error.description)
        case .demand(.cellSizeOutOfRange): self = .rankingRefused(parameter: "cell_size_m", reason: error.description)
        case .invalidParameter(let name, let reason):
            self = .rankingRefused(parameter: Self.bodyFieldNames[name] ?? name, reason: reason)
        default: self = .rankingRefused(parameter: nil, reason: error.description)
        }
    }

    /// The core's names (the CLI's flags) and the JSON body's.
    static let bodyFieldNames = [
        "cutoff-meters": "cutoff_m", "service-meters": "service_m", "minimum-distance-meters": "cell_size_m",
        "decay-exponent": "decay_exponent", "decay-scale-meters": "decay_scale_m", "attractiveness": "attractiveness",
        "candidate-attractiveness": "attractiveness", "outside-utility": "outside_utility",
        "min-spacing-meters": "min_spacing_m", "min-spacing-own-meters": "min_spacing_own_m", "region-cap": "region_caps",
        "swap-rounds": "swap_rounds", "fixed": "fixed", "fixed/exclude": "fixed", "region": "region", "sites": "sites",
    ]
}
