/// Limits on a plan.
public struct PlanConstraints: Hashable, Sendable {
    /// How many new sites, fixed ones included.
    public var sites: Int
    /// No pick closer than this to an own outlet, metres (0: no limit).
    public var minimumSpacingToOwnMeters: Double
    /// No two picks closer than this, metres (0: no limit).
    public var minimumSpacingBetweenPicksMeters: Double
    /// At most this many picks in a region (adcode of any level).
    public var regionCaps: [String: Int]
    /// Candidate ids that must be in the plan, and ids that must not (added to the candidates' status).
    public var fixedIDs: Set<String>
    public var excludedIDs: Set<String>
    /// Rounds of swap refinement after the greedy picks (0: none).
    public var swapRounds: Int

    public init(sites: Int, minimumSpacingToOwnMeters: Double = 0, minimumSpacingBetweenPicksMeters: Double = 0,
                regionCaps: [String: Int] = [:], fixedIDs: Set<String> = [], excludedIDs: Set<String> = [], swapRounds: Int = 2) {
        self.sites = sites
        self.minimumSpacingToOwnMeters = minimumSpacingToOwnMeters
        self.minimumSpacingBetweenPicksMeters = minimumSpacingBetweenPicksMeters
        self.regionCaps = regionCaps
        self.fixedIDs = fixedIDs
        self.excludedIDs = excludedIDs
        self.swapRounds = swapRounds
    }
}

/// A plan of new sites and everything that explains it. Demand figures are in demand units
/// (population × financialIndex, so roughly "persons of average banking activity").
public struct Plan: Sendable {
    /// One chosen site, in pick order, with its effect given the earlier picks.
    public struct Pick: Sendable {
        public var candidate: CandidateSite
        /// The zone (region chain) of its cell.
        public var zone: DemandSurface.Zone
        /// Marginal effect when added after the earlier picks; `capture.netGain` is the pick's marginal gain.
        public var capture: CaptureBreakdown
        /// Population within the service distance that no own outlet or earlier pick covered.
        public var newlyCoveredPopulation: Double
        /// Population and demand of the pick's own cell.
        public var cellPopulation: Double
        public var cellDemand: Double
        public var fixed: Bool
    }

    /// What an existing outlet loses to the plan.
    public struct OutletLoss: Hashable, Sendable {
        public var index: Int
        public var captureBefore: Double
        public var demandLost: Double
    }

    public var picks: [Pick]
    /// Demand the bank's outlets capture before the plan and with it.
    public var objectiveBefore: Double
    public var objective: Double
    /// An upper bound on the best objective any plan of this size could reach (submodularity: the
    /// objective plus the largest marginal gains left; Nemhauser, Wolsey & Fisher 1978; Minoux 1978).
    public var upperBound: Double
    /// Existing outlets that lose demand, largest loss first.
    public var outletLosses: [OutletLoss]
    /// Swaps made by the refinement, and marginal gains evaluated in all.
    public var swaps: Int
    public var evaluations: Int
    public var candidateCount: Int

    /// Demand the plan adds.
    public var gain: Double { objective - objectiveBefore }
    /// How far the plan's gain may be from the best possible gain, per cent: 100·(1 − gain ÷ bound on
    /// the best gain).
    public var boundGapPercent: Double {
        let best = upperBound - objectiveBefore
        return best > 0 ? max(0, 100 * (1 - gain / best)) : 0
    }
}
