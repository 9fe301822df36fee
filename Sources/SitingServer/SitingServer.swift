public import Hummingbird
public import Logging
import Foundation
import NIOCore
import ServiceLifecycle
import SitingCore
import SitingProjection
import Synchronization
import UnixSignals

/// The HTTP service over the same database as the CLI: nearby outlets for the mobile app, outlet
/// details, rankings, the OpenAPI document, health and metrics, with live reload of the data.
public enum SitingServer {
    /// Loads the first snapshot and builds the application; `run()` or `runService()` on it serves.
    ///
    /// - Throws: `ServerError.dataUnavailable` when the database cannot be read.
    public static func makeApplication(configuration: ServerConfiguration, logger: Logger? = nil,
                                       onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
    throws(ServerError) -> some ApplicationProtocol {
        let logger = logger ?? Logger(label: "siting.serve")
        let store = try SnapshotStore(databasePath: configuration.databasePath)
        let metrics = ServerMetrics()
        let router = makeRouter(configuration: configuration, store: store, metrics: metrics)
        let responder = SitingResponder(inner: router.buildResponder(), metrics: metrics, corsOrigins: configuration.corsOrigins,
                                        maximumBodyBytes: configuration.maximumBodyBytes)
        let loaded = store.snapshot
        logger.info("data loaded", metadata: ["database": "\(configuration.databasePath)", "data_version": "\(loaded.dataVersion)",
                                              "outlets": "\(loaded.directory.count)", "seconds": "\(String(format: "%.2f", loaded.loadSeconds))"])
        let idle = configuration.idleTimeoutSeconds
        return Application(
            responder: responder,
            server: .http1(configuration: .init(idleTimeout: idle > 0 ? .milliseconds(Int64(idle * 1000)) : nil)),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "Siting"),
            services: [ReloadService(store: store, pollSeconds: configuration.reloadPollSeconds, logger: logger)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    static func makeRouter(configuration: ServerConfiguration, store: SnapshotStore, metrics: ServerMetrics) -> Router<SitingRequestContext> {
        let router = Router(context: SitingRequestContext.self, options: [.autoGenerateHeadEndpoints])
        let converters = ConverterPool()
        let nearby = NearbyRoute(store: store, converters: converters)
        let outlet = OutletRoute(store: store, converters: converters)
        let ranking = RankingRoute(store: store, configuration: configuration, slots: RankingSlots())
        router.get(RouterPath(RouteTemplate.nearby.rawValue)) { request, _ in try nearby.respond(request) }
        // Hummingbird names the capture `:id`; the route table writes it `{id}`, as OpenAPI does.
        router.get("/v1/outlets/:id") { request, context in
            let segment = context.parameters.get("id") ?? ""
            return try outlet.respond(request, id: segment.removingPercentEncoding ?? segment)
        }
        router.post(RouterPath(RouteTemplate.rankings.rawValue)) { request, context in try await ranking.respond(request, context: context) }
        router.post(RouterPath(RouteTemplate.reload.rawValue)) { request, _ in
            try await AdminRoute.reload(request, store: store, token: configuration.adminToken)
        }
        router.get(RouterPath(RouteTemplate.openapi.rawValue)) { request, _ in
            Caching.response(for: request, body: OpenAPIDocument.json, contentType: "application/json", dataVersion: 0,
                             cacheControl: Caching.publicLifetime(seconds: 3600))
        }
        router.get(RouterPath(RouteTemplate.healthz.rawValue)) { _, _ in try OpsRoute.health(store: store) }
        router.get(RouterPath(RouteTemplate.livez.rawValue)) { _, _ in OpsRoute.live() }
        router.get(RouterPath(RouteTemplate.metrics.rawValue)) { _, _ in OpsRoute.metrics(metrics, store: store) }
        return router
    }
}

/// Reloads the snapshot when the database's data version moves (polled) and on SIGHUP.
struct ReloadService: Service {
    let store: SnapshotStore
    let pollSeconds: Double
    let logger: Logger

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                let signals = await UnixSignalsSequence(trapping: .sighup)
                for await _ in signals.cancelOnGracefulShutdown() {
                    await reload(force: true, reason: "SIGHUP")
                }
            }
            if pollSeconds > 0 {
                group.addTask {
                    while !Task.isCancelled && !Task.isShuttingDownGracefully {
                        try? await Task.sleep(for: .milliseconds(Int(pollSeconds * 1000)))
                        await reload(force: false, reason: "data version changed")
                    }
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    private func reload(force: Bool, reason: String) async {
        do {
            let before = store.snapshot.dataVersion
            let (snapshot, changed) = try await store.reloadOffThread(force: force)
            if changed {
                logger.info("data reloaded", metadata: ["reason": "\(reason)", "data_version_before": "\(before)",
                                                         "data_version": "\(snapshot.dataVersion)", "outlets": "\(snapshot.directory.count)",
                                                         "seconds": "\(String(format: "%.2f", snapshot.loadSeconds))"])
            }
        } catch {
            // Keep serving the snapshot in use; the next poll tries again.
            logger.error("reload failed; still serving the previous data", metadata: ["reason": "\(reason)", "error": "\(error)"])
        }
    }
}
