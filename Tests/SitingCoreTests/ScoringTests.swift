import Foundation
import SitingCore
import SitingProjection
import SitingTestSupport
import Testing

/// The Huff market (`Market`) and the breakdowns of a plan (`PlanSolver`) against two oracles from
/// outside the code: hand-worked three-cell examples whose numbers are derived in the comments, and a
/// from-scratch brute force over every cell with Karney's geodesic distances (PROJ `geod.h`).
///
/// The brute force derives every part of the breakdown as the loss of one party when a site with
/// utility u opens in a cell (D demand, U total utility, Own own utility, Comp competitors', u₀ the
/// outside option): gross = D·u/(U+u) is what the new site takes; cannibalization = D·(Own/U − Own/(U+u))
/// is what the bank's outlets lose; won from competitors = D·(Comp/U − Comp/(U+u)); new to market =
/// D·(u₀/U − u₀/(U+u)). A cell nobody reached (U = 0) gives all of D to the new site, as new to market.
@Suite struct ScoringTests {
    // MARK: Fixtures

    /// The default box of the random instances: about 10 km × 10 km near Shanghai (121.4 E, 31.2 N).
    static let west = 121.40, south = 31.20, east = 121.505, north = 31.29

    /// A grid of 1 km cells over a lon/lat box, all cells in zone 0.
    static func grid(west: Double = west, south: Double = south, east: Double = east, north: Double = north,
                     converter: CoordinateConverter) throws -> DemandGrid {
        let ring = DemandGridTests.boxRing(west: west, south: south, east: east, north: north, steps: 8)
        return try DemandGrid(region: MultiPolygon(polygons: [Polygon(rings: [ring])]), cellSizeMeters: 1_000, converter: converter)
    }

    static let zone = DemandSurface.Zone(adcodes: ["310101"], names: ["Huangpu"])

    /// `count` cells of one row, `step` columns apart, away from the grid's edges.
    static func cellsInRow(_ grid: DemandGrid, count: Int, step: Int) throws -> [Int] {
        let row = grid.rows / 2
        let columns = grid.cells.filter { Int($0.row) == row }.map { Int($0.column) }
        let first = try #require(columns.min()) + 1
        return try (0..<count).map { try #require(grid.cellIndex(row: row, column: first + $0 * step)) }
    }

    /// `|a − b| ≤ relative·|b| + absolute`, with a message naming the quantity.
    static func expectClose(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 1e-9,
                            _ what: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(a - b) <= relative * abs(b) + absolute, "\(what()): \(a) vs expected \(b)", sourceLocation: sourceLocation)
    }

    static func expectClose(_ a: CaptureBreakdown, _ b: CaptureBreakdown, relative: Double = 1e-9, absolute: Double = 1e-9,
                            _ what: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
        let context = what()
        expectClose(a.grossCapture, b.grossCapture, relative: relative, absolute: absolute, "\(context) gross", sourceLocation: sourceLocation)
        expectClose(a.cannibalization, b.cannibalization, relative: relative, absolute: absolute, "\(context) cannibalization",
                    sourceLocation: sourceLocation)
        expectClose(a.wonFromCompetitors, b.wonFromCompetitors, relative: relative, absolute: absolute, "\(context) won from competitors",
                    sourceLocation: sourceLocation)
        expectClose(a.newToMarket, b.newToMarket, relative: relative, absolute: absolute, "\(context) new to market",
                    sourceLocation: sourceLocation)
        expectClose(a.netGain, b.netGain, relative: relative, absolute: absolute, "\(context) net gain", sourceLocation: sourceLocation)
    }

