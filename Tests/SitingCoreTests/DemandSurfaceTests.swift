import Foundation
import SitingCore
import SitingProjection
import SitingTestSupport
import Testing

/// `DemandSurface` built from region totals, settlements, financial indicators and population rasters:
/// persons conserved against the figures given, indices against hand-computed national means, rasters
/// against hand-written ESRI ASCII text, and positions against Karney's distances and areas.
@Suite struct DemandSurfaceTests {
    // MARK: Fixtures

    /// A lon/lat rectangle, closed, without densified edges (so neighbours share their vertices exactly).
    static func box(_ west: Double, _ south: Double, _ east: Double, _ north: Double) -> MultiPolygon {
        let ring = [Coordinate(longitude: west, latitude: south), Coordinate(longitude: east, latitude: south),
                    Coordinate(longitude: east, latitude: north), Coordinate(longitude: west, latitude: north),
                    Coordinate(longitude: west, latitude: south)]
        return MultiPolygon(polygons: [Polygon(rings: [ring])])
    }

    /// A province (310000, 121.0–121.2 E × 31.0–31.1 N) split at 121.1 E into two counties.
    static let regions = [
        Region(adcode: "310000", name: "City", level: .province, boundary: box(121.0, 31.0, 121.2, 31.1)),
        Region(adcode: "310101", name: "West", level: .county, parentAdcode: "310000", boundary: box(121.0, 31.0, 121.1, 31.1)),
        Region(adcode: "310104", name: "East", level: .county, parentAdcode: "310000", boundary: box(121.1, 31.0, 121.2, 31.1)),
    ]

    static func surface(_ adcode: String, _ statistics: [RegionStatistic], settlements: [Settlement] = [],
                        raster: PopulationRaster? = nil, regions: [Region] = regions, weights: FinancialWeights = .standard,
                        converter: CoordinateConverter) throws -> DemandSurface {
        try DemandSurface(area: .region(adcode), regions: regions, statistics: statistics, settlements: settlements, raster: raster,
                          options: DemandSurface.Options(weights: weights), landMask: nil, converter: converter)
    }

    static func population(_ adcode: String, _ persons: Double, year: Int = 2020) -> RegionStatistic {
        RegionStatistic(adcode: adcode, indicator: "population", year: year, value: persons)
    }

    /// Persons of the cells whose most specific region is `adcode`.
    static func persons(in adcode: String, _ surface: DemandSurface) -> Double {
        surface.grid.cells.indices.reduce(0) { sum, index in
            surface.zones[Int(surface.grid.cells[index].zone)].adcode == adcode ? sum + surface.population[index] : sum
        }
    }

