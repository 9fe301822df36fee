import Foundation
import SitingTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Requests the server must refuse: every refusal is an RFC 9457 problem with the real status, the
/// parameter it concerns and a detail naming what is accepted; and bytes that are not HTTP at all
/// never bring the server down.
@Suite(.demoServer())
struct BadInputTests {
    var client: HTTPTestClient { get throws { try SuiteServer.required.client } }

    /// (query string, parameter, words the detail must contain).
    static let nearbyCases: [(String, String, [String])] = [
        ("lng=121.4", "lat", ["lat", "-90", "90"]),
        ("lat=31.2", "lng", ["lng", "-180", "180"]),
        ("lat=abc&lng=121.4", "lat", ["abc", "-90 to 90"]),
        ("lat=31.2&lng=", "lng", ["-180 to 180"]),
        ("lat=91&lng=121.4", "lat", ["91", "-90 to 90"]),
        ("lat=-90.5&lng=121.4", "lat", ["-90.5", "-90 to 90"]),
        ("lat=31.2&lng=180.0001", "lng", ["180.0001", "-180 to 180"]),
        ("lat=NaN&lng=121.4", "lat", ["NaN"]),
        ("lat=31.2&lng=-inf", "lng", ["-inf"]),
        ("lat=31.2&lng=1e400", "lng", ["1e400"]),
        ("lat=0x10&lng=121.4", "lat", ["0x10", "decimal"]),
        ("lat=31.2&lng=0x1p6", "lng", ["0x1p6", "decimal"]),
        ("lat=31.2&lng=121.4&coordsys=epsg3857", "coordsys", ["epsg3857", "wgs84", "cgcs2000", "gcj02", "bd09"]),
        ("lat=31.2&lng=121.4&coordsys=", "coordsys", ["wgs84"]),
        ("lat=31.2&lng=121.4&limit=0", "limit", ["1 to 100"]),
        ("lat=31.2&lng=121.4&limit=101", "limit", ["101", "1 to 100"]),
        ("lat=31.2&lng=121.4&limit=99999999999999999999999", "limit", ["1 to 100"]),
        ("lat=31.2&lng=121.4&limit=-3", "limit", ["1 to 100"]),
        ("lat=31.2&lng=121.4&limit=2.5", "limit", ["2.5", "1 to 100"]),
        ("lat=31.2&lng=121.4&radius=0", "radius", ["more than 0", "50000"]),
        ("lat=31.2&lng=121.4&radius=-5", "radius", ["more than 0", "50000"]),
        ("lat=31.2&lng=121.4&radius=50000.5", "radius", ["more than 0", "50000"]),
        ("lat=31.2&lng=121.4&radius=far", "radius", ["far"]),
        ("lat=31.2&lng=121.4&kind=bank", "kind", ["bank", "primaryBranch", "selfService"]),
        ("lat=31.2&lng=121.4&kind=subBranch,atm", "kind", ["atm"]),
        ("lat=31.2&lng=121.4&service=atm", "service", ["atm", "cash", "smartCounter"]),
        ("lat=31.2&lng=121.4&accessible=ramp", "accessible", ["ramp", "wheelchair"]),
        ("lat=31.2&lng=121.4&open_now=maybe", "open_now", ["maybe", "true", "false"]),
        ("lat=31.2&lng=121.4&at=tomorrow", "at", ["tomorrow", "ISO 8601"]),
        ("lat=31.2&lng=121.4&at=2026-12-02T10:00:00", "at", ["ISO 8601"]),
        ("lat=31.2&lng=121.4&at=2026-13-02T10:00:00Z", "at", ["ISO 8601"]),
        ("lat=31.2&lng=121.4&format=xml", "format", ["xml", "json", "geojson"]),
        ("lat=31.2&lng=121.4&radius_m=500", "radius_m", ["radius_m", "radius", "limit"]),
        ("lat=31.2&lng=121.4&LAT=3", "LAT", ["LAT"]),
        ("lat=31.2&lat=31.3&lng=121.4", "lat", ["2 times"]),
        ("lat=31.2&lng=121.4&limit=3&limit=4", "limit", ["2 times"]),
        ("lat=31.2&lng=121.4&coordsys=wgs84&coordsys=gcj02", "coordsys", ["2 times"]),
        ("lat=31.2&lng=121.4&at=2026-12-02T10:00:00Z&at=2026-12-02T11:00:00Z", "at", ["2 times"]),
    ]

