/// How `siting serve` runs: where the data are, where to listen, and the caps that keep one request
/// from hurting the others.
public struct ServerConfiguration: Sendable {
    /// The Siting database (GeoPackage) the CLI also uses.
    public var databasePath: String
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port = 8080
    /// Bearer token for `/v1/admin/*`; nil disables the admin routes.
    public var adminToken: String?
    /// Origins allowed to call from a browser (`*` for any); empty switches CORS off.
    public var corsOrigins: [String] = []
    /// How often to look for a new data version written by `siting import`, seconds; 0 switches polling off.
    public var reloadPollSeconds = 1.0
    /// Largest request body, bytes.
    public var maximumBodyBytes = 64 * 1024
    /// Largest ranking, in demand cells (area ÷ cell area).
    public var maximumRankingCells = 250_000
    /// Rankings that may run at once; more get 429.
    public var maximumConcurrentRankings = 1
    /// Time budget of one ranking, seconds.
    public var rankingTimeoutSeconds = 60.0
    /// Idle connections (and clients that stall mid-request) are closed after this, seconds.
    public var idleTimeoutSeconds = 30.0

    public init(databasePath: String) {
        self.databasePath = databasePath
    }
}
