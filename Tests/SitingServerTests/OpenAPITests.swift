import Foundation
import SitingServer
import SitingTestSupport
import Testing

/// `/openapi.json` against the server that serves it: the document is valid OpenAPI 3.1
/// (openapi-spec-validator), it is the text in `OpenAPIDocument.swift`, every route and parameter the
/// server knows is in it with the ranges it enforces, and real responses of every route and of many
/// error cases validate against its schemas (jsonschema), while deliberately wrong ones do not.
@Suite struct OpenAPITests {
    /// The admin token the test servers are started with.
    static let adminToken = "openapi-test-token-0123456789"

    @Test("the served /openapi.json is the document in OpenAPIDocument.swift and is valid OpenAPI 3.1")
    func servedDocumentIsValid() throws {
        try Self.withServer { server, _ in
            let served = try server.client.request("GET", "/openapi.json")
            #expect(served.status == 200)
            #expect(served.headers["content-type"] == "application/json")
            let document = try served.json()
            let source = try Self.documentInSource()
            #expect(try Self.canonical(document) == Self.canonical(source),
                    "the served document differs from the JSON in Sources/SitingServer/OpenAPIDocument.swift")
            #expect(document["openapi"] as? String == "3.1.0")

            let outcome = try SchemaChecker.run(document: document, cases: [])
            #expect(outcome.spec == "valid", "openapi-spec-validator: \(outcome.spec)")

            // The validator can fail: a document without `info` and with an operation without responses.
            var broken = document
            broken["info"] = nil
            var paths = broken["paths"] as? [String: Any] ?? [:]
            paths["/broken"] = ["get": ["summary": "no responses", "responses": "none"]]
            broken["paths"] = paths
            let refused = try SchemaChecker.run(document: broken, cases: [])
            #expect(refused.spec != "valid", "openapi-spec-validator accepted a document without info")
        }
    }

    @Test("every route template, method, query parameter and body field the server knows is documented, with the ranges it enforces")
    func routesAndParametersAreDocumented() throws {
        try Self.withServer { server, _ in
            let client = server.client
            let document = try client.request("GET", "/openapi.json").json()
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let operationKeys: Set<String> = ["get", "head", "post", "put", "delete", "patch", "options", "trace"]

            // Paths and methods: exactly RouteTemplate's.
            #expect(Set(paths.keys) == Set(RouteTemplate.allCases.map(\.rawValue)))
            for route in RouteTemplate.allCases {
                let documented = Set((paths[route.rawValue] ?? [:]).keys.filter(operationKeys.contains))
                #expect(documented == Set(route.methods.map { $0.rawValue.lowercased() }), "methods of \(route.rawValue)")
            }

            // Query parameters: exactly the names the server lists when it refuses an unknown one.
            let nearbyKnown = try Self.knownNames(client.request("GET", "/v1/outlets/nearby?lat=31.2&lng=121.5&zz_unknown=1"))
            let outletKnown = try Self.knownNames(client.request("GET", "/v1/outlets/O00001?zz_unknown=1"))
            let bodyKnown = try Self.knownNames(client.request("POST", "/v1/rankings", headers: ["Content-Type": "application/json"],
                                                               body: Data(#"{"sites": 1, "zz_unknown": 1}"#.utf8)))
            #expect(nearbyKnown.count == 11 && outletKnown == ["coordsys"] && bodyKnown.count == 19,
                    "the 400 details list \(nearbyKnown), \(outletKnown), \(bodyKnown)")
            for (template, known) in [("/v1/outlets/nearby", nearbyKnown), ("/v1/outlets/{id}", outletKnown)] {
                for method in ["get", "head"] {
                    let parameters = try Self.parameters(of: template, method, in: document)
                    let query = Set(parameters.filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String })
                    #expect(query == Set(known), "\(method.uppercased()) \(template) documents \(query.sorted()), the server knows \(known)")
                }
            }
            let outletPath = try Self.parameters(of: "/v1/outlets/{id}", "get", in: document)
                .filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
            #expect(outletPath == ["id"])
            let body = try Self.rankingBodySchema(in: document)
            #expect(Set((body["properties"] as? [String: Any] ?? [:]).keys) == Set(bodyKnown))
            #expect(body["required"] as? [String] == ["sites"])
            #expect(body["additionalProperties"] as? Bool == false)

            // The ranges and enums the document gives are the ones the server enforces.
            let nearby = try Self.parameters(of: "/v1/outlets/nearby", "get", in: document)
            let base = ["lat": "31.236", "lng": "121.485"]
            var probes = 0
            for parameter in nearby where parameter["in"] as? String == "query" {
                let name = try #require(parameter["name"] as? String)
                let schema = try #require(parameter["schema"] as? [String: Any])
                for (value, accepted) in Self.probes(schema) {
                    var query = base
                    query[name] = value
                    let target = "/v1/outlets/nearby?" + query.sorted { $0.key < $1.key }
                        .map { "\($0.key)=\(Self.queryEscaped($0.value))" }.joined(separator: "&")
                    let response = try client.request("GET", target)
                    probes += 1
                    if accepted {
                        #expect(response.status == 200, "\(name)=\(value) is documented as accepted: \(response.text.prefix(300))")
                    } else {
                        #expect(response.status == 400, "\(name)=\(value) is documented as refused, got \(response.status)")
                        #expect((try? response.json())?["parameter"] as? String == name, "\(name)=\(value): \(response.text.prefix(300))")
                    }
                }
            }
            #expect(probes >= 40, "only \(probes) nearby probes")
            let outletParameters = try Self.parameters(of: "/v1/outlets/{id}", "get", in: document)
            let coordsys = try #require(outletParameters.first { $0["name"] as? String == "coordsys" }?["schema"] as? [String: Any])
            for (value, accepted) in Self.probes(coordsys) {
                let response = try client.request("GET", "/v1/outlets/O00001?coordsys=\(Self.queryEscaped(value))")
                #expect(response.status == (accepted ? 200 : 400), "outlet coordsys=\(value): \(response.text.prefix(200))")
            }

            // Body fields: a value just outside a documented minimum or maximum is refused, naming the field.
            var bodyProbes = 0
            for (field, schema) in (body["properties"] as? [String: [String: Any]] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard schema["type"] as? String == "number" || schema["type"] as? String == "integer" else { continue }
                let integer = schema["type"] as? String == "integer"
                for (value, accepted) in Self.probes(schema) where !accepted && Double(value) != nil && !(integer && value.contains(".")) {
                    var fields: [String: Any] = ["region": "330106", "sites": 1]
                    fields[field] = integer ? Int(Double(value) ?? 0) as Any : (Double(value) ?? 0) as Any
                    if field == "decay_scale_m" { fields["decay"] = "exponential" }
                    let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
                    let response = try client.request("POST", "/v1/rankings", headers: ["Content-Type": "application/json"], body: data)
                    bodyProbes += 1
                    #expect([400, 422].contains(response.status), "\(field)=\(value) is outside the documented range, got \(response.status)")
                    #expect((try? response.json())?["parameter"] as? String == field, "\(field)=\(value): \(response.text.prefix(300))")
                }
            }
            #expect(bodyProbes >= 15, "only \(bodyProbes) body probes")
        }
    }

    @Test("real responses of every route and of many error cases validate against the document; wrong ones do not")
    func responsesMatchTheDocument() throws {
        try Self.withServer { server, database in
            let client = server.client
            let document = try client.request("GET", "/openapi.json").json()
            var exchanges: [Exchange] = []
            func add(_ label: String, _ method: String, _ template: String, _ target: String, expect status: Int,
                     headers: [String: String] = [:], body: String? = nil, on other: HTTPTestClient? = nil) throws -> HTTPTestClient.Response {
                let response = try (other ?? client).request(method, target, headers: headers, body: body.map { Data($0.utf8) })
                #expect(response.status == status, "\(label): \(method) \(target) answered \(response.status): \(response.text.prefix(300))")
                exchanges.append(Exchange(label: label, method: method, template: template, response: response))
                return response
            }
            let json = ["Content-Type": "application/json"]
            let nearby = "/v1/outlets/nearby"

            // Nearby: formats, coordinate systems, filters, places with many and with no outlets.
            let first = try add("nearby, defaults", "GET", nearby, "\(nearby)?lat=31.236&lng=121.485", expect: 200)
            _ = try add("nearby, every parameter", "GET", nearby,
                        "\(nearby)?lat=31.2339&lng=121.4895&coordsys=gcj02&radius=20000&limit=100&kind=subBranch,selfService&service=cash"
                            + "&accessible=wheelchair&open_now=false&at=2026-05-01T09:30:00%2B08:00&format=json", expect: 200)
            _ = try add("nearby, GeoJSON in BD-09", "GET", nearby, "\(nearby)?lat=39.92&lng=116.41&coordsys=bd09&limit=50&format=geojson", expect: 200)
            _ = try add("nearby, open at night", "GET", nearby, "\(nearby)?lat=30.25&lng=120.15&open_now=1&at=2026-11-29T02:00:00Z&limit=100", expect: 200)
            _ = try add("nearby, on a public holiday", "GET", nearby, "\(nearby)?lat=22.54&lng=114.06&at=2026-10-01T10:00:00%2B08:00&limit=100&coordsys=cgcs2000", expect: 200)
            _ = try add("nearby, none within the radius", "GET", nearby, "\(nearby)?lat=39.0&lng=83.0&radius=1000", expect: 200)
            _ = try add("nearby, none within the radius, GeoJSON", "GET", nearby, "\(nearby)?lat=39.0&lng=83.0&radius=1000&format=geojson", expect: 200)
            _ = try add("nearby, HEAD", "HEAD", nearby, "\(nearby)?lat=31.236&lng=121.485", expect: 200)
            let tag = first.headers["etag"] ?? ""
            let fixed = "\(nearby)?lat=31.236&lng=121.485&at=2026-05-01T09:30:00Z"
            let fixedTag = try client.request("GET", fixed).headers["etag"] ?? ""
            _ = try add("nearby, If-None-Match", "GET", nearby, fixed, expect: 304, headers: ["If-None-Match": fixedTag])
            _ = try add("nearby, HEAD If-None-Match", "HEAD", nearby, fixed, expect: 304, headers: ["If-None-Match": "W/\(fixedTag), \"other\""])
            #expect(!tag.isEmpty)
            for (label, query) in [("no lat", "lng=121"), ("lat out of range", "lat=90.5&lng=121"), ("lng not a number", "lat=31&lng=east"),
                                   ("limit 0", "lat=31&lng=121&limit=0"), ("limit 2.5", "lat=31&lng=121&limit=2.5"),
                                   ("radius 0", "lat=31&lng=121&radius=0"), ("radius too wide", "lat=31&lng=121&radius=50001"),
                                   ("coordsys unknown", "lat=31&lng=121&coordsys=EPSG:3857"), ("kind unknown", "lat=31&lng=121&kind=atm"),
                                   ("service unknown", "lat=31&lng=121&service=loans"), ("accessible unknown", "lat=31&lng=121&accessible=ramp"),
                                   ("open_now not a boolean", "lat=31&lng=121&open_now=perhaps"), ("at without a zone", "lat=31&lng=121&at=2026-05-01T09:30:00"),
                                   ("format unknown", "lat=31&lng=121&format=xml"), ("lat twice", "lat=31&lat=32&lng=121"),
                                   ("unknown parameter", "lat=31&lng=121&page=2")] {
                _ = try add("nearby, \(label)", "GET", nearby, "\(nearby)?\(query)", expect: 400)
            }
            _ = try add("nearby, HEAD 400", "HEAD", nearby, "\(nearby)?lat=91&lng=121", expect: 400)
            for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
                _ = try add("nearby, \(method)", method, nearby, "\(nearby)?lat=31&lng=121", expect: 405)
            }

            // Outlet details: the outlets nearby answers name, in every coordinate system.
            let ids = try (first.json()["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.count == 20)
            let systems = ["wgs84", "gcj02", "bd09", "cgcs2000"]
            for (index, id) in ids.enumerated() {
                _ = try add("outlet \(id)", "GET", "/v1/outlets/{id}", "/v1/outlets/\(id)?coordsys=\(systems[index % systems.count])", expect: 200)
            }
            let outlet = try add("outlet, defaults", "GET", "/v1/outlets/{id}", "/v1/outlets/\(ids[0])", expect: 200)
            _ = try add("outlet, If-None-Match", "GET", "/v1/outlets/{id}", "/v1/outlets/\(ids[0])", expect: 304,
                        headers: ["If-None-Match": outlet.headers["etag"] ?? ""])
            _ = try add("outlet, HEAD", "HEAD", "/v1/outlets/{id}", "/v1/outlets/\(ids[0])", expect: 200)
            _ = try add("outlet, percent-encoded id", "GET", "/v1/outlets/{id}", "/v1/outlets/" + ids[0].utf8.map { String(format: "%%%02X", $0) }.joined(),
                        expect: 200)
            _ = try add("outlet, unknown id", "GET", "/v1/outlets/{id}", "/v1/outlets/no-such-outlet", expect: 404)
            _ = try add("outlet, HEAD unknown id", "HEAD", "/v1/outlets/{id}", "/v1/outlets/no-such-outlet", expect: 404)
            _ = try add("outlet, unknown parameter", "GET", "/v1/outlets/{id}", "/v1/outlets/\(ids[0])?format=geojson", expect: 400)
            _ = try add("outlet, coordsys unknown", "GET", "/v1/outlets/{id}", "/v1/outlets/\(ids[0])?coordsys=mars", expect: 400)
            _ = try add("outlet, DELETE", "DELETE", "/v1/outlets/{id}", "/v1/outlets/\(ids[0])", expect: 405)

            // Rankings: plans, and every refusal before a ranking runs.
            var requestBodies: [(label: String, body: String, valid: Bool)] = []
            for (label, body) in [("region", #"{"region": "330106", "sites": 2}"#),
                                  ("box with options", #"{"bbox": [120.10, 30.20, 120.20, 30.30], "sites": 2, "decay": "exponential", "decay_scale_m": 800, "cutoff_m": 4000, "service_m": 1000, "weights": {"gdp_per_capita": 2, "schooling": 0.5}, "attractiveness": {"subBranch": 1.2, "competitor.branch": 0.8, "candidate": 1}, "min_spacing_m": 500, "region_caps": {"330106": 1}, "swap_rounds": 1}"#)] {
                _ = try add("ranking, \(label)", "POST", "/v1/rankings", "/v1/rankings", expect: 200, headers: json, body: body)
                requestBodies.append((label, body, true))
            }
            _ = try add("ranking, no Content-Type", "POST", "/v1/rankings", "/v1/rankings", expect: 200, body: #"{"region": "330106", "sites": 1, "swap_rounds": 0}"#)
            for (label, body, status) in [("not JSON", "sites=2", 400), ("an array", "[1, 2]", 400), ("empty", "", 400),
                                          ("unknown field", #"{"region": "330106", "sites": 2, "radius": 5}"#, 400),
                                          ("sites a string", #"{"region": "330106", "sites": "2"}"#, 400),
                                          ("sites missing", #"{"region": "330106"}"#, 400),
                                          ("decay unknown", #"{"region": "330106", "sites": 2, "decay": "linear"}"#, 400),
                                          ("candidates unknown", #"{"region": "330106", "sites": 2, "candidates": "all"}"#, 400),
                                          ("weights not numbers", #"{"region": "330106", "sites": 2, "weights": {"schooling": "high"}}"#, 400),
                                          ("sites 0", #"{"region": "330106", "sites": 0}"#, 422),
                                          ("neither region nor bbox", #"{"sites": 2}"#, 422),
                                          ("both region and bbox", #"{"region": "330106", "bbox": [120, 30, 121, 31], "sites": 2}"#, 422),
                                          ("region not an adcode", #"{"region": "Hangzhou", "sites": 2}"#, 422),
                                          ("region unknown", #"{"region": "999999", "sites": 2}"#, 422),
                                          ("bbox of 3 numbers", #"{"bbox": [120, 30, 121], "sites": 2}"#, 422),
                                          ("bbox inverted", #"{"bbox": [121, 30, 120, 31], "sites": 2}"#, 422),
                                          ("weights unknown factor", #"{"region": "330106", "sites": 2, "weights": {"gdp": 1}}"#, 422),
                                          ("cell size too small", #"{"region": "330106", "sites": 2, "cell_size_m": 50}"#, 422),
                                          ("all of China", #"{"region": "100000", "sites": 2}"#, 413)] {
                _ = try add("ranking, \(label)", "POST", "/v1/rankings", "/v1/rankings", expect: status, headers: json, body: body)
                if body.hasPrefix("{") { requestBodies.append((label, body, status == 200)) }
            }
            _ = try add("ranking, body over 64 KiB", "POST", "/v1/rankings", "/v1/rankings", expect: 413, headers: json,
                        body: #"{"region": "330106", "sites": 2, "fixed": ["# + String(repeating: #""c1-1", "#, count: 8_800) + #""c1-1"]}"#)
            _ = try add("ranking, text/plain", "POST", "/v1/rankings", "/v1/rankings", expect: 415, headers: ["Content-Type": "text/plain"], body: "{}")
            _ = try add("ranking, GET", "GET", "/v1/rankings", "/v1/rankings", expect: 405)
            _ = try add("ranking, HEAD", "HEAD", "/v1/rankings", "/v1/rankings", expect: 405)

            // Operations and admin.
            _ = try add("healthz", "GET", "/healthz", "/healthz", expect: 200)
            _ = try add("healthz, HEAD", "HEAD", "/healthz", "/healthz?verbose=1", expect: 200)
            _ = try add("healthz, POST", "POST", "/healthz", "/healthz", expect: 405)
            _ = try add("livez", "GET", "/livez", "/livez", expect: 200)
            _ = try add("livez, HEAD", "HEAD", "/livez", "/livez", expect: 200)
            _ = try add("livez, POST", "POST", "/livez", "/livez", expect: 405, headers: json, body: "{}")
            _ = try add("metrics", "GET", "/metrics", "/metrics", expect: 200)
            _ = try add("metrics, HEAD", "HEAD", "/metrics", "/metrics", expect: 200)
            _ = try add("metrics, DELETE", "DELETE", "/metrics", "/metrics", expect: 405)
            let openapi = try add("openapi.json", "GET", "/openapi.json", "/openapi.json", expect: 200)
            _ = try add("openapi.json, HEAD", "HEAD", "/openapi.json", "/openapi.json", expect: 200)
            _ = try add("openapi.json, If-None-Match", "GET", "/openapi.json", "/openapi.json", expect: 304, headers: ["If-None-Match": openapi.headers["etag"] ?? ""])
            _ = try add("openapi.json, PUT", "PUT", "/openapi.json", "/openapi.json", expect: 405)
            _ = try add("reload, no token", "POST", "/v1/admin/reload", "/v1/admin/reload", expect: 401)
            _ = try add("reload, wrong token", "POST", "/v1/admin/reload", "/v1/admin/reload", expect: 401, headers: ["Authorization": "Bearer not-the-token-at-all"])
            _ = try add("reload, basic auth", "POST", "/v1/admin/reload", "/v1/admin/reload", expect: 401, headers: ["Authorization": "Basic b3BlbmFwaTp0ZXN0"])
            _ = try add("reload", "POST", "/v1/admin/reload", "/v1/admin/reload", expect: 200, headers: ["Authorization": "Bearer \(Self.adminToken)"])
            _ = try add("reload, GET", "GET", "/v1/admin/reload", "/v1/admin/reload", expect: 405)

            // A server without an admin token and with a tiny time budget: 404, 503, then 429 while the overrun ranking still holds its slot.
            let strict = try ServerProcess(database: database, arguments: ["--ranking-timeout-seconds", "0.01"], timeoutSeconds: 120)
            defer { strict.stop() }
            _ = try add("reload, admin off", "POST", "/v1/admin/reload", "/v1/admin/reload", expect: 404, on: strict.client)
            let heavy = #"{"region": "310000", "sites": 10}"#
            _ = try add("ranking, timed out", "POST", "/v1/rankings", "/v1/rankings", expect: 503, headers: json, body: heavy, on: strict.client)
            _ = try add("ranking, busy", "POST", "/v1/rankings", "/v1/rankings", expect: 429, headers: json, body: heavy, on: strict.client)

            // Every exchange validates against the document.
            var cases = exchanges.map(\.caseObject)
            cases += requestBodies.map { ["kind": "request", "label": "request body: \($0.label)", "method": "POST", "template": "/v1/rankings", "body": $0.body] }
            let outcome = try SchemaChecker.run(document: document, cases: cases)
            #expect(outcome.spec == "valid", "\(outcome.spec)")
            #expect(outcome.results.count == cases.count)
            for (index, errors) in outcome.results.enumerated() where index < exchanges.count {
                #expect(errors.isEmpty, "\(exchanges[index].label): \(errors.joined(separator: "; "))")
            }
            for (offset, body) in requestBodies.enumerated() {
                let errors = outcome.results[exchanges.count + offset]
                // Bodies the server refuses for a value (422) may still fit the schema's types; those it ran must fit.
                if body.valid { #expect(errors.isEmpty, "request body \(body.label): \(errors.joined(separator: "; "))") }
            }
            let statuses = Set(exchanges.map(\.response.status))
            #expect(statuses.isSuperset(of: [200, 304, 400, 401, 404, 405, 413, 415, 422, 429, 503]), "statuses seen: \(statuses.sorted())")

            // The checker can fail: deliberately wrong responses and request bodies do not validate.
            let byLabel = Dictionary(exchanges.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
            func mutated(_ label: String, _ why: String, status: Int? = nil, headers: (inout [String: String]) -> Void = { _ in },
                         json change: ((inout [String: Any]) -> Void)? = nil) throws -> [String: Any] {
                var exchange = try #require(byLabel[label])
                if let status { exchange.response.status = status }
                headers(&exchange.response.headers)
                if let change {
                    var object = try exchange.response.json()
                    change(&object)
                    exchange.response.body = try JSONSerialization.data(withJSONObject: object)
                }
                var object = exchange.caseObject
                object["label"] = why
                return object
            }
            var wrong: [[String: Any]] = []
            wrong.append(try mutated("nearby, defaults", "nearby without count", json: { $0["count"] = nil }))
            wrong.append(try mutated("nearby, defaults", "nearby with an unknown kind", json: { object in
                var results = object["results"] as? [[String: Any]] ?? []
                results[0]["kind"] = "bank"
                object["results"] = results
            }))
            wrong.append(try mutated("nearby, defaults", "nearby with a string distance", json: { object in
                var results = object["results"] as? [[String: Any]] ?? []
                results[0]["distance_m"] = "near"
                object["results"] = results
            }))
            wrong.append(try mutated("nearby, defaults", "nearby without an ETag", headers: { $0["etag"] = nil }))
            wrong.append(try mutated("nearby, GeoJSON in BD-09", "GeoJSON served as application/json", headers: { $0["content-type"] = "text/html" }))
            wrong.append(try mutated("nearby, GeoJSON in BD-09", "GeoJSON with [lat, lon] out of range", json: { object in
                var features = object["features"] as? [[String: Any]] ?? []
                features[0]["geometry"] = ["type": "Point", "coordinates": [200.0, 39.9]]
                object["features"] = features
            }))
            wrong.append(try mutated("nearby, lat out of range", "a 400 problem on nearby as a 404", status: 404))
            wrong.append(try mutated("nearby, lat out of range", "a problem with an extra member", json: { $0["extra"] = true }))
            wrong.append(try mutated("nearby, lat out of range", "a 400 problem with status 500 inside", json: { $0["status"] = 500 }))
            wrong.append(try mutated("nearby, lat out of range", "a problem with an unlisted type", json: { $0["type"] = "about:blank" }))
            wrong.append(try mutated("nearby, POST", "a 405 without Allow", headers: { $0["allow"] = nil }))
            wrong.append(try mutated("reload, no token", "a 401 without WWW-Authenticate", headers: { $0["www-authenticate"] = nil }))
            wrong.append(try mutated("ranking, busy", "a 429 without Retry-After", headers: { $0["retry-after"] = nil }))
            wrong.append(try mutated("outlet, defaults", "outlet detail without its position", json: { $0["position_wgs84"] = nil }))
            wrong.append(try mutated("outlet, defaults", "outlet detail with 6 weekdays", json: { object in
                var hours = object["hours"] as? [String: Any] ?? [:]
                hours["weekly"] = Array((hours["weekly"] as? [Any] ?? []).dropLast())
                object["hours"] = hours
            }))
            wrong.append(try mutated("ranking, region", "a ranking report with a string gain", json: { $0["gain"] = "a lot" }))
            wrong.append(try mutated("healthz", "healthz with status down", json: { $0["status"] = "down" }))
            wrong.append(try mutated("reload", "reload without data_version", json: { $0["data_version"] = nil }))
            wrong.append(try mutated("livez", "livez with an extra member", json: { $0["outlets"] = 1 }))
            wrong.append(try mutated("metrics", "metrics as JSON", headers: { $0["content-type"] = "application/json" }))
            wrong.append(try mutated("healthz", "healthz as a 201", status: 201))
            var headWithBody = try #require(byLabel["healthz, HEAD"])
            headWithBody.response.body = Data("{}".utf8)
            wrong.append(headWithBody.caseObject.merging(["label": "a HEAD answer with a body"]) { _, new in new })
            wrong.append(["label": "a GET on a POST-only route answered 200", "method": "GET", "template": "/v1/rankings", "status": 200,
                          "headers": ["content-type": "application/json"], "body": "{}"])
            for (label, body) in [("request with an unknown field", #"{"region": "330106", "sites": 2, "radius": 5}"#),
                                  ("request without sites", #"{"region": "330106"}"#),
                                  ("request with sites as a string", #"{"region": "330106", "sites": "2"}"#),
                                  ("request with a region name", #"{"region": "Hangzhou", "sites": 2}"#),
                                  ("request with a cell of 50 m", #"{"region": "330106", "sites": 2, "cell_size_m": 50}"#)] {
                wrong.append(["kind": "request", "label": label, "method": "POST", "template": "/v1/rankings", "body": body])
            }
            let refused = try SchemaChecker.run(document: document, cases: wrong)
            #expect(refused.results.count == wrong.count)
            for (object, errors) in zip(wrong, refused.results) {
                #expect(!errors.isEmpty, "a deliberately wrong case validated: \(object["label"] ?? "")")
            }
        }
    }

    // MARK: - Fixture and helpers

    /// One exchange with the real server, as the checker reads it.
    struct Exchange {
        var label: String
        var method: String
        var template: String
        var response: HTTPTestClient.Response

        var caseObject: [String: Any] {
            ["label": label, "method": method, "template": template, "status": response.status, "headers": response.headers,
             "body": response.text]
        }
    }

    /// Builds the demo database from Geodata/ and runs `siting serve` (with the admin token) over it.
    static func withServer(_ body: (ServerProcess, String) throws -> Void) throws {
        try TemporaryDirectory.with(prefix: "siting-openapi") { directory in
            let database = directory.path("demo.gpkg")
            let built = try ExternalTool.run(ExternalTool.sitingExecutable,
                                             ["init", "--db", database, "--geodata", PackageLayout.root() + "/Geodata"])
            try #require(built.status == 0, "siting init: \(built.standardError)")
            let server = try ServerProcess(database: database, arguments: ["--admin-token", adminToken, "--reload-poll-seconds", "0"],
                                           timeoutSeconds: 120)
            defer { server.stop() }
            try body(server, database)
        }
    }

    /// The JSON between `#"""` and `"""#` in Sources/SitingServer/OpenAPIDocument.swift.
    static func documentInSource() throws -> [String: Any] {
        let path = PackageLayout.root() + "/Sources/SitingServer/OpenAPIDocument.swift"
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let start = try #require(source.range(of: "#\"\"\"\n"), "no #\"\"\" in \(path)")
        let end = try #require(source.range(of: "\"\"\"#", range: start.upperBound..<source.endIndex), "no \"\"\"# in \(path)")
        let object = try JSONSerialization.jsonObject(with: Data(source[start.upperBound..<end.lowerBound].utf8))
        return try #require(object as? [String: Any])
    }

    /// JSON text with sorted keys: equal for equal documents, whatever their layout.
    static func canonical(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// The names a 400 `unknown-parameter` problem lists after "use".
    static func knownNames(_ response: HTTPTestClient.Response) throws -> [String] {
        #expect(response.status == 400)
        let problem = try response.json()
        #expect(problem["type"] as? String == "urn:siting:problem:unknown-parameter")
        let detail = try #require(problem["detail"] as? String)
        let list = try #require(detail.range(of: ": use "), "no list in \(detail)")
        return detail[list.upperBound...].components(separatedBy: ", ")
    }

    /// An operation's parameters, `$ref`s resolved.
    static func parameters(of template: String, _ method: String, in document: [String: Any]) throws -> [[String: Any]] {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let operation = try #require(paths[template]?[method] as? [String: Any], "no \(method) \(template)")
        return try (operation["parameters"] as? [[String: Any]] ?? []).map { try resolve($0, in: document) }
    }

    /// The schema of the POST /v1/rankings body, `$ref` resolved.
    static func rankingBodySchema(in document: [String: Any]) throws -> [String: Any] {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let operation = try #require(paths["/v1/rankings"]?["post"] as? [String: Any])
        let body = try resolve(try #require(operation["requestBody"] as? [String: Any]), in: document)
        let content = try #require(body["content"] as? [String: [String: Any]])
        return try resolve(try #require(content["application/json"]?["schema"] as? [String: Any]), in: document)
    }

    static func resolve(_ node: [String: Any], in document: [String: Any]) throws -> [String: Any] {
        guard let reference = node["$ref"] as? String else { return node }
        var current: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            current = try #require((current as? [String: Any])?[String(part)], "unresolvable \(reference)")
        }
        return try resolve(try #require(current as? [String: Any]), in: document)
    }

    /// Values a parameter schema says are accepted (true) or refused (false): the bounds and just past
    /// them, every enum value and one that is not, booleans, instants.
    static func probes(_ schema: [String: Any]) -> [(String, Bool)] {
        func text(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }
        var probes: [(String, Bool)] = []
        let type = schema["type"] as? String
        let items = schema["items"] as? [String: Any]
        if let values = (schema["enum"] ?? items?["enum"]) as? [String] {
            probes += values.map { ($0, true) } + [("not-one-of-them", false)]
        } else if type == "number" || type == "integer" {
            let step = type == "integer" ? 1.0 : 0.001
            if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue { probes += [(text(minimum), true), (text(minimum - step), false)] }
            if let minimum = (schema["exclusiveMinimum"] as? NSNumber)?.doubleValue {
                probes += [(text(minimum), false), (text(minimum + step), true)]
            }
            if let maximum = (schema["maximum"] as? NSNumber)?.doubleValue { probes += [(text(maximum), true), (text(maximum + step), false)] }
            if type == "integer" { probes.append(("2.5", false)) }
            probes.append(("many", false))
        } else if type == "boolean" {
            probes += [("true", true), ("false", true), ("sometimes", false)]
        } else if schema["format"] as? String == "date-time" {
            probes += [("2026-05-01T09:30:00+08:00", true), ("2026-05-01T01:30:00Z", true), ("2026-05-01", false), ("tomorrow", false)]
        }
        return probes
    }

    static func queryEscaped(_ value: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "+&=")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// Runs the Python checker (openapi-spec-validator and jsonschema) over a document and exchanges.
enum SchemaChecker {
    struct Outcome {
        /// "valid", or the validator's complaint.
        var spec: String
        /// Per case, in order: what does not match the document (empty: it matches).
        var results: [[String]]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(document: [String: Any], cases: [[String: Any]]) throws -> Outcome {
        guard ExternalTool.locate("python3") != nil else {
            throw Failure(description: "python3 is not on PATH: the OpenAPI tests need it with openapi-spec-validator and jsonschema; `make test` installs them")
        }
        return try TemporaryDirectory.with(prefix: "siting-openapi-check") { directory in
            let script = try directory.write("check.py", checkerScript)
            let input = directory.path("input.json")
            try JSONSerialization.data(withJSONObject: ["document": document, "cases": cases]).write(to: URL(fileURLWithPath: input))
            let outcome = try ExternalTool.run("python3", [script, input])
            if outcome.status == 3 {
                throw Failure(description: "\(outcome.standardError.trimmingCharacters(in: .whitespacesAndNewlines)): the OpenAPI tests need the PyPI packages openapi-spec-validator and jsonschema; `make test` installs them (pip install openapi-spec-validator jsonschema)")
            }
            guard outcome.status == 0,
                  let object = try? JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any],
                  let spec = object["spec"] as? String, let results = object["results"] as? [[String: Any]] else {
                throw Failure(description: "the OpenAPI checker failed (status \(outcome.status)): \(outcome.standardError.suffix(2000))")
            }
            return Outcome(spec: spec, results: results.map { $0["errors"] as? [String] ?? ["no errors list"] })
        }
    }

    static let checkerScript = #"""
# Checks an OpenAPI 3.1 document, and HTTP exchanges against it (OpenAPITests runs it).
# Usage: python3 check.py INPUT.json. INPUT holds {"document": {...}, "cases": [...]}. Each case is
# {"label", "method", "template", "status", "headers" (lower-cased names), "body" (text)} for a
# response, or {"label", "kind": "request", "method", "template", "body"} for a request body.
# Prints one JSON object: {"spec": "valid" or the validator's error, "results": [{"label", "errors"}]}.
# Exit status 3 when a module is missing (openapi-spec-validator, jsonschema).
import json
import sys

try:
    import jsonschema
    from openapi_spec_validator import validate as validate_spec
except ImportError as error:
    print(f"missing Python module: {error.name}", file=sys.stderr)
    sys.exit(3)

payload = json.load(open(sys.argv[1], encoding="utf-8"))
document = payload["document"]
components = document.get("components", {})


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        node = document
        for part in parts:
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


validators = {}


def schema_errors(schema, instance):
    # The document's refs are "#/components/…": the wrapper carries the same components, so they
    # resolve inside it.
    validator = validators.get(id(schema))
    if validator is None:
        wrapper = {"$schema": "https://json-schema.org/draft/2020-12/schema", "allOf": [schema], "components": components}
        validator = jsonschema.Draft202012Validator(wrapper, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        validators[id(schema)] = (validator, schema)
    else:
        validator = validator[0]
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message[:300]}"
            for e in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path).__repr__())]


def operation(case, errors):
    item = document.get("paths", {}).get(case["template"])
    if item is None:
        errors.append(f"no path {case['template']} in the document")
        return None
    op = item.get(case["method"].lower())
    if op is None and case.get("status") == 405:
        # A method the path does not answer: its 405 is documented on the operations it has (a body
        # unless the request was HEAD).
        methods = ["get", "post", "put", "delete", "patch", "options", "trace"] + (["head"] if case["method"] == "HEAD" else [])
        op = next((item[m] for m in methods if m in item and "405" in item[m].get("responses", {})), None)
    if op is None:
        errors.append(f"no {case['method']} operation at {case['template']}")
    return op


def check_response(case):
    errors = []
    op = operation(case, errors)
    if op is None:
        return errors
    status = str(case["status"])
    responses = op.get("responses", {})
    response = responses.get(status) or responses.get(status[0] + "XX") or responses.get("default")
    if response is None:
        return [f"{case['method']} {case['template']} documents no {status} response (it has {sorted(responses)})"]
    response = resolve(response)
    headers = case["headers"]
    for name, header in response.get("headers", {}).items():
        header = resolve(header)
        value = headers.get(name.lower())
        if value is None:
            if header.get("required"):
                errors.append(f"header {name} is required but absent")
            continue
        errors += [f"header {name}: {e}" for e in schema_errors(header.get("schema", {}), value)]
    body = case["body"]
    content = response.get("content")
    if case["method"] == "HEAD" or case["status"] == 304:
        if body:
            errors.append(f"a {case['method']} {status} response must have no body, got {len(body)} characters")
        return errors
    if not content:
        if body:
            errors.append(f"the document gives {status} no content, but the body has {len(body)} characters")
        return errors
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in content:
        errors.append(f"Content-Type {headers.get('content-type')!r} is not one of {sorted(content)}")
        return errors
    schema = content[media].get("schema", {})
    if media.endswith("json"):
        try:
            instance = json.loads(body)
        except ValueError as error:
            return errors + [f"the body is not JSON: {error}"]
    else:
        instance = body
    errors += schema_errors(schema, instance)
    return errors


def check_request(case):
    errors = []
    op = operation(case, errors)
    if op is None:
        return errors
    body = resolve(op.get("requestBody", {}))
    schema = body.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return [f"{case['method']} {case['template']} documents no JSON request body"]
    try:
        instance = json.loads(case["body"])
    except ValueError as error:
        return [f"the request body is not JSON: {error}"]
    return schema_errors(schema, instance)


try:
    validate_spec(document)
    spec = "valid"
except Exception as error:  # the validator's own error types vary by version
    spec = f"{type(error).__name__}: {error}"[:4000]

results = []
for case in payload.get("cases", []):
    try:
        errors = check_request(case) if case.get("kind") == "request" else check_response(case)
    except Exception as error:
        errors = [f"checker failure: {type(error).__name__}: {error}"]
    results.append({"label": case["label"], "errors": errors})
print(json.dumps({"spec": spec, "results": results}, ensure_ascii=False))
"""#
}
