import Foundation

/// The demand surface of a ranking: the land cells of the ranked area with their population,
/// financial index and demand (`population × financialIndex`).
///
/// **Population** comes from the first layer that exists (DESIGN §3):
/// 1. a population raster: each raster cell's persons go to the demand cell holding its centre; a
///    raster coarser than the grid is sampled instead (persons per km² at each demand cell's centre
///    × the cell's area);
/// 2. population per region: the figure of the most specific region that has one (county, then
///    prefecture, then province), less the figures of its populated subregions, spread over all the
///    region's land cells, not only those in the ranked area: the urban part (`urban_population`,
///    else the population of the settlements inside, at most `maximumUrbanShare` of the whole) by
///    settlement kernels, the rest evenly;
/// 3. settlement points alone: each settlement's population spread by its kernel.
///
/// A settlement's kernel is a Gaussian with σ = max(r / 2, cell size / 2), r = √(persons ÷ (π ·
/// `urbanDensityPerKm2`)) the radius of a disc holding the settlement at urban density, cut at 3σ and
/// normalized over the land cells it reaches (within the same region), so no person is lost.
///
/// **Financial index**: `FinancialIndexModel` for the cell's county and its ancestors.
public struct DemandSurface: Sendable {
    /// What to rank: a region by adcode, or a WGS84 bounding box.
    public enum Area: Hashable, Sendable, CustomStringConvertible {
        case region(String)
        case boundingBox(BoundingBox)

        public var description: String {
            switch self {
            case .region(let adcode): adcode
            case .boundingBox(let box): "bbox:\(box.west),\(box.south),\(box.east),\(box.north)"
            }
        }
    }

    /// Where a cell's population came from.
    public enum PopulationSource: String, Hashable, Sendable {
        case raster, regionTotals = "region totals", settlements
    }

    /// The region of a group of cells: its most specific region and the chain up to the province.
    public struct Zone: Hashable, Sendable {
        /// Most specific region first; empty for a bounding box without regions.
        public var adcodes: [String]
        public var names: [String]
        public var adcode: String? { adcodes.first }

        public init(adcodes: [String], names: [String]) {
            self.adcodes = adcodes
            self.names = names
        }
        public var name: String? { names.first }
    }

    /// Settings of the surface.
    public struct Options: Hashable, Sendable {
        /// Side of a demand cell, metres (`DemandGrid.cellSizeRangeMeters`).
        public var cellSizeMeters: Double = 1_000
        public var weights: FinancialWeights = .standard
        /// Persons per km² of a settlement's built-up area, which sizes its kernel.
        public var urbanDensityPerKm2: Double = 5_000

        public init(cellSizeMeters: Double = 1_000, weights: FinancialWeights = .standard, urbanDensityPerKm2: Double = 5_000) {
            self.cellSizeMeters = cellSizeMeters
            self.weights = weights
            self.urbanDensityPerKm2 = urbanDensityPerKm2
        }
    }

    /// The ranked area's land cells (zones index `zones`).
    public let grid: DemandGrid
    public let zones: [Zone]
    /// Persons per cell.
    public let population: [Double]
    /// Financial index per cell (1 = national mean).
    public let financialIndex: [Double]
    /// `population × financialIndex` per cell.
    public let demand: [Double]
    public let populationSource: PopulationSource
    public let area: Area

    /// The area code that stands for all of mainland China (the 31 provinces, without Hong Kong,
    /// Macao and Taiwan) when no region has it.
    public static let mainlandAdcode = "100000"
    static let outsideMainland: Set<String> = ["710000", "810000", "820000"]

    /// Share of a region's people placed by settlement kernels when the region has no urban
    /// population figure (China's most urbanized provinces are near 0.9; the national share in 2023
    /// was 0.66).
    public static let maximumUrbanShare = 0.9

    public var totalPopulation: Double { population.reduce(0, +) }
    public var totalDemand: Double { demand.reduce(0, +) }

