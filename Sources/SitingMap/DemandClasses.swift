/// Colour classes of the heat layer: quantiles of the nonzero densities, so each class holds about the
/// same number of display bins whatever the skew of demand (a few dense city blocks do not wash out the
/// rest of the map as equal-width classes would).
struct DemandClasses: Sendable, Equatable {
    /// Smallest value classified.
    let minimum: Double
    /// Upper bound of each class, ascending; the last is the largest value.
    let upperBounds: [Double]

    /// Most classes drawn.
    static let maximumClasses = 6

    /// Sequential palette from pale (little demand) to dark (much): cream through green, away from the
    /// blue, orange and red of the point symbols.
    static let palette = ["#f7f4d2", "#dcecab", "#b2d88f", "#7dbd78", "#479860", "#1d6844"]

    /// Values closer than this relative difference count as equal, so a uniform surface, whose bins
    /// differ only by rounding, gets one class.
    static let relativeTolerance = 1e-9

    /// Quantile classes of `values` (positive and finite; others are ignored), at most `maximumClasses`,
    /// fewer when values repeat; nil when there is no value.
    ///
    /// Class k (0-based) of K holds the values up to the ⌈(k+1)·n/K⌉-th smallest of the n values.
    init?(values: [Double], maximumClasses: Int = DemandClasses.maximumClasses) {
        let sorted = values.filter { $0.isFinite && $0 > 0 }.sorted()
        guard let first = sorted.first, maximumClasses > 0 else { return nil }
        let n = sorted.count, k = maximumClasses
        var bounds: [Double] = []
        for index in 1...k {
            let bound = sorted[(index * n + k - 1) / k - 1]
            if let last = bounds.last, bound <= last * (1 + Self.relativeTolerance) { continue }
            bounds.append(bound)
        }
        minimum = first
        upperBounds = bounds
    }

    var count: Int { upperBounds.count }

    /// Index of the class holding `value`.
    func classIndex(of value: Double) -> Int {
        for (index, bound) in upperBounds.enumerated() where value <= bound * (1 + Self.relativeTolerance) {
            return index
        }
        return upperBounds.count - 1
    }

    /// Lower and upper bound of class `index`.
    func range(ofClass index: Int) -> (lower: Double, upper: Double) {
        (index == 0 ? minimum : upperBounds[index - 1], upperBounds[index])
    }

    /// Fill colour of class `index`: the palette spread over the classes in use, from its palest to
    /// its darkest colour (a single class takes a middle colour).
    func color(ofClass index: Int) -> String {
        let palette = Self.palette
        guard count > 1 else { return palette[palette.count / 2] }
        let position = Double(index) * Double(palette.count - 1) / Double(count - 1)
        return palette[Int(position.rounded())]
    }
}
