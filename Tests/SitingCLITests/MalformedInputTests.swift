import Foundation
import SitingTestSupport
import Testing

/// Hundreds of malformed invocations: each must exit non-zero with a message on standard error, print
/// nothing on standard output, and never crash (a crash shows as a signal or a status above 128).
@Suite struct MalformedInputTests {
    static let badNumbers = ["abc", "", " ", "nan", "NaN", "inf", "-inf", "infinity", "0x1p3", "1,5", "1.2.3", "--", "1e999",
                             "12a", "١٢", "+-1", "e5", ".", "-", "1e", "３", "null", "true", "116°", "39N"]
    static let outOfRange: [(String, String)] = [("181", "30"), ("-180.0001", "30"), ("116", "90.5"), ("116", "-91"),
                                                 ("1000", "1000"), ("39.9", "116.4e5")]
    static let badSystems = ["wgs85", "EPSG:999999", "EPSG:", "+proj=nonsense", "GCJ-03", "bd-9", "", "EPSG:abc", "+proj=merc +ellps=WGS84 +lat_ts=95",
                             "PROJCS[\"broken\"", "urn:ogc:def:crs:EPSG::0", "+ellps=WGS84"]

    static var invocations: [[String]] {
        var all: [[String]] = []
        for bad in badNumbers {
            all.append(["convert", "--from", "wgs84", "--to", "gcj02", bad, "30"])
            all.append(["convert", "--from", "wgs84", "--to", "gcj02", "116", bad])
            all.append(["convert", "--from", "gcj02", "--to", "EPSG:3857", bad, bad])
            for slot in 0..<4 {
                var values = ["116", "39", "121", "31"]
                values[slot] = bad
                all.append(["distance"] + values)
            }
        }
        for (x, y) in outOfRange {
            all.append(["convert", "--from", "wgs84", "--to", "bd09", x, y])
            all.append(["convert", "--from", "bd09", "--to", "wgs84", x, y])
            all.append(["convert", "--from", "cgcs2000", "--to", "EPSG:32650", x, y])
            all.append(["distance", x, y, "0", "0"])
            all.append(["distance", "0", "0", x, y])
        }
        for system in badSystems {
            all.append(["convert", "--from", system, "--to", "wgs84", "116", "39"])
            all.append(["convert", "--from", "wgs84", "--to", system, "116", "39"])
            all.append(["distance", "--from", system, "116", "39", "121", "31"])
        }
        all += [["convert"], ["convert", "--from", "wgs84"], ["convert", "--to", "wgs84", "1", "2"],
                ["convert", "--from", "wgs84", "--to", "gcj02", "116"], ["convert", "--from", "wgs84", "--to", "gcj02", "1", "2", "3"],
                ["distance"], ["distance", "1", "2", "3"], ["distance", "1", "2", "3", "4", "5"], ["distance", "--from", "EPSG:3857", "0", "0", "1", "1"],
                ["nonsense"], ["convert", "--from", "wgs84", "--to", "gcj02", "--jsno", "1", "2"], ["--frobnicate"]]
        return all
    }

    @Test("every malformed invocation exits non-zero with a message and no crash")
    func malformedInvocations() async throws {
        let siting = ExternalTool.sitingExecutable
        let cases = Self.invocations
        #expect(cases.count >= 250)
        try await withThrowingTaskGroup(of: (String, ExternalTool.Outcome).self) { group in
            var next = 0
            func launch() {
                let arguments = cases[next]
                next += 1
                group.addTask { (arguments.joined(separator: " "), try ExternalTool.run(siting, arguments)) }
            }
            for _ in 0..<min(4, cases.count) { launch() }
            while let (command, outcome) = try await group.next() {
                #expect(outcome.status != 0, "siting \(command) succeeded")
                #expect(outcome.status < 128, "siting \(command) crashed (status \(outcome.status))")
                #expect(!outcome.standardError.isEmpty, "siting \(command) gave no message")
                #expect(outcome.standardOutput.isEmpty, "siting \(command) printed a result: \(outcome.standardOutput)")
                if next < cases.count { launch() }
            }
        }
    }

    @Test("a bad number is named in the message", arguments: ["abc", "nan", "1e999", "116°"])
    func badNumberNamed(text: String) throws {
        let outcome = try ExternalTool.run(ExternalTool.sitingExecutable, ["convert", "--from", "wgs84", "--to", "gcj02", "116", text])
        #expect(outcome.standardError.contains("LAT \"\(text)\" is not a finite decimal number"))
    }

    @Test("an out-of-range latitude is named with its range")
    func outOfRangeNamed() throws {
        let outcome = try ExternalTool.run(ExternalTool.sitingExecutable, ["distance", "116", "95", "0", "0"])
        #expect(outcome.standardError.contains("latitude 95.0 is outside [-90, 90] degrees"))
    }
}
