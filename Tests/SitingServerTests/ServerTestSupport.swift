import Foundation
import SitingTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

// Shared pieces of the server suites: the demo database (built once per test process), a server
// per suite (a Suite trait), the outlets the suites add to it, and checks of problem documents.

// MARK: - The demo database

/// `siting init --geodata Geodata` once per test process; suites copy it (a copy takes milliseconds,
/// a build seconds). The folder is removed when the process exits.
actor PristineDemoDatabase {
    static let shared = PristineDemoDatabase()
    private var build: Task<String, any Error>?

    /// The path of the pristine demo database; never write to it (copy it).
    func path() async throws -> String {
        if let build { return try await build.value }
        let task = Task.detached { try Self.buildDatabase() }
        build = task
        return try await task.value
    }

    nonisolated(unsafe) private static var folderToRemove: String?

    private static func buildDatabase() throws -> String {
        let folder = NSTemporaryDirectory() + "siting-serve-demo-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        folderToRemove = folder
        atexit {
            if let folder = PristineDemoDatabase.folderToRemove { try? FileManager.default.removeItem(atPath: folder) }
        }
        let database = folder + "/demo.gpkg"
        let outcome = try ExternalTool.run(ExternalTool.sitingExecutable,
                                           ["init", "--db", database, "--geodata", PackageLayout.root() + "/Geodata"])
        guard outcome.status == 0 else { throw ServerTestFailure("siting init: \(outcome.standardError)") }
        return database
    }
}

struct ServerTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - One server per suite

/// The server a suite's tests share, over the suite's own copy of the demo database.
struct SuiteServer: Sendable {
    let server: ServerProcess
    let database: String
    let directory: TemporaryDirectory
    var client: HTTPTestClient { server.client }

    @TaskLocal static var current: SuiteServer?

    /// The suite's server; fails the test when the trait did not start one.
    static var required: SuiteServer {
        get throws { try #require(current, "the suite's server was not started") }
    }
}

/// Copies the demo database, lets the suite add data (`prepare`), starts `siting serve` with
/// `arguments` for the whole suite and stops it afterwards.
struct ServerTrait: SuiteTrait, TestScoping {
    var arguments: [String] = []
    var prepare: @Sendable (_ database: String, _ directory: TemporaryDirectory) throws -> Void = { _, _ in }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        if SuiteServer.current != nil { return try await function() }
        try await ServerFixture.withServer(arguments: arguments, prepare: prepare) { suite in
            try await SuiteServer.$current.withValue(suite) { try await function() }
        }
    }
}

extension Trait where Self == ServerTrait {
    /// A server over a copy of the demo database for the suite (see `ServerTrait`).
    static func demoServer(_ arguments: [String] = [],
                           prepare: @escaping @Sendable (_ database: String, _ directory: TemporaryDirectory) throws -> Void = { _, _ in })
    -> Self {
        ServerTrait(arguments: arguments, prepare: prepare)
    }
}

enum ServerFixture {
    /// A copy of the demo database in `directory`, with `prepare` applied.
    static func database(in directory: TemporaryDirectory, name: String = "demo.gpkg",
                         prepare: (_ database: String, _ directory: TemporaryDirectory) throws -> Void = { _, _ in }) async throws -> String {
        let pristine = try await PristineDemoDatabase.shared.path()
        let database = directory.path(name)
        try FileManager.default.copyItem(atPath: pristine, toPath: database)
        try prepare(database, directory)
        return database
    }

    /// A server of its own over a fresh copy of the demo database, stopped when `body` returns.
    static func withServer<Result>(arguments: [String] = [],
                                   prepare: @Sendable (_ database: String, _ directory: TemporaryDirectory) throws -> Void = { _, _ in },
                                   _ body: (SuiteServer) async throws -> Result) async throws -> Result {
        try await TemporaryDirectory.with(prefix: "siting-serve-test") { directory in
            let database = try await database(in: directory, prepare: prepare)
            let server = try ServerProcess(database: database, arguments: arguments, timeoutSeconds: 120)
            defer { server.stop() }
            return try await body(SuiteServer(server: server, database: database, directory: directory))
        }
    }
}

// MARK: - The CLI and the data

enum Siting {
    /// Runs the `siting` executable; a crash fails the test.
    @discardableResult
    static func run(_ arguments: [String]) throws -> ExternalTool.Outcome {
        let outcome = try ExternalTool.run(ExternalTool.sitingExecutable, arguments)
        try #require(outcome.status < 128, "siting \(arguments.joined(separator: " ")) crashed (status \(outcome.status))")
        return outcome
    }

