public import Foundation

// Seeded synthetic outlets, placed like real ones: each is drawn from the 2,875 mainland places of
// Geodata/settlements-cn.csv with probability proportional to population, then offset by a Gaussian
// whose spread grows with the place's size (0.6 km for a small town, 12 km at most for the largest
// cities). Each place takes the adcode and address of the nearest county-level unit of
// Geodata/regions.geojson (by centroid). Kinds, services, device counts, accessibility and business
// hours follow the shapes of Geodata/outlets.csv (Store/Store.swift's header has the details).
// Shared by the Store suite (the CSV it imports) and the load test's data tool
// (Tools/LoadTestData, for load/run.sh), so both use the same rows for the same seed.

/// Writes seeded CSV files of outlets placed like real ones, with the columns of Geodata/outlets.csv.
public struct OutletGenerator {
    /// A settlement of Geodata/settlements-cn.csv and the county-level unit it is taken to lie in.
    struct Place {
        var longitude: Double
        var latitude: Double
        var population: Int
        var timeZone: String
        /// Index of the county-level unit in `units`.
        var unit: Int
    }

    public static let header = "id,name,kind,lon,lat,adcode,address,opening_hours,secondary_hours,timezone,cash,"
        + "wealth_management,foreign_exchange,self_service_devices,smart_counters,wheelchair_access,"
        + "visually_impaired_aids,hearing_impaired_aids,elderly_friendly"

    let places: [Place]
    let units: [CountyLevelUnit]
    /// Running population totals of `places`, for drawing a place in proportion to its population.
    let cumulativePopulation: [Double]
    let seed: UInt64

