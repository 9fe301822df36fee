import SitingTestSupport
import Testing

/// Help and version text: what a newcomer reads first.
@Suite struct HelpTests {
    let siting = ExternalTool.sitingExecutable

    @Test("--version names Siting's version and the PROJ it runs on")
    func version() throws {
        let outcome = try ExternalTool.run(siting, ["--version"])
        #expect(outcome.status == 0)
        let proj = try ExternalTool.run("cs2cs", [])  // prints "Rel. 9.1.1, …" on stderr
        let release = proj.standardError.split(separator: ",").first.map { $0.replacingOccurrences(of: "Rel. ", with: "") } ?? "?"
        #expect(outcome.standardOutput.hasPrefix("siting 0."))
        #expect(outcome.standardOutput.contains("(PROJ \(release.trimmingCharacters(in: .whitespaces)))"))
    }

    @Test("help lists the commands and explains coordinate systems with examples")
    func topLevelHelp() throws {
        let outcome = try ExternalTool.run(siting, ["--help"])
        #expect(outcome.status == 0)
        for expected in ["convert", "distance", "wgs84", "gcj02", "bd09", "cgcs2000", "EPSG:", "Examples:"] {
            #expect(outcome.standardOutput.contains(expected), "help lacks \(expected)")
        }
    }

    @Test("subcommand help documents every option", arguments: [
        ("convert", ["--from", "--to", "--json", "LON LAT", "standard input", "9 decimals"]),
        ("distance", ["--from", "--json", "LON1 LAT1 LON2 LAT2", "azimuth", "Karney"]),
    ])
    func subcommandHelp(command: String, expected: [String]) throws {
        let outcome = try ExternalTool.run(siting, [command, "--help"])
        #expect(outcome.status == 0)
        for text in expected { #expect(outcome.standardOutput.contains(text), "\(command) help lacks \(text)") }
    }
}
