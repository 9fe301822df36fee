import Foundation
import SitingTestSupport
import Testing

/// `siting convert`, run as the real executable.
@Suite struct ConvertCommandTests {
    let siting = ExternalTool.sitingExecutable

    @Test("the published WGS84 to GCJ-02 vector, printed with 9 decimals")
    func publishedVector() throws {
        // DESIGN §5: (31.1774276, 121.5272106) → (31.17530398364597, 121.531541859215).
        let outcome = try ExternalTool.run(siting, ["convert", "--from", "wgs84", "--to", "gcj02", "121.5272106", "31.1774276"])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput == "121.531541859 31.175303984\n")
    }

    @Test("negative coordinates and a projected target in metres with 3 decimals, equal to cs2cs")
    func projectedTargetMatchesCs2cs() throws {
        let outcome = try ExternalTool.run(siting, ["convert", "--from", "wgs84", "--to", "EPSG:3857", "-73.985656", "40.748433"])
        #expect(outcome.status == 0)
        // cs2cs reads EPSG:4326 in its authority order, latitude first.
        let oracle = try ExternalTool.run("cs2cs", ["-f", "%.3f", "EPSG:4326", "EPSG:3857"], input: "40.748433 -73.985656\n")
        let expected = oracle.standardOutput.split(whereSeparator: \.isWhitespace).prefix(2).joined(separator: " ")
        #expect(outcome.standardOutput == expected + "\n")
    }

    @Test("--json prints one object with the numbers and both systems")
    func jsonOutput() throws {
        let outcome = try ExternalTool.run(siting, ["convert", "--from", "gcj02", "--to", "bd09", "--json", "116.404", "39.915"])
        #expect(outcome.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        // DESIGN §5: (116.404, 39.915) read as GCJ-02 → BD-09 (116.41036949371029, 39.92133699351021).
        #expect(abs((object["x"] as? Double ?? 0) - 116.41036949371029) < 1e-9)
        #expect(abs((object["y"] as? Double ?? 0) - 39.92133699351021) < 1e-9)
        #expect(object["from"] as? String == "gcj02")
        #expect(object["to"] as? String == "bd09")
    }

    @Test("standard input streams: good lines convert, each bad line is reported with its number, exit 1")
    func streamWithBadLines() throws {
        var input = "# a comment, then a blank line\n\n"
        var expectedGood: [String] = []
        var badLineNumbers: [Int] = []
        var lineNumber = 2
        var random = SeededRandom(seed: 5)
        let badLines = ["abc 30", "116", "116 39 7", "116 nan", "inf 30", "116 95", "200 30", "0x10 30", "116,,", "1e400 3", "116.4 39.9x"]
        for i in 0..<300 {
            lineNumber += 1
            if i % 10 == 3 {
                input += badLines[(i / 10) % badLines.count] + "\n"
                badLineNumbers.append(lineNumber)
            } else {
                // Points outside mainland China are unchanged by GCJ-02, so the output is predictable
                // without the code under test: (lon, lat) printed back with 9 decimals.
                let lon = random.uniform(-179...(-20)), lat = random.uniform(-80...80)
                input += i % 2 == 0 ? "\(lon) \(lat)\r\n" : "\(lon),\t\(lat)\n"
                expectedGood.append(String(format: "%.9f %.9f", lon, lat))
            }
        }
        let outcome = try ExternalTool.run(siting, ["convert", "--from", "wgs84", "--to", "gcj02"], input: input)
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.split(separator: "\n").map(String.init) == expectedGood)
        for number in badLineNumbers {
            #expect(outcome.standardError.contains("line \(number):"), "line \(number) not reported")
        }
        #expect(outcome.standardError.contains("\(badLineNumbers.count) of 300 input lines could not be converted"))
    }

    @Test("a byte-order mark on the first line is ignored")
    func byteOrderMark() throws {
        let outcome = try ExternalTool.run(siting, ["convert", "--from", "wgs84", "--to", "wgs84"], input: "\u{FEFF}10 20\n")
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput == "10.000000000 20.000000000\n")
    }

    @Test("an unknown system names the accepted ones and PROJ's reason, before reading any input")
    func unknownSystem() throws {
        let outcome = try ExternalTool.run(siting, ["convert", "--from", "wgs85", "--to", "gcj02"], input: "1 2\n")
        #expect(outcome.status != 0)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.contains("\"wgs85\""))
        #expect(outcome.standardError.contains("wgs84, cgcs2000, gcj02, bd09"))
        #expect(outcome.standardError.contains("unrecognized format"))
    }
}
