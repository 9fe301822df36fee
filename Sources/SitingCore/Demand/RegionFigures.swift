/// Regional statistics looked up by adcode and indicator: for each pair the value of the latest year.
///
/// Indicator names follow the import files: `population` (persons) or `population_year_end_10k`
/// (10,000 persons), `urban_population`, `gdp_per_capita_yuan`, `gdp_100m_yuan`,
/// `disposable_income_per_capita_yuan`, `rmb_deposits_100m_yuan`, the census sample counts
/// `finance_workers_sample`/`all_workers_sample` and `households_with_car_sample`/`households_sample`,
/// and `mean_schooling_years`.
public struct RegionFigures: Sendable {
    private var values: [String: [String: (year: Int, value: Double)]] = [:]

    /// Keeps, for every region and indicator, the value of the latest year.
    public init(_ statistics: [RegionStatistic]) {
        for statistic in statistics where statistic.value.isFinite {
            if let known = values[statistic.adcode]?[statistic.indicator], known.year >= statistic.year { continue }
            values[statistic.adcode, default: [:]][statistic.indicator] = (statistic.year, statistic.value)
        }
    }

    /// Whether any region has any figure.
    public var isEmpty: Bool { values.isEmpty }

    /// The latest value of `indicator` for `adcode`.
    public func value(_ adcode: String, _ indicator: String) -> Double? {
        values[adcode]?[indicator]?.value
    }

    /// Resident population of `adcode`, persons: `population`, else `population_year_end_10k` × 10,000.
    public func population(_ adcode: String) -> Double? {
        if let persons = value(adcode, "population"), persons >= 0 { return persons }
        if let tenThousands = value(adcode, "population_year_end_10k") ?? value(adcode, "population_10k"),
           tenThousands >= 0 {
            return tenThousands * 10_000
        }
        return nil
    }

    /// Urban population of `adcode`, persons (`urban_population`).
    public func urbanPopulation(_ adcode: String) -> Double? {
        value(adcode, "urban_population").flatMap { $0 >= 0 ? $0 : nil }
    }
}
