import Foundation
import SitingCore
import SitingProjection
import SitingTestSupport
import Testing

/// `PlanSolver` against exhaustive search over every subset of candidates (the exact optimum), with
/// coverage and Huff objectives computed from scratch with Karney's distances (`ScoringTests.BruteForce`),
/// and its constraints checked pair by pair with Karney.
@Suite struct PlanSolverTests {
    // MARK: Oracles

    /// Every `size`-subset of `count` items, as bit masks.
    static func subsets(of count: Int, size: Int) -> [UInt32] {
        (UInt32(0)..<(UInt32(1) << UInt32(count))).filter { $0.nonzeroBitCount == size }
    }

    static func mask(of plan: Plan, in candidates: [CandidateSite]) throws -> UInt32 {
        try plan.picks.reduce(UInt32(0)) { mask, pick in
            mask | (UInt32(1) << UInt32(try #require(candidates.firstIndex { $0.id == pick.candidate.id })))
        }
    }

    // MARK: Maximal covering

    /// With step decay, no competitors, no own outlets and u₀ = 0, a cell counts fully once any site
    /// reaches it (DESIGN §3): the plan's gain is the demand of the cells within the cutoff of a pick.
    /// Greedy + swaps found the exact optimum on 27 of the 30 seeds when this was written (seeds 14, 27
    /// and 28 stop 2–3% short, at local optima no single exchange improves); the test asks for at least
    /// 27, and for the 1 − 1/e guarantee and a valid bound on every seed.
    @Test("maximal covering: the gain is the covered demand, within 1 − 1/e of the exhaustive optimum, under the bound")
    func maximalCovering() throws {
        let converter = CoordinateConverter()
        var optimal = 0
        let seeds = 0..<30
        for seed in seeds {
            var random = SeededRandom(seed: UInt64(seed) &+ 1_000)
            let sites = 2 + seed % 3
            let model = HuffModel(decay: .step, cutoffMeters: random.uniform(1_500...3_000), outsideUtility: 0,
                                  serviceDistanceMeters: 1_000)
            let instance = try ScoringTests.randomInstance(seed: UInt64(100 + seed), model: model, ownCount: 0, competitorCount: 0,
                                                           candidateCount: 12 + seed % 5, converter: converter)
            let centers = instance.surface.grid.cells.map(\.center)
            let demand = instance.surface.demand
            // Which candidates reach each cell (Karney; no distance lies within a millimetre of the cutoff).
            var reach = [UInt32](repeating: 0, count: centers.count)
            for (index, site) in instance.candidates.enumerated() {
                for cell in centers.indices where Geodesic.distanceMeters(from: site.position, to: centers[cell]) <= model.cutoffMeters {
                    reach[cell] |= UInt32(1) << UInt32(index)
                }
            }
            func covered(_ subset: UInt32) -> Double {
                reach.indices.reduce(0) { reach[$1] & subset != 0 ? $0 + demand[$1] : $0 }
            }
            let optimum = Self.subsets(of: instance.candidates.count, size: sites).map(covered).max()!

            let plan = try instance.plan(PlanConstraints(sites: sites), converter)
            try #require(plan.picks.count == sites, "seed \(seed)")
            #expect(plan.objectiveBefore == 0)
            let chosen = try Self.mask(of: plan, in: instance.candidates)
            ScoringTests.expectClose(plan.gain, covered(chosen), absolute: 1e-9 * optimum, "seed \(seed): gain vs covered demand")
            #expect(plan.gain >= (1 - 1 / M_E) * optimum - 1e-9 * optimum, "seed \(seed): \(plan.gain) vs optimum \(optimum)")
            #expect(plan.upperBound >= optimum * (1 - 1e-12), "seed \(seed): bound \(plan.upperBound) below optimum \(optimum)")
            #expect(plan.gain <= optimum * (1 + 1e-12))
            ScoringTests.expectIdentities(plan, "seed \(seed)")
            if plan.gain >= optimum * (1 - 1e-12) { optimal += 1 }

            // Swaps run to the end make a local optimum: no exchange of one pick for another candidate
            // covers more.
            let settled = try instance.plan(PlanConstraints(sites: sites, swapRounds: 10), converter)
            let local = try Self.mask(of: settled, in: instance.candidates)
            for out in 0..<instance.candidates.count where local & (UInt32(1) << UInt32(out)) != 0 {
                for into in 0..<instance.candidates.count where local & (UInt32(1) << UInt32(into)) == 0 {
                    let exchanged = (local & ~(UInt32(1) << UInt32(out))) | (UInt32(1) << UInt32(into))
                    #expect(covered(exchanged) <= covered(local) + 1e-9 * optimum,
                            "seed \(seed): exchanging \(instance.candidates[out].id) for \(instance.candidates[into].id) covers more")
                }
            }
        }
        #expect(optimal >= 27, "greedy + swaps optimal on \(optimal) of \(seeds.count) seeds")
    }

    // MARK: Huff

    @Test("Huff with power decay: the exhaustive optimum lies between the plan's objective and its upper bound",
          arguments: Array(UInt64(0)..<10))
    func boundHolds(seed: UInt64) throws {
        let converter = CoordinateConverter()
        var random = SeededRandom(seed: seed &+ 2_000)
        let model = ScoringTests.randomModel(seed: 3 * seed, random: &random)  // seed % 3 == 0: power decay
        guard case .power = model.decay else { Issue.record("expected power decay"); return }
        let instance = try ScoringTests.randomInstance(seed: 200 + seed, model: model, ownCount: Int(seed % 3),
                                                       candidateCount: 12, converter: converter)
        let brute = ScoringTests.BruteForce(instance)
        let utilities = instance.candidates.map(brute.utilities(of:))
        func objective(_ subset: UInt32) -> Double {
            var total = brute.total, own = brute.own
            for index in utilities.indices where subset & (UInt32(1) << UInt32(index)) != 0 {
                ScoringTests.BruteForce.open(utilities[index], total: &total, own: &own)
            }
            return brute.objective(total: total, own: own)
        }
        let sites = 2 + Int(seed % 3)
        let optimum = Self.subsets(of: instance.candidates.count, size: sites).map(objective).max()!
        let before = objective(0)

        let plan = try instance.plan(PlanConstraints(sites: sites), converter)
        let tolerance = ScoringTests.bruteRelative * optimum
        ScoringTests.expectClose(plan.objective, objective(try Self.mask(of: plan, in: instance.candidates)),
                                 relative: ScoringTests.bruteRelative, absolute: 0, "seed \(seed): objective")
        #expect(plan.upperBound >= optimum - tolerance, "seed \(seed): bound \(plan.upperBound) below optimum \(optimum)")
        #expect(plan.objective <= optimum + tolerance, "seed \(seed): objective \(plan.objective) above optimum \(optimum)")
        #expect(plan.gain >= (1 - 1 / M_E) * (optimum - before) - tolerance, "seed \(seed)")
        #expect(plan.boundGapPercent >= 0 && plan.boundGapPercent <= 100)
        ScoringTests.expectIdentities(plan, "seed \(seed)")
    }

    // MARK: Determinism

    @Test("the same input twice gives the same plan: ids, order and every number")
    func deterministic() throws {
        let converter = CoordinateConverter()
        var instance = try ScoringTests.randomInstance(seed: 7, ownCount: 3, competitorCount: 4, converter: converter)
        instance.candidates = CandidateSite.cells(of: instance.surface)
        let constraints = PlanConstraints(sites: 6, minimumSpacingBetweenPicksMeters: 1_500)
        let first = try instance.plan(constraints, converter)
        let second = try instance.plan(constraints, CoordinateConverter())
        #expect(first.picks.map(\.candidate) == second.picks.map(\.candidate))
        #expect(first.picks.map(\.capture) == second.picks.map(\.capture))
        #expect(first.picks.map(\.newlyCoveredPopulation) == second.picks.map(\.newlyCoveredPopulation))
        #expect(first.objectiveBefore == second.objectiveBefore)
        #expect(first.objective == second.objective)
        #expect(first.upperBound == second.upperBound)
        #expect(first.outletLosses == second.outletLosses)
        #expect(first.swaps == second.swaps && first.evaluations == second.evaluations)
    }

    /// Two populated cells 5 km apart with 100 persons each, step decay with a 1.5 km cutoff and u₀ = 0:
    /// a site at either centre gains exactly 100 (the cell's whole demand), a tie to the last bit.
    @Test("a symmetric tie goes to the candidate listed first; listed sites are in id order")
    func tieBreaksByCandidateOrder() throws {
        let converter = CoordinateConverter()
        let grid = try ScoringTests.grid(east: 121.50, north: 31.24, converter: converter)
        let pq = try ScoringTests.cellsInRow(grid, count: 2, step: 5)
        var population = [Double](repeating: 0, count: grid.cells.count)
        population[pq[0]] = 100; population[pq[1]] = 100
        let surface = try DemandSurface(grid: grid, zones: [ScoringTests.zone], population: population,
                                        financialIndex: [Double](repeating: 1, count: grid.cells.count), area: .region("310101"))
        let model = HuffModel(decay: .step, cutoffMeters: 1_500, outsideUtility: 0, serviceDistanceMeters: 1_000)
        let west = CandidateSite(id: "b-west", position: grid.cells[pq[0]].center, cell: pq[0])
        let east = CandidateSite(id: "a-east", position: grid.cells[pq[1]].center, cell: pq[1])
        func plan(_ candidates: [CandidateSite], sites: Int = 1) throws -> [String] {
            let market = try Market(surface: surface, ownOutlets: [], competitors: [], model: model, converter: converter)
            #expect(market.netGain(at: market.place(of: west)) == market.netGain(at: market.place(of: east)))
            var solver = try PlanSolver(surface: surface, market: market, candidates: candidates,
                                        constraints: PlanConstraints(sites: sites), ownOutlets: [], converter: converter)
            let result = solver.solve()
            ScoringTests.expectIdentities(result, "tie")
            return result.picks.map(\.candidate.id)
        }
        #expect(try plan([west, east]) == ["b-west"])
        #expect(try plan([east, west]) == ["a-east"])
        #expect(try plan([west, east], sites: 2) == ["b-west", "a-east"])
        #expect(try plan([east, west], sites: 2) == ["a-east", "b-west"])
        // The planner's sites come sorted by id, so for them the tie goes to the smaller id.
        let listed = try CandidateSite.listed([Candidate(id: "b-west", position: west.position), Candidate(id: "a-east", position: east.position)],
                                              in: surface, converter: converter)
        #expect(listed.map(\.id) == ["a-east", "b-west"])
        #expect(try plan(listed) == ["a-east"])
    }

    // MARK: Constraints

    static let westZone = DemandSurface.Zone(adcodes: ["310101", "310000"], names: ["West", "City"])
    static let eastZone = DemandSurface.Zone(adcodes: ["310104", "310000"], names: ["East", "City"])
    static let hotspot = Coordinate(longitude: 121.43, latitude: 31.245)

    /// The 10 km box as two zones split at 121.4525 E, people concentrated around a point in the west
    /// zone (8,000 at the centre, Gaussian with σ = 1.5 km by Karney distance, 50 everywhere), every
    /// populated cell a candidate, power decay with β = 2 and a 3 km cutoff.
    static func hotspotInstance(own: [(position: Coordinate, kind: OutletKind)] = [], converter: CoordinateConverter) throws -> ScoringTests.Instance {
        let split = 121.4525
        let zones = [(ScoringTests.west, split), (split, ScoringTests.east)].map { west, east in
            MultiPolygon(polygons: [Polygon(rings: [DemandGridTests.boxRing(west: west, south: ScoringTests.south, east: east,
                                                                             north: ScoringTests.north, steps: 8)])])
        }
        let grid = try DemandGrid(zones: zones, cellSizeMeters: 1_000, converter: converter)
        #expect(grid.cells.allSatisfy { ($0.zone == 0) == ($0.center.x < split) })
        let population = grid.cells.map { cell in
            let r = Geodesic.distanceMeters(from: cell.center, to: hotspot) / 1_500
            return (8_000 * exp(-r * r / 2) + 50).rounded()
        }
        let surface = try DemandSurface(grid: grid, zones: [westZone, eastZone], population: population,
                                        financialIndex: [Double](repeating: 1, count: grid.cells.count), area: .region("310000"))
        return ScoringTests.Instance(surface: surface, model: HuffModel(decay: .power(exponent: 2), cutoffMeters: 3_000),
                                     own: own, competitors: [], candidates: CandidateSite.cells(of: surface))
    }

    static func closestPair(_ plan: Plan) -> Double {
        var closest = Double.infinity
        for (i, a) in plan.picks.enumerated() {
            for b in plan.picks[(i + 1)...] {
                closest = min(closest, Geodesic.distanceMeters(from: a.candidate.position, to: b.candidate.position))
            }
        }
        return closest
    }

    @Test("no two picks closer than the minimum spacing (Karney), where without it they would be")
    func spacingBetweenPicks() throws {
        let converter = CoordinateConverter()
        let instance = try Self.hotspotInstance(converter: converter)
        let free = try instance.plan(PlanConstraints(sites: 4), converter)
        #expect(Self.closestPair(free) < 3_500, "the constraint must bind: free picks \(Self.closestPair(free)) m apart")
        let spaced = try instance.plan(PlanConstraints(sites: 4, minimumSpacingBetweenPicksMeters: 3_500), converter)
        #expect(spaced.picks.count == 4)
        #expect(Self.closestPair(spaced) >= 3_500 - 0.01, "closest picks \(Self.closestPair(spaced)) m apart")
        ScoringTests.expectIdentities(spaced, "spaced")
    }

    @Test("no pick closer to an own outlet than the minimum spacing to own outlets (Karney)")
    func spacingToOwn() throws {
        let converter = CoordinateConverter()
        let own = [(position: Self.hotspot, kind: OutletKind.subBranch),
                   (position: Coordinate(longitude: 121.48, latitude: 31.26), kind: OutletKind.community)]
        let instance = try Self.hotspotInstance(own: own, converter: converter)
        func nearestOwn(_ plan: Plan) -> Double {
            plan.picks.flatMap { pick in own.map { Geodesic.distanceMeters(from: pick.candidate.position, to: $0.position) } }.min() ?? .infinity
        }
        let free = try instance.plan(PlanConstraints(sites: 4), converter)
        #expect(nearestOwn(free) < 2_000, "the constraint must bind: free picks \(nearestOwn(free)) m from an own outlet")
        let spaced = try instance.plan(PlanConstraints(sites: 4, minimumSpacingToOwnMeters: 2_000), converter)
        #expect(spaced.picks.count == 4)
        #expect(nearestOwn(spaced) >= 2_000 - 0.01, "a pick \(nearestOwn(spaced)) m from an own outlet")
        ScoringTests.expectIdentities(spaced, "spaced from own")
    }

    @Test("region caps: at most the cap in a county, and a cap on the parent counts both counties")
    func regionCaps() throws {
        let converter = CoordinateConverter()
        let instance = try Self.hotspotInstance(converter: converter)
        func count(_ plan: Plan, _ adcode: String) -> Int { plan.picks.filter { $0.zone.adcodes.contains(adcode) }.count }
        // The zone a pick reports is that of its cell.
        let free = try instance.plan(PlanConstraints(sites: 3), converter)
        for pick in free.picks {
            let zone = Int(instance.surface.grid.cells[pick.candidate.cell].zone)
            #expect(pick.zone == [Self.westZone, Self.eastZone][zone])
        }
        #expect(count(free, "310101") >= 2, "the cap must bind: \(count(free, "310101")) free picks in the west")

        let capped = try instance.plan(PlanConstraints(sites: 3, regionCaps: ["310101": 1]), converter)
        #expect(capped.picks.count == 3)
        #expect(count(capped, "310101") == 1)
        #expect(count(capped, "310104") == 2)

        let none = try instance.plan(PlanConstraints(sites: 3, regionCaps: ["310104": 0]), converter)
        #expect(none.picks.count == 3 && count(none, "310104") == 0)

        // A cap of 2 on the city, which holds every candidate: a plan of 3 cannot be filled.
        let city = try instance.plan(PlanConstraints(sites: 3, regionCaps: ["310000": 2]), converter)
        #expect(count(city, "310000") <= 2)
        #expect(city.picks.count == 2)
        ScoringTests.expectIdentities(capped, "capped")
        ScoringTests.expectIdentities(city, "city cap")
    }

    @Test("fixed sites are always in the plan and count towards N; excluded sites never are")
    func fixedAndExcluded() throws {
        let converter = CoordinateConverter()
        var instance = try Self.hotspotInstance(converter: converter)
        let free = try instance.plan(PlanConstraints(sites: 3), converter)
        // The candidate farthest from the people: greedy would never take it.
        let far = try #require(instance.candidates.max {
            Geodesic.distanceMeters(from: $0.position, to: Self.hotspot) < Geodesic.distanceMeters(from: $1.position, to: Self.hotspot)
        })
        #expect(!free.picks.contains { $0.candidate.id == far.id })

