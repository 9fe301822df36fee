import Dispatch
import Foundation
import Hummingbird
import NIOCore
import SitingCore
import SitingProjection
import Synchronization

/// `POST /v1/rankings`: a plan of N sites for a region or a box, with its breakdown (the JSON of
/// `siting rank --format json`). Bounded: at most `maximumRankingCells` demand cells, a time
/// budget and a number of rankings at once. Runs are not stored (the server reads the database
/// only); `siting rank` stores them.
struct RankingRoute {
    /// The body's fields, snake_case, units in the names.
    struct Body: Decodable {
        var region: String?
        var bbox: [Double]?
        var sites: Int
        var cell_size_m: Double?
        var decay: String?
        var decay_exponent: Double?
        var decay_scale_m: Double?
        var cutoff_m: Double?
        var service_m: Double?
        var outside_utility: Double?
        var weights: [String: Double]?
        var attractiveness: [String: Double]?
        var candidates: String?
        var fixed: [String]?
        var exclude: [String]?
        var min_spacing_m: Double?
        var min_spacing_own_m: Double?
        var region_caps: [String: Int]?
        var swap_rounds: Int?

        static let fieldNames = ["region", "bbox", "sites", "cell_size_m", "decay", "decay_exponent", "decay_scale_m",
                                 "cutoff_m", "service_m", "outside_utility", "weights", "attractiveness", "candidates",
                                 "fixed", "exclude", "min_spacing_m", "min_spacing_own_m", "region_caps", "swap_rounds"]
    }

    let store: SnapshotStore
    let configuration: ServerConfiguration
    let slots: RankingSlots

