public import Foundation

/// Seeded positions placed like real outlets and real customers: each is drawn from the mainland
/// places of `Geodata/settlements-cn.csv` with probability proportional to population, then offset by
/// a Gaussian whose spread grows with the place's size (0.6 km for a small town, at most 12 km for the
/// largest cities).
public struct SettlementPlacement {
    /// A place of `settlements-cn.csv`: WGS84 degrees and population.
    public struct Place {
        public var longitude: Double
        public var latitude: Double
        public var population: Int
        public var name: String
    }

    public let places: [Place]
    /// Running totals of population, for drawing places by population.
    private let cumulativePopulation: [Int]

    /// The repository's `Geodata/` folder.
    public static let geodata: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Geodata")

    /// Reads the places of `geodata`'s `settlements-cn.csv` (default: this repository's `Geodata/`).
    public init(geodata: URL = SettlementPlacement.geodata) throws {
        let file = geodata.appendingPathComponent("settlements-cn.csv")
        let text = try String(contentsOf: file, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).makeIterator()
        guard let header = lines.next()?.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
              let lon = header.firstIndex(of: "lon"), let lat = header.firstIndex(of: "lat"),
              let population = header.firstIndex(of: "population"), let name = header.firstIndex(of: "name")
        else { throw PlacementError("\(file.path): expected the columns name, lon, lat, population") }
        var places: [Place] = []
        while let line = lines.next() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count, let x = Double(fields[lon]), let y = Double(fields[lat]),
                  let people = Int(fields[population]), people > 0 else { continue }
            places.append(Place(longitude: x, latitude: y, population: people, name: String(fields[name])))
        }
        guard !places.isEmpty else { throw PlacementError("\(file.path): no places") }
        self.places = places
        var total = 0
        cumulativePopulation = places.map { total += $0.population; return total }
    }

    /// A place drawn with probability proportional to its population.
    public func drawPlace(using generator: inout SplitMix64) -> Place {
        let target = Int.random(in: 0..<cumulativePopulation.last!, using: &generator)
        var low = 0, high = cumulativePopulation.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativePopulation[middle] > target { high = middle } else { low = middle + 1 }
        }
        return places[low]
    }

    /// Spread (standard deviation, km) of positions around a place of this population.
    public static func spreadKilometres(population: Int) -> Double {
        min(12.0, 0.6 + 2.0 * (Double(population) / 1_000_000).squareRoot())
    }

    /// `count` positions (WGS84 lon/lat, degrees) from a seed.
    public func positions(count: Int, seed: UInt64) -> [(longitude: Double, latitude: Double)] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in position(around: drawPlace(using: &generator), using: &generator) }
    }

    /// A Gaussian offset around `place`.
    public func position(around place: Place, using generator: inout SplitMix64) -> (longitude: Double, latitude: Double) {
        let spread = Self.spreadKilometres(population: place.population)
        // Box–Muller: two independent standard normal numbers.
        let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let v = Double.random(in: 0..<1, using: &generator)
        let radius = (-2 * log(u)).squareRoot()
        let east = radius * cos(2 * .pi * v), north = radius * sin(2 * .pi * v)
        let latitude = place.latitude + north * spread / 111.32
        let longitude = place.longitude + east * spread / (111.32 * cos(place.latitude * .pi / 180))
        return (longitude, latitude)
    }
}

public struct PlacementError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
