import Foundation

/// The Huff model with an outside option (Huff 1964; DESIGN §3): how strongly each outlet draws the
/// customers of a demand cell.
///
/// For cell c and outlet j at distance d (WGS84 ellipsoidal, metres) the utility is
/// `u = attractiveness(j) · f(d)` up to `cutoffMeters` and 0 beyond, with the decay f:
/// - `power(exponent: β)`: `f = (max(d, minimumDistanceMeters) / 1000 m)^−β` (1 at 1 km);
/// - `exponential(scaleMeters: λ)`: `f = exp(−d / λ)`;
/// - `step`: `f = 1`.
///
/// `U_c = Σ_own u + Σ_competitors u + u₀`, where the outside option u₀ stands for the customers who use
/// no outlet nearby; the bank captures `D_c · Own_c / U_c` of the cell's demand `D_c`.
public struct HuffModel: Hashable, Sendable {
    /// How attraction falls with distance.
    public enum Decay: Hashable, Sendable, CustomStringConvertible {
        case power(exponent: Double)
        case exponential(scaleMeters: Double)
        case step

        public var description: String {
            switch self {
            case .power(let exponent): "power (exponent \(exponent))"
            case .exponential(let scale): "exponential (scale \(Int(scale)) m)"
            case .step: "step"
            }
        }
    }

    public var decay: Decay
    /// Beyond this distance an outlet draws nobody, metres.
    public var cutoffMeters: Double
    /// Power decay treats shorter distances as this one, metres (so a site in the middle of a cell does
    /// not get infinite utility).
    public var minimumDistanceMeters: Double
    /// Attractiveness of the bank's outlets by kind.
    public var ownAttractiveness: [OutletKind: Double]
    /// Attractiveness of competitors by their `kind` text; kinds not listed use `defaultCompetitorAttractiveness`.
    public var competitorAttractiveness: [String: Double]
    public var defaultCompetitorAttractiveness: Double
    /// Attractiveness of a new outlet (a sub-branch by default).
    public var candidateAttractiveness: Double
    /// The outside option u₀; nil: a new outlet's utility at the cutoff (0 for step decay, where the
    /// model is maximal covering).
    public var outsideUtility: Double?
    /// Population within this distance of an own outlet counts as covered, metres.
    public var serviceDistanceMeters: Double

    public init(decay: Decay = .power(exponent: 2), cutoffMeters: Double = 5_000, minimumDistanceMeters: Double = 500,
                ownAttractiveness: [OutletKind: Double] = [.primaryBranch: 3, .secondaryBranch: 2, .subBranch: 1, .community: 0.6, .selfService: 0.3],
                competitorAttractiveness: [String: Double] = ["branch": 1, "selfService": 0.3],
                defaultCompetitorAttractiveness: Double = 1, candidateAttractiveness: Double = 1,
                outsideUtility: Double? = nil, serviceDistanceMeters: Double = 1_500) {
        self.decay = decay
        self.cutoffMeters = cutoffMeters
        self.minimumDistanceMeters = minimumDistanceMeters
        self.ownAttractiveness = ownAttractiveness
        self.competitorAttractiveness = competitorAttractiveness
        self.defaultCompetitorAttractiveness = defaultCompetitorAttractiveness
        self.candidateAttractiveness = candidateAttractiveness
        self.outsideUtility = outsideUtility
        self.serviceDistanceMeters = serviceDistanceMeters
    }

    /// Largest cutoff and service distance accepted, metres.
    public static let maximumCutoffMeters = 50_000.0