    static func expectRelative(_ a: Double, _ b: Double, relative: Double = 1e-6, _ what: @autoclosure () -> String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(a - b) <= relative * abs(b), "\(what()): \(a) vs expected \(b)", sourceLocation: sourceLocation)
    }

    // MARK: Population from region totals

    @Test("a province's population is spread evenly over its counties' cells; the two counties add up to it")
    func provinceTotalConserved() throws {
        let converter = CoordinateConverter()
        // An older figure is superseded by the latest year.
        let statistics = [Self.population("310000", 500_000, year: 2010), Self.population("310000", 1_000_000)]
        let whole = try Self.surface("310000", statistics, converter: converter)
        #expect(whole.populationSource == .regionTotals)
        Self.expectRelative(whole.totalPopulation, 1_000_000, "province")
        let perCell = 1_000_000 / Double(whole.grid.cells.count)
        #expect(whole.population.allSatisfy { abs($0 - perCell) <= 1e-9 * perCell }, "even spread")
        // Cell count × 1 km² against Karney's area of the province (about 19 × 11 km): centre sampling
        // may gain or lose up to a cell per row and per column.
        let area = Geodesic.polygonAreaSquareMeters(Array(Self.regions[0].boundary.polygons[0].rings[0].dropLast())) / 1e6
        #expect(abs(Double(whole.grid.cells.count) - area) < 32, "\(whole.grid.cells.count) cells for \(area) km²")

        let west = try Self.surface("310101", statistics, converter: converter)
        let east = try Self.surface("310104", statistics, converter: converter)
        #expect(west.grid.cells.count + east.grid.cells.count == whole.grid.cells.count)
        #expect(west.grid.cells.count > 0 && east.grid.cells.count > 0)
        Self.expectRelative(west.totalPopulation + east.totalPopulation, 1_000_000, "west + east")
        Self.expectRelative(west.totalPopulation, 1_000_000 * Double(west.grid.cells.count) / Double(whole.grid.cells.count), "west")
        Self.expectRelative(Self.persons(in: "310101", whole), west.totalPopulation, "west inside the province's surface")
    }

    @Test("with a county's own figure, the other county gets the province's figure less the county's")
    func countyFigureSubtracted() throws {
        let converter = CoordinateConverter()
        // The county's figure in units of 10,000 persons (40 × 10,000 = 400,000).
        let statistics = [Self.population("310000", 1_000_000),
                          RegionStatistic(adcode: "310101", indicator: "population_year_end_10k", year: 2020, value: 40)]
        let whole = try Self.surface("310000", statistics, converter: converter)
        Self.expectRelative(whole.totalPopulation, 1_000_000, "province")
        Self.expectRelative(Self.persons(in: "310101", whole), 400_000, "the county with a figure")
        Self.expectRelative(Self.persons(in: "310104", whole), 600_000, "the other county")
        let east = try Self.surface("310104", statistics, converter: converter)
        Self.expectRelative(east.totalPopulation, 600_000, "the other county ranked alone")
    }

    /// Urban population 250,000 spread around a town of 300,000 at 121.05 E, 31.05 N (in the west
    /// county): a disc at 5,000/km² holding it has r = √(250000/(5000π)) ≈ 4 km, σ = 2 km, cut at 6 km.
    /// Cells more than 8 km away keep only the even share of the other 750,000.
    @Test("settlements: cells near a town get more people, the total stays the province's figure")
    func settlementsConcentrate() throws {
        let converter = CoordinateConverter()
        let town = Coordinate(longitude: 121.05, latitude: 31.05)
        let settlements = [Settlement(id: "1", name: "Town", position: town, population: 300_000),
                           // Outside every region: ignored.
                           Settlement(id: "2", name: "Elsewhere", position: Coordinate(longitude: 122.0, latitude: 31.05), population: 50_000)]
        let statistics = [Self.population("310000", 1_000_000),
                          RegionStatistic(adcode: "310000", indicator: "urban_population", year: 2020, value: 250_000)]
        let whole = try Self.surface("310000", statistics, settlements: settlements, converter: converter)
        Self.expectRelative(whole.totalPopulation, 1_000_000, "province")
        let even = 750_000 / Double(whole.grid.cells.count)
        let distances = whole.grid.cells.map { Geodesic.distanceMeters(from: $0.center, to: town) }
        let far = whole.grid.cells.indices.filter { distances[$0] > 8_000 }
        #expect(!far.isEmpty)
        #expect(far.allSatisfy { abs(whole.population[$0] - even) <= 1e-9 * even }, "far cells hold the even share \(even)")
        let densest = try #require(whole.population.indices.max { whole.population[$0] < whole.population[$1] })
        #expect(distances[densest] < 720, "the densest cell is \(distances[densest]) m from the town")
        // The kernel's peak: 250,000/(2πσ²) ≈ 9,950 per km² on top of the even share.
        #expect(whole.population[densest] > 3 * even)
        // Cells nearer the town hold more: within 2 km vs 4–6 km.
        let near = whole.grid.cells.indices.filter { distances[$0] < 2_000 }.map { whole.population[$0] }
        let ring = whole.grid.cells.indices.filter { distances[$0] > 4_000 && distances[$0] < 6_000 }.map { whole.population[$0] }
        #expect(near.min()! > ring.max()!)
        Self.expectRelative(whole.population.reduce(0) { $0 + ($1 - even) }, 250_000, "the urban part")

        let west = try Self.surface("310101", statistics, settlements: settlements, converter: converter)
        let east = try Self.surface("310104", statistics, settlements: settlements, converter: converter)
        Self.expectRelative(west.totalPopulation + east.totalPopulation, 1_000_000, "west + east")
        // The Gaussian beyond the west county's edge, 4.8 km east of the town (2.4 σ), is under 1%.
        #expect(west.totalPopulation > even * Double(west.grid.cells.count) + 0.95 * 250_000)
    }

    // MARK: Financial index

    /// Two provinces: GDP per person 100 and 300 yuan, populations 3 and 1, so the population-weighted
    /// national mean is (100·3 + 300·1)/4 = 150 and the normalized values are 2/3 and 2. Disposable
    /// income is 50 in both (normalized 1), so with every weight 1 the indices would be (2/3 + 1)/2 = 5/6
    /// and (2 + 1)/2 = 3/2; weighting GDP alone gives 2/3 and 2.
    @Test("financial index: GDP per person over the population-weighted national mean, by the weights given")
    func financialIndex() throws {
        let converter = CoordinateConverter()
        let regions = [Region(adcode: "110000", name: "North", level: .province, boundary: Self.box(116.3, 39.9, 116.4, 40.0)),
                       Region(adcode: "120000", name: "Coast", level: .province, boundary: Self.box(117.1, 39.1, 117.2, 39.2))]
        let statistics = [
            Self.population("110000", 3), Self.population("120000", 1),
            RegionStatistic(adcode: "110000", indicator: "gdp_per_capita_yuan", year: 2020, value: 100),
            RegionStatistic(adcode: "120000", indicator: "gdp_per_capita_yuan", year: 2020, value: 300),
            RegionStatistic(adcode: "110000", indicator: "disposable_income_per_capita_yuan", year: 2020, value: 50),
            RegionStatistic(adcode: "120000", indicator: "disposable_income_per_capita_yuan", year: 2020, value: 50),
        ]
        let weights = try FinancialWeights(parsing: "gdp_per_capita=1,disposable_income=0,deposits_per_capita=0,finance_share=0,car_ownership=0,schooling=0")
        #expect(weights.weights[.gdpPerCapita] == 1 && weights.weights[.disposableIncome] == 0)
        for (adcode, index, standard) in [("110000", 2.0 / 3, 5.0 / 6), ("120000", 2.0, 3.0 / 2)] {
            let surface = try Self.surface(adcode, statistics, regions: regions, weights: weights, converter: converter)
            #expect(surface.financialIndex.allSatisfy { abs($0 - index) < 1e-12 }, "\(adcode): \(Set(surface.financialIndex))")
            let persons = adcode == "110000" ? 3.0 : 1.0
            Self.expectRelative(surface.totalPopulation, persons, "\(adcode) persons")
            Self.expectRelative(surface.totalDemand, persons * index, "\(adcode) demand")
            let both = try Self.surface(adcode, statistics, regions: regions, converter: converter)
            #expect(both.financialIndex.allSatisfy { abs($0 - standard) < 1e-12 }, "\(adcode) standard: \(Set(both.financialIndex))")

            let model = FinancialIndexModel(regions: regions, figures: RegionFigures(statistics), weights: weights)
            #expect(abs(model.index(chain: [(adcode, .province)]) - index) < 1e-12)
            // A county without figures takes its province's.
            #expect(abs(model.index(chain: [("999901", .county), (adcode, .province)]) - index) < 1e-12)
        }
    }

    @Test("weights that do not parse, negative weights, unknown names and all zeros are refused, naming the item",
          arguments: [
              ("gdp_per_capita", "\"gdp_per_capita\" is not name=weight"),
              ("gdp_per_capita=2,schooling", "\"schooling\" is not name=weight"),
              ("gdp_per_capita=lots", "\"lots\", is not a number"),
              ("gdp_per_capita=-1", "gdp_per_capita is -1"),
              ("wealth=1", "unknown factor \"wealth\""),
              ("gdp_per_capita=0,disposable_income=0,deposits_per_capita=0,finance_share=0,car_ownership=0,schooling=0", "every weight is 0"),
          ])
    func invalidWeights(text: String, message: String) {
        let error = #expect(throws: ScoringError.self) { try FinancialWeights(parsing: text) }
        guard case .invalidWeights(let reason) = error else { Issue.record("\(text): \(String(describing: error))"); return }
        #expect(reason.contains(message), "\(reason)")
    }

    @Test("weights: names in snake, kebab or camel case; factors not named keep 1")
    func weightNames() throws {
        let weights = try FinancialWeights(parsing: "gdp-per-capita=2, financeShare = 0.5")
        #expect(weights.weights[.gdpPerCapita] == 2)
        #expect(weights.weights[.financeShare] == 0.5)
        #expect(weights.weights[.schooling] == 1)
    }

    // MARK: Population raster

    static let smallRaster = """
        ncols 3
        nrows 2
        xllcorner 121.0
        yllcorner 31.0
        cellsize 0.01
        NODATA_value -9999
        1 2 3
        4 -9999 6
        """

    @Test("an ESRI ASCII raster is read: header, rows from the north, NODATA, cell centres")
    func rasterParsed() throws {
        let raster = try PopulationRaster(text: Self.smallRaster)
        #expect(raster.columns == 3 && raster.rows == 2)
        #expect(raster.west == 121.0 && raster.south == 31.0 && raster.cellSizeDegrees == 0.01)
        #expect(raster.values.count == 6 && raster.values[4].isNaN)
        #expect(Array(raster.values[0..<4]) == [1, 2, 3, 4] && raster.values[5] == 6)
        let cells = raster.populatedCells()
        #expect(cells.map(\.persons) == [1, 2, 3, 4, 6])
        // The first value is the north-west cell, the last the south-east one.
        #expect(abs(cells[0].center.x - 121.005) < 1e-12 && abs(cells[0].center.y - 31.015) < 1e-12)
        #expect(abs(cells[4].center.x - 121.025) < 1e-12 && abs(cells[4].center.y - 31.005) < 1e-12)
        // Centre coordinates in the header, upper case, tabs and blank lines.
        let centred = try PopulationRaster(text: "NCOLS\t2\nnrows 1\nxllcenter 100.5\nyllcenter 20.5\ncellsize 1\n\n7\t8\n")
        #expect(centred.west == 100 && centred.south == 20 && centred.values == [7, 8])
    }

    /// Files written on Windows end their lines with CR LF; in Swift "\r\n" is one Character (a
    /// grapheme cluster), so lines must split on every newline, not on "\n" alone.
    @Test("an ESRI ASCII raster with CR LF line ends is read like one with LF")
    func rasterWithCRLF() throws {
        let text = Self.smallRaster.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        #expect(text.unicodeScalars.filter { $0 == "\r" }.count == 8)
        let raster = try PopulationRaster(text: text)
        #expect(raster.columns == 3 && raster.rows == 2)
        #expect(raster.populatedCells().map(\.persons) == [1, 2, 3, 4, 6])
    }

    @Test("bad rasters are refused with the line number", arguments: [
        ("ncols 3 4\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3", 1, "name value"),
        ("ncols 3\nnrows 1\nxllcorner 0\nyllcorner 0\n1 2 3", 5, "cellsize"),
        ("ncols 3\nnrows 1\ncellsize 1\n1 2 3", 4, "xllcorner"),
        ("nrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3", 5, "ncols"),
        ("ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3\n4 5", 7, "expected 3 values"),
        ("ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 -5 3\n4 5 6", 6, "column 2"),
        ("ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3\n4 x 6", 7, "\"x\" is not a number"),
        ("ncols 3\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3\n4 5 6", 7, "more than nrows"),
        ("ncols 3\nnrows 3\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3\n4 5 6", 7, "nrows = 3"),
        ("ncols 3\nnrows 1\nxllcorner 179\nyllcorner 0\ncellsize 1\n1 2 3", 1, "WGS84"),
    ])
    func badRaster(text: String, line: Int, message: String) {
        let error = #expect(throws: ScoringError.self) { try PopulationRaster(text: text) }
        guard case .invalidRaster(let found, let reason) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(found == line, "\(reason)")
        #expect(reason.contains(message), "\(reason)")
    }

    /// The ranked county (121.00–121.10 E × 31.00–31.08 N) under a 0.002° raster (about 190 × 220 m)
    /// reaching 0.05° beyond it. Raster cells whose centre lies more than about 1.5 km inside the county
    /// are in a kept cell whatever the lattice, those more than 1.5 km outside in none; the band in
    /// between is left empty, so the expected total needs no knowledge of the grid.
    @Test("a raster finer than the grid: every person of a raster cell whose centre is inside is counted once")
    func fineRasterConserved() throws {
        let converter = CoordinateConverter()
        let region = Region(adcode: "310101", name: "West", level: .county, boundary: Self.box(121.0, 31.0, 121.1, 31.08))
        var random = SeededRandom(seed: 5)
        let (columns, rows, west, south, size) = (100, 90, 120.95, 30.95, 0.002)
        let heavy = (row: 45, column: 52)
        var lines = ["ncols \(columns)", "nrows \(rows)", "xllcorner \(west)", "yllcorner \(south)", "cellsize \(size)", "NODATA_value -9999"]
        var inside = 0.0
        var heavyCenter = Coordinate(x: 0, y: 0)
        for row in 0..<rows {
            var values: [String] = []
            for column in 0..<columns {
                let lon = west + (Double(column) + 0.5) * size, lat = south + (Double(rows - row) - 0.5) * size
                let isInside = lon > 121.016 && lon < 121.084 && lat > 31.014 && lat < 31.066
                let isOutside = lon < 120.984 || lon > 121.116 || lat < 30.986 || lat > 31.094
                var value = isInside || isOutside ? Double(Int.random(in: 0...50, using: &random)) : 0
                if (row, column) == heavy {
                    #expect(isInside)
                    value = 1_000_000
                    heavyCenter = Coordinate(longitude: lon, latitude: lat)
                }
                if isInside { inside += value }
                values.append(isOutside && value == 7 ? "-9999" : String(Int(value)))
            }
            lines.append(values.joined(separator: " "))
        }
        let raster = try PopulationRaster(text: lines.joined(separator: "\n"))
        let surface = try Self.surface("310101", [], raster: raster, regions: [region], converter: converter)
        #expect(surface.populationSource == .raster)
        #expect(surface.totalPopulation == inside, "counted \(surface.totalPopulation), expected \(inside)")
        #expect(surface.financialIndex.allSatisfy { $0 == 1 })
        let densest = try #require(surface.population.indices.max { surface.population[$0] < surface.population[$1] })
        let distance = Geodesic.distanceMeters(from: surface.grid.cells[densest].center, to: heavyCenter)
        #expect(distance < 720, "the heavy raster cell went to a cell \(distance) m away")
    }

    /// A 0.05° raster (about 4.8 × 5.5 km) is coarser than 1 km cells: each cell gets the density at its
    /// centre × 1 km², the density being persons ÷ the raster cell's area (Karney). The code takes the
    /// area on a sphere of 111,320 m per degree, which at 31° N is about 0.3% more than the ellipsoid's,
    /// so the comparison allows 1%.
    @Test("a raster coarser than the grid is sampled as persons per km² at each cell's centre")
    func coarseRasterSampled() throws {
        let converter = CoordinateConverter()
        let region = Region(adcode: "310101", name: "West", level: .county, boundary: Self.box(121.0, 31.0, 121.1, 31.08))
        let (columns, rows, west, south, size) = (6, 4, 120.95, 30.95, 0.05)
        func persons(row: Int, column: Int) -> Double { 1_000 * Double(row * columns + column + 1) }
        var lines = ["ncols \(columns)", "nrows \(rows)", "xllcorner \(west)", "yllcorner \(south)", "cellsize \(size)"]
        for row in 0..<rows { lines.append((0..<columns).map { String(Int(persons(row: row, column: $0))) }.joined(separator: " ")) }
        let surface = try Self.surface("310101", [], raster: try PopulationRaster(text: lines.joined(separator: "\n")), regions: [region],
                                       converter: converter)
        for (index, cell) in surface.grid.cells.enumerated() {
            let column = Int(((cell.center.x - west) / size).rounded(.down))
            let fromSouth = Int(((cell.center.y - south) / size).rounded(.down))
            let w = west + Double(column) * size, s = south + Double(fromSouth) * size
            let area = Geodesic.polygonAreaSquareMeters([Coordinate(longitude: w, latitude: s), Coordinate(longitude: w + size, latitude: s),
                                                         Coordinate(longitude: w + size, latitude: s + size),
                                                         Coordinate(longitude: w, latitude: s + size)])
            let expected = persons(row: rows - 1 - fromSouth, column: column) / area * 1e6
            Self.expectRelative(surface.population[index], expected, relative: 0.01, "cell \(index)")
        }
    }

    // MARK: Refusals

    @Test("an unknown region is refused, and so is a region where nobody lives")
    func unknownAndEmpty() throws {
        let converter = CoordinateConverter()
        let unknown = #expect(throws: ScoringError.self) {
            try Self.surface("999999", [Self.population("310000", 1_000)], converter: converter)
        }
        #expect(unknown == .unknownRegion("999999"))
        #expect(unknown?.description.contains("999999") == true)
        // No figure, settlement or raster at all, and a figure of 0.
        for statistics in [[], [Self.population("310000", 0)]] {
            let empty = #expect(throws: ScoringError.self) { try Self.surface("310101", statistics, converter: converter) }
            #expect(empty == .noDemand("310101"))
        }
    }
}