    func respond(_ request: Request, context: SitingRequestContext) async throws(ServerError) -> Response {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw .unsupportedMediaType(type)
        }
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: configuration.maximumBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw .bodyTooLarge(limitBytes: configuration.maximumBodyBytes)
        } catch is NIOTooManyBytesError {
            throw .bodyTooLarge(limitBytes: configuration.maximumBodyBytes)
        } catch {
            throw .malformedBody("the body ended before its Content-Length")
        }
        let rankingRequest = try Self.rankingRequest(from: Data(buffer: bytes))
        let options: Ranking.Options
        do { options = try rankingRequest.options() } catch { throw ServerError(error) }
        let snapshot = store.snapshot
        let cells = try Self.estimatedCells(options, regions: snapshot.rankingInputs.regions)
        guard cells <= configuration.maximumRankingCells else {
            throw .rankingTooLarge(cells: cells, limit: configuration.maximumRankingCells)
        }
        // Take a slot, or refuse at once: a ranking holds a core for seconds.
        let slots = configuration.maximumConcurrentRankings
        var taken = false
        while !taken {
            let now = self.slots.running.load(ordering: .relaxed)
            guard now < slots else { throw .rankingBusy(running: now) }
            taken = self.slots.running.compareExchange(expected: now, desired: now + 1, ordering: .acquiringAndReleasing).exchanged
        }
        let report = try await Self.run(snapshot.rankingInputs, options: options, timeoutSeconds: configuration.rankingTimeoutSeconds,
                                        release: { [slots = self.slots] in slots.running.subtract(1, ordering: .relaxed) })
        let body: Data
        do { body = try PlanJSON.encode(report) } catch { throw .dataUnavailable("the plan could not be encoded: \(error)") }
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Runs the ranking on a thread of its own (it is CPU-bound for up to seconds) and waits at most
    /// `timeoutSeconds`. A ranking that overruns keeps its slot until it ends, so overruns cannot pile up.
    static func run(_ inputs: Ranking.Inputs, options: Ranking.Options, timeoutSeconds: Double,
                    release: @escaping @Sendable () -> Void) async throws(ServerError) -> PlanJSON.Report {
        let outcome = Mutex<Result<PlanJSON.Report, ServerError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async {
            defer { release() }
            let result: Result<PlanJSON.Report, ServerError>
            do throws(ScoringError) {
                let ranked = try Ranking.run(inputs, options: options, converter: CoordinateConverter())
                result = .success(PlanJSON.report(ranked, options: options))
            } catch {
                result = .failure(ServerError(error))
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        let deadline = ContinuousClock.now + .milliseconds(Int(timeoutSeconds * 1000))
        while ContinuousClock.now < deadline {
            if let result = outcome.withLock({ $0 }) { return try result.get() }
            try? await Task.sleep(for: .milliseconds(5))
        }
        throw .rankingTimedOut(seconds: timeoutSeconds)
    }

    /// The body as a ranking request: JSON, known fields only, typed values.
    static func rankingRequest(from data: Data) throws(ServerError) -> RankingRequest {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
        } catch {
            throw .malformedBody("it is not JSON (\(data.isEmpty ? "the body is empty" : "a syntax error"))")
        }
        guard let fields = object as? [String: Any] else { throw .malformedBody("send a JSON object") }
        for name in fields.keys.sorted() where !Body.fieldNames.contains(name) {
            throw .unknownParameter(name: name, known: Body.fieldNames)
        }
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw .missingParameter(name: key.stringValue, accepted: key.stringValue == "sites" ? "the number of sites to pick, 1 or more" : "a value")
        } catch let DecodingError.typeMismatch(type, context) {
            let path = context.codingPath.map(\.stringValue)
            throw .invalidParameter(name: path.joined(separator: "."), reason: "expected \(Self.expectation(field: path.first, type: type))")
        } catch let DecodingError.valueNotFound(type, context) {
            let path = context.codingPath.map(\.stringValue)
            throw .invalidParameter(name: path.joined(separator: "."), reason: "expected \(Self.expectation(field: path.first, type: type)), got null")
        } catch let DecodingError.dataCorrupted(context) {
            // Foundation reports a number that is not a whole number, where one is wanted, with no path.
            for name in ["sites", "swap_rounds"] {
                if let number = fields[name] as? NSNumber, !(fields[name] is Bool), number.doubleValue != number.doubleValue.rounded() {
                    throw .invalidParameter(name: name, reason: "\(number) is not a whole number")
                }
            }
            if let caps = fields["region_caps"] as? [String: Any],
               let (adcode, _) = caps.first(where: { ($0.value as? NSNumber).map { $0.doubleValue != $0.doubleValue.rounded() } ?? false }) {
                throw .invalidParameter(name: "region_caps.\(adcode)", reason: "the cap is not a whole number")
            }
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            if path.isEmpty { throw .malformedBody(context.debugDescription) }
            throw .invalidParameter(name: path, reason: context.debugDescription)
        } catch {
            throw .malformedBody("\(error)")
        }
        var request = RankingRequest(region: body.region, boundingBox: body.bbox, sites: body.sites)
        if let value = body.cell_size_m { request.cellSizeMeters = value }
        if let name = body.decay {
            guard let decay = RankingRequest.Decay(rawValue: name) else {
                throw .invalidParameter(name: "decay", reason: "\"\(name)\" is unknown: use power, exponential or step")
            }
            request.decay = decay
        }
        if let value = body.decay_exponent { request.decayExponent = value }
        if let value = body.decay_scale_m { request.decayScaleMeters = value }
        if let value = body.cutoff_m { request.cutoffMeters = value }
        request.serviceMeters = body.service_m
        request.outsideUtility = body.outside_utility
        request.weights = body.weights.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") }
        request.attractiveness = body.attractiveness.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") }
        if let name = body.candidates {
            guard let source = Ranking.CandidateSource(rawValue: name) else {
                throw .invalidParameter(name: "candidates", reason: "\"\(name)\" is unknown: use cells or listed")
            }
            request.candidates = source
        }
        request.fixedIDs = Set(body.fixed ?? [])
        request.excludedIDs = Set(body.exclude ?? [])
        if let value = body.min_spacing_m { request.minimumSpacingMeters = value }
        if let value = body.min_spacing_own_m { request.minimumSpacingToOwnMeters = value }
        request.regionCaps = body.region_caps ?? [:]
        if let value = body.swap_rounds { request.swapRounds = value }
        return request
    }

    /// What a body field holds, in words.
    private static func expectation(field: String?, type: Any.Type) -> String {
        switch field {
        case "bbox": "an array of 4 numbers (west, south, east, north)"
        case "fixed", "exclude": "an array of candidate ids (strings)"
        case "weights": "an object of factor names to numbers"
        case "attractiveness": "an object of kinds to numbers"
        case "region_caps": "an object of adcodes to whole numbers"
        case "sites", "swap_rounds": "a whole number"
        default: typeName(type)
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Int.Type: "a number"
        case is String.Type: "a string"
        case is [Double].Type: "an array of numbers"
        case is [String].Type: "an array of strings"
        default: "\(type)"
        }
    }

    /// Demand cells the area would have: its area over a cell's (a region's recorded area, else its
    /// outline's box), before anything is computed.
    static func estimatedCells(_ options: Ranking.Options, regions: [Region]) throws(ServerError) -> Int {
        let cellKm2 = options.surface.cellSizeMeters * options.surface.cellSizeMeters / 1e6
        let areaKm2: Double
        switch options.area {
        case .boundingBox(let box):
            areaKm2 = boxAreaKm2(west: box.west, south: box.south, east: box.east, north: box.north)
        case .region(let adcode):
            if adcode == "100000" {
                areaKm2 = regions.filter { $0.level == .province }.reduce(0) { $0 + area(of: $1) }
            } else {
                guard let region = regions.first(where: { $0.adcode == adcode }) else {
                    throw ServerError(ScoringError.unknownRegion(adcode))
                }
                areaKm2 = area(of: region)
            }
        }
        guard cellKm2 > 0, areaKm2.isFinite else { return 0 }
        return Int((areaKm2 / cellKm2).rounded(.up))
    }

    private static func area(of region: Region) -> Double {
        if let known = region.areaKm2 { return known }
        guard let box = Envelope(covering: region.boundary.polygons.lazy.flatMap { $0.rings.joined() }) else { return 0 }
        return boxAreaKm2(west: box.minX, south: box.minY, east: box.maxX, north: box.maxY)
    }

    /// A lon/lat box's area on the authalic sphere, km².
    private static func boxAreaKm2(west: Double, south: Double, east: Double, north: Double) -> Double {
        let radiusKm = 6371.0072
        let radians = Double.pi / 180
        return radiusKm * radiusKm * (east - west) * radians * abs(sin(north * radians) - sin(south * radians))
    }
}

/// Rankings running now, shared by every request.
final class RankingSlots: Sendable {
    let running = Atomic<Int>(0)
}
