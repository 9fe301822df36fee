import BenchmarkData
import Foundation
import RankingData
import SitingCore
import SitingProjection

/// One case of the instruction gate: a fixed, seeded workload whose measured part makes `operations`
/// calls of the code under test.
///
/// The data are the suites' own: the same generators and seeds as `Nearby/Nearby.swift` (100,000
/// outlets, seed 101; 10,000 query points, seed 202; one outlet in five flagged, seed 303) and
/// `Projection/Projection.swift` (100,000 points in mainland China, seeds 1, 2 and 5); the ranking's are
/// the `Ranking` suite's (`RankingInputs`: the demo database built from Geodata/, read back).
struct GatedCase: Sendable {
    /// The key in `Thresholds/instructions.json`.
    let name: String
    /// What one operation is, for the table: "query", "call", "point", "outlet", "ranking".
    let operation: String
    /// Operations in one measured run; the gate divides the run's instructions by this.
    let operations: Int
    /// Builds the data (not measured) and returns the measured work, which returns a checksum.
    let prepare: @Sendable () throws -> () -> Double

    static func named(_ name: String) -> GatedCase? {
        all.first { $0.name == name }
    }

    static let all: [GatedCase] = [
        // The whole `Ranking.run` on Shanghai, as the `Ranking` suite's case of the same name: 1 km cells,
        // 10 sites. Set-up builds the demo database, reads it back and ranks once (PROJ's transformations
        // and every lazily made table are then ready), so the run measures one ranking in steady state.
        // First in the list because it is the longest under callgrind (about 55 s, most of it the
        // database's set-up): the gate starts cases in this order, two at a time, so the others run
        // beside it instead of after it.
        GatedCase(name: "rank-Shanghai-1km-10sites", operation: "ranking", operations: 1) {
            let inputs = try RankingInputs.demo()
            let options = RankingInputs.options(area: RankingInputs.shanghai, sites: 10)
            let converter = CoordinateConverter()
            _ = try Ranking.run(inputs, options: options, converter: converter)
            return {
                let result = try! Ranking.run(inputs, options: options, converter: converter)
                return result.plan.objective + Double(result.plan.picks.count)
            }
        },
        GatedCase(name: "nearest-k10-100k", operation: "query", operations: GateData.queryCount) {
            let data = try GateData.nearby()
            return {
                var checksum = 0.0
                for query in data.queries {
                    checksum += try! data.index.nearest(to: query, count: 10).last?.distanceMeters ?? 0
                }
                return checksum
            }
        },
        GatedCase(name: "radius-3km-100k", operation: "query", operations: GateData.queryCount) {
            let data = try GateData.nearby()
            return {
                var checksum = 0.0
                for query in data.queries {
                    checksum += Double(try! data.index.within(radiusMeters: 3_000, of: query).count)
                }
                return checksum
            }
        },
        GatedCase(name: "nearest-k10-filtered-100k", operation: "query", operations: GateData.queryCount) {
            let data = try GateData.nearby()
            let passes = data.oneInFive
            return {
                var checksum = 0.0
                for query in data.queries {
                    checksum += try! data.index.nearest(to: query, count: 10) { passes[$0] }.last?.distanceMeters ?? 0
                }
                return checksum
            }
        },
        // The worst case: hundreds of kilometres of empty cells around the query, Karney distances.
        GatedCase(name: "nearest-k10-Taklamakan-100k", operation: "query", operations: 1_000) {
            let data = try GateData.nearby()
            let desert = Coordinate(longitude: 83.0, latitude: 39.0)
            return {
                var checksum = 0.0
                for _ in 0..<1_000 {
                    checksum += try! data.index.nearest(to: desert, count: 10).last?.distanceMeters ?? 0
                }
                return checksum
            }
        },
        GatedCase(name: "build-100k", operation: "outlet", operations: GateData.outletCount) {
            let positions = try GateData.outletPositions()
            return { Double(try! GridIndex(positions: positions).count) }
        },
        GatedCase(name: "wgs84ToGcj02", operation: "call", operations: GateData.pointCount) {
            let points = GateData.pointsInChina(seed: 2)
            return {
                var checksum = 0.0
                for point in points {
                    let converted = ChineseOffsets.wgs84ToGcj02(point)
                    checksum += converted.x + converted.y
                }
                return checksum
            }
        },
        // What the HTTP service does for one `GET /v1/outlets/nearby` apart from HTTP itself: the
        // directory's query (10 nearest with their hours, open-now, next opening and closing at a fixed
        // instant) and the JSON answer's bytes, on the demo database's 1,458 outlets.
        GatedCase(name: "nearby-answer-k10-demo", operation: "query", operations: GateData.answerCount) {
            let directory = try RankingInputs.demoDirectory()
            let converters = ConverterPool()
            let queries = try GateData.nearbyQueries(count: GateData.answerCount)
            return {
                var checksum = 0.0
                for query in queries {
                    let results = try! directory.nearby(query, converters: converters)
                    checksum += Double(NearbyJSONWriter.response(results, query: query).count)
                }
                return checksum
            }
        },
        GatedCase(name: "EllipsoidalDistance.meters", operation: "call", operations: GateData.pointCount) {
            let (starts, ends) = GateData.pairsUnder50Kilometres(seed: 5)
            return {
                var checksum = 0.0
                for index in starts.indices {
                    checksum += EllipsoidalDistance.meters(from: starts[index], to: ends[index])
                }
                return checksum
            }
        },
        // Siting's public batch API (PROJ underneath), WGS84 -> Web Mercator; the converter is warmed
        // up first, so the run measures conversion only.
        GatedCase(name: "WebMercator-batch-100k", operation: "point", operations: GateData.pointCount) {
            let points = GateData.pointsInChina(seed: 1)
            let converter = CoordinateConverter()
            _ = try converter.convert(points[0], from: .wgs84, to: .crs("EPSG:3857"))
            return {
                let result = try! converter.convert(points, from: .wgs84, to: .crs("EPSG:3857"))
                return Double(result.coordinates.count - result.failures.count)
            }
        },
    ]
}

