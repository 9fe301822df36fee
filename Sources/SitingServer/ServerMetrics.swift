import Foundation
import Synchronization

/// Request counts and latency histograms per route and status, in the Prometheus text format
/// (version 0.0.4). One lock per request: a few tens of nanoseconds beside a nearby query.
public final class ServerMetrics: Sendable {
    /// Upper bounds of the latency buckets, seconds.
    static let bucketBounds: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                         0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private struct Key: Hashable, Comparable {
        var route: String
        var method: String
        var status: Int
        static func < (a: Key, b: Key) -> Bool { (a.route, a.method, a.status) < (b.route, b.method, b.status) }
    }

    private struct Histogram {
        var bucketCounts = [Int](repeating: 0, count: ServerMetrics.bucketBounds.count)
        var count = 0
        var sumSeconds = 0.0

        mutating func record(_ seconds: Double) {
            count += 1
            sumSeconds += seconds
            if let bucket = ServerMetrics.bucketBounds.firstIndex(where: { seconds <= $0 }) { bucketCounts[bucket] += 1 }
        }
    }

    private struct State {
        var requests: [Key: Int] = [:]
        var latency: [String: Histogram] = [:]
    }

    private let state = Mutex(State())
    private let started = Date()

    public init() {}

    /// Counts one answered request; `route` is the route template (`/v1/outlets/{id}`), not the path.
    public func record(route: String, method: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.requests[Key(route: route, method: method, status: status), default: 0] += 1
            state.latency[route, default: Histogram()].record(seconds)
        }
    }

    /// Requests answered so far on `route`, every status.
    public func requestCount(route: String) -> Int {
        state.withLock { $0.requests.filter { $0.key.route == route }.values.reduce(0, +) }
    }

    /// The exposition text; `gauges` adds the data facts (version, outlets loaded, reloads).
    public func exposition(gauges: [(name: String, help: String, value: Double)]) -> String {
        let state = state.withLock { $0 }
        var lines: [String] = []
        lines.append("# HELP siting_http_requests_total HTTP requests answered, by route template, method and status.")
        lines.append("# TYPE siting_http_requests_total counter")
        for key in state.requests.keys.sorted() {
            lines.append("siting_http_requests_total{route=\"\(Self.escaped(key.route))\",method=\"\(key.method)\",status=\"\(key.status)\"} \(state.requests[key]!)")
        }
        lines.append("# HELP siting_http_request_duration_seconds Time from the request's head to the response, by route template.")
        lines.append("# TYPE siting_http_request_duration_seconds histogram")
        for route in state.latency.keys.sorted() {
            let histogram = state.latency[route]!
            let label = "route=\"\(Self.escaped(route))\""
            var cumulative = 0
            for (bound, count) in zip(Self.bucketBounds, histogram.bucketCounts) {
                cumulative += count
                lines.append("siting_http_request_duration_seconds_bucket{\(label),le=\"\(Self.number(bound))\"} \(cumulative)")
            }
            lines.append("siting_http_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(histogram.count)")
            lines.append("siting_http_request_duration_seconds_sum{\(label)} \(Self.number(histogram.sumSeconds))")
            lines.append("siting_http_request_duration_seconds_count{\(label)} \(histogram.count)")
        }
        for gauge in gauges {
            lines.append("# HELP \(gauge.name) \(gauge.help)")
            lines.append("# TYPE \(gauge.name) gauge")
            lines.append("\(gauge.name) \(Self.number(gauge.value))")
        }
        lines.append("# HELP siting_uptime_seconds Seconds since the server started.")
        lines.append("# TYPE siting_uptime_seconds gauge")
        lines.append("siting_uptime_seconds \(Self.number(Date().timeIntervalSince(started)))")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func escaped(_ label: String) -> String {
        label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
