import Foundation

/// One regional indicator of how much banking a region's people do, each a per-person or
/// per-household figure so regions of any size compare.
public enum FinancialFactor: String, CaseIterable, Hashable, Sendable {
    /// GDP per person, yuan (`gdp_per_capita_yuan`, else `gdp_100m_yuan` × 10⁸ ÷ population).
    case gdpPerCapita = "gdp_per_capita"
    /// Disposable income per person, yuan (`disposable_income_per_capita_yuan`).
    case disposableIncome = "disposable_income"
    /// RMB deposits per person, yuan (`rmb_deposits_100m_yuan` × 10⁸ ÷ population).
    case depositsPerCapita = "deposits_per_capita"
    /// Share of workers in finance (`finance_workers_sample` ÷ `all_workers_sample`, census sample).
    case financeShare = "finance_share"
    /// Share of households with a car (`households_with_car_sample` ÷ `households_sample`).
    case carOwnership = "car_ownership"
    /// Mean years of schooling (`mean_schooling_years`).
    case schooling

    /// The factor's value for `adcode`, nil when its figures are missing or not positive.
    public func value(for adcode: String, in figures: RegionFigures) -> Double? {
        func ratio(_ numerator: Double?, _ denominator: Double?) -> Double? {
            guard let numerator, let denominator, numerator >= 0, denominator > 0 else { return nil }
            return numerator / denominator
        }
        let result: Double?
        switch self {
        case .gdpPerCapita:
            result = figures.value(adcode, "gdp_per_capita_yuan")
                ?? ratio(figures.value(adcode, "gdp_100m_yuan").map { $0 * 1e8 }, figures.population(adcode))
        case .disposableIncome:
            result = figures.value(adcode, "disposable_income_per_capita_yuan")
        case .depositsPerCapita:
            result = ratio(figures.value(adcode, "rmb_deposits_100m_yuan").map { $0 * 1e8 }, figures.population(adcode))
        case .financeShare:
            result = ratio(figures.value(adcode, "finance_workers_sample"), figures.value(adcode, "all_workers_sample"))
        case .carOwnership:
            result = ratio(figures.value(adcode, "households_with_car_sample"), figures.value(adcode, "households_sample"))
        case .schooling:
            result = figures.value(adcode, "mean_schooling_years")
        }
        guard let result, result.isFinite, result > 0 else { return nil }
        return result
    }
}

/// The planner's weights of the financial factors (dimensionless, ≥ 0).
public struct FinancialWeights: Hashable, Sendable, CustomStringConvertible {
    public var weights: [FinancialFactor: Double]

    /// Every factor weighs 1.
    public static let standard = FinancialWeights(weights: Dictionary(uniqueKeysWithValues: FinancialFactor.allCases.map { ($0, 1.0) }))

    public init(weights: [FinancialFactor: Double]) {
        self.weights = weights
    }

    /// Parses `name=weight,…` (e.g. `gdp_per_capita=2,finance_share=1,schooling=0`); factors not named
    /// keep weight 1. Names are the factors' raw values; kebab-case and camelCase are accepted too.
    /// - Throws: `ScoringError.invalidWeights` naming the item and the reason.
    public init(parsing text: String) throws(ScoringError) {
        var weights = FinancialWeights.standard.weights
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let known = FinancialFactor.allCases.map(\.rawValue).joined(separator: ", ")
            guard parts.count == 2 else {
                throw .invalidWeights("\"\(item)\" is not name=weight (factors: \(known))")
            }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard let factor = FinancialFactor.named(name) else {
                throw .invalidWeights("unknown factor \"\(name)\" (factors: \(known))")
            }
            let valueText = parts[1].trimmingCharacters(in: .whitespaces)
            guard let value = Double(valueText), value.isFinite else {
                throw .invalidWeights("the weight of \(factor.rawValue), \"\(valueText)\", is not a number")
            }
            guard value >= 0 else { throw .invalidWeights("the weight of \(factor.rawValue) is \(valueText): weights must be 0 or more") }
            weights[factor] = value
        }
        guard weights.values.contains(where: { $0 > 0 }) else { throw .invalidWeights("every weight is 0: give at least one factor a positive weight") }
        self.weights = weights
    }

    public var description: String {
        FinancialFactor.allCases.map { "\($0.rawValue)=\(weights[$0] ?? 0)" }.joined(separator: ",")
    }
}

extension FinancialFactor {
    /// The factor called `name` in snake_case, kebab-case or camelCase.
    static func named(_ name: String) -> FinancialFactor? {
        let folded = name.lowercased().filter { $0 != "_" && $0 != "-" }
        return allCases.first { $0.rawValue.lowercased().filter { $0 != "_" } == folded }
    }
}

/// The financial index of regions: each factor divided by its national mean (the population-weighted
/// mean over all regions of the same level that have the factor, the plain mean when a population is
/// missing), then the weighted mean of the factors the region has:
///
///     financialIndex(r) = Σᵢ wᵢ · xᵢ(r) / x̄ᵢ(level) ÷ Σᵢ wᵢ      (over factors i known for r)
///
/// A factor a region lacks is taken from its nearest ancestor that has it; with no factor at all the
/// index is 1 (the national mean).
public struct FinancialIndexModel: Sendable {
    public private(set) var weights: FinancialWeights
    private let figures: RegionFigures
    private var nationalMeans: [RegionLevel: [FinancialFactor: Double]] = [:]

    /// - Parameters:
    ///   - regions: every region with its level (their figures make the national means).
    public init(regions: [Region], figures: RegionFigures, weights: FinancialWeights) {
        self.weights = weights
        self.figures = figures
        for level in RegionLevel.allCases {
            let adcodes = regions.filter { $0.level == level }.map(\.adcode)
            for factor in FinancialFactor.allCases {
                let known = adcodes.compactMap { adcode in factor.value(for: adcode, in: figures).map { (adcode, $0) } }
                guard !known.isEmpty else { continue }
                let populations = known.compactMap { figures.population($0.0) }
                let mean: Double
                if populations.count == known.count, populations.reduce(0, +) > 0 {
                    mean = zip(known, populations).map { $0.1 * $1 }.reduce(0, +) / populations.reduce(0, +)
                } else {
                    mean = known.map(\.1).reduce(0, +) / Double(known.count)
                }
                nationalMeans[level, default: [:]][factor] = mean
            }
        }
    }

    /// The same national means with other weights.
    public func with(weights: FinancialWeights) -> FinancialIndexModel {
        var copy = self
        copy.weights = weights
        return copy
    }

    /// Each factor's normalized value (1 = national mean) for a region given by its chain of adcodes,
    /// most specific first, with their levels.
    public func normalizedFactors(chain: [(adcode: String, level: RegionLevel)]) -> [FinancialFactor: Double] {
        var result: [FinancialFactor: Double] = [:]
        for factor in FinancialFactor.allCases {
            for link in chain {
                if let value = factor.value(for: link.adcode, in: figures), let mean = nationalMeans[link.level]?[factor], mean > 0 {
                    result[factor] = value / mean
                    break
                }
            }
        }
        return result
    }

    /// The financial index of a region given by its chain (most specific first).
    public func index(chain: [(adcode: String, level: RegionLevel)]) -> Double {
        let factors = normalizedFactors(chain: chain)
        var sum = 0.0, weightSum = 0.0
        for (factor, value) in factors {
            let weight = weights.weights[factor] ?? 0
            sum += weight * value
            weightSum += weight
        }
        return weightSum > 0 ? sum / weightSum : 1
    }
}