/// The gate's seeded data.
enum GateData {
    static let outletCount = 100_000
    static let queryCount = 10_000
    static let answerCount = 2_000

    /// Nearby queries as the app sends them (WGS84, 10 results) from the query points, at a fixed
    /// instant (a Wednesday, 10:30 in Beijing), so every run does the same work.
    static func nearbyQueries(count: Int) throws -> [NearbyQuery] {
        let at = Date(timeIntervalSince1970: 1_764_124_200)  // 2025-11-26T02:30:00Z
        return try SettlementPlacement().positions(count: count, seed: 202).map {
            var query = NearbyQuery(position: Coordinate(longitude: $0.longitude, latitude: $0.latitude),
                                    coordinateSystem: .wgs84)
            query.limit = 10
            query.at = at
            return query
        }
    }
    static let pointCount = 100_000

    /// Outlets placed like real ones, as `Nearby.swift` places them (seed 101).
    static func outletPositions() throws -> [Coordinate] {
        try SettlementPlacement().positions(count: outletCount, seed: 101).map {
            Coordinate(longitude: $0.longitude, latitude: $0.latitude)
        }
    }

    /// The index over `outletPositions()`, the query points (seed 202) and the one-in-five flags (seed
    /// 303), as `Nearby.swift`'s `NearbyFixture` builds them.
    static func nearby() throws -> (index: GridIndex, queries: [Coordinate], oneInFive: [Bool]) {
        let placement = try SettlementPlacement()
        let positions = placement.positions(count: outletCount, seed: 101).map {
            Coordinate(longitude: $0.longitude, latitude: $0.latitude)
        }
        let queries = placement.positions(count: queryCount, seed: 202).map {
            Coordinate(longitude: $0.longitude, latitude: $0.latitude)
        }
        var generator = SplitMix64(seed: 303)
        let oneInFive = (0..<outletCount).map { _ in Int.random(in: 0..<5, using: &generator) == 0 }
        return (try GridIndex(positions: positions), queries, oneInFive)
    }

    /// The `Projection` suite's points (`ChinaPoints`), so both measure the same data.
    static func pointsInChina(seed: UInt64) -> [Coordinate] {
        ChinaPoints.uniform(count: pointCount, seed: seed)
    }

    static func pairsUnder50Kilometres(seed: UInt64) -> (starts: [Coordinate], ends: [Coordinate]) {
        ChinaPoints.pairsUnder50Kilometres(count: pointCount, seed: seed)
    }
}

// MARK: - The measured section

/// The work `measured()` runs; set by `run` just before the call.
nonisolated(unsafe) var measuredWork: () -> Double = { 0 }

/// Name of the one function whose instructions the gate counts (callgrind `--toggle-collect`).
let measuredSymbol = "siting_instruction_gate_measured"

/// Runs `measuredWork`: everything executed inside this call, callees included, is what callgrind
/// collects. A fixed symbol name (no Swift mangling), never inlined, no arguments (so no signature
/// specialization can rename it); the gate fails if callgrind collects nothing, which is what
/// happens should this function ever be inlined or renamed.
@_silgen_name("siting_instruction_gate_measured")
@inline(never)
func measured() -> Double {
    measuredWork()
}
