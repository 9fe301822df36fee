/// A whole ranking, from data to plan: the demand surface of the area, the market with the bank's
/// outlets and its competitors, the candidates and the plan. The CLI and the server both run this.
public enum Ranking {
    /// What a ranking reads (WGS84 throughout).
    public struct Inputs: Sendable {
        /// Regions and their statistics, prepared once (hierarchy, national means).
        public var regionData: RegionData
        public var regions: [Region] { regionData.regions }
        public var settlements: [Settlement]
        public var outlets: [Outlet]
        public var competitors: [Competitor]
        /// The planner's sites (used when `Options.candidates` is `.listed`).
        public var candidates: [Candidate]
        public var raster: PopulationRaster?
        public var landMask: LandMask?

        public init(regions: [Region], statistics: [RegionStatistic], settlements: [Settlement], outlets: [Outlet],
                    competitors: [Competitor], candidates: [Candidate] = [], raster: PopulationRaster? = nil, landMask: LandMask? = nil) {
            self.regionData = RegionData(regions: regions, statistics: statistics)
            self.settlements = settlements
            self.outlets = outlets
            self.competitors = competitors
            self.candidates = candidates
            self.raster = raster
            self.landMask = landMask
        }
    }

    /// Where candidates come from.
    public enum CandidateSource: String, Hashable, Sendable, CaseIterable {
        /// Every populated land cell's centre.
        case cells
        /// The planner's sites (`siting import candidates`).
        case listed
    }

    /// How to rank.
    public struct Options: Hashable, Sendable {
        public var area: DemandSurface.Area
        public var surface: DemandSurface.Options
        public var model: HuffModel
        public var constraints: PlanConstraints
        public var candidates: CandidateSource

        public init(area: DemandSurface.Area, surface: DemandSurface.Options = .init(), model: HuffModel = HuffModel(),
                    constraints: PlanConstraints, candidates: CandidateSource = .cells) {
            self.area = area
            self.surface = surface
            self.model = model
            self.constraints = constraints
            self.candidates = candidates
        }
    }

    /// The outcome: the surface, the candidates and the plan.
    public struct Result: Sendable {
        public var surface: DemandSurface
        public var candidates: [CandidateSite]
        public var plan: Plan
        /// Own outlets in the order `Plan.OutletLoss.index` refers to.
        public var outlets: [Outlet]
        /// Wall-clock seconds of each stage (surface, market, plan), in order.
        public var stageSeconds: [(stage: String, seconds: Double)]
    }

    /// Runs a ranking. `progress` gets a stage name and the fraction of the plan done.
    /// - Throws: `ScoringError` naming what to change.
    public static func run(_ inputs: Inputs, options: Options, converter: CoordinateConverter,
                           progress: (String, Double) -> Void = { _, _ in }) throws(ScoringError) -> Result {
        try options.model.validate()
        var stageSeconds: [(String, Double)] = []
        var clock = ContinuousClock.now
        func lap(_ stage: String) {
            let now = ContinuousClock.now
            let elapsed = now - clock
            stageSeconds.append((stage, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
            clock = now
        }
        progress("demand surface", 0)
        let surface = try DemandSurface(area: options.area, regionData: inputs.regionData,
                                        settlements: inputs.settlements, raster: inputs.raster, options: options.surface,
                                        landMask: inputs.landMask, converter: converter)
        lap("surface")
        progress("market", 0)
        let own = inputs.outlets.map { (position: $0.position, kind: $0.kind) }
        let market = try Market(surface: surface, ownOutlets: own,
                                competitors: inputs.competitors.map { (position: $0.position, kind: $0.kind) },
                                model: options.model, converter: converter)
        let candidates: [CandidateSite]
        switch options.candidates {
        case .cells:
            candidates = CandidateSite.cells(of: surface)
        case .listed:
            candidates = try CandidateSite.listed(inputs.candidates, in: surface, converter: converter)
        }
        lap("market")
        var solver = try PlanSolver(surface: surface, market: market, candidates: candidates, constraints: options.constraints,
                                    ownOutlets: own, converter: converter)
        let plan = solver.solve { progress("plan", $0) }
        lap("plan")
        return Result(surface: surface, candidates: candidates, plan: plan, outlets: inputs.outlets, stageSeconds: stageSeconds)
    }
}