    /// Checks every parameter. - Throws: `ScoringError.invalidParameter` naming it.
    public func validate() throws(ScoringError) {
        func check(_ ok: Bool, _ name: String, _ reason: String) throws(ScoringError) {
            if !ok { throw .invalidParameter(name: name, reason: reason) }
        }
        try check(cutoffMeters.isFinite && cutoffMeters > 0 && cutoffMeters <= Self.maximumCutoffMeters, "cutoff-meters",
                  "\(cutoffMeters) is out of range: use more than 0 and at most \(Int(Self.maximumCutoffMeters)) m")
        try check(serviceDistanceMeters.isFinite && serviceDistanceMeters > 0 && serviceDistanceMeters <= cutoffMeters, "service-meters",
                  "\(serviceDistanceMeters) is out of range: use more than 0 and at most the cutoff (\(Int(cutoffMeters)) m)")
        try check(minimumDistanceMeters.isFinite && minimumDistanceMeters > 0 && minimumDistanceMeters <= cutoffMeters, "minimum-distance-meters",
                  "\(minimumDistanceMeters) is out of range: use more than 0 and at most the cutoff")
        switch decay {
        case .power(let exponent):
            try check(exponent.isFinite && exponent > 0 && exponent <= 10, "decay-exponent", "\(exponent) is out of range: use more than 0 and at most 10")
        case .exponential(let scale):
            try check(scale.isFinite && scale >= 10 && scale <= Self.maximumCutoffMeters, "decay-scale-meters", "\(scale) is out of range: use 10 to 50000 m")
        case .step: break
        }
        let attractions = Array(ownAttractiveness.values) + Array(competitorAttractiveness.values) + [defaultCompetitorAttractiveness, candidateAttractiveness]
        try check(attractions.allSatisfy { $0.isFinite && $0 >= 0 }, "attractiveness", "every attractiveness must be a number ≥ 0")
        try check(candidateAttractiveness > 0, "candidate-attractiveness", "a new outlet must attract someone: use more than 0")
        if let outsideUtility {
            try check(outsideUtility.isFinite && outsideUtility >= 0, "outside-utility", "\(outsideUtility) must be a number ≥ 0")
        }
    }

    /// f(d) for a distance in metres: 0 beyond the cutoff.
    public func decayFactor(distanceMeters distance: Double) -> Double {
        kernel.factor(distanceMeters: distance)
    }

    /// The decay as plain numbers, for inner loops (no reference-counted fields to retain per call).
    var kernel: DecayKernel { DecayKernel(self) }

    /// The outside option u₀ in force.
    public var resolvedOutsideUtility: Double {
        if let outsideUtility { return outsideUtility }
        if case .step = decay { return 0 }
        return candidateAttractiveness * decayFactor(distanceMeters: cutoffMeters)
    }

    /// The attractiveness of a competitor of `kind`.
    public func attractiveness(competitorKind kind: String?) -> Double {
        kind.flatMap { competitorAttractiveness[$0] } ?? defaultCompetitorAttractiveness
    }
}

/// `HuffModel.decayFactor` over plain numbers.
struct DecayKernel: Sendable {
    private enum Shape { case power, powerSquare, exponential, step }
    private let shape: Shape
    private let cutoff: Double
    private let minimum: Double
    private let parameter: Double

    init(_ model: HuffModel) {
        cutoff = model.cutoffMeters
        minimum = model.minimumDistanceMeters
        switch model.decay {
        case .power(let exponent): shape = exponent == 2 ? .powerSquare : .power; parameter = exponent
        case .exponential(let scale): shape = .exponential; parameter = scale
        case .step: shape = .step; parameter = 0
        }
    }

    @inline(__always)
    func factor(distanceMeters distance: Double) -> Double {
        guard distance <= cutoff else { return 0 }
        switch shape {
        case .powerSquare:
            let d = max(distance, minimum) / 1_000
            return 1 / (d * d)
        case .power: return pow(max(distance, minimum) / 1_000, -parameter)
        case .exponential: return exp(-distance / parameter)
        case .step: return 1
        }
    }
}

/// Where a new outlet's capture in the cells it reaches comes from (demand units, `population ×
/// financialIndex`), given the outlets already there (DESIGN §3):
///
///     gross = D·u/(U+u)      cannibalization = D·Own·u/(U(U+u))
///     won from competitors = D·Comp·u/(U(U+u))      new to market = D·u₀·u/(U(U+u))
///     net gain = gross − cannibalization = won from competitors + new to market
///
/// summed over the cells. A cell nobody served before (U = 0) gives its whole demand as new to market.
public struct CaptureBreakdown: Hashable, Sendable {
    public var grossCapture = 0.0
    public var cannibalization = 0.0
    public var wonFromCompetitors = 0.0
    public var newToMarket = 0.0
    public var netGain: Double { grossCapture - cannibalization }

    public init(grossCapture: Double = 0, cannibalization: Double = 0, wonFromCompetitors: Double = 0, newToMarket: Double = 0) {
        self.grossCapture = grossCapture
        self.cannibalization = cannibalization
        self.wonFromCompetitors = wonFromCompetitors
        self.newToMarket = newToMarket
    }
}