    /// Reads the places and county-level units of `geodata` (the repository's `Geodata/` folder).
    public init(geodata: URL, seed: UInt64) throws {
        let units = try Self.countyLevelUnits(geodata.appendingPathComponent("regions.geojson"))
        var places: [Place] = []
        let text = try String(contentsOf: geodata.appendingPathComponent("settlements-cn.csv"), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).makeIterator()
        guard let headerLine = lines.next() else { throw GeneratorError("settlements-cn.csv is empty") }
        let header = Self.fields(of: headerLine)
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else {
                throw GeneratorError("settlements-cn.csv has no \(name) column")
            }
            return index
        }
        let (lonColumn, latColumn, populationColumn, zoneColumn) =
            (try column("lon"), try column("lat"), try column("population"), try column("timezone"))
        while let line = lines.next() {
            let fields = Self.fields(of: line)
            guard fields.count == header.count, let longitude = Double(fields[lonColumn]),
                  let latitude = Double(fields[latColumn]), let population = Int(fields[populationColumn]),
                  fields[zoneColumn] != "Asia/Macau", fields[zoneColumn] != "Asia/Hong_Kong"  // mainland only
            else { continue }
            places.append(Place(longitude: longitude, latitude: latitude, population: population,
                                timeZone: fields[zoneColumn],
                                unit: Self.nearest(units, longitude: longitude, latitude: latitude)))
        }
        guard !places.isEmpty else { throw GeneratorError("no places read from settlements-cn.csv") }
        var total = 0.0
        cumulativePopulation = places.map { total += Double($0.population); return total }
        self.places = places
        self.units = units
        self.seed = seed
    }

    /// Writes `count` outlets to `path`, in 1 MB writes.
    public func writeCSV(count: Int, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw GeneratorError("cannot create \(path)")
        }
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? file.close() }
        var generator = SplitMix64(seed: seed)
        // Outlets numbered by county and kind, for names.
        var ordinals = [[Int]](repeating: [Int](repeating: 0, count: Self.kinds.count), count: units.count)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 21)
        buffer.append(contentsOf: Self.header.utf8)
        buffer.append(0x0A)
        for index in 1...count {
            let place = places[drawPlace(&generator)]
            let kind = Self.pick(Self.kinds, using: &generator)
            ordinals[place.unit][kind] += 1
            appendOutlet(number: index, place: place, unit: units[place.unit], kind: Self.kinds[kind].kind,
                         ordinal: ordinals[place.unit][kind], to: &buffer, using: &generator)
            if buffer.count >= 1 << 20 {
                try file.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(contentsOf: buffer)
    }

    private func drawPlace(_ generator: inout SplitMix64) -> Int {
        let target = Double.random(in: 0..<cumulativePopulation[cumulativePopulation.count - 1], using: &generator)
        var low = 0, high = cumulativePopulation.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativePopulation[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    // MARK: One outlet

    private static let kinds: [(kind: String, share: Double)] = [
        // Shares of Geodata/outlets.csv (2,091 rows).
        ("subBranch", 0.6045), ("selfService", 0.3027), ("secondaryBranch", 0.0598),
        ("primaryBranch", 0.0177), ("community", 0.0153),
    ]
    private static let roads = ["人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "胜利路", "文化路",
                                "光明路", "长江路", "黄河路", "朝阳路", "迎宾大道", "滨江路", "幸福街", "工业大道"]

    private func appendOutlet(number: Int, place: Place, unit: CountyLevelUnit, kind: String, ordinal: Int,
                              to buffer: inout [UInt8], using generator: inout SplitMix64)
    {
        // Position: a Gaussian offset around the place, wider for larger places.
        let spreadKilometres = min(12.0, 0.6 + 2.0 * (Double(place.population) / 1_000_000).squareRoot())
        let (east, north) = Self.gaussianPair(using: &generator)
        let latitude = place.latitude + north * spreadKilometres / 111.32
        let longitude = place.longitude
            + east * spreadKilometres / (111.32 * cos(place.latitude * Double.pi / 180))

        let county = unit.name
        let name: String
        switch kind {
        case "primaryBranch": name = ordinal == 1 ? "\(county)分行" : "\(county)第\(ordinal)分行"
        case "secondaryBranch": name = "\(county)第\(ordinal)二级分行"
        case "community": name = "\(county)第\(ordinal)社区支行"
        case "selfService": name = "\(county)自助银行\(ordinal < 10 ? "0" : "")\(ordinal)"
        default: name = ordinal == 1 ? "\(county)支行" : "\(county)第\(ordinal)支行"
        }
        let road = Self.roads[Int.random(in: 0..<Self.roads.count, using: &generator)]
        let address = "\(unit.addressPrefix)\(road)\(Int.random(in: 1...999, using: &generator))号 (synthetic)"

        let services = Self.services(kind, using: &generator)
        let hours = kind == "selfService" ? Self.selfServiceHours(using: &generator)
            : Self.branchHours(community: kind == "community", using: &generator)
        let secondary = kind == "selfService" || services.devices == 0 ? ""
            : Self.chance(0.88, &generator) ? "24/7" : "Mo-Su 06:00-22:00"
        let access = Self.accessibility(kind, using: &generator)

        var row = "O\(Self.padded(number, width: 7)),\(name),\(kind),"
        row += Self.fixed6(longitude) + "," + Self.fixed6(latitude) + ","
        row += "\(unit.adcode),\(address),\(Self.quoted(hours)),\(Self.quoted(secondary)),\(place.timeZone),"
        row += "\(services.cash),\(services.wealth),\(services.foreignExchange),"
        row += "\(services.devices),\(services.counters),"
        row += "\(access.wheelchair),\(access.visual),\(access.hearing),\(access.elderly)\n"
        buffer.append(contentsOf: row.utf8)
    }

    private static func services(_ kind: String, using g: inout SplitMix64)
        -> (cash: String, wealth: String, foreignExchange: String, devices: Int, counters: Int)
    {
        func yes(_ p: Double) -> String { chance(p, &g) ? "yes" : "no" }
        switch kind {
        case "primaryBranch":
            return ("yes", "yes", "yes", Int.random(in: 6...13, using: &g), Int.random(in: 15...25, using: &g))
        case "secondaryBranch":
            return ("yes", "yes", yes(0.92), Int.random(in: 4...9, using: &g), Int.random(in: 7...14, using: &g))
        case "community":
            return (yes(0.75), yes(0.5), "no", Int.random(in: 0...2, using: &g), Int.random(in: 1...3, using: &g))
        case "selfService":
            return ("yes", "no", "no", 1, 0)
        default:
            let devices = [0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5, 6, 7][Int.random(in: 0..<14, using: &g)]
            return (yes(0.97), yes(0.87), yes(0.3), devices, Int.random(in: 2...8, using: &g))
        }
    }

    private static func accessibility(_ kind: String, using g: inout SplitMix64)
        -> (wheelchair: String, visual: String, hearing: String, elderly: String)
    {
        func triState(_ yes: Double, _ no: Double) -> String {
            let r = Double.random(in: 0..<1, using: &g)
            return r < yes ? "yes" : r < yes + no ? "no" : "unknown"
        }
        if kind == "selfService" {
            return (triState(0.43, 0.33), triState(0.10, 0.60), triState(0.10, 0.60), triState(0, 0.41))
        }
        return (triState(0.80, 0.12), triState(0.42, 0.36), triState(0.41, 0.35), triState(0.89, 0.04))
    }

    /// Weekly hours of a branch in the shapes of Geodata/outlets.csv, e.g.
    /// `Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00; Su off; PH off`.
    private static func branchHours(community: Bool, using g: inout SplitMix64) -> String {
        let open = pick(["09:00", "09:00", "09:00", "08:30", "09:30", "10:00"], &g)
        let close = pick(["17:00", "17:00", "17:00", "17:30", "18:00", "19:00", "16:30"], &g)
        var weekday = "\(open)-\(close)"
        if chance(0.12, &g) { weekday = "\(open)-12:00,\(pick(["13:00", "13:30", "14:00"], &g))-\(close)" }
        let holiday = chance(0.85, &g) ? "PH off" : "PH \(pick(["10:00-15:00", "10:00-14:00", "09:30-16:00"], &g))"
        if community, chance(0.2, &g) { return "Tu-Su \(weekday); Mo off; \(holiday)" }
        if chance(0.05, &g) { return "Mo-Su \(weekday); \(holiday)" }
        let weekendOpen = pick(["09:00", "09:30", "10:00"], &g)
        let weekendClose = pick(["12:00", "15:00", "16:00", "16:30"], &g)
        let weekend: String
        switch Double.random(in: 0..<1, using: &g) {
        case ..<0.30: weekend = "Sa,Su off"
        case ..<0.55: weekend = "Sa \(weekendOpen)-\(weekendClose); Su off"
        default: weekend = "Sa-Su \(weekendOpen)-\(weekendClose)"
        }
        return "Mo-Fr \(weekday); \(weekend); \(holiday)"
    }

    private static func selfServiceHours(using g: inout SplitMix64) -> String {
        chance(0.9, &g) ? "24/7" : pick(["Mo-Su 06:00-22:00", "Mo-Su 07:00-23:00", "Mo-Su 08:00-22:00"], &g)
    }

    // MARK: Helpers

    private static func chance(_ probability: Double, _ g: inout SplitMix64) -> Bool {
        Double.random(in: 0..<1, using: &g) < probability
    }

    private static func pick(_ choices: [String], _ g: inout SplitMix64) -> String {
        choices[Int.random(in: 0..<choices.count, using: &g)]
    }

    /// The index of an entry drawn in proportion to the shares.
    private static func pick(_ weighted: [(kind: String, share: Double)], using g: inout SplitMix64) -> Int {
        var r = Double.random(in: 0..<1, using: &g)
        for (index, entry) in weighted.enumerated() {
            if r < entry.share { return index }
            r -= entry.share
        }
        return 0
    }

    /// Two independent standard normal numbers (Box–Muller).
    private static func gaussianPair(using g: inout SplitMix64) -> (Double, Double) {
        let u = Double.random(in: Double.leastNormalMagnitude..<1, using: &g)
        let v = Double.random(in: 0..<1, using: &g)
        let radius = (-2 * log(u)).squareRoot()
        return (radius * cos(2 * Double.pi * v), radius * sin(2 * Double.pi * v))
    }

    private static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `value` with exactly six decimals (what outlets.csv writes), without Foundation's formatter.
    private static func fixed6(_ value: Double) -> String {
        let micro = Int((abs(value) * 1_000_000).rounded())
        return (value < 0 ? "-" : "") + "\(micro / 1_000_000)." + padded(micro % 1_000_000, width: 6)
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The fields of one CSV line (double quotes, doubled quotes inside them).
    static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { current.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    // MARK: Regions

    struct CountyLevelUnit {
        var adcode: String
        var name: String
        var addressPrefix: String
        var longitude: Double
        var latitude: Double
    }

    private struct RegionFile: Decodable {
        struct Feature: Decodable {
            var properties: Properties
        }

        struct Properties: Decodable {
            var adcode: String
            var name: String
            var level: String
            var parentAdcode: String?
            var centroidLon: Double?
            var centroidLat: Double?

            enum CodingKeys: String, CodingKey {
                case adcode, name, level
                case parentAdcode = "parent_adcode"
                case centroidLon = "centroid_lon"
                case centroidLat = "centroid_lat"
            }
        }

        var features: [Feature]
    }

    /// Counties and districts, plus the prefecture-level cities that have none (Dongguan, Zhongshan…),
    /// each with the names of its parents.
    static func countyLevelUnits(_ url: URL) throws -> [CountyLevelUnit] {
        let regions = try JSONDecoder().decode(RegionFile.self, from: Data(contentsOf: url)).features.map(\.properties)
        let byCode = Dictionary(regions.map { ($0.adcode, $0) }, uniquingKeysWith: { first, _ in first })
        let parents = Set(regions.compactMap(\.parentAdcode))
        var units: [CountyLevelUnit] = []
        for region in regions {
            guard region.level == "county" || (region.level == "prefecture" && !parents.contains(region.adcode)),
                  let longitude = region.centroidLon, let latitude = region.centroidLat
            else { continue }
            var names = [region.name]
            var parent = region.parentAdcode
            while let code = parent, let next = byCode[code] {
                names.insert(next.name, at: 0)
                parent = next.parentAdcode
            }
            units.append(CountyLevelUnit(adcode: region.adcode, name: region.name, addressPrefix: names.joined(),
                                         longitude: longitude, latitude: latitude))
        }
        guard !units.isEmpty else { throw GeneratorError("no county-level units in \(url.lastPathComponent)") }
        return units
    }

    /// The index of the unit whose centroid is nearest (equirectangular distance: the places are close
    /// to theirs).
    static func nearest(_ units: [CountyLevelUnit], longitude: Double, latitude: Double) -> Int {
        let scale = cos(latitude * Double.pi / 180)
        var best = 0
        var bestDistance = Double.infinity
        for (index, unit) in units.enumerated() {
            let dx = (unit.longitude - longitude) * scale, dy = unit.latitude - latitude
            let distance = dx * dx + dy * dy
            if distance < bestDistance { (best, bestDistance) = (index, distance) }
        }
        return best
    }
}

public struct GeneratorError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