    /// `siting import <kind> <file> --db <database>`, which must succeed.
    static func importFile(_ kind: String, _ file: String, into database: String, crs: String? = nil) throws {
        let outcome = try run(["import", kind, file, "--db", database] + (crs.map { ["--crs", $0] } ?? []))
        guard outcome.status == 0 else { throw ServerTestFailure("siting import \(kind): \(outcome.standardError)") }
    }

    /// The data version the database records (read with the sqlite3 shell, not Siting's code).
    static func dataVersion(_ database: String) throws -> Int {
        let text = try SQLiteShell.scalar(database, "SELECT value FROM siting_metadata WHERE key = 'data_version';")
        guard let version = Int(text) else { throw ServerTestFailure("data_version is \(text)") }
        return version
    }
}

/// Outlets the suites add to the demo data: rows of the import CSV, written with the shipped file's
/// header, so the test knows exactly what it stored.
struct TestOutlet: Sendable {
    var id: String
    var name: String
    var kind = "community"
    var lon: Double
    var lat: Double
    var hours = "Mo-Su 09:00-17:00"
    var secondaryHours = ""
    var timeZone = "Asia/Shanghai"
    var cash = "yes", wealth = "no", foreignExchange = "no"
    var devices = 0, smartCounters = 0
    var wheelchair = "unknown", visual = "unknown", hearing = "unknown", elderly = "unknown"

    static let header = "id,name,kind,lon,lat,adcode,address,opening_hours,secondary_hours,timezone,cash,wealth_management,"
        + "foreign_exchange,self_service_devices,smart_counters,wheelchair_access,visually_impaired_aids,hearing_impaired_aids,elderly_friendly"

    var csvRow: String {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return [id, quoted(name), kind, String(format: "%.10f", lon), String(format: "%.10f", lat), "", "", quoted(hours),
                quoted(secondaryHours), timeZone, cash, wealth, foreignExchange, String(devices), String(smartCounters),
                wheelchair, visual, hearing, elderly].joined(separator: ",")
    }

    /// The row as the shipped file's rows are read, for oracles over both.
    var asShipped: ShippedOutlet {
        ShippedOutlet(id: id, name: name, kind: kind, lon: lon, lat: lat, address: "", hours: hours, secondaryHours: secondaryHours,
                      cash: cash == "yes", wealth: wealth == "yes", foreignExchange: foreignExchange == "yes", devices: devices,
                      smartCounters: smartCounters, wheelchair: wheelchair, visual: visual, hearing: hearing, elderly: elderly)
    }

    /// Writes `outlets` as an import file and imports it.
    static func importOutlets(_ outlets: [TestOutlet], into database: String, directory: TemporaryDirectory,
                              file: String = "test-outlets-\(UUID().uuidString).csv", crs: String? = nil) throws {
        let path = try directory.write(file, ([header] + outlets.map(\.csvRow)).joined(separator: "\n") + "\n")
        try Siting.importFile("outlets", path, into: database, crs: crs)
    }
}

