import Foundation
import SitingTestSupport
import Testing

/// Live reload: `siting import` writes the database while the server runs; the server notices the
/// new data version (polling, SIGHUP) and swaps the new data in whole, so every answer is entirely
/// the old data or entirely the new, even under load.
@Suite(.serialized)
struct ReloadTests {
    /// A place in the South China Sea with no demo outlet within 50 km.
    static let spot = (lon: 112.0, lat: 12.0)

    static func outlet(_ id: String, _ name: String, offsetMeters: Double) -> TestOutlet {
        TestOutlet(id: id, name: name, kind: "community", lon: spot.lon, lat: spot.lat + offsetMeters / 111_000)
    }

    static func nearSpot(_ client: HTTPTestClient, extra: [(String, String)] = []) throws -> HTTPTestClient.Response {
        try client.request("GET", "/v1/outlets/nearby?" + query([("lat", "\(spot.lat)"), ("lng", "\(spot.lon)"), ("radius", "5000"),
                                                                ("limit", "20")] + extra))
    }

    static func health(_ client: HTTPTestClient) throws -> [String: Any] {
        try client.request("GET", "/healthz").json()
    }

    @Test("an import while the server runs is served within seconds (polling): new outlet, higher data version, new ETag")
    func pollingReload() async throws {
        try await ServerFixture.withServer(arguments: ["--reload-poll-seconds", "0.5"]) { server in
            let client = server.client
            let before = try Self.health(client)
            let empty = try Self.nearSpot(client)
            #expect(try empty.ids() == [])
            let oldTag = try #require(empty.headers["etag"])
            try TestOutlet.importOutlets([Self.outlet("R-POLL", "Polled in", offsetMeters: 100)], into: server.database,
                                         directory: server.directory)
            let version = try Siting.dataVersion(server.database)
            #expect(version > before["data_version"] as? Int ?? .max, "siting import raised the data version")
            let served = try waitUntil(timeoutSeconds: 60) { try Self.nearSpot(client).ids() == ["R-POLL"] }
            #expect(served, "the new outlet was not served within 60 s; log:\n\(server.server.logText.suffix(2000))")
            let after = try Self.health(client)
            #expect(after["data_version"] as? Int == version)
            #expect(after["outlets"] as? Int == (before["outlets"] as? Int ?? 0) + 1)
            #expect(after["reloads"] as? Int == (before["reloads"] as? Int ?? 0) + 1)
            // A different data version is a different ETag: the old one no longer revalidates.
            let fresh = try Self.nearSpot(client, extra: [])
            #expect(fresh.headers["etag"] != oldTag)
            #expect(dataVersion(fromETag: fresh.headers["etag"]) == version)
            let revalidated = try client.request("GET", "/v1/outlets/nearby?" + query([("lat", "\(Self.spot.lat)"), ("lng", "\(Self.spot.lon)"),
                                                                                      ("radius", "5000"), ("limit", "20")]),
                                                 headers: ["If-None-Match": oldTag])
            #expect(revalidated.status == 200)
            // Outlet details too.
            #expect(try client.request("GET", "/v1/outlets/R-POLL").status == 200)
        }
    }

    @Test("with polling off, the server keeps its data until SIGHUP, then serves the new data")
    func sighup() async throws {
        try await ServerFixture.withServer(arguments: ["--reload-poll-seconds", "0"]) { server in
            let client = server.client
            let before = try Self.health(client)
            try TestOutlet.importOutlets([Self.outlet("R-HUP", "Hung up", offsetMeters: 200)], into: server.database,
                                         directory: server.directory)
            pause(seconds: 3)
            #expect(try Self.nearSpot(client).ids() == [], "no polling: still the old data")
            #expect(try Self.health(client)["data_version"] as? Int == before["data_version"] as? Int)
            server.server.signal(SIGHUP)
            let served = try waitUntil(timeoutSeconds: 60) { try Self.nearSpot(client).ids() == ["R-HUP"] }
            #expect(served, "not served after SIGHUP; log:\n\(server.server.logText.suffix(2000))")
            let after = try Self.health(client)
            #expect(after["data_version"] as? Int == (try Siting.dataVersion(server.database)))
            #expect(after["reloads"] as? Int == (before["reloads"] as? Int ?? 0) + 1)
            #expect(server.server.process.isRunning, "SIGHUP reloads, it does not stop the server")
        }
    }