        let fixed = try instance.plan(PlanConstraints(sites: 3, fixedIDs: [far.id]), converter)
        #expect(fixed.picks.count == 3)
        #expect(fixed.picks.filter(\.fixed).map(\.candidate.id) == [far.id])
        #expect(fixed.picks.first?.candidate.id == far.id, "fixed sites come first in the report")
        ScoringTests.expectIdentities(fixed, "fixed")

        let best = try #require(free.picks.first).candidate.id
        let excluded = try instance.plan(PlanConstraints(sites: 3, excludedIDs: [best]), converter)
        #expect(excluded.picks.count == 3)
        #expect(!excluded.picks.contains { $0.candidate.id == best })

        // The same through the candidates' status.
        for index in instance.candidates.indices {
            if instance.candidates[index].id == far.id { instance.candidates[index].status = .fixed }
            if instance.candidates[index].id == best { instance.candidates[index].status = .excluded }
        }
        let byStatus = try instance.plan(PlanConstraints(sites: 3), converter)
        #expect(byStatus.picks.count == 3)
        #expect(byStatus.picks.filter(\.fixed).map(\.candidate.id) == [far.id])
        #expect(!byStatus.picks.contains { $0.candidate.id == best })
    }

    @Test("impossible requests are refused with a message that names the problem")
    func invalidRequests() throws {
        let converter = CoordinateConverter()
        var instance = try ScoringTests.randomInstance(seed: 3, candidateCount: 5, converter: converter)
        let market = try instance.market(converter)
        func refusal(_ constraints: PlanConstraints, _ candidates: [CandidateSite]? = nil) -> ScoringError? {
            #expect(throws: ScoringError.self) {
                _ = try PlanSolver(surface: instance.surface, market: market, candidates: candidates ?? instance.candidates,
                                   constraints: constraints, ownOutlets: instance.own, converter: converter)
            }
        }
        for sites in [0, -1] {
            let error = refusal(PlanConstraints(sites: sites))
            #expect(error == .invalidSiteCount(requested: sites, candidates: 5))
            #expect(error?.description.contains("cannot pick \(sites) sites: give 1 to 5") == true, "\(String(describing: error))")
        }
        #expect(refusal(PlanConstraints(sites: 6)) == .invalidSiteCount(requested: 6, candidates: 5))
        #expect(refusal(PlanConstraints(sites: 1), []) == .invalidSiteCount(requested: 1, candidates: 0))
        #expect(refusal(PlanConstraints(sites: 1), [])?.description.contains("no candidates") == true)
        // Excluded sites do not count as candidates.
        let ids = instance.candidates.map(\.id)
        #expect(refusal(PlanConstraints(sites: 4, excludedIDs: [ids[0], ids[1]])) == .invalidSiteCount(requested: 4, candidates: 3))

        let tooManyFixed = refusal(PlanConstraints(sites: 2, fixedIDs: Set(ids.prefix(3))))
        guard case .invalidParameter(let name, let reason) = tooManyFixed else {
            Issue.record("too many fixed sites: \(String(describing: tooManyFixed))"); return
        }
        #expect(name == "fixed" && reason.contains("3 fixed sites") && reason.contains("2 sites"), "\(reason)")

        let unknown = refusal(PlanConstraints(sites: 2, excludedIDs: ["nowhere"]))
        #expect(unknown.map { "\($0)" }?.contains("nowhere") == true, "\(String(describing: unknown))")
        for (constraints, name) in [(PlanConstraints(sites: 2, minimumSpacingBetweenPicksMeters: -1), "min-spacing-meters"),
                                    (PlanConstraints(sites: 2, minimumSpacingToOwnMeters: .nan), "min-spacing-own-meters"),
                                    (PlanConstraints(sites: 2, regionCaps: ["310101": -1]), "region-cap")] {
            guard case .invalidParameter(let found, _) = refusal(constraints) else { Issue.record("\(name) accepted"); continue }
            #expect(found == name)
        }
        // Statuses count like the constraints.
        instance.candidates[0].status = .fixed
        instance.candidates[1].status = .fixed
        guard case .invalidParameter(let name, _) = refusal(PlanConstraints(sites: 1)) else { Issue.record("two fixed, one site accepted"); return }
        #expect(name == "fixed")
    }
}