    @Test("nearby: 400 problem naming the parameter and what it accepts", arguments: nearbyCases)
    func nearbyRefusals(_ queryString: String, parameter: String, mentions: [String]) throws {
        let response = try client.request("GET", "/v1/outlets/nearby?" + queryString)
        try expectProblem(response, status: 400, parameter: parameter, mentions: mentions)
        let object = try response.json()
        #expect(object["instance"] as? String == "/v1/outlets/nearby")
        #expect(response.headers["etag"] == nil, "refusals are not cached")
    }

    @Test("nearby: an instant far from today is refused or echoed exactly, and every instant written is ISO 8601")
    func extremeInstants() throws {
        for at in ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1500-06-01T12:00:00Z"] {
            let response = try client.request("GET", "/v1/outlets/nearby?" + query([("lat", "31"), ("lng", "121"), ("limit", "1"), ("at", at)]))
            if response.status == 400 {
                try expectProblem(response, status: 400, parameter: "at")
                continue
            }
            let object = try response.json()
            #expect(instant(object["at"] as? String) == instant(at), "at \(at) echoed as \(object["at"] ?? "none")")
            for result in try response.results() {
                for key in ["next_open", "next_close"] {
                    if let text = result[key] as? String { #expect(instant(text) != nil, "\(key) \(text) is not ISO 8601") }
                }
            }
        }
    }

    @Test("outlet details: 400 for a bad coordsys or an unknown parameter")
    func outletRefusals() throws {
        try expectProblem(try client.request("GET", "/v1/outlets/O00001?coordsys=mercator"), status: 400, parameter: "coordsys",
                          mentions: ["mercator", "gcj02"])
        try expectProblem(try client.request("GET", "/v1/outlets/O00001?lat=3"), status: 400, parameter: "lat", mentions: ["coordsys"])
        try expectProblem(try client.request("GET", "/v1/outlets/O00001?coordsys=bd09&coordsys=gcj02"), status: 400,
                          parameter: "coordsys", mentions: ["2 times"])
    }

    @Test("bytes that are not HTTP get a 400 or a closed connection, never a crash", arguments: [
        Data([0x00, 0xFF, 0xFE, 0x01]) + Data(" garbage\r\n\r\n".utf8),
        Data((0..<4096).map { UInt8($0 % 256) }),
        Data("GET /healthz HTTP/9.9\r\n\r\n".utf8),
        Data("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n".utf8),
        Data("POST /v1/rankings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".utf8),
        Data("POST /v1/rankings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nffffffffffffffffff\r\n".utf8),
        Data("GET /v1/outlets/nearby?lat=%ZZ&lng=1 HTTP/1.1\r\nHost: x\r\n\r\n".utf8),
        Data(("GET /" + String(repeating: "a", count: 100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").utf8),
        Data(("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 200_000) + "\r\n\r\n").utf8),
        Data("\r\n\r\n\r\n".utf8),
    ])
    func garbage(_ bytes: Data) throws {
        let suite = try SuiteServer.required
        // The server may close before it has read everything: a failed send is an answer too.
        let socket = try suite.client.connect(timeoutSeconds: 60)
        defer { close(socket) }
        try? suite.client.send(bytes, on: socket)
        shutdown(socket, Int32(SHUT_WR))
        let answer = (try? suite.client.receiveAll(socket)) ?? Data()
        if !answer.isEmpty {
            let response = try HTTPTestClient.parse(answer)
            #expect((400..<500).contains(response.status), "status \(response.status) for garbage")
        }
        #expect(suite.server.process.isRunning, "the server is still running; log:\n\(suite.server.logText.suffix(2000))")
        #expect(try suite.client.request("GET", "/healthz").status == 200, "and still answers")
    }
}
