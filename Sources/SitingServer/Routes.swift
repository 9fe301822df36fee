public import HTTPTypes

/// The routes the server answers, by template. One table serves dispatch checks (404, 405 with
/// `Allow`), metrics labels and the OpenAPI document's paths.
public enum RouteTemplate: String, CaseIterable, Sendable {
    case nearby = "/v1/outlets/nearby"
    case outlet = "/v1/outlets/{id}"
    case rankings = "/v1/rankings"
    case reload = "/v1/admin/reload"
    case openapi = "/openapi.json"
    case healthz = "/healthz"
    /// Liveness only: a constant answer that touches no data (also the load test's trivial route).
    case livez = "/livez"
    case metrics = "/metrics"

    /// The methods the route answers (HEAD with every GET).
    public var methods: [HTTPRequest.Method] {
        switch self {
        case .rankings, .reload: [.post]
        default: [.get, .head]
        }
    }

    /// The template a request path falls under, nil for none.
    public static func match(path: String) -> RouteTemplate? {
        if let exact = RouteTemplate(rawValue: path), exact != .outlet { return exact }
        let prefix = "/v1/outlets/"
        if path.hasPrefix(prefix) {
            let id = path.dropFirst(prefix.count)
            if !id.isEmpty, !id.contains("/") { return .outlet }
        }
        return nil
    }
}
