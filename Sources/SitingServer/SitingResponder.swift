import Foundation
import HTTPTypes
public import Hummingbird
import Logging

/// The request context of every route: Hummingbird's core storage (logger with the request id,
/// route parameters).
public struct SitingRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// Wraps the router: answers unknown paths with 404 and wrong methods with 405 (problem documents),
/// turns any other failure into a 500 problem, applies CORS when configured, sets `X-Request-Id`,
/// records metrics by route template and writes one structured log line per request.
struct SitingResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == SitingRequestContext {
    typealias Context = SitingRequestContext

    let inner: Inner
    let metrics: ServerMetrics
    let corsOrigins: [String]
    let maximumBodyBytes: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let route = RouteTemplate.match(path: request.uri.path)
        var response: Response
        if request.method == .options, !corsOrigins.isEmpty, route != nil {
            response = preflight(request, route: route!)
        } else if let route {
            if route.methods.contains(request.method) {
                do {
                    response = try await inner.respond(to: request, context: context)
                } catch let error as ServerError {
                    response = Problem(error, instance: request.uri.path, requestID: context.requestID).response()
                } catch let error as HTTPError {
                    response = problem(for: error, request: request, context: context)
                } catch {
                    context.logger.error("unexpected failure", metadata: ["error": "\(error)"])
                    response = Self.internalProblem(request: request, context: context)
                }
            } else {
                response = Problem(.methodNotAllowed(method: request.method.rawValue, allowed: route.methods.map(\.rawValue)),
                                   instance: request.uri.path, requestID: context.requestID).response()
            }
        } else {
            response = Problem(.routeNotFound(request.uri.path), instance: request.uri.path, requestID: context.requestID).response()
        }
        if let id = context.requestID { response.headers[.requestID] = id }
        if !corsOrigins.isEmpty { applyCORS(request, to: &response) }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let label = route?.rawValue ?? "unmatched"
        metrics.record(route: label, method: request.method.rawValue, status: response.status.code, seconds: seconds)
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "route": "\(label)",
            "status": "\(response.status.code)", "duration_us": "\(Int((seconds * 1e6).rounded()))",
        ])
        return response
    }

    /// Hummingbird's own errors (a body over the cap, a body that does not decode) as problems.
    func problem(for error: HTTPError, request: Request, context: Context) -> Response {
        let serverError: ServerError
        switch error.status {
        case .contentTooLarge: serverError = .bodyTooLarge(limitBytes: maximumBodyBytes)
        case .badRequest: serverError = .malformedBody(error.body ?? "bad request")
        default:
            var response = Self.internalProblem(request: request, context: context)
            response.status = error.status
            return response
        }
        return Problem(serverError, instance: request.uri.path, requestID: context.requestID).response()
    }

    static func internalProblem(request: Request, context: Context) -> Response {
        let body = """
            {"detail":"the server failed to answer; the request id is in the server log","instance":"\(request.uri.path)",\
            "status":500,"title":"Internal Server Error","type":"urn:siting:problem:internal"}
            """
        return Response(status: .internalServerError,
                        headers: [.contentType: "application/problem+json", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// The origin to echo, nil when this origin may not call.
    private func allowedOrigin(_ request: Request) -> String? {
        guard let origin = request.headers[.origin] else { return nil }
        if corsOrigins.contains("*") { return "*" }
        return corsOrigins.contains(origin) ? origin : nil
    }

    private func applyCORS(_ request: Request, to response: inout Response) {
        guard let origin = allowedOrigin(request) else { return }
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.accessControlExposeHeaders] = "ETag, X-Request-Id"
        if origin != "*" { response.headers[.vary] = "Origin" }
    }

    private func preflight(_ request: Request, route: RouteTemplate) -> Response {
        var response = Response(status: .noContent)
        guard allowedOrigin(request) != nil else { return response }
        response.headers[.accessControlAllowMethods] = route.methods.map(\.rawValue).joined(separator: ", ")
        response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type, If-None-Match"
        response.headers[.accessControlMaxAge] = "600"
        return response
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
}
