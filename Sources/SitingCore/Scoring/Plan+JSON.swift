public import Foundation

/// The JSON shape of a plan, shared by `siting rank --format json` and the server: snake_case keys,
/// demand in demand units (population × financial index), distances in metres, positions WGS84.
public enum PlanJSON {
    public struct Report: Encodable, Sendable {
        public var area: String
        public var sites: Int
        public var population_source: String
        public var cell_size_meters: Double
        public var cells: Int
        public var candidates: Int
        public var total_population: Double
        public var total_demand: Double
        public var objective_before: Double
        public var objective: Double
        public var gain: Double
        public var upper_bound: Double
        public var within_percent_of_optimal: Double
        public var swaps: Int
        public var evaluations: Int
        /// Seconds spent building the demand surface, the market and the plan.
        public var stage_seconds: [String: Double]
        public var parameters: Parameters
        public var picks: [Pick]
        public var outlet_losses: [OutletLoss]
    }

    public struct Parameters: Encodable, Sendable, Hashable {
        public var decay: String
        public var decay_exponent: Double?
        public var decay_scale_meters: Double?
        public var cutoff_meters: Double
        public var minimum_distance_meters: Double
        public var service_meters: Double
        public var outside_utility: Double
        public var candidate_attractiveness: Double
        public var own_attractiveness: [String: Double]
        public var competitor_attractiveness: [String: Double]
        public var weights: [String: Double]
        public var urban_density_per_km2: Double
        public var candidates: String
        public var min_spacing_meters: Double
        public var min_spacing_own_meters: Double
        public var region_caps: [String: Int]
        public var fixed: [String]
        public var excluded: [String]
        public var swap_rounds: Int
    }

    public struct Pick: Encodable, Sendable {
        public var pick: Int
        public var id: String
        public var lng: Double
        public var lat: Double
        public var adcode: String?
        public var region: String?
        public var region_path: [String]
        public var cell_population: Double
        public var cell_demand: Double
        public var gross_capture: Double
        public var cannibalization: Double
        public var won_from_competitors: Double
        public var new_to_market: Double
        public var net_gain: Double
        public var newly_covered_population: Double
        public var fixed: Bool
    }

    public struct OutletLoss: Encodable, Sendable {
        public var id: String
        public var name: String
        public var capture_before: Double
        public var demand_lost: Double
    }

    /// The parameters of a ranking as reported and stored.
    public static func parameters(_ options: Ranking.Options) -> Parameters {
        let model = options.model
        var exponent: Double?, scale: Double?
        let decayName: String
        switch model.decay {
        case .power(let e): decayName = "power"; exponent = e
        case .exponential(let s): decayName = "exponential"; scale = s
        case .step: decayName = "step"
        }
        let constraints = options.constraints
        return Parameters(
            decay: decayName, decay_exponent: exponent, decay_scale_meters: scale, cutoff_meters: model.cutoffMeters,
            minimum_distance_meters: model.minimumDistanceMeters, service_meters: model.serviceDistanceMeters,
            outside_utility: model.resolvedOutsideUtility, candidate_attractiveness: model.candidateAttractiveness,
            own_attractiveness: Dictionary(uniqueKeysWithValues: model.ownAttractiveness.map { ($0.key.rawValue, $0.value) }),
            competitor_attractiveness: model.competitorAttractiveness.merging(["*": model.defaultCompetitorAttractiveness]) { a, _ in a },
            weights: Dictionary(uniqueKeysWithValues: options.surface.weights.weights.map { ($0.key.rawValue, $0.value) }),
            urban_density_per_km2: options.surface.urbanDensityPerKm2, candidates: options.candidates.rawValue,
            min_spacing_meters: constraints.minimumSpacingBetweenPicksMeters, min_spacing_own_meters: constraints.minimumSpacingToOwnMeters,
            region_caps: constraints.regionCaps, fixed: constraints.fixedIDs.sorted(), excluded: constraints.excludedIDs.sorted(),
            swap_rounds: constraints.swapRounds)
    }

    /// The report of a ranking; `outletLossLimit` caps the outlets listed (largest losses first).
    public static func report(_ result: Ranking.Result, options: Ranking.Options, outletLossLimit: Int = 20) -> Report {
        let plan = result.plan
        let picks = plan.picks.enumerated().map { index, pick in
            Pick(pick: index + 1, id: pick.candidate.id, lng: pick.candidate.position.x, lat: pick.candidate.position.y,
                 adcode: pick.zone.adcode, region: pick.zone.name, region_path: pick.zone.names.reversed(),
                 cell_population: pick.cellPopulation, cell_demand: pick.cellDemand,
                 gross_capture: pick.capture.grossCapture, cannibalization: pick.capture.cannibalization,
                 won_from_competitors: pick.capture.wonFromCompetitors, new_to_market: pick.capture.newToMarket,
                 net_gain: pick.capture.netGain, newly_covered_population: pick.newlyCoveredPopulation, fixed: pick.fixed)
        }
        let losses = plan.outletLosses.prefix(outletLossLimit).map { loss in
            OutletLoss(id: result.outlets[loss.index].id, name: result.outlets[loss.index].name,
                       capture_before: loss.captureBefore, demand_lost: loss.demandLost)
        }
        return Report(area: options.area.description, sites: options.constraints.sites,
                      population_source: result.surface.populationSource.rawValue,
                      cell_size_meters: result.surface.grid.cellSizeMeters, cells: result.surface.grid.cells.count,
                      candidates: result.candidates.count, total_population: result.surface.totalPopulation,
                      total_demand: result.surface.totalDemand, objective_before: plan.objectiveBefore, objective: plan.objective,
                      gain: plan.gain, upper_bound: plan.upperBound, within_percent_of_optimal: plan.boundGapPercent,
                      swaps: plan.swaps, evaluations: plan.evaluations,
                      stage_seconds: Dictionary(result.stageSeconds.map { ($0.stage, $0.seconds) }, uniquingKeysWith: +),
                      parameters: parameters(options),
                      picks: picks, outlet_losses: Array(losses))
    }

    /// JSON text of any of these values (sorted keys).
    public static func encode<Value: Encodable>(_ value: Value, pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(value)
    }
}