    /// The identities every plan must satisfy: per pick gross − cannibalization = won from competitors +
    /// new to market, and the objective's rise = the sum of the picks' net gains.
    static func expectIdentities(_ plan: Plan, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for pick in plan.picks {
            let c = pick.capture
            expectClose(c.grossCapture - c.cannibalization, c.wonFromCompetitors + c.newToMarket,
                        absolute: 1e-9 * max(1, c.grossCapture), "\(context) \(pick.candidate.id): gross − cannibalization vs won + new",
                        sourceLocation: sourceLocation)
            expectClose(c.netGain, c.wonFromCompetitors + c.newToMarket, absolute: 1e-9 * max(1, c.grossCapture),
                        "\(context) \(pick.candidate.id): net gain vs won + new", sourceLocation: sourceLocation)
            // Each part is ≥ 0 up to rounding (won from competitors is D·u·(U − Own − u₀)/(U(U+u))).
            let rounding = -1e-9 * max(1, c.grossCapture)
            #expect(c.cannibalization >= rounding && c.wonFromCompetitors >= rounding && c.newToMarket >= rounding,
                    "\(context) \(pick.candidate.id): \(c)", sourceLocation: sourceLocation)
        }
        let sum = plan.picks.map(\.capture.netGain).reduce(0, +)
        expectClose(plan.objective - plan.objectiveBefore, sum, absolute: 1e-9 * max(1, plan.objective),
                    "\(context): objective − objectiveBefore vs Σ net gains", sourceLocation: sourceLocation)
        #expect(plan.upperBound >= plan.objective, "\(context)", sourceLocation: sourceLocation)
    }

    // MARK: Hand-worked examples

    /// Three populated cells A, B, C in one row, 3 km apart (A–C 6 km); every other cell is empty.
    /// Step decay with a 4.5 km cutoff, so an outlet reaches the cells 0 and 3 km away and not those
    /// 6 km away (1.5 km of margin either side). Own sub-branch O (a = 1) at A, competitor K (a = 1)
    /// at C, u₀ = 0.5, demand 100, 200, 300 (index 1). Candidates: S at B, T at A (a = 1 each).
    ///
    ///     cell  D    reached by   U                 Own   Comp
    ///     A     100  O            1 + 0.5 = 3/2     1     0
    ///     B     200  O, K         1 + 1 + 0.5 = 5/2 1     1
    ///     C     300  K            1 + 0.5 = 3/2     0     1
    ///
    /// Before: F = 100·1/(3/2) + 200·1/(5/2) + 0 = 200/3 + 80 = 440/3. O captures all of it (440/3);
    /// K captures 200·1/(5/2) + 300·1/(3/2) = 80 + 200 = 280.
    ///
    /// S reaches A, B and C (3, 0, 3 km), u = 1, so U + u = 5/2, 7/2, 5/2 and U(U+u) = 15/4, 35/4, 15/4:
    ///
    ///     cell  gross = D·u/(U+u)  cannib. = D·Own·u/(U(U+u))  won = D·Comp·u/(U(U+u))  new = D·u₀·u/(U(U+u))
    ///     A     100/(5/2) = 40     100/(15/4) = 80/3           0                        50/(15/4) = 40/3
    ///     B     200/(7/2) = 400/7  200/(35/4) = 160/7          200/(35/4) = 160/7       100/(35/4) = 80/7
    ///     C     300/(5/2) = 120    0                           300/(15/4) = 80          150/(15/4) = 40
    ///     Σ     1520/7             1040/21                     720/7                    1360/21
    ///
    /// Net gain = 1520/7 − 1040/21 = 3520/21 = 720/7 + 1360/21. After opening S:
    /// F = 100·2/(5/2) + 200·2/(7/2) + 300·1/(5/2) = 80 + 800/7 + 120 = 2200/7 = 440/3 + 3520/21.
    /// O now captures 100/(5/2) + 200/(7/2) = 40 + 400/7 = 680/7: it loses 440/3 − 680/7 = 1040/21, the
    /// cannibalization. K now captures 200/(7/2) + 300/(5/2) = 400/7 + 120 = 1240/7: it loses
    /// 280 − 1240/7 = 720/7, what S won from competitors.
    /// T at A reaches A and B: 100·(3/2 − 1)/(15/4) + 200·(5/2 − 1)/(35/4) = 40/3 + 240/7 = 1000/21, less
    /// than S, so a one-site plan picks S; its bound is F before + the best gain = 2200/7, gap 0.
    /// Service distance 1.5 km: O covers A, S covers B, so S newly covers B's 200 persons.
    @Test("hand-worked three cells, step decay: capture, cannibalization, competitors, new market, losses")
    func handWorkedStep() throws {
        let converter = CoordinateConverter()
        let grid = try Self.grid(east: 121.53, north: 31.24, converter: converter)
        let abc = try Self.cellsInRow(grid, count: 3, step: 3)
        let (a, b, c) = (abc[0], abc[1], abc[2])
        let center = { (cell: Int) in grid.cells[cell].center }
        // The layout the derivation assumes, by Karney.
        #expect(abs(Geodesic.distanceMeters(from: center(a), to: center(b)) - 3_000) < 30)
        #expect(abs(Geodesic.distanceMeters(from: center(b), to: center(c)) - 3_000) < 30)
        #expect(abs(Geodesic.distanceMeters(from: center(a), to: center(c)) - 6_000) < 60)

        var population = [Double](repeating: 0, count: grid.cells.count)
        population[a] = 100; population[b] = 200; population[c] = 300
        let surface = try DemandSurface(grid: grid, zones: [Self.zone], population: population,
                                        financialIndex: [Double](repeating: 1, count: grid.cells.count), area: .region("310101"))
        let model = HuffModel(decay: .step, cutoffMeters: 4_500, minimumDistanceMeters: 500, ownAttractiveness: [.subBranch: 1],
                              competitorAttractiveness: ["branch": 1], candidateAttractiveness: 1, outsideUtility: 0.5,
                              serviceDistanceMeters: 1_500)
        let own = [(position: center(a), kind: OutletKind.subBranch)]
        let market = try Market(surface: surface, ownOutlets: own, competitors: [(position: center(c), kind: "branch")],
                                model: model, converter: converter)
        Self.expectClose(market.totalUtility[a], 3.0 / 2, "U of A")
        Self.expectClose(market.totalUtility[b], 5.0 / 2, "U of B")
        Self.expectClose(market.totalUtility[c], 3.0 / 2, "U of C")
        Self.expectClose(market.ownUtility[a], 1, "Own of A")
        Self.expectClose(market.ownUtility[b], 1, "Own of B")
        Self.expectClose(market.ownUtility[c], 0, "Own of C")
        Self.expectClose(market.ownCapture, 440.0 / 3, "F before")

        let s = CandidateSite(id: "S", position: center(b), cell: b)
        let t = CandidateSite(id: "T", position: center(a), cell: a)
        let expected = CaptureBreakdown(grossCapture: 1520.0 / 7, cannibalization: 1040.0 / 21, wonFromCompetitors: 720.0 / 7,
                                        newToMarket: 1360.0 / 21)
        let direct = market.breakdown(at: market.place(of: s))
        Self.expectClose(direct.capture, expected, "S in the market")
        Self.expectClose(direct.newlyCoveredPopulation, 200, "S newly covers")
        Self.expectClose(market.netGain(at: market.place(of: s)), 3520.0 / 21, "net gain of S")
        Self.expectClose(market.netGain(at: market.place(of: t)), 1000.0 / 21, "net gain of T")

        var solver = try PlanSolver(surface: surface, market: market, candidates: [t, s], constraints: PlanConstraints(sites: 1),
                                    ownOutlets: own, converter: converter)
        let plan = solver.solve()
        try #require(plan.picks.count == 1)
        #expect(plan.picks[0].candidate.id == "S")
        Self.expectClose(plan.picks[0].capture, expected, "S in the plan")
        Self.expectClose(plan.picks[0].newlyCoveredPopulation, 200, "S newly covers, in the plan")
        Self.expectClose(plan.objectiveBefore, 440.0 / 3, "objective before")
        Self.expectClose(plan.objective, 2200.0 / 7, "objective after")
        Self.expectClose(plan.gain, 3520.0 / 21, "gain")
        Self.expectClose(plan.upperBound, 2200.0 / 7, "upper bound")
        Self.expectClose(plan.boundGapPercent, 0, "bound gap")
        try #require(plan.outletLosses.count == 1)
        #expect(plan.outletLosses[0].index == 0)
        Self.expectClose(plan.outletLosses[0].captureBefore, 440.0 / 3, "O before")
        Self.expectClose(plan.outletLosses[0].demandLost, 1040.0 / 21, "O's loss")
        Self.expectIdentities(plan, "hand-worked step")
    }

    /// Power decay f = (max(d, 2500 m)/1000 m)^−1 with cells A, B, C 1 km apart (A–C 2 km): every
    /// distance among them is below the 2.5 km minimum, so f = 1/2.5 = 2/5 throughout (0.5 km margin);
    /// the cutoff is 5 km and u₀ is left to the model: a new outlet's utility at the cutoff,
    /// 1·(5000/1000)^−1 = 1/5. Own secondary branch O (a = 2) at A: u = 4/5; competitor K (a = 1) at C:
    /// u = 2/5; candidate S (a = 1) at B: u = 2/5. Populations 50, 100, 150 with financial index 2:
    /// demand 100, 200, 300, D = 600 in all.
    ///
    /// Every cell: U = 4/5 + 2/5 + 1/5 = 7/5, Own = 4/5, Comp = 2/5, U + u = 9/5, U(U+u) = 63/25.
    ///
    ///     gross = 600·(2/5)/(9/5) = 600·2/9 = 400/3
    ///     cannibalization = 600·(4/5)(2/5)/(63/25) = 600·8/63 = 1600/21
    ///     won from competitors = 600·(2/5)(2/5)/(63/25) = 600·4/63 = 800/21
    ///     new to market = 600·(1/5)(2/5)/(63/25) = 600·2/63 = 400/21
    ///     net gain = 400/3 − 1600/21 = 1200/21 = 400/7 = 800/21 + 400/21
    ///
    /// F before = 600·(4/5)/(7/5) = 2400/7; after = 600·(6/5)/(9/5) = 400 = 2400/7 + 400/7.
    /// O loses 2400/7 − 600·(4/5)/(9/5) = 2400/7 − 800/3 = 1600/21 (the cannibalization); K loses
    /// 600·(2/5)/(7/5) − 600·(2/5)/(9/5) = 1200/7 − 400/3 = 800/21 (won from competitors).
    /// Service 1.5 km: O covers A and B (0 and 1 km), S adds C (1 km): 150 persons, not 300 demand units.
    @Test("hand-worked three cells, power decay inside the minimum distance, default outside option")
    func handWorkedPower() throws {
        let converter = CoordinateConverter()
        let grid = try Self.grid(east: 121.47, north: 31.24, converter: converter)
        let abc = try Self.cellsInRow(grid, count: 3, step: 1)
        let (a, b, c) = (abc[0], abc[1], abc[2])
        let center = { (cell: Int) in grid.cells[cell].center }
        #expect(Geodesic.distanceMeters(from: center(a), to: center(c)) < 2_050)
        #expect(Geodesic.distanceMeters(from: center(a), to: center(b)) > 950)
        #expect(Geodesic.distanceMeters(from: center(b), to: center(c)) > 950)

        var population = [Double](repeating: 0, count: grid.cells.count)
        population[a] = 50; population[b] = 100; population[c] = 150
        let surface = try DemandSurface(grid: grid, zones: [Self.zone], population: population,
                                        financialIndex: [Double](repeating: 2, count: grid.cells.count), area: .region("310101"))
        let model = HuffModel(decay: .power(exponent: 1), cutoffMeters: 5_000, minimumDistanceMeters: 2_500,
                              ownAttractiveness: [.secondaryBranch: 2], competitorAttractiveness: ["branch": 1],
                              candidateAttractiveness: 1, outsideUtility: nil, serviceDistanceMeters: 1_500)
        let own = [(position: center(a), kind: OutletKind.secondaryBranch)]
        let market = try Market(surface: surface, ownOutlets: own, competitors: [(position: center(c), kind: "branch")],
                                model: model, converter: converter)
        Self.expectClose(market.outsideUtility, 1.0 / 5, "u₀")
        for cell in abc {
            Self.expectClose(market.totalUtility[cell], 7.0 / 5, "U of cell \(cell)")
            Self.expectClose(market.ownUtility[cell], 4.0 / 5, "Own of cell \(cell)")
        }
        Self.expectClose(market.ownCapture, 2400.0 / 7, "F before")

        let s = CandidateSite(id: "S", position: center(b), cell: b)
        var solver = try PlanSolver(surface: surface, market: market, candidates: [s], constraints: PlanConstraints(sites: 1),
                                    ownOutlets: own, converter: converter)
        let plan = solver.solve()
        try #require(plan.picks.count == 1)
        let expected = CaptureBreakdown(grossCapture: 400.0 / 3, cannibalization: 1600.0 / 21, wonFromCompetitors: 800.0 / 21,
                                        newToMarket: 400.0 / 21)
        Self.expectClose(plan.picks[0].capture, expected, "S")
        Self.expectClose(plan.picks[0].capture.netGain, 400.0 / 7, "net gain of S")
        Self.expectClose(plan.picks[0].newlyCoveredPopulation, 150, "S newly covers")
        Self.expectClose(plan.picks[0].cellPopulation, 100, "S's cell population")
        Self.expectClose(plan.picks[0].cellDemand, 200, "S's cell demand")
        Self.expectClose(plan.objectiveBefore, 2400.0 / 7, "objective before")
        Self.expectClose(plan.objective, 400, "objective after")
        try #require(plan.outletLosses.count == 1)
        Self.expectClose(plan.outletLosses[0].captureBefore, 2400.0 / 7, "O before")
        Self.expectClose(plan.outletLosses[0].demandLost, 1600.0 / 21, "O's loss")
        Self.expectIdentities(plan, "hand-worked power")
    }

    // MARK: Brute force

    /// A random market: populations and financial indices on the 10 km box, own outlets and competitors
    /// in and up to about 2 km around it, listed candidate sites inside it, and a random model.
    struct Instance {
        var surface: DemandSurface
        var model: HuffModel
        var own: [(position: Coordinate, kind: OutletKind)]
        var competitors: [(position: Coordinate, kind: String?)]
        var candidates: [CandidateSite]

        func market(_ converter: CoordinateConverter) throws -> Market {
            try Market(surface: surface, ownOutlets: own, competitors: competitors, model: model, converter: converter)
        }

        func plan(_ constraints: PlanConstraints, _ converter: CoordinateConverter) throws -> Plan {
            var solver = try PlanSolver(surface: surface, market: try market(converter), candidates: candidates,
                                        constraints: constraints, ownOutlets: own, converter: converter)
            return solver.solve()
        }
    }

    /// A random model: power, exponential or step decay by `seed % 3`.
    static func randomModel(seed: UInt64, random: inout SeededRandom) -> HuffModel {
        let decay: HuffModel.Decay = switch seed % 3 {
        case 0: .power(exponent: random.uniform(1...3))
        case 1: .exponential(scaleMeters: random.uniform(800...4_000))
        default: .step
        }
        let cutoff = random.uniform(2_000...6_000)
        return HuffModel(decay: decay, cutoffMeters: cutoff, minimumDistanceMeters: random.uniform(200...800),
                         ownAttractiveness: [.primaryBranch: 3, .secondaryBranch: 2, .subBranch: 1, .community: 0.6, .selfService: 0.3],
                         competitorAttractiveness: ["branch": random.uniform(0.5...1.5), "selfService": 0.3],
                         defaultCompetitorAttractiveness: random.uniform(0.2...1.2), candidateAttractiveness: random.uniform(0.5...2),
                         outsideUtility: seed % 4 == 3 ? nil : random.uniform(0.05...1), serviceDistanceMeters: min(1_500, cutoff))
    }

    static func randomInstance(seed: UInt64, model: HuffModel? = nil, ownCount: Int? = nil, competitorCount: Int? = nil,
                               candidateCount: Int = 10, converter: CoordinateConverter) throws -> Instance {
        var random = SeededRandom(seed: seed &* 7_919 &+ 17)
        let grid = try Self.grid(converter: converter)
        let population = grid.cells.map { _ in random.uniform(0...1) < 0.3 ? 0 : random.uniform(0...5_000).rounded() }
        let index = grid.cells.map { _ in random.uniform(0.5...2) }
        let surface = try DemandSurface(grid: grid, zones: [zone], population: population, financialIndex: index, area: .region("310101"))
        let model = model ?? randomModel(seed: seed, random: &random)
        func around(_ margin: Double) -> Coordinate {
            Coordinate(longitude: random.uniform((west - margin)...(east + margin)), latitude: random.uniform((south - margin)...(north + margin)))
        }
        let own = (0..<(ownCount ?? Int.random(in: 0...3, using: &random))).map { _ in
            (position: around(0.02), kind: OutletKind.allCases[Int.random(in: 0..<OutletKind.allCases.count, using: &random)])
        }
        let kinds: [String?] = ["branch", "selfService", nil, "kiosk"]
        let competitors = (0..<(competitorCount ?? Int.random(in: 0...5, using: &random))).map { _ in
            (position: around(0.02), kind: kinds[Int.random(in: 0..<kinds.count, using: &random)])
        }
        var listed: [Candidate] = []
        while listed.count < candidateCount {
            let id = String(format: "s%02d", listed.count)
            listed.append(Candidate(id: id, position: around(-0.004)))
        }
        let candidates = try CandidateSite.listed(listed, in: surface, converter: converter)
        try #require(candidates.count == candidateCount, "seed \(seed): a candidate fell outside the cells")
        for site in candidates {
            // The cell `listed` found holds the site: its centre is within half a diagonal (707 m).
            #expect(Geodesic.distanceMeters(from: site.position, to: grid.cells[site.cell].center) < 720)
        }
        return Instance(surface: surface, model: model, own: own, competitors: competitors, candidates: candidates)
    }

    /// The model computed from scratch over every cell, with Karney distances.
    struct BruteForce {
        let centers: [Coordinate]
        let demand: [Double]
        let population: [Double]
        let model: HuffModel
        let outside: Double
        /// The market before any new site: U and Own per cell, and each own outlet's utilities.
        let total: [Double]
        let own: [Double]
        let ownUtilities: [[Double]]
        let ownPositions: [Coordinate]

        init(_ instance: Instance) {
            let model = instance.model
            self.model = model
            centers = instance.surface.grid.cells.map(\.center)
            population = instance.surface.population
            demand = zip(instance.surface.population, instance.surface.financialIndex).map { $0 * $1 }
            // u₀: as given, else a new outlet's utility at the cutoff (0 for step decay).
            if let given = model.outsideUtility {
                outside = given
            } else if case .step = model.decay {
                outside = 0
            } else {
                outside = model.candidateAttractiveness * Self.f(model, model.cutoffMeters)
            }
            let centers = centers
            func utilities(_ position: Coordinate, _ a: Double) -> [Double] {
                centers.map { a * Self.f(model, Geodesic.distanceMeters(from: position, to: $0)) }
            }
            ownUtilities = instance.own.map { utilities($0.position, model.ownAttractiveness[$0.kind] ?? 0) }
            ownPositions = instance.own.map(\.position)
            var total = [Double](repeating: outside, count: centers.count)
            var own = [Double](repeating: 0, count: centers.count)
            for u in ownUtilities { for cell in u.indices { total[cell] += u[cell]; own[cell] += u[cell] } }
            for competitor in instance.competitors {
                let a = competitor.kind.flatMap { model.competitorAttractiveness[$0] } ?? model.defaultCompetitorAttractiveness
                for (cell, u) in utilities(competitor.position, a).enumerated() { total[cell] += u }
            }
            self.total = total
            self.own = own
        }

        /// f(d): power, exponential or step, 0 beyond the cutoff.
        static func f(_ model: HuffModel, _ d: Double) -> Double {
            guard d <= model.cutoffMeters else { return 0 }
            switch model.decay {
            case .power(let beta): return pow(max(d, model.minimumDistanceMeters) / 1_000, -beta)
            case .exponential(let lambda): return exp(-d / lambda)
            case .step: return 1
            }
        }

        /// A new site's utility in every cell.
        func utilities(of site: CandidateSite) -> [Double] {
            centers.map { model.candidateAttractiveness * Self.f(model, Geodesic.distanceMeters(from: site.position, to: $0)) }
        }

        /// The breakdown of adding utilities `u` to a market with `total` and `own`, each part the loss
        /// of one party (see the suite's comment).
        func breakdown(adding u: [Double], total: [Double], own: [Double]) -> CaptureBreakdown {
            var result = CaptureBreakdown()
            for cell in u.indices where u[cell] > 0 {
                let d = demand[cell], t = total[cell], o = own[cell]
                if t == 0 {
                    result.grossCapture += d
                    result.newToMarket += d
                    continue
                }
                let competitors = t - o - outside
                result.grossCapture += d * u[cell] / (t + u[cell])
                result.cannibalization += d * (o / t - o / (t + u[cell]))
                result.wonFromCompetitors += d * (competitors / t - competitors / (t + u[cell]))
                result.newToMarket += d * (outside / t - outside / (t + u[cell]))
            }
            return result
        }

        /// F = Σ D·Own/U.
        func objective(total: [Double], own: [Double]) -> Double {
            total.indices.reduce(0) { sum, cell in total[cell] > 0 ? sum + demand[cell] * own[cell] / total[cell] : sum }
        }

        /// What each own outlet captures: Σ D·u/U.
        func ownCaptures(total: [Double]) -> [Double] {
            ownUtilities.map { u in u.indices.reduce(0) { sum, cell in u[cell] > 0 ? sum + demand[cell] * u[cell] / total[cell] : sum } }
        }

        /// Persons within the service distance of `site` and of no own outlet or earlier pick.
        func newlyCovered(by site: Coordinate, earlier: [Coordinate]) -> Double {
            let service = model.serviceDistanceMeters
            return centers.indices.reduce(0) { sum, cell in
                guard Geodesic.distanceMeters(from: site, to: centers[cell]) <= service,
                      !(ownPositions + earlier).contains(where: { Geodesic.distanceMeters(from: $0, to: centers[cell]) <= service })
                else { return sum }
                return sum + population[cell]
            }
        }

        /// Opens utilities `u` as a new own site.
        static func open(_ u: [Double], total: inout [Double], own: inout [Double]) {
            for cell in u.indices { total[cell] += u[cell]; own[cell] += u[cell] }
        }
    }

    /// Chord distances inside the model differ from Karney's by d²/(24R²) relative (3·10⁻⁸ at 5 km), so
    /// the brute force is matched to 10⁻⁶ relative; step decay is exact away from the cutoff.
    static let bruteRelative = 1e-6

    static let seeds = Array(UInt64(0)..<20)

    @Test("every cell's U and Own, and every candidate's breakdown, equal the brute force", arguments: seeds)
    func marketEqualsBruteForce(seed: UInt64) throws {
        let converter = CoordinateConverter()
        let instance = try Self.randomInstance(seed: seed, converter: converter)
        let market = try instance.market(converter)
        let brute = BruteForce(instance)
        let scale = 1e-9 * instance.surface.totalDemand
        Self.expectClose(market.outsideUtility, brute.outside, "seed \(seed) u₀")
        for cell in brute.total.indices {
            Self.expectClose(market.totalUtility[cell], brute.total[cell], relative: Self.bruteRelative, absolute: 1e-12, "seed \(seed) U[\(cell)]")
            Self.expectClose(market.ownUtility[cell], brute.own[cell], relative: Self.bruteRelative, absolute: 1e-12, "seed \(seed) Own[\(cell)]")
        }
        Self.expectClose(market.ownCapture, brute.objective(total: brute.total, own: brute.own), relative: Self.bruteRelative,
                         absolute: scale, "seed \(seed) F before")
        for site in instance.candidates {
            let expected = brute.breakdown(adding: brute.utilities(of: site), total: brute.total, own: brute.own)
            let found = market.breakdown(at: market.place(of: site))
            Self.expectClose(found.capture, expected, relative: Self.bruteRelative, absolute: scale, "seed \(seed) \(site.id)")
            Self.expectClose(market.netGain(at: market.place(of: site)), expected.netGain, relative: Self.bruteRelative,
                             absolute: scale, "seed \(seed) \(site.id) netGain(at:)")
            Self.expectClose(found.newlyCoveredPopulation, brute.newlyCovered(by: site.position, earlier: []), relative: 1e-12,
                             absolute: 1e-9, "seed \(seed) \(site.id) newly covered")
        }
    }

    @Test("a one-site plan picks the candidate with the largest brute-force net gain, with its breakdown", arguments: seeds)
    func oneSitePlan(seed: UInt64) throws {
        let converter = CoordinateConverter()
        let instance = try Self.randomInstance(seed: seed, converter: converter)
        let brute = BruteForce(instance)
        let plan = try instance.plan(PlanConstraints(sites: 1), converter)
        let scale = 1e-9 * instance.surface.totalDemand
        try #require(plan.picks.count == 1)
        let pick = plan.picks[0]
        let gains = instance.candidates.map { brute.breakdown(adding: brute.utilities(of: $0), total: brute.total, own: brute.own) }
        let best = gains.map(\.netGain).max()!
        let picked = try #require(instance.candidates.firstIndex { $0.id == pick.candidate.id })
        // The best, or one within the brute force's tolerance of it.
        #expect(gains[picked].netGain >= best * (1 - Self.bruteRelative) - scale, "seed \(seed): picked \(pick.candidate.id)")
        Self.expectClose(pick.capture, gains[picked], relative: Self.bruteRelative, absolute: scale, "seed \(seed) pick")
        Self.expectClose(pick.newlyCoveredPopulation, brute.newlyCovered(by: pick.candidate.position, earlier: []),
                         relative: 1e-12, absolute: 1e-9, "seed \(seed) newly covered")
        Self.expectClose(pick.cellPopulation, instance.surface.population[pick.candidate.cell], "seed \(seed) cell population")
        let before = brute.objective(total: brute.total, own: brute.own)
        var total = brute.total, own = brute.own
        BruteForce.open(brute.utilities(of: pick.candidate), total: &total, own: &own)
        Self.expectClose(plan.objectiveBefore, before, relative: Self.bruteRelative, absolute: scale, "seed \(seed) objective before")
        Self.expectClose(plan.objective, brute.objective(total: total, own: own), relative: Self.bruteRelative, absolute: scale,
                         "seed \(seed) objective")
        // One site: the bound is F before + the largest gain, which greedy reaches.
        Self.expectClose(plan.upperBound, plan.objective, absolute: 1e-9 * max(1, plan.objective), "seed \(seed) bound")
        #expect(plan.boundGapPercent < 1e-6)
        // One site and at most one own outlet: the outlet's loss is the site's cannibalization. (With more
        // sites, later picks also cannibalize the earlier ones.)
        if instance.own.count == 1 {
            Self.expectClose(plan.outletLosses.first?.demandLost ?? 0, pick.capture.cannibalization, absolute: 1e-9 * max(1, plan.objective),
                             "seed \(seed): the own outlet's loss vs the cannibalization")
        }
        Self.expectIdentities(plan, "seed \(seed)")
    }

    @Test("a three-site plan: each pick's breakdown is its brute-force marginal given the earlier picks; outlet losses",
          arguments: seeds)
    func threeSitePlan(seed: UInt64) throws {
        let converter = CoordinateConverter()
        let instance = try Self.randomInstance(seed: seed, ownCount: 1 + Int(seed % 3), converter: converter)
        let brute = BruteForce(instance)
        let plan = try instance.plan(PlanConstraints(sites: 3), converter)
        let scale = 1e-9 * instance.surface.totalDemand
        try #require(plan.picks.count == 3)
        #expect(Set(plan.picks.map(\.candidate.id)).count == 3)
        var total = brute.total, own = brute.own
        var earlier: [Coordinate] = []
        for (k, pick) in plan.picks.enumerated() {
            let expected = brute.breakdown(adding: brute.utilities(of: pick.candidate), total: total, own: own)
            Self.expectClose(pick.capture, expected, relative: Self.bruteRelative, absolute: scale, "seed \(seed) pick \(k) \(pick.candidate.id)")
            Self.expectClose(pick.newlyCoveredPopulation, brute.newlyCovered(by: pick.candidate.position, earlier: earlier),
                             relative: 1e-12, absolute: 1e-9, "seed \(seed) pick \(k) newly covered")
            // Reported in greedy order of the final sites: no later pick gains more at this point.
            for later in plan.picks[(k + 1)...] {
                let gain = brute.breakdown(adding: brute.utilities(of: later.candidate), total: total, own: own).netGain
                #expect(gain <= expected.netGain * (1 + Self.bruteRelative) + scale, "seed \(seed): \(later.candidate.id) after \(k) picks")
            }
            BruteForce.open(brute.utilities(of: pick.candidate), total: &total, own: &own)
            earlier.append(pick.candidate.position)
        }
        Self.expectClose(plan.objectiveBefore, brute.objective(total: brute.total, own: brute.own), relative: Self.bruteRelative,
                         absolute: scale, "seed \(seed) objective before")
        Self.expectClose(plan.objective, brute.objective(total: total, own: own), relative: Self.bruteRelative, absolute: scale,
                         "seed \(seed) objective")

        // Outlet losses: each own outlet's capture before less after, largest first, those that lose.
        let before = brute.ownCaptures(total: brute.total), after = brute.ownCaptures(total: total)
        let reported = Dictionary(uniqueKeysWithValues: plan.outletLosses.map { ($0.index, $0) })
        for index in before.indices {
            let lost = before[index] - after[index]
            if let loss = reported[index] {
                Self.expectClose(loss.captureBefore, before[index], relative: Self.bruteRelative, absolute: scale, "seed \(seed) outlet \(index) before")
                Self.expectClose(loss.demandLost, lost, relative: Self.bruteRelative, absolute: scale, "seed \(seed) outlet \(index) loss")
            } else {
                #expect(lost <= 1e-6 * max(1, before[index]), "seed \(seed): outlet \(index) loses \(lost) but is not reported")
            }
        }
        let losses = plan.outletLosses.map(\.demandLost)
        #expect(losses == losses.sorted(by: >), "seed \(seed): largest loss first")
        Self.expectIdentities(plan, "seed \(seed)")
    }

    @Test("identities hold on larger plans over every populated cell", arguments: seeds)
    func identitiesOnCellPlans(seed: UInt64) throws {
        let converter = CoordinateConverter()
        var instance = try Self.randomInstance(seed: seed, converter: converter)
        instance.candidates = CandidateSite.cells(of: instance.surface)
        let plan = try instance.plan(PlanConstraints(sites: 6), converter)
        #expect(plan.picks.count == 6)
        #expect(plan.picks.allSatisfy { instance.surface.population[$0.candidate.cell] > 0 })
        Self.expectIdentities(plan, "seed \(seed)")
        // Submodularity: later picks, each the best of the rest, gain no more than earlier ones.
        let gains = plan.picks.map(\.capture.netGain)
        for k in gains.indices.dropFirst() {
            #expect(gains[k] <= gains[k - 1] * (1 + 1e-12) + 1e-9, "seed \(seed): gains \(gains)")
        }
    }

    /// With u₀ = 0 and no outlet around, a site owns every cell it alone reaches; the swaps open and
    /// close sites, and the objective they leave must still be F of the final sites.
    @Test("with u₀ = 0 (power or exponential decay), a six-site plan's objective is F of its sites from scratch",
          arguments: Array(UInt64(0)..<16))
    func zeroOutsideObjective(seed: UInt64) throws {
        let converter = CoordinateConverter()
        var random = SeededRandom(seed: seed)
        let decay: HuffModel.Decay = seed % 2 == 0 ? .power(exponent: random.uniform(1...3)) : .exponential(scaleMeters: random.uniform(800...3_000))
        let model = HuffModel(decay: decay, cutoffMeters: random.uniform(1_500...4_000), minimumDistanceMeters: 300, outsideUtility: 0)
        var instance = try Self.randomInstance(seed: 300 + seed, model: model, ownCount: 0, competitorCount: 0, converter: converter)
        instance.candidates = CandidateSite.cells(of: instance.surface)
        let plan = try instance.plan(PlanConstraints(sites: 6), converter)
        let brute = BruteForce(instance)
        var total = brute.total, own = brute.own
        for pick in plan.picks { BruteForce.open(brute.utilities(of: pick.candidate), total: &total, own: &own) }
        Self.expectClose(plan.objective, brute.objective(total: total, own: own), relative: Self.bruteRelative,
                         absolute: 1e-9 * instance.surface.totalDemand, "seed \(seed)")
        Self.expectIdentities(plan, "seed \(seed)")
    }

    // MARK: The initial sweep

    /// The two decays with a rational per-cell gain (power with β = 2, step) and a random other one, with
    /// random outlets: the exact sweep equals `netGain(at:)`, and every block bound is at least the exact
    /// gain of each candidate of its block.
    @Test("the initial sweep equals netGain(at:), and block bounds bound every candidate of the block", arguments: seeds)
    func sweepAndBounds(seed: UInt64) throws {
        let converter = CoordinateConverter()
        var random = SeededRandom(seed: 500 + seed)
        let decay: HuffModel.Decay = switch seed % 3 {
        case 0: .power(exponent: 2)
        case 1: .step
        default: .exponential(scaleMeters: random.uniform(800...4_000))
        }
        let model = HuffModel(decay: decay, cutoffMeters: random.uniform(1_500...6_000), minimumDistanceMeters: random.uniform(200...600),
                              outsideUtility: seed % 4 == 3 ? 0 : nil)
        var instance = try Self.randomInstance(seed: 500 + seed, model: model, converter: converter)
        instance.candidates = CandidateSite.cells(of: instance.surface)
        let market = try instance.market(converter)
        let cells = instance.candidates.map(\.cell)
        let gains = market.netGainsAtCenters(of: cells)
        for (site, gain) in zip(instance.candidates, gains) {
            Self.expectClose(gain, market.netGain(at: market.place(of: site)), relative: 1e-12, absolute: 1e-9, "seed \(seed) \(site.id)")
        }
        guard case .exponential = decay else {
            for size in 1...6 {
                let bounds = try #require(market.netGainBoundsAtCenters(of: cells, blockSize: size))
                for (slot, (bound, gain)) in zip(bounds, gains).enumerated() {
                    #expect(bound >= gain, "seed \(seed) size \(size) \(instance.candidates[slot].id): bound \(bound) < gain \(gain)")
                }
                // Blocks of one cell bound almost exactly (the centroid is the candidate itself).
                if size == 1 {
                    for (bound, gain) in zip(bounds, gains) { Self.expectClose(bound, gain, relative: 1e-6, absolute: 1e-9, "seed \(seed) size 1") }
                }
            }
            return
        }
        #expect(market.netGainBoundsAtCenters(of: cells) == nil, "no bounds without a rational kernel")
    }

    /// Large rankings start greedy from block bounds and exact gains for the largest bounds only: the
    /// plan must be the one the exact initial gains give.
    @Test("a plan started from block bounds is the plan started from exact gains", arguments: seeds)
    func boundedSweepPlan(seed: UInt64) throws {
        let converter = CoordinateConverter()
        let model = HuffModel(decay: seed % 2 == 0 ? .power(exponent: 2) : .step, cutoffMeters: 2_000 + 200 * Double(seed % 10))
        var instance = try Self.randomInstance(seed: 600 + seed, model: model, converter: converter)
        instance.candidates = CandidateSite.cells(of: instance.surface)
        func plan(boundedFrom minimum: Int) throws -> Plan {
            var solver = try PlanSolver(surface: instance.surface, market: try instance.market(converter), candidates: instance.candidates,
                                        constraints: PlanConstraints(sites: 8), ownOutlets: instance.own, converter: converter)
            solver.boundedSweepMinimum = minimum
            return solver.solve()
        }
        let exact = try plan(boundedFrom: .max), bounded = try plan(boundedFrom: 0)
        #expect(bounded.picks.map(\.candidate.id) == exact.picks.map(\.candidate.id), "seed \(seed)")
        Self.expectClose(bounded.objective, exact.objective, relative: 1e-12, absolute: 1e-9, "seed \(seed) objective")
        Self.expectClose(bounded.upperBound, exact.upperBound, relative: 1e-12, absolute: 1e-9, "seed \(seed) upper bound")
        Self.expectIdentities(bounded, "seed \(seed)")
    }

    // MARK: Opening and closing

    /// `Market.open(at:sign: -1)` is public and the swaps use it. With u₀ = 0 and no outlet around, a
    /// cell's U and Own start at 0 and get the same additions, so they stay equal; after closing every
    /// site they are a rounding residue r (e.g. (u₁ + u₂) − u₁ − u₂ ≠ 0). The clamp after a close only
    /// lifts a negative Own to 0, so where r > 0 the cell keeps U = Own = r: `ownCapture` counts its whole
    /// demand as the bank's and `netGain` finds nothing left to win there.
    @Test("closing every opened site restores the empty market (outside utility 0, power decay)")
    func closeRestoresMarket() throws {
        let converter = CoordinateConverter()
        let model = HuffModel(decay: .power(exponent: 2), cutoffMeters: 4_000, minimumDistanceMeters: 300, outsideUtility: 0)
        var instance = try Self.randomInstance(seed: 41, model: model, ownCount: 0, competitorCount: 0, converter: converter)
        instance.candidates = Array(instance.candidates.prefix(6))
        var market = try instance.market(converter)
        let emptyGains = instance.candidates.map { market.netGain(at: market.place(of: $0)) }
        #expect(market.ownCapture == 0)
        let places = instance.candidates.map { market.place(of: $0) }
        for place in places { market.open(at: place) }
        #expect(market.ownCapture > 0)
        // Close in the order opened (first in, first out), as swaps do.
        for place in places { market.open(at: place, sign: -1) }
        let residue = market.ownCapture
        let owned = market.ownUtility.indices.filter { market.ownUtility[$0] > 0 }
        #expect(residue <= 1e-9 * instance.surface.totalDemand, "F after closing everything: \(residue)")
        #expect(owned.isEmpty, "\(owned.count) cells still read as the bank's")
        for (site, gain) in zip(instance.candidates, emptyGains) {
            Self.expectClose(market.netGain(at: market.place(of: site)), gain, "\(site.id) gain after closing")
        }
    }

    /// A cell is covered while an own outlet (or a pick) lies within the service distance: closing the
    /// only site that covered it uncovers it.
    @Test("closing a site uncovers the cells only it covered")
    func closeUncovers() throws {
        let converter = CoordinateConverter()
        let instance = try Self.randomInstance(seed: 42, model: HuffModel(), ownCount: 0, competitorCount: 0, converter: converter)
        var market = try instance.market(converter)
        let site = market.place(of: instance.candidates[0])
        let before = market.breakdown(at: site).newlyCoveredPopulation
        #expect(before > 0)
        market.open(at: site)
        #expect(market.breakdown(at: site).newlyCoveredPopulation == 0)
        market.open(at: site, sign: -1)
        let after = market.breakdown(at: site).newlyCoveredPopulation
        let covered = market.demand.indices.filter { market.isCovered($0) }.count
        #expect(covered == 0, "\(covered) cells still covered with no outlet open")
        #expect(after == before, "newly covered after closing: \(after), before opening: \(before)")
    }
}
