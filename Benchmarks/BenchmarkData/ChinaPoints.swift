public import SitingProjection
import Foundation

/// Seeded points in mainland China for the projection and distance benchmarks, shared by the
/// `Projection` suite and the instruction gate so both measure the same data.
public enum ChinaPoints {
    /// A box around mainland China (WGS84 lon/lat degrees).
    public static let box = (west: 73.0, south: 18.0, east: 135.5, north: 54.0)

    /// `count` points spread uniformly over `box`.
    public static func inBox(_ box: (west: Double, south: Double, east: Double, north: Double), count: Int,
                             seed: UInt64) -> [Coordinate] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            Coordinate(longitude: Double.random(in: box.west..<box.east, using: &generator),
                       latitude: Double.random(in: box.south..<box.north, using: &generator))
        }
    }

    /// `count` points spread uniformly over mainland China (rejection sampling in `box`).
    public static func uniform(count: Int, seed: UInt64) -> [Coordinate] {
        var generator = SplitMix64(seed: seed)
        var points: [Coordinate] = []
        points.reserveCapacity(count)
        while points.count < count {
            let candidate = Coordinate(longitude: Double.random(in: box.west..<box.east, using: &generator),
                                       latitude: Double.random(in: box.south..<box.north, using: &generator))
            if MainlandChina.contains(candidate) { points.append(candidate) }
        }
        return points
    }

    /// `count` pairs under 50 km apart: `uniform(count:seed:)` starts, each end a local flat-earth
    /// offset of at most 49 km (always under 50 km on the ellipsoid).
    public static func pairsUnder50Kilometres(count: Int, seed: UInt64) -> (starts: [Coordinate], ends: [Coordinate]) {
        let starts = uniform(count: count, seed: seed)
        var generator = SplitMix64(seed: seed &+ 1_000)
        let metersPerDegree = 111_320.0
        let ends = starts.map { start -> Coordinate in
            let distance = Double.random(in: 0...49_000, using: &generator)
            let bearing = Double.random(in: 0..<(2 * Double.pi), using: &generator)
            let latitudeRadians = start.latitude * Double.pi / 180
            return Coordinate(
                longitude: start.longitude + distance * sin(bearing) / (metersPerDegree * cos(latitudeRadians)),
                latitude: start.latitude + distance * cos(bearing) / metersPerDegree)
        }
        return (starts, ends)
    }
}
