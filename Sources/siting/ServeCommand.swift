import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SitingServer

/// `siting serve`: the HTTP service over the same database.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve nearby outlets, outlet details and rankings over HTTP.",
        discussion: """
            Routes: GET /v1/outlets/nearby, GET /v1/outlets/{id}, POST /v1/rankings, GET /openapi.json, \
            GET /healthz, GET /metrics, and POST /v1/admin/reload when --admin-token is given. Errors \
            are RFC 9457 problem documents. The server reloads its data when siting import changes \
            the database, on SIGHUP and on the admin route, and swaps the new data in atomically. \
            SIGTERM or Ctrl-C stops it after the requests in flight finish.

            Examples:
              siting serve --db siting.gpkg
              curl 'http://127.0.0.1:8080/v1/outlets/nearby?lat=31.236&lng=121.485&limit=5'
              siting serve --port 9000 --admin-token "$TOKEN" --cors-origin https://planner.example.com
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address to listen on (127.0.0.1 keeps it on this machine; 0.0.0.0 listens on every interface).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one and prints it).")
    var port = 8080

    @Option(help: ArgumentHelp("Bearer token enabling POST /v1/admin/reload (default: $SITING_ADMIN_TOKEN; none: admin routes off).",
                               valueName: "TOKEN"))
    var adminToken: String?

    @Option(help: ArgumentHelp("An origin allowed to call from a browser, or * for any (repeatable; default: CORS off).", valueName: "ORIGIN"))
    var corsOrigin: [String] = []

    @Option(help: ArgumentHelp("Seconds between checks for data changed by siting import (0: only SIGHUP and the admin route).", valueName: "S"))
    var reloadPollSeconds = 1.0

    @Option(help: ArgumentHelp("Largest demand-cell count of one ranking request.", valueName: "N"))
    var maxRankingCells = 250_000

    @Option(help: ArgumentHelp("Time budget of one ranking request, seconds.", valueName: "S"))
    var rankingTimeoutSeconds = 60.0

    @Option(help: ArgumentHelp("Close connections idle (or stalled mid-request) for this long, seconds.", valueName: "S"))
    var idleTimeoutSeconds = 30.0

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port): use 0 to 65535") }
        guard reloadPollSeconds >= 0, reloadPollSeconds.isFinite else { throw ValidationError("--reload-poll-seconds: use 0 or more") }
        guard maxRankingCells >= 1 else { throw ValidationError("--max-ranking-cells: use 1 or more") }
        guard rankingTimeoutSeconds > 0, rankingTimeoutSeconds.isFinite else { throw ValidationError("--ranking-timeout-seconds: use more than 0") }
        guard idleTimeoutSeconds >= 0, idleTimeoutSeconds.isFinite else { throw ValidationError("--idle-timeout-seconds: use 0 or more") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level \(logLevel): use trace, debug, info, notice, warning, error or critical")
        }
        if let adminToken, adminToken.count < 16 { throw ValidationError("--admin-token: use at least 16 characters") }
    }

    func run() async throws {
        var configuration = ServerConfiguration(databasePath: database.path)
        configuration.host = host
        configuration.port = port
        configuration.adminToken = adminToken ?? ProcessInfo.processInfo.environment["SITING_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.corsOrigins = corsOrigin
        configuration.reloadPollSeconds = reloadPollSeconds
        configuration.maximumRankingCells = maxRankingCells
        configuration.rankingTimeoutSeconds = rankingTimeoutSeconds
        configuration.idleTimeoutSeconds = idleTimeoutSeconds
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in ServerLogHandler(label: label, level: level) }
        var logger = Logger(label: "siting.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let (host, path) = (configuration.host, configuration.databasePath)
        let app = try SitingServer.makeApplication(configuration: configuration, logger: logger) { port in
            StandardError.write("siting serve: listening on http://\(host):\(port) (database \(path))")
        }
        try await app.runService()
    }
}
