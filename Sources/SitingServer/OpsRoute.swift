import Foundation
import HTTPTypes
import Hummingbird
import SitingCore

/// `GET /healthz`, `GET /livez` and `GET /metrics`.
enum OpsRoute {
    struct Health: Encodable {
        var status = "ok"
        var data_version: Int
        var outlets: Int
        var loaded_at: String
        var reloads: Int
    }

    static func health(store: SnapshotStore) throws(ServerError) -> Response {
        let snapshot = store.snapshot
        let health = Health(data_version: snapshot.dataVersion, outlets: snapshot.directory.count,
                            loaded_at: NearbyJSON.timestamp(snapshot.loadedAt, in: TimeZone(identifier: "UTC")!),
                            reloads: store.reloads)
        let body: Data
        do { body = try NearbyJSON.encode(health) } catch { throw .dataUnavailable("\(error)") }
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// `GET /livez`: the process answers; nothing else is looked at.
    static func live() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(staticString: "{\"status\":\"ok\"}")))
    }

    static func metrics(_ metrics: ServerMetrics, store: SnapshotStore) -> Response {
        let snapshot = store.snapshot
        let text = metrics.exposition(gauges: [
            ("siting_data_version", "Data version of the snapshot being served.", Double(snapshot.dataVersion)),
            ("siting_outlets_loaded", "Outlets in the snapshot being served.", Double(snapshot.directory.count)),
            ("siting_data_reloads_total", "Snapshots swapped in since start.", Double(store.reloads)),
            ("siting_data_load_seconds", "Seconds the last snapshot took to load.", snapshot.loadSeconds),
        ])
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// `POST /v1/admin/reload`: loads the data again now. Needs the configured bearer token; without
/// one configured the route does not exist (404).
enum AdminRoute {
    struct Reloaded: Encodable {
        var reloaded: Bool
        var data_version: Int
        var outlets: Int
    }

    static func reload(_ request: Request, store: SnapshotStore, token: String?) async throws(ServerError) -> Response {
        guard let token else { throw .adminDisabled }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              constantTimeEqual(String(header.dropFirst("Bearer ".count)), token) else { throw .unauthorized }
        let (snapshot, changed) = try await store.reloadOffThread(force: true)
        let body: Data
        do { body = try NearbyJSON.encode(Reloaded(reloaded: changed, data_version: snapshot.dataVersion, outlets: snapshot.directory.count)) } catch {
            throw .dataUnavailable("\(error)")
        }
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Compares without an early exit, so timing does not reveal how much of the token matched.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }
}
