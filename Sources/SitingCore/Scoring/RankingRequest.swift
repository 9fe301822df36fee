import Foundation

/// A ranking as a planner asks for it, in plain values: the command line's flags and the server's
/// JSON body both fill one of these, and `options()` checks every value and builds the model.
/// Distances are metres, positions WGS84 degrees.
public struct RankingRequest: Hashable, Sendable {
    public enum Decay: String, CaseIterable, Hashable, Sendable {
        case power, exponential, step
    }

    /// A region's 6-digit adcode (`100000` is all of mainland China); exactly one of this and `boundingBox`.
    public var region: String?
    /// A WGS84 box: west, south, east, north, degrees.
    public var boundingBox: [Double]?
    /// How many sites to pick, fixed sites included.
    public var sites: Int
    public var cellSizeMeters = 1_000.0
    public var decay = Decay.power
    public var decayExponent = 2.0
    public var decayScaleMeters = 1_000.0
    public var cutoffMeters = 5_000.0
    /// Population within this distance of an outlet is covered; default min(1500, cutoff).
    public var serviceMeters: Double?
    /// The outside option u₀; default a new outlet's utility at the cutoff (0 for step decay).
    public var outsideUtility: Double?
    /// `name=weight,…` over the financial factors.
    public var weights: String?
    /// `kind=value,…`: own kinds, `competitor.<kind>`, `branch`, `candidate`.
    public var attractiveness: String?
    public var candidates = Ranking.CandidateSource.cells
    public var fixedIDs: Set<String> = []
    public var excludedIDs: Set<String> = []
    public var minimumSpacingMeters = 0.0
    public var minimumSpacingToOwnMeters = 0.0
    /// At most this many picks in a region, by adcode at any level.
    public var regionCaps: [String: Int] = [:]
    public var swapRounds = 2

    public init(region: String? = nil, boundingBox: [Double]? = nil, sites: Int) {
        self.region = region
        self.boundingBox = boundingBox
        self.sites = sites
    }

    /// The ranking options, every value checked.
    ///
    /// - Throws: `ScoringError` naming the field and what is accepted.
    public func options() throws(ScoringError) -> Ranking.Options {
        let area: DemandSurface.Area
        switch (region, boundingBox) {
        case (let region?, nil):
            guard Region.isAdcode(region) else {
                throw .invalidParameter(name: "region", reason: "\"\(region)\" is not a 6-digit adcode (310000 Shanghai, 100000 mainland China)")
            }
            area = .region(region)
        case (nil, let box?):
            area = .boundingBox(try Self.boundingBox(box))
        default:
            throw .invalidParameter(name: "region", reason: "give exactly one of a region adcode or a bounding box")
        }
        guard sites >= 1 else { throw .invalidParameter(name: "sites", reason: "\(sites): give 1 or more") }
        guard DemandGrid.cellSizeRangeMeters.contains(cellSizeMeters) else { throw .demand(.cellSizeOutOfRange(cellSizeMeters)) }
        guard swapRounds >= 0 else { throw .invalidParameter(name: "swap-rounds", reason: "\(swapRounds): give 0 or more") }
        for (adcode, cap) in regionCaps {
            guard Region.isAdcode(adcode), cap >= 0 else {
                throw .invalidParameter(name: "region-cap", reason: "\(adcode)=\(cap): use a 6-digit adcode and a cap of 0 or more")
            }
        }
        for (name, value) in [("min-spacing-meters", minimumSpacingMeters), ("min-spacing-own-meters", minimumSpacingToOwnMeters)] {
            guard value.isFinite, value >= 0 else { throw .invalidParameter(name: name, reason: "\(value) m: give 0 or more metres") }
        }
        var surface = DemandSurface.Options(cellSizeMeters: cellSizeMeters)
        if let weights { surface.weights = try FinancialWeights(parsing: weights) }
        var model = HuffModel(cutoffMeters: cutoffMeters, outsideUtility: outsideUtility,
                              serviceDistanceMeters: serviceMeters ?? min(1_500, cutoffMeters))
        switch decay {
        case .power: model.decay = .power(exponent: decayExponent)
        case .exponential: model.decay = .exponential(scaleMeters: decayScaleMeters)
        case .step: model.decay = .step
        }
        model.minimumDistanceMeters = min(cellSizeMeters / 2, cutoffMeters)
        if let attractiveness { try Self.applyAttractiveness(attractiveness, to: &model) }
        try model.validate()
        let constraints = PlanConstraints(sites: sites, minimumSpacingToOwnMeters: minimumSpacingToOwnMeters,
                                          minimumSpacingBetweenPicksMeters: minimumSpacingMeters, regionCaps: regionCaps,
                                          fixedIDs: fixedIDs, excludedIDs: excludedIDs, swapRounds: swapRounds)
        return Ranking.Options(area: area, surface: surface, model: model, constraints: constraints, candidates: candidates)
    }

    /// A box from west, south, east, north (degrees), refusing inverted boxes and boxes across the
    /// antimeridian.
    public static func boundingBox(_ values: [Double]) throws(ScoringError) -> BoundingBox {
        guard values.count == 4 else {
            throw .invalidBoundingBox("give west,south,east,north (4 numbers), got \(values.count)")
        }
        for (name, value) in zip(["west", "south", "east", "north"], values) where !value.isFinite {
            throw .invalidBoundingBox("\(name) \(value) is not a finite number")
        }
        guard values[0] < values[2] else {
            throw .invalidBoundingBox("west \(values[0]) is not less than east \(values[2]) (boxes across the antimeridian are not supported)")
        }
        guard values[1] < values[3] else { throw .invalidBoundingBox("south \(values[1]) is not less than north \(values[3])") }
        do {
            return try BoundingBox(west: values[0], south: values[1], east: values[2], north: values[3])
        } catch {
            throw .invalidBoundingBox("\(error)")
        }
    }

    /// Parses `kind=value,…` into the model's attractiveness tables: own kinds by name,
    /// `competitor.<kind>` for a competitors' kind (`branch` alone is `competitor.branch`), `candidate`
    /// for new sites.
    public static func applyAttractiveness(_ text: String, to model: inout HuffModel) throws(ScoringError) {
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1]), value.isFinite, value >= 0 else {
                throw .invalidParameter(name: "attractiveness", reason: "\"\(item)\" is not kind=value with a value ≥ 0")
            }
            let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
            if let kind = OutletKind(rawValue: name) {
                model.ownAttractiveness[kind] = value
            } else if name == "branch" {
                model.competitorAttractiveness["branch"] = value
            } else if name.hasPrefix("competitor."), name.count > "competitor.".count {
                model.competitorAttractiveness[String(name.dropFirst("competitor.".count))] = value
            } else if name == "candidate" {
                model.candidateAttractiveness = value
            } else {
                throw .invalidParameter(name: "attractiveness", reason: "unknown kind \"\(name)\": use \(OutletKind.allCases.map(\.rawValue).joined(separator: ", ")), competitor.<kind> (e.g. competitor.selfService), branch or candidate")
            }
        }
    }
}
