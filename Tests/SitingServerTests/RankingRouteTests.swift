import Foundation
import SitingTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `POST /v1/rankings`: the plan equals `siting rank --format json --no-store` with the same options
/// on the same database (the same core, so this is a consistency check), the picks obey what a
/// planner asked, and every refusal has its status: 400, 413, 415, 422, 429 and 503. Serialized:
/// the server runs one ranking at a time, so parallel tests would see each other's 429s.
@Suite(.demoServer(), .serialized)
struct RankingRouteTests {
    var suite: SuiteServer { get throws { try SuiteServer.required } }

    static func post(_ client: HTTPTestClient, _ body: String, contentType: String? = "application/json",
                     timeoutSeconds: Double = 300) throws -> HTTPTestClient.Response {
        try client.request("POST", "/v1/rankings", headers: contentType.map { ["Content-Type": $0] } ?? [:], body: Data(body.utf8),
                           timeoutSeconds: timeoutSeconds)
    }

    func post(_ body: String, contentType: String? = "application/json") throws -> HTTPTestClient.Response {
        try Self.post(try suite.client, body, contentType: contentType)
    }

    /// `siting rank --db … arguments --format json --no-store`, parsed.
    func cli(_ arguments: [String]) throws -> [String: Any] {
        let outcome = try Siting.run(["rank", "--db", try suite.database] + arguments + ["--format", "json", "--no-store"])
        try #require(outcome.status == 0, "\(outcome.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
    }

    /// The report without the stage timings (the only field that differs between two runs).
    static func comparable(_ report: [String: Any]) -> NSDictionary {
        var report = report
        report["stage_seconds"] = nil
        return report as NSDictionary
    }

    static func picks(_ report: [String: Any]) throws -> [[String: Any]] {
        try #require(report["picks"] as? [[String: Any]], "no picks in \(report.keys.sorted())")
    }

    @Test("a district's plan is siting rank's plan on the same database, figure for figure")
    func regionMatchesCLI() throws {
        let response = try post(#"{"region": "330106", "sites": 3}"#)
        try #require(response.status == 200, "\(response.text.prefix(400))")
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["cache-control"] == "no-store")
        let served = try response.json()
        let reference = try cli(["--region", "330106", "--sites", "3"])
        #expect(Self.comparable(served) == Self.comparable(reference), "the server's report differs from siting rank's")
        let picks = try Self.picks(served)
        #expect(picks.count == 3)
        #expect(picks.map { $0["pick"] as? Int } == [1, 2, 3])
        for pick in picks {
            // Facts that hold whatever the model computes: the pick lies in Xihu district's region and
            // its net gain is gross capture minus cannibalization.
            #expect(pick["adcode"] as? String == "330106")
            let gross = try #require(number(pick["gross_capture"])), cannibalization = try #require(number(pick["cannibalization"]))
            let net = try #require(number(pick["net_gain"]))
            #expect(abs(net - (gross - cannibalization)) <= 1e-6 * max(1, abs(net)))
        }
        // A server never stores runs: the database has none after it answered.
        #expect(try SQLiteShell.scalar(try suite.database, "SELECT count(*) FROM ranking_runs;") == "0")
    }

    @Test("a box with model options: the same plan as siting rank with the same flags, picks inside the box")
    func bboxWithOptionsMatchesCLI() throws {
        let body = """
            {"bbox": [120.05, 30.2, 120.25, 30.35], "sites": 4, "decay": "exponential", "decay_scale_m": 1500,
             "cutoff_m": 4000, "service_m": 1000, "weights": {"gdp_per_capita": 2, "schooling": 0.5},
             "attractiveness": {"subBranch": 1.5}, "min_spacing_m": 2000, "swap_rounds": 1, "cell_size_m": 800}
            """
        let response = try post(body)
        try #require(response.status == 200, "\(response.text.prefix(400))")
        let served = try response.json()
        let reference = try cli(["--bbox", "120.05,30.2,120.25,30.35", "--sites", "4", "--decay", "exponential",
                                 "--decay-scale-meters", "1500", "--cutoff-meters", "4000", "--service-meters", "1000",
                                 "--weights", "gdp_per_capita=2,schooling=0.5", "--attractiveness", "subBranch=1.5",
                                 "--min-spacing-meters", "2000", "--swap-rounds", "1", "--cell-size-meters", "800"])
        #expect(Self.comparable(served) == Self.comparable(reference), "the server's report differs from siting rank's")
        let picks = try Self.picks(served)
        #expect(picks.count == 4)
        for pick in picks {
            let lng = try #require(number(pick["lng"])), lat = try #require(number(pick["lat"]))
            #expect((120.05...120.25).contains(lng) && (30.2...30.35).contains(lat), "pick at \(lng), \(lat) is outside the box")
        }
        // At least 2 km apart, by geod.
        let positions = picks.map { (number($0["lng"]) ?? 0, number($0["lat"]) ?? 0) }
        var pairs: [(Double, Double, Double, Double)] = []
        for i in positions.indices { for j in positions.indices where j > i {
            pairs.append((positions[i].1, positions[i].0, positions[j].1, positions[j].0))
        } }
        for distance in try ProjPrograms.geodInverse(pairs.map { (lat1: $0.0, lon1: $0.1, lat2: $0.2, lon2: $0.3) }) {
            #expect(distance.distanceMeters >= 2000 - 0.01, "two picks \(distance.distanceMeters) m apart")
        }
        let parameters = try #require(served["parameters"] as? [String: Any])
        #expect(parameters["decay"] as? String == "exponential")
        #expect(number(parameters["cutoff_meters"]) == 4000)
        #expect(served["cell_size_meters"] as? Int == 800)
    }