    /// What one request under load saw.
    struct Observation: Sendable {
        var status: Int
        var version: Int?
        var outlets: [String: String]
        var failure: String?
    }

    @Test("reload under load: no failed request, and every answer is wholly one data version's")
    func reloadUnderLoad() async throws {
        try await ServerFixture.withServer(arguments: ["--reload-poll-seconds", "0.2"]) { server in
            let client = server.client
            let base = try Siting.dataVersion(server.database)
            // The versions the imports will write, and what each holds near the spot (id → name).
            let steps: [[TestOutlet]] = [
                [Self.outlet("L-1", "first", offsetMeters: 300)],
                [Self.outlet("L-2", "second", offsetMeters: 400), Self.outlet("L-3", "third", offsetMeters: 500)],
                [Self.outlet("L-1", "first, renamed", offsetMeters: 300)],
                [Self.outlet("L-4", "fourth", offsetMeters: 600)],
            ]
            var expected: [Int: [String: String]] = [base: [:]]
            var state: [String: String] = [:]

            let stop = LockedBox(false)
            let observations = LockedBox<[Observation]>([])
            let group = DispatchGroup()
            for _ in 0..<4 {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    var seen: [Observation] = []
                    var newest = 0
                    while !stop.value {
                        do {
                            let response = try Self.nearSpot(client)
                            var outlets: [String: String] = [:]
                            if response.status == 200 {
                                for result in try response.results() {
                                    outlets[result["id"] as? String ?? "?"] = result["name"] as? String ?? "?"
                                }
                            }
                            let version = dataVersion(fromETag: response.headers["etag"])
                            // Once a thread has seen a version, a later answer never goes back to an older one.
                            let backwards = (version ?? 0) < newest ? "version \(version ?? 0) after \(newest)" : nil
                            newest = max(newest, version ?? 0)
                            seen.append(Observation(status: response.status, version: version, outlets: outlets, failure: backwards))
                        } catch {
                            seen.append(Observation(status: 0, version: nil, outlets: [:], failure: "\(error)"))
                        }
                    }
                    observations.mutate { $0 += seen }
                }
            }
            for step in steps {
                try TestOutlet.importOutlets(step, into: server.database, directory: server.directory)
                for outlet in step { state[outlet.id] = outlet.name }
                let version = try Siting.dataVersion(server.database)
                expected[version] = state
                // The server picks the version up under load before the next import.
                _ = waitUntil(timeoutSeconds: 30) { ((try? Self.health(client))?["data_version"] as? Int ?? 0) >= version }
                pause(seconds: 0.3)
            }
            let final = try Siting.dataVersion(server.database)
            let caughtUp = waitUntil(timeoutSeconds: 60) {
                (try? Self.nearSpot(client))?.headers["etag"].flatMap(dataVersion(fromETag:)) == final
            }
            pause(seconds: 1)
            stop.value = true
            group.wait()
            #expect(caughtUp, "the server never served the last version \(final)")

            let seen = observations.value
            #expect(seen.count > 20, "only \(seen.count) requests under load")
            let failures = seen.filter { $0.status != 200 }
            #expect(failures.isEmpty, "\(failures.count) failed requests, e.g. \(failures.first.map { "\($0.status) \($0.failure ?? "")" } ?? "")")
            let backwards = seen.compactMap { $0.status == 200 ? $0.failure : nil }
            #expect(backwards.isEmpty, "answers went back to older data: \(backwards.prefix(3))")
            var mixed: [String] = []
            for observation in seen where observation.status == 200 {
                guard let version = observation.version, let outlets = expected[version] else {
                    mixed.append("unknown version \(observation.version.map(String.init) ?? "none")")
                    continue
                }
                if observation.outlets != outlets { mixed.append("version \(version): \(observation.outlets) instead of \(outlets)") }
            }
            #expect(mixed.isEmpty, "\(mixed.count) answers mix data versions, e.g. \(mixed.prefix(3))")
            let versions = Set(seen.compactMap(\.version))
            #expect(versions.contains(base) && versions.contains(final), "versions seen: \(versions.sorted())")
        }
    }
}