    /// Builds the surface of `area`.
    ///
    /// - Parameters:
    ///   - regions: every region known (the hierarchy comes from `parentAdcode`).
    ///   - statistics: regional figures (population, urban population, financial factors).
    ///   - settlements: populated places (WGS84).
    ///   - raster: a population raster, which takes precedence when given.
    /// - Throws: `ScoringError` for an unknown region, a bad box or grid, or an area with no demand.
    public init(area: Area, regions: [Region], statistics: [RegionStatistic], settlements: [Settlement],
                raster: PopulationRaster? = nil, options: Options = Options(), landMask: LandMask?,
                converter: CoordinateConverter) throws(ScoringError) {
        try self.init(area: area, regionData: RegionData(regions: regions, statistics: statistics), settlements: settlements,
                      raster: raster, options: options, landMask: landMask, converter: converter)
    }

    /// Builds the surface of `area` from prepared region data (see `RegionData`).
    public init(area: Area, regionData: RegionData, settlements: [Settlement], raster: PopulationRaster? = nil,
                options: Options = Options(), landMask: LandMask?, converter: CoordinateConverter) throws(ScoringError) {
        let regions = regionData.regions
        let hierarchy = regionData.hierarchy
        let figures = regionData.figures
        let size = options.cellSizeMeters

        // The leaves (regions without subregions) of the ranked area.
        let rankedLeaves: [Int]
        switch area {
        case .region(let adcode) where adcode == Self.mainlandAdcode && hierarchy.index[adcode] == nil:
            rankedLeaves = hierarchy.leaves.filter { leaf in
                guard let root = hierarchy.chain(leaf).last else { return false }
                return regions[root].level == .province && !Self.outsideMainland.contains(regions[root].adcode)
            }
            guard !rankedLeaves.isEmpty else { throw .unknownRegion(adcode) }
        case .region(let adcode):
            guard let index = hierarchy.index[adcode] else { throw .unknownRegion(adcode) }
            rankedLeaves = hierarchy.leaves.filter { hierarchy.chain($0).contains(index) }
        case .boundingBox(let box):
            let envelope = Envelope(minX: box.west, minY: box.south, maxX: box.east, maxY: box.north)
            rankedLeaves = hierarchy.leaves.filter { leaf in
                guard let other = Geometry.multiPolygon(regions[leaf].boundary).envelope else { return false }
                return other.minX <= envelope.maxX && other.maxX >= envelope.minX && other.minY <= envelope.maxY && other.maxY >= envelope.minY
            }
        }

        // Each leaf's population source: its most specific populated region.
        func source(_ leaf: Int) -> Int? { hierarchy.chain(leaf).first { figures.population(regions[$0].adcode) != nil } }
        let method: PopulationSource
        var gridLeaves = rankedLeaves
        if raster != nil {
            method = .raster
        } else if rankedLeaves.contains(where: { source($0) != nil }) {
            method = .regionTotals
            let sources = Set(rankedLeaves.compactMap(source))
            let ranked = Set(rankedLeaves)
            gridLeaves += hierarchy.leaves.filter { !ranked.contains($0) && source($0).map(sources.contains) == true }
        } else {
            method = .settlements
        }

        // The grid: the leaves' outlines (or the box itself when there are no regions).
        var zones = gridLeaves.map { leaf in
            let chain = hierarchy.chain(leaf)
            return Zone(adcodes: chain.map { regions[$0].adcode }, names: chain.map { regions[$0].name })
        }
        var outlines = gridLeaves.map { regions[$0].boundary }
        if outlines.isEmpty, case .boundingBox(let box) = area {
            let ring = [Coordinate(x: box.west, y: box.south), Coordinate(x: box.east, y: box.south),
                        Coordinate(x: box.east, y: box.north), Coordinate(x: box.west, y: box.north), Coordinate(x: box.west, y: box.south)]
            outlines = [MultiPolygon(polygons: [Polygon(rings: [ring])])]
            zones = [Zone(adcodes: [], names: [])]
        }
        let full: DemandGrid
        do {
            full = try DemandGrid(zones: outlines, cellSizeMeters: size, landMask: landMask, converter: converter)
        } catch {
            throw .demand(error)
        }
        let cellCount = full.cells.count
        var population = [Double](repeating: 0, count: cellCount)

        // Settlements: the kept cell holding each.
        let settlementCells = try Self.cellIndices(of: settlements.map(\.position), in: full, converter: converter)
        let kernel = SettlementKernel(grid: full, urbanDensityPerKm2: options.urbanDensityPerKm2)

        switch method {
        case .raster:
            try Self.addRaster(raster!, to: &population, grid: full, converter: converter)
        case .settlements:
            for (settlement, cell) in zip(settlements, settlementCells) {
                guard let cell, settlement.population > 0 else { continue }
                kernel.spread(Double(settlement.population), from: cell, into: &population) { _ in true }
            }
        case .regionTotals:
            let zoneSource = gridLeaves.map { source($0) ?? -1 }
            // Population of each source less that of its populated subregions.
            var residual: [Int: Double] = [:]
            for s in Set(zoneSource) where s >= 0 { residual[s] = figures.population(regions[s].adcode)! }
            for (index, region) in regions.enumerated() {
                guard let persons = figures.population(region.adcode) else { continue }
                if let ancestor = hierarchy.chain(index).dropFirst().first(where: { figures.population(regions[$0].adcode) != nil }),
                   residual[ancestor] != nil {
                    residual[ancestor]! -= persons
                }
            }
            // Per region (arrays, not dictionaries: these loops run once per cell).
            var cellsOfSource = [Int](repeating: 0, count: regions.count)
            full.cells.withUnsafeBufferPointer { cells in
                for cell in cells { let s = zoneSource[Int(cell.zone)]; if s >= 0 { cellsOfSource[s] += 1 } }
            }
            var settlementsOfSource: [Int: [(cell: Int, persons: Double)]] = [:]
            for (settlement, cell) in zip(settlements, settlementCells) {
                guard let cell, settlement.population > 0 else { continue }
                let s = zoneSource[Int(full.cells[cell].zone)]
                if s >= 0 { settlementsOfSource[s, default: []].append((cell, Double(settlement.population))) }
            }
            var evenShare = [Double](repeating: 0, count: regions.count)
            for (s, total) in residual {
                let persons = max(0, total)
                let places = settlementsOfSource[s] ?? []
                let placed = places.reduce(0) { $0 + $1.persons }
                // Without an urban figure, settlements hold at most `maximumUrbanShare` of the people
                // (GeoNames often gives a city the population of its whole municipality).
                let urban = places.isEmpty ? 0
                    : min(persons, figures.urbanPopulation(regions[s].adcode) ?? min(placed, persons * Self.maximumUrbanShare))
                evenShare[s] = (persons - urban) / Double(max(1, cellsOfSource[s]))
                guard urban > 0 else { continue }
                for place in places {
                    kernel.spread(urban * place.persons / placed, from: place.cell, into: &population) { zoneSource[Int(full.cells[$0].zone)] == s }
                }
            }
            let zoneShare = zoneSource.map { $0 >= 0 ? evenShare[$0] : 0 }
            let zoneHasSource = zoneSource.map { $0 >= 0 }
            full.cells.withUnsafeBufferPointer { cells in
                for index in cells.indices {
                    let zone = Int(cells[index].zone)
                    if zoneHasSource[zone] { population[index] += zoneShare[zone] }
                }
            }
        }

        // Keep the ranked area's cells.
        // The ranked leaves come first among the grid's zones.
        let rankedZones = gridLeaves.isEmpty ? [true] : (0..<gridLeaves.count).map { $0 < rankedLeaves.count }
        var keep = [Bool](repeating: false, count: cellCount)
        for (index, cell) in full.cells.enumerated() where rankedZones[Int(cell.zone)] {
            if case .boundingBox(let box) = area {
                keep[index] = cell.center.x >= box.west && cell.center.x <= box.east && cell.center.y >= box.south && cell.center.y <= box.north
            } else {
                keep[index] = true
            }
        }
        let keepsAll = keep.allSatisfy { $0 }
        let grid = keepsAll ? full : full.filter { index, _ in keep[index] }
        let financial = regionData.financial.with(weights: options.weights)
        let zoneIndex = gridLeaves.map { leaf in
            financial.index(chain: hierarchy.chain(leaf).map { (regions[$0].adcode, regions[$0].level) })
        }
        // When every cell is kept (a whole region with its own figures), the arrays are the grid's own.
        var keptPopulation: [Double] = keepsAll ? population : [], keptIndex: [Double] = []
        if !keepsAll { keptPopulation.reserveCapacity(grid.cells.count) }
        keptIndex.reserveCapacity(grid.cells.count)
        full.cells.withUnsafeBufferPointer { cells in
            for index in 0..<cellCount where keep[index] {
                if !keepsAll { keptPopulation.append(population[index]) }
                keptIndex.append(zoneIndex.isEmpty ? 1 : zoneIndex[Int(cells[index].zone)])
            }
        }
        self.grid = grid
        self.zones = zones
        self.population = keptPopulation
        self.financialIndex = keptIndex
        self.demand = zip(keptPopulation, keptIndex).map { $0 * $1 }
        self.populationSource = method
        self.area = area
        guard demand.contains(where: { $0 > 0 }) else { throw .noDemand(area.description) }
    }

