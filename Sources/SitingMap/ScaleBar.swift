import Foundation

/// A scale bar of a round ground length (1, 2 or 5 × 10^k metres), about a target share of the map
/// width, true at the projection's centre.
struct ScaleBar: Sendable, Equatable {
    /// Ground length, metres.
    let lengthMeters: Double
    /// Drawn length, pixels.
    let lengthPixels: Double

    /// The round length nearest (on a log scale) to `targetPixels` at `pixelsPerMeter`.
    init(targetPixels: Double, pixelsPerMeter: Double) {
        let target = targetPixels / pixelsPerMeter
        guard target.isFinite, target > 0 else {
            lengthMeters = 1000
            lengthPixels = 1000 * pixelsPerMeter
            return
        }
        let power = pow(10, (log10(target)).rounded(.down))
        var best = power, bestError = Double.infinity
        for step in [1.0, 2.0, 5.0, 10.0] {
            let error = abs(log(step * power / target))
            if error < bestError {
                best = step * power
                bestError = error
            }
        }
        lengthMeters = best
        lengthPixels = best * pixelsPerMeter
    }

    /// "500 m", "2 km", "1,000 km".
    var label: String {
        lengthMeters >= 1000
            ? MapText.grouped(Int((lengthMeters / 1000).rounded())) + " km"
            : MapText.decimal(lengthMeters, places: 3) + " m"
    }
}
