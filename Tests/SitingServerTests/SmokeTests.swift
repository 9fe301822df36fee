import Foundation
import SitingTestSupport
import Testing

/// The real server answers the real client: health, then a clean stop on SIGTERM.
@Suite struct SmokeTests {
    @Test("siting serve starts on a free port, answers /healthz, and exits 0 on SIGTERM")
    func startAndStop() throws {
        try TemporaryDirectory.with(prefix: "siting-serve") { directory in
            let database = directory.path("demo.gpkg")
            let built = try ExternalTool.run(ExternalTool.sitingExecutable,
                                             ["init", "--db", database, "--geodata", PackageLayout.root() + "/Geodata"])
            try #require(built.status == 0, "siting init: \(built.standardError)")
            let server = try ServerProcess(database: database)
            let health = try server.client.request("GET", "/healthz")
            #expect(health.status == 200)
            let object = try health.json()
            #expect(object["status"] as? String == "ok")
            #expect((object["outlets"] as? Int ?? 0) > 1_000)
            #expect(server.stop() == 0, "exit status after SIGTERM; log:\n\(server.logText)")
        }
    }
}