    /// A surface from given figures (for a planner's own demand layer, and for tests): one
    /// population and financial index per cell of `grid`, zones indexed by the cells' `zone`.
    /// - Throws: `ScoringError.invalidParameter` when the counts differ or a value is negative or not finite.
    public init(grid: DemandGrid, zones: [Zone], population: [Double], financialIndex: [Double],
                populationSource: PopulationSource = .raster, area: Area) throws(ScoringError) {
        guard population.count == grid.cells.count, financialIndex.count == grid.cells.count else {
            throw .invalidParameter(name: "population", reason: "\(population.count) populations and \(financialIndex.count) indices for \(grid.cells.count) cells")
        }
        guard population.allSatisfy({ $0.isFinite && $0 >= 0 }), financialIndex.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw .invalidParameter(name: "population", reason: "populations and financial indices must be finite and ≥ 0")
        }
        guard grid.cells.allSatisfy({ Int($0.zone) < zones.count }) else {
            throw .invalidParameter(name: "zones", reason: "a cell's zone has no entry in zones")
        }
        self.grid = grid
        self.zones = zones
        self.population = population
        self.financialIndex = financialIndex
        self.demand = zip(population, financialIndex).map { $0 * $1 }
        self.populationSource = populationSource
        self.area = area
    }

    /// The index of the kept cell holding each position (nil outside the kept cells).
    static func cellIndices(of positions: [Coordinate], in grid: DemandGrid, converter: CoordinateConverter) throws(ScoringError) -> [Int?] {
        guard !positions.isEmpty else { return [] }
        let projected: [Coordinate]
        do {
            projected = try DemandGrid.convert(positions, from: .wgs84, to: grid.projection, converter: converter)
        } catch {
            throw .demand(error)
        }
        return projected.map { point in
            let lattice = grid.latticePosition(of: point)
            guard lattice.row.isFinite, lattice.column.isFinite else { return nil }
            return grid.cellIndex(row: Int(lattice.row.rounded(.down)), column: Int(lattice.column.rounded(.down)))
        }
    }

    static func addRaster(_ raster: PopulationRaster, to population: inout [Double], grid: DemandGrid,
                          converter: CoordinateConverter) throws(ScoringError) {
        let cells = raster.populatedCells()
        let meanLatitude = grid.cells.isEmpty ? 0 : grid.cells[grid.cells.count / 2].center.y
        let degreeMeters = 111_320.0
        let rasterCellArea = pow(raster.cellSizeDegrees * degreeMeters, 2) * cos(meanLatitude * .pi / 180)
        if rasterCellArea <= grid.cellSizeMeters * grid.cellSizeMeters {
            // Finer than the grid: sum the raster cells into the demand cells.
            let indices = try cellIndices(of: cells.map(\.center), in: grid, converter: converter)
            for (cell, index) in zip(cells, indices) { if let index { population[index] += cell.persons } }
        } else {
            // Coarser: sample the density at each demand cell's centre.
            for (index, cell) in grid.cells.enumerated() {
                let column = Int(((cell.center.x - raster.west) / raster.cellSizeDegrees).rounded(.down))
                let rowFromSouth = Int(((cell.center.y - raster.south) / raster.cellSizeDegrees).rounded(.down))
                guard column >= 0, column < raster.columns, rowFromSouth >= 0, rowFromSouth < raster.rows else { continue }
                let value = raster.values[(raster.rows - 1 - rowFromSouth) * raster.columns + column]
                guard value > 0 else { continue }
                let area = pow(raster.cellSizeDegrees * degreeMeters, 2) * cos(cell.center.y * .pi / 180)
                population[index] += value / area * grid.cellSizeMeters * grid.cellSizeMeters
            }
        }
    }
}