/// DESIGN §5's coordinate facts, as outlets placed at the WGS84 side of each vector.
enum CoordinateVectors {
    /// (id, WGS84 lon/lat, GCJ-02 lon/lat).
    static let gcj: [(id: String, wgs: (lon: Double, lat: Double), gcj: (lon: Double, lat: Double))] = [
        ("V-GCJ-SH", (121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
        ("V-GCJ-SZ", (113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
        ("V-GCJ-BJ", (116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
    ]
    /// WGS84 (116.404, 39.915) → GCJ-02 (DESIGN §5's vector) → BD-09, the last step worked by hand
    /// (Python) with DESIGN §5's formula: x_pi = π·3000/180, offsets 0.0065/0.006.
    static let bd = (id: "V-BD-BJ", wgs: (lon: 116.404, lat: 39.915), gcj: (lon: 116.41024449916938, lat: 39.91640428150164),
                     bd: (lon: 116.41662724378733, lat: 39.922699552216216))
    /// DESIGN §5: GCJ-02 (116.404, 39.915) is BD-09 (116.41036949371029, 39.92133699351021). The
    /// outlet is imported with `--crs gcj02`, so its stored WGS84 position is the inverse's.
    static let gcjImported = (id: "V-GCJ-IN", gcj: (lon: 116.404, lat: 39.915), bd: (lon: 116.41036949371029, lat: 39.92133699351021))

    static var outlets: [TestOutlet] {
        gcj.map { TestOutlet(id: $0.id, name: "Vector \($0.id)", lon: $0.wgs.lon, lat: $0.wgs.lat) }
            + [TestOutlet(id: bd.id, name: "Vector \(bd.id)", lon: bd.wgs.lon, lat: bd.wgs.lat)]
    }

    /// Imports `outlets` and the GCJ-02 one (with `--crs gcj02`).
    static func importAll(into database: String, directory: TemporaryDirectory) throws {
        try TestOutlet.importOutlets(outlets, into: database, directory: directory)
        try TestOutlet.importOutlets([TestOutlet(id: gcjImported.id, name: "Vector read as GCJ-02", lon: gcjImported.gcj.lon,
                                                 lat: gcjImported.gcj.lat)],
                                     into: database, directory: directory, crs: "gcj02")
    }
}

/// Outlets with hand-chosen hours at a spot in the Gulf of Thailand where no demo outlet is, so a
/// test knows every answer near it.
enum HoursOutlets {
    static let spot = (lon: 100.5, lat: 10.5)
    static let day = TestOutlet(id: "H-DAY", name: "Weekday branch", kind: "subBranch", lon: 100.5, lat: 10.501,
                                hours: "Mo-Fr 09:00-17:00", cash: "yes", wealth: "yes", foreignExchange: "no", devices: 2, smartCounters: 0,
                                wheelchair: "yes")
    static let night = TestOutlet(id: "H-NIGHT", name: "Night branch", kind: "community", lon: 100.5, lat: 10.502,
                                  hours: "Mo-Su 22:00-02:00", cash: "no", wealth: "no", foreignExchange: "yes", devices: 0, smartCounters: 1,
                                  wheelchair: "no", elderly: "yes")
    static let allDay = TestOutlet(id: "H-247", name: "Always open", kind: "selfService", lon: 100.5, lat: 10.503,
                                   hours: "24/7", secondaryHours: "24/7", cash: "yes", devices: 4, wheelchair: "unknown")
    static let newYork = TestOutlet(id: "H-NY", name: "New York hours", kind: "subBranch", lon: 100.5, lat: 10.504,
                                    hours: "Mo-Fr 09:00-17:00", timeZone: "America/New_York")
    static var all: [TestOutlet] { [day, night, allDay, newYork] }
}

/// Open on every even minute of the day, closed on every odd one: its next opening or closing is
/// always less than a minute away.
enum BlinkingOutlet {
    static let outlet: TestOutlet = {
        var spans: [String] = []
        for minute in stride(from: 0, to: 1440, by: 2) {
            let end = minute + 1
            spans.append(String(format: "%02d:%02d-%02d:%02d", minute / 60, minute % 60, end / 60, end % 60))
        }
        return TestOutlet(id: "B-BLINK", name: "Blinking", lon: 100.0, lat: 10.0, hours: "Mo-Su " + spans.joined(separator: ","))
    }()
}

// MARK: - HTTP helpers

/// Query strings with every value percent-encoded (`+` too: it would read as a space).
func query(_ pairs: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~,:")
    return pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
}

/// A JSON number as a Double.
func number(_ value: Any?) -> Double? {
    (value as? NSNumber)?.doubleValue
}

/// The data version inside an entity tag `"d<version>-<hash>"`.
func dataVersion(fromETag tag: String?) -> Int? {
    guard let tag, let match = tag.firstMatch(of: /^(?:W\/)?"d([0-9]+)-[0-9a-f]+"$/) else { return nil }
    return Int(match.1)
}

/// `max-age` of a Cache-Control header.
func maxAge(_ cacheControl: String?) -> Int? {
    guard let cacheControl, let match = cacheControl.firstMatch(of: /max-age=([0-9]+)/) else { return nil }
    return Int(match.1)
}

/// Parses the ISO 8601 instants the server writes (`2026-12-02T10:00:00+08:00`, `…Z`).
func instant(_ text: String?) -> Date? {
    guard let text else { return nil }
    return try? Date.ISO8601FormatStyle().parse(text)
}

extension HTTPTestClient.Response {
    /// The `results` of a nearby answer.
    func results() throws -> [[String: Any]] {
        try #require(try json()["results"] as? [[String: Any]], "no results in \(text.prefix(300))")
    }

    func ids() throws -> [String] {
        try results().compactMap { $0["id"] as? String }
    }
}

/// Checks an RFC 9457 problem response: the status, its media type, `status` equal to the HTTP
/// status, `no-store`, the parameter it names, and that `detail` mentions each of `mentions`.
func expectProblem(_ response: HTTPTestClient.Response, status: Int, parameter: String? = nil, mentions: [String] = [],
                   sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(response.status == status, "status; body: \(response.text.prefix(400))", sourceLocation: sourceLocation)
    #expect(response.headers["content-type"] == "application/problem+json", sourceLocation: sourceLocation)
    #expect(response.headers["cache-control"] == "no-store", sourceLocation: sourceLocation)
    let object = try response.json()
    #expect(object["status"] as? Int == status, "the problem's status field", sourceLocation: sourceLocation)
    #expect((object["type"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    #expect((object["title"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    let detail = object["detail"] as? String ?? ""
    for mention in mentions {
        #expect(detail.contains(mention), "detail \"\(detail)\" should mention \"\(mention)\"", sourceLocation: sourceLocation)
    }
    if let parameter {
        #expect(object["parameter"] as? String == parameter, "parameter of \(object)", sourceLocation: sourceLocation)
    }
    if let id = response.headers["x-request-id"] {
        #expect(object["request_id"] as? String == id, "request_id matches X-Request-Id", sourceLocation: sourceLocation)
    }
}

/// Polls `condition` until it holds or `timeoutSeconds` pass; returns whether it held.
func waitUntil(timeoutSeconds: Double, every interval: Double = 0.1, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval)
    }
    return try condition()
}

// MARK: - The shipped outlets, read without Siting's code

/// `Geodata/outlets.csv` parsed here (RFC 4180), the oracle of which outlets exist where.
struct ShippedOutlet: Sendable {
    var id, name, kind: String
    var lon, lat: Double
    var address, hours, secondaryHours: String
    var cash, wealth, foreignExchange: Bool
    var devices, smartCounters: Int
    var wheelchair, visual, hearing, elderly: String

    static let all: [ShippedOutlet] = {
        let text = (try? String(contentsOfFile: PackageLayout.root() + "/Geodata/outlets.csv", encoding: .utf8)) ?? ""
        let rows = CSVText.rows(text)
        guard let header = rows.first else { return [] }
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        return rows.dropFirst().filter { $0.count == header.count }.map { row in
            func field(_ name: String) -> String { row[column[name]!] }
            return ShippedOutlet(id: field("id"), name: field("name"), kind: field("kind"),
                                 lon: Double(field("lon")) ?? .nan, lat: Double(field("lat")) ?? .nan,
                                 address: field("address"), hours: field("opening_hours"), secondaryHours: field("secondary_hours"),
                                 cash: field("cash") == "yes", wealth: field("wealth_management") == "yes",
                                 foreignExchange: field("foreign_exchange") == "yes",
                                 devices: Int(field("self_service_devices")) ?? 0, smartCounters: Int(field("smart_counters")) ?? 0,
                                 wheelchair: field("wheelchair_access"), visual: field("visually_impaired_aids"),
                                 hearing: field("hearing_impaired_aids"), elderly: field("elderly_friendly"))
        }
    }()

}

/// The outlets nearest `origin` by PROJ's `geod`, among `outlets`: (id, distance), nearest first,
/// ties by id.
func geodRanking(from origin: (lat: Double, lon: Double), among outlets: [(id: String, lon: Double, lat: Double)]) throws
    -> [(id: String, meters: Double, azimuth: Double)] {
    let distances = try ProjPrograms.geodInverse(outlets.map { (origin.lat, origin.lon, $0.lat, $0.lon) })
    return zip(outlets, distances).map { ($0.id, $1.distanceMeters, $1.azimuth1) }
        .sorted { $0.meters != $1.meters ? $0.meters < $1.meters : $0.id < $1.id }
}

/// Blocks the calling thread (the tests talk to a separate process; nothing here needs the thread).
func pause(seconds: Double) {
    Thread.sleep(forTimeInterval: seconds)
}

/// A value shared between a test and a thread it starts.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
    func mutate(_ body: (inout Value) -> Void) {
        lock.withLock { body(&stored) }
    }
}