    @Test("400: a body that is not the ranking request", arguments: [
        ("{\"region\": ", nil as String?, "not JSON"),
        ("", nil, "empty"),
        ("[1, 2, 3]", nil, "JSON object"),
        ("\"330106\"", nil, "JSON object"),
        (#"{"region": "330106", "sites": 3, "colour": "red"}"#, "colour", "colour"),
        (#"{"region": "330106", "sites": "3"}"#, "sites", "number"),
        (#"{"region": "330106", "sites": null}"#, "sites", "null"),
        (#"{"region": "330106", "sites": 1.5}"#, "sites", "whole"),
        (#"{"region": 330106, "sites": 3}"#, "region", "string"),
        (#"{"bbox": "120,30,121,31", "sites": 3}"#, "bbox", "array of 4 numbers"),
        (#"{"region": "330106", "sites": 3, "fixed": "c1"}"#, "fixed", "array"),
        (#"{"region": "330106", "sites": 3, "weights": 3}"#, "weights", "object"),
        (#"{"region": "330106"}"#, "sites", "sites"),
        (#"{"region": "330106", "sites": 3, "decay": "linear"}"#, "decay", "power"),
        (#"{"region": "330106", "sites": 3, "candidates": "everywhere"}"#, "candidates", "cells"),
    ])
    func malformed(_ body: String, parameter: String?, mention: String) throws {
        let response = try post(body)
        try expectProblem(response, status: 400, parameter: parameter, mentions: [mention])
        let detail = try response.json()["detail"] as? String ?? ""
        #expect(!detail.contains("Array<") && !detail.contains("Dictionary<"), "a Swift type name in \(detail)")
    }

    @Test("413: a body over 64 KiB, and a region over the server's cell cap")
    func tooLarge() throws {
        let ids = (0..<8000).map { "\"candidate-\($0)\"" }.joined(separator: ",")
        let body = #"{"region": "330106", "sites": 1, "exclude": ["# + ids + "]}"
        try #require(body.utf8.count > 64 * 1024)
        try expectProblem(try post(body), status: 413, mentions: ["65536"])
        // All of China at 1 km is millions of cells; the default cap is 250000.
        try expectProblem(try post(#"{"region": "100000", "sites": 1}"#), status: 413, parameter: "region", mentions: ["250000"])
        // A larger cell brings the same box under the cap: Zhejiang at 1 km is ~10^5 cells, at 100 m ~10^7.
        try expectProblem(try post(#"{"region": "330000", "sites": 1, "cell_size_m": 100}"#), status: 413, parameter: "region")
    }

    @Test("a body shorter than its Content-Length is a 400 (or a closed connection), not a 413")
    func truncatedBody() throws {
        let client = try suite.client
        let socket = try client.connect(timeoutSeconds: 60)
        defer { close(socket) }
        try client.send(Data("POST /v1/rankings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"region\"".utf8),
                        on: socket)
        shutdown(socket, Int32(SHUT_WR))
        let answer = try client.receiveAll(socket)
        if !answer.isEmpty {
            try expectProblem(try HTTPTestClient.parse(answer), status: 400)
        }
        #expect(try client.request("GET", "/healthz").status == 200)
    }

    @Test("a chunked body is read like any other; chunked past 64 KiB is 413")
    func chunkedBodies() throws {
        let client = try suite.client
        func chunked(_ body: Data) -> Data {
            var bytes = Data("POST /v1/rankings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".utf8)
            var offset = 0
            while offset < body.count {
                let piece = body[offset..<min(body.count, offset + 4000)]
                bytes.append(Data((String(piece.count, radix: 16) + "\r\n").utf8) + piece + Data("\r\n".utf8))
                offset += piece.count
            }
            bytes.append(Data("0\r\n\r\n".utf8))
            return bytes
        }
        let small = try HTTPTestClient.parse(try client.raw(chunked(Data(#"{"region": "330106", "sites": 2}"#.utf8)), timeoutSeconds: 300))
        #expect(small.status == 200, "\(small.text.prefix(300))")
        #expect(try Self.picks(try small.json()).count == 2)
        let ids = (0..<9000).map { "\"c\($0)\"" }.joined(separator: ",")
        let large = Data((#"{"region": "330106", "sites": 1, "exclude": ["# + ids + "]}").utf8)
        try #require(large.count > 64 * 1024)
        let socket = try client.connect(timeoutSeconds: 60)
        defer { close(socket) }
        try? client.send(chunked(large), on: socket)
        shutdown(socket, Int32(SHUT_WR))
        let answer = (try? client.receiveAll(socket)) ?? Data()
        try #require(!answer.isEmpty, "no answer to a chunked body over the limit")
        try expectProblem(try HTTPTestClient.parse(answer), status: 413)
    }

    @Test("415: a body that says it is not JSON")
    func unsupportedMediaType() throws {
        for type in ["text/plain", "application/x-www-form-urlencoded", "application/xml"] {
            try expectProblem(try post(#"{"region": "330106", "sites": 1}"#, contentType: type), status: 415, mentions: [type])
        }
        #expect(try post(#"{"region": "330106", "sites": 1}"#, contentType: "application/json; charset=utf-8").status == 200)
    }

    @Test("422: a well-formed request the data cannot answer", arguments: [
        (#"{"region": "999999", "sites": 1}"#, "region", "999999"),
        (#"{"region": "330106", "sites": 100000}"#, "sites", "candidates"),
        (#"{"region": "330106", "sites": 0}"#, "sites", "1"),
        (#"{"region": "330106", "sites": 1, "weights": {"bogus": 1}}"#, "weights", "bogus"),
        (#"{"region": "330106", "sites": 1, "weights": {"gdp_per_capita": -1}}"#, "weights", "gdp_per_capita"),
        (#"{"bbox": [120.3, 30.1, 120.1, 30.3], "sites": 1}"#, "bbox", "west"),
        (#"{"sites": 1}"#, "region", "region"),
        (#"{"region": "330106", "bbox": [120.0, 30.1, 120.2, 30.3], "sites": 1}"#, "region", "one of"),
        (#"{"region": "330106", "sites": 1, "cell_size_m": 10}"#, "cell_size_m", "100"),
    ])
    func unprocessable(_ body: String, parameter: String, mention: String) throws {
        try expectProblem(try post(body), status: 422, parameter: parameter, mentions: [mention])
    }

    @Test("429: while a large ranking runs, another ranking is refused at once with Retry-After, and the first completes")
    func busy() throws {
        let client = try suite.client
        let large = #"{"region": "330000", "sites": 10, "cell_size_m": 700}"#
        let first = LockedBox<HTTPTestClient.Response?>(nil)
        let firstDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            first.value = try? Self.post(client, large)
            firstDone.signal()
        }
        // Ask for small rankings until one is refused (the large one holds the slot) or the large one ends.
        var refused: HTTPTestClient.Response?
        var others: [Int] = []
        while refused == nil, firstDone.wait(timeout: .now() + 0.2) == .timedOut {
            let second = try Self.post(client, #"{"region": "330106", "sites": 1}"#)
            others.append(second.status)
            if second.status == 429 { refused = second }
        }
        #expect(firstDone.wait(timeout: .now() + 300) == .success, "the large ranking answered")
        let answer = try #require(first.value, "the large ranking got no response")
        if answer.status == 429 {
            // The small one got the slot first (the machine is busy): the check is meaningless this time.
            #expect(others.contains(200))
            return
        }
        #expect(answer.status == 200, "the running ranking still completes: \(answer.text.prefix(300))")
        let problem = try #require(refused, "no ranking was refused while the large one ran; statuses \(others)")
        try expectProblem(problem, status: 429, mentions: ["already running"])
        #expect(problem.headers["retry-after"] != nil)
        #expect(Set(others).isSubset(of: [200, 429]), "\(others)")
    }

    @Test("503: a ranking over its time budget; 413 over a lowered cell cap")
    func timeoutAndCellCap() async throws {
        try await ServerFixture.withServer(arguments: ["--ranking-timeout-seconds", "0.05", "--max-ranking-cells", "5000"]) { server in
            // Xihu district (~300 cells) takes far longer than 50 ms to rank.
            let slow = try Self.post(server.client, #"{"region": "330106", "sites": 3}"#)
            try expectProblem(slow, status: 503, mentions: ["did not finish within 0.05 s"])
            #expect(slow.headers["retry-after"] != nil)
            // Shanghai has about 6,300 cells of 1 km: over this server's cap of 5000.
            try expectProblem(try Self.post(server.client, #"{"region": "310000", "sites": 1}"#), status: 413, parameter: "region",
                              mentions: ["5000"])
            #expect(try server.client.request("GET", "/healthz").status == 200)
        }
    }
}