/// Regions, their hierarchy and their statistics, prepared once for many rankings (the national
/// means of the financial factors are computed here).
public struct RegionData: Sendable {
    public let regions: [Region]
    public let figures: RegionFigures
    let hierarchy: RegionHierarchy
    let financial: FinancialIndexModel

    public init(regions: [Region], statistics: [RegionStatistic]) {
        self.regions = regions
        self.figures = RegionFigures(statistics)
        self.hierarchy = RegionHierarchy(regions)
        self.financial = FinancialIndexModel(regions: regions, figures: figures, weights: .standard)
    }
}

/// Spreads a settlement's persons over the land cells around it (see `DemandSurface`).
struct SettlementKernel {
    let grid: DemandGrid
    let urbanDensityPerKm2: Double

    /// Adds `persons` around cell `center`, over the cells `accept` admits, normalized so they sum to
    /// `persons` (all to `center` when it alone is admitted).
    func spread(_ persons: Double, from center: Int, into population: inout [Double], accept: (Int) -> Bool) {
        let radiusMeters = (persons / (Double.pi * urbanDensityPerKm2)).squareRoot() * 1_000
        let sigma = max(radiusMeters / 2, grid.cellSizeMeters / 2) / grid.cellSizeMeters
        let reach = Int((3 * sigma).rounded(.up))
        let origin = grid.cells[center]
        var weights: [(Int, Double)] = []
        var total = 0.0
        for dr in -reach...reach {
            let range = grid.cellRange(row: Int(origin.row) + dr, columns: (Int(origin.column) - reach)...(Int(origin.column) + reach))
            for index in range where accept(index) {
                let dc = Double(Int(grid.cells[index].column) - Int(origin.column))
                let d2 = Double(dr * dr) + dc * dc
                guard d2 <= 9 * sigma * sigma else { continue }
                let weight = exp(-d2 / (2 * sigma * sigma))
                weights.append((index, weight))
                total += weight
            }
        }
        guard total > 0 else { population[center] += persons; return }
        for (index, weight) in weights { population[index] += persons * weight / total }
    }
}

/// Regions with their parent links: leaves and chains up to the root.
struct RegionHierarchy: Sendable {
    let regions: [Region]
    let index: [String: Int]
    let parent: [Int?]
    let leaves: [Int]

    init(_ regions: [Region]) {
        self.regions = regions
        var index: [String: Int] = [:]
        for (i, region) in regions.enumerated() { index[region.adcode] = i }
        self.index = index
        let parent = regions.map { region in region.parentAdcode.flatMap { index[$0] } }
        self.parent = parent
        var hasChild = [Bool](repeating: false, count: regions.count)
        for p in parent { if let p { hasChild[p] = true } }
        leaves = regions.indices.filter { !hasChild[$0] }
    }

    /// `region`, its parent, its parent's parent … (cycles cut).
    func chain(_ region: Int) -> [Int] {
        var result = [region]
        var current = region
        while let next = parent[current], result.count < 8, !result.contains(next) {
            result.append(next)
            current = next
        }
        return result
    }
}
