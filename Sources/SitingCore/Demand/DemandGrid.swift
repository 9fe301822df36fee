import Foundation

/// The cells of the demand surface over a region: squares of `cellSizeMeters` in an Albers
/// equal-area projection fitted to the region (`AlbersEqualArea.fitted`), so every cell covers the
/// same ground area, kept when their centre lies inside the region's polygons (holes excluded) and,
/// given a land mask, on land.
///
/// The region may be given as several *zones* (the counties of a province, say): every cell then
/// records the zone its centre lies in, the first zone winning where simplified outlines overlap.
///
/// Cells are found by a scanline over the projected polygons: each edge adds its crossing of every
/// row's centre line, and the cells whose centres lie between pairs of crossings (even-odd rule, per
/// zone) are inside. The work grows with the edges plus the crossings, not with edges × rows, and the
/// memory with the cells kept, not with the bounding box.
public struct DemandGrid: Sendable {
    /// One cell: its row and column (from the south-west), its zone and its centre in WGS84.
    public struct Cell: Hashable, Sendable {
        public var row: Int32
        public var column: Int32
        /// Index of the zone (in the order given) holding the centre.
        public var zone: Int32
        /// Centre, WGS84 lon/lat degrees.
        public var center: Coordinate
    }

    /// Smallest and largest cell sizes accepted, metres.
    public static let cellSizeRangeMeters: ClosedRange<Double> = 100...50_000
    /// Most cells one grid may hold (mainland China at 1 km is about 9.6 million).
    public static let maximumCells = 20_000_000

    public let cellSizeMeters: Double
    /// The equal-area projection of the grid (metres).
    public let projection: CoordinateSystem
    /// South-west corner of cell (0, 0) in the projection, metres.
    public let origin: Coordinate
    public let rows: Int
    public let columns: Int
    /// The cells kept, by row then column.
    public let cells: [Cell]
    /// `rowStarts[r]..<rowStarts[r + 1]` are the indices in `cells` of row `r` (`rows + 1` entries).
    let rowStarts: [Int32]

    /// Area of one cell, km².
    public var cellAreaKm2: Double { cellSizeMeters * cellSizeMeters / 1e6 }

    /// The cells of `region` (WGS84 polygons), all in zone 0.
    ///
    /// - Parameters:
    ///   - landMask: when given, cells whose centre the mask calls water are left out (centres outside
    ///     the mask's extent are kept).
    ///   - converter: the PROJ adapter that projects the polygons and the cell centres.
    /// - Throws: `DemandError` for a cell size out of range, an empty region or too many cells;
    ///   a conversion failure as `DemandError.projection`.
    public init(region: MultiPolygon, cellSizeMeters: Double, landMask: LandMask? = nil,
                converter: CoordinateConverter) throws(DemandError) {
        try self.init(zones: [region], cellSizeMeters: cellSizeMeters, landMask: landMask, converter: converter)
    }

    /// The cells of the union of `zones` (WGS84 polygons), each cell labelled with its zone.
    ///
    /// - Complexity: O(vertices + rows + cells), plus one inverse projection per cell inside.
    /// - Throws: as `init(region:cellSizeMeters:landMask:converter:)`.
    public init(zones: [MultiPolygon], cellSizeMeters: Double, landMask: LandMask? = nil,
                converter: CoordinateConverter) throws(DemandError) {
        guard Self.cellSizeRangeMeters.contains(cellSizeMeters) else { throw .cellSizeOutOfRange(cellSizeMeters) }
        let vertices = zones.flatMap { $0.polygons.flatMap { $0.rings.flatMap { $0 } } }
        guard let box = Self.boundingBox(of: vertices) else { throw .emptyRegion }
        let projection = AlbersEqualArea.fitted(to: box)
        // Project every ring of every zone in one batch.
        var ringZones: [Int32] = [], ringEnds: [Int] = [], flat: [Coordinate] = []
        for (zone, region) in zones.enumerated() {
            for polygon in region.polygons {
                for ring in polygon.rings where ring.count >= 3 {
                    flat.append(contentsOf: ring)
                    ringEnds.append(flat.count)
                    ringZones.append(Int32(zone))
                }
            }
        }
        let projected = try Self.convert(flat, from: .wgs84, to: projection, converter: converter)
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for point in projected {
            minX = min(minX, point.x); maxX = max(maxX, point.x)
            minY = min(minY, point.y); maxY = max(maxY, point.y)
        }
        guard maxX > minX, maxY > minY else { throw .emptyRegion }
        // Snap the origin to whole cells so grids of neighbouring runs line up.
        let size = cellSizeMeters
        let origin = Coordinate(x: (minX / size).rounded(.down) * size, y: (minY / size).rounded(.down) * size)
        let columns = Int(((maxX - origin.x) / size).rounded(.up))
        let rows = Int(((maxY - origin.y) / size).rounded(.up))
        guard Double(columns) * Double(rows) <= Double(Self.maximumCells) * 4 else {
            throw .tooManyCells(Int(Double(columns) * Double(rows)))
        }

        // Scanline: the x of every edge crossing each row's centre line, tagged with the edge's zone.
        var crossings = [[(x: Double, zone: Int32)]](repeating: [], count: rows)
        var ringStart = 0
        for (ringIndex, ringEnd) in ringEnds.enumerated() {
            let zone = ringZones[ringIndex], count = ringEnd - ringStart
            for index in 0..<count {
                let a = projected[ringStart + index], b = projected[ringStart + (index + 1) % count]
                guard a.y != b.y else { continue }
                let (low, high) = a.y < b.y ? (a, b) : (b, a)
                // Rows whose centre y lies in [low.y, high.y).
                let first = max(0, Int(((low.y - origin.y) / size - 0.5).rounded(.up)))
                let last = min(rows - 1, Int(((high.y - origin.y) / size - 0.5).rounded(.up)) - 1)
                guard first <= last else { continue }
                for row in first...last {
                    let y = origin.y + (Double(row) + 0.5) * size
                    crossings[row].append((low.x + (y - low.y) * (high.x - low.x) / (high.y - low.y), zone))
                }
            }
            ringStart = ringEnd
        }
        // Per row: each zone's inside intervals (even-odd), then the cells left to right, a cell
        // claimed by an earlier zone in the row's order skipped.
        var inside: [(row: Int32, column: Int32, zone: Int32)] = []
        // The rings' area (shoelace, holes counted as area) over the cell area saves regrowing the array.
        var twiceArea = 0.0
        ringStart = 0
        for ringEnd in ringEnds {
            var sum = 0.0
            for index in ringStart..<ringEnd {
                let a = projected[index], b = projected[index + 1 < ringEnd ? index + 1 : ringStart]
                sum += (a.x - origin.x) * (b.y - origin.y) - (b.x - origin.x) * (a.y - origin.y)
            }
            twiceArea += abs(sum)
            ringStart = ringEnd
        }
        inside.reserveCapacity(min(Self.maximumCells, Int(twiceArea / 2 / (size * size)) + 2 * rows))
        var intervals: [(first: Int, last: Int, zone: Int32)] = []
        for row in 0..<rows where !crossings[row].isEmpty {
            let sorted = crossings[row].sorted { $0.zone != $1.zone ? $0.zone < $1.zone : $0.x < $1.x }
            intervals.removeAll(keepingCapacity: true)
            var index = 0
            while index < sorted.count {
                let zone = sorted[index].zone
                var end = index
                while end < sorted.count, sorted[end].zone == zone { end += 1 }
                var pair = index
                while pair + 1 < end {
                    // Columns whose centre x lies in [x0, x1).
                    let first = max(0, Int(((sorted[pair].x - origin.x) / size - 0.5).rounded(.up)))
                    let last = min(columns - 1, Int(((sorted[pair + 1].x - origin.x) / size - 0.5).rounded(.up)) - 1)
                    if first <= last { intervals.append((first, last, zone)) }
                    pair += 2
                }
                index = end
            }
            intervals.sort { $0.first != $1.first ? $0.first < $1.first : $0.zone < $1.zone }
            var nextFree = 0
            for interval in intervals where interval.last >= nextFree {
                for column in max(interval.first, nextFree)...interval.last {
                    inside.append((Int32(row), Int32(column), interval.zone))
                }
                nextFree = interval.last + 1
            }
            guard inside.count <= Self.maximumCells else { throw .tooManyCells(inside.count) }
        }
        crossings = []

        // Centres back to WGS84, then the land test.
        let cells = try Self.keptCells(inside, origin: origin, size: size, projection: projection, landMask: landMask, converter: converter)
        self.init(cellSizeMeters: cellSizeMeters, projection: projection, origin: origin, rows: rows, columns: columns, cells: cells)
    }

    /// The same lattice with only the cells for which `keep` is true.
    public func filter(_ keep: (Int, Cell) -> Bool) -> DemandGrid {
        let kept = cells.indices.filter { keep($0, cells[$0]) }.map { cells[$0] }
        return DemandGrid(cellSizeMeters: cellSizeMeters, projection: projection, origin: origin, rows: rows,
                          columns: columns, cells: kept)
    }

    /// A lattice and its kept cells (sorted by row, then column); the row starts are counted here.
    private init(cellSizeMeters: Double, projection: CoordinateSystem, origin: Coordinate, rows: Int, columns: Int,
                 cells: [Cell]) {
        var starts = [Int32](repeating: 0, count: rows + 1)
        for cell in cells { starts[Int(cell.row) + 1] += 1 }
        for row in 0..<rows { starts[row + 1] += starts[row] }
        self.cellSizeMeters = cellSizeMeters
        self.projection = projection
        self.origin = origin
        self.rows = rows
        self.columns = columns
        self.cells = cells
        self.rowStarts = starts
    }

    /// Centre of `cell` in `projection`, metres.
    public func projectedCenter(of cell: Cell) -> Coordinate {
        Coordinate(x: origin.x + (Double(cell.column) + 0.5) * cellSizeMeters,
                   y: origin.y + (Double(cell.row) + 0.5) * cellSizeMeters)
    }

    /// Fractional row and column of a projected position (cell (r, c) spans [r, r + 1) × [c, c + 1)).
    public func latticePosition(of projected: Coordinate) -> (row: Double, column: Double) {
        ((projected.y - origin.y) / cellSizeMeters, (projected.x - origin.x) / cellSizeMeters)
    }

    /// Index in `cells` of the cell at `row`, `column`, nil when that cell is not kept.
    public func cellIndex(row: Int, column: Int) -> Int? {
        guard row >= 0, row < rows else { return nil }
        let range = cellRange(row: row, columns: column...column)
        return range.isEmpty ? nil : range.lowerBound
    }

    /// Indices in `cells` of row `row`'s kept cells whose column lies in `columns` (consecutive indices;
    /// columns may skip where cells were left out).
    public func cellRange(row: Int, columns: ClosedRange<Int>) -> Range<Int> {
        guard row >= 0, row < rows else { return 0..<0 }
        return cells.withUnsafeBufferPointer { cells in
            var low = Int(rowStarts[row]), high = Int(rowStarts[row + 1])
            let end = high
            // First cell with column >= columns.lowerBound.
            while low < high {
                let middle = (low + high) / 2
                if Int(cells[middle].column) < columns.lowerBound { low = middle + 1 } else { high = middle }
            }
            var upper = low
            while upper < end, Int(cells[upper].column) <= columns.upperBound { upper += 1 }
            return low..<upper
        }
    }

    /// The cells of `inside` whose centre (taken back to WGS84) the land mask does not call water, in
    /// order. Split over the processors: `converter` takes the first share, a converter of its own (PROJ
    /// contexts are not shared between threads) each other share; small grids stay on one. Each share
    /// converts batches of 65,536 centres and writes its cells straight into the result (no full-size
    /// temporary arrays: at millions of cells, fresh memory costs about as much as the conversion).
    static func keptCells(_ inside: [(row: Int32, column: Int32, zone: Int32)], origin: Coordinate, size: Double,
                          projection: CoordinateSystem, landMask: LandMask?, converter: CoordinateConverter) throws(DemandError) -> [Cell] {
        let count = inside.count
        let shares = max(1, min(max(1, ProcessInfo.processInfo.activeProcessorCount), 8, count / 100_000))
        let bounds = (0...shares).map { $0 * count / shares }
        nonisolated(unsafe) var kept = [Int](repeating: 0, count: shares)
        nonisolated(unsafe) var failure: DemandError?
        let lock = NSLock()
        nonisolated(unsafe) let first = converter
        let cells = [Cell](unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let buffer = buffer
            kept.withUnsafeMutableBufferPointer { kept in
                nonisolated(unsafe) let kept = kept
                DispatchQueue.concurrentPerform(iterations: shares) { share in
                    let own = share == 0 ? first : CoordinateConverter()
                    var next = bounds[share]
                    var batch: [Coordinate] = []
                    do throws(DemandError) {
                        for batchStart in stride(from: bounds[share], to: bounds[share + 1], by: 65_536) {
                            let batchEnd = min(batchStart + 65_536, bounds[share + 1])
                            batch.removeAll(keepingCapacity: true)
                            for cell in inside[batchStart..<batchEnd] {
                                batch.append(Coordinate(x: origin.x + (Double(cell.column) + 0.5) * size, y: origin.y + (Double(cell.row) + 0.5) * size))
                            }
                            let centers = try convert(batch, from: projection, to: .wgs84, converter: own)
                            for (offset, center) in centers.enumerated() {
                                if let landMask, landMask.isLand(center) == false { continue }
                                let cell = inside[batchStart + offset]
                                (buffer.baseAddress! + next).initialize(to: Cell(row: cell.row, column: cell.column, zone: cell.zone, center: center))
                                next += 1
                            }
                        }
                    } catch {
                        lock.lock()
                        failure = failure ?? error
                        lock.unlock()
                    }
                    kept[share] = next - bounds[share]
                }
            }
            // Close the gaps the land test left between shares (cells are plain values).
            var end = kept[0]
            for share in 1..<shares {
                (buffer.baseAddress! + end).moveInitialize(from: buffer.baseAddress! + bounds[share], count: kept[share])
                end += kept[share]
            }
            initialized = end
        }
        if let failure { throw failure }
        return cells
    }

    static func convert(_ points: [Coordinate], from source: CoordinateSystem, to target: CoordinateSystem,
                        converter: CoordinateConverter) throws(DemandError) -> [Coordinate] {
        do {
            let converted = try converter.convert(points, from: source, to: target)
            if let failure = converted.failures.first { throw DemandError.projection("\(failure)") }
            return converted.coordinates
        } catch let error as DemandError {
            throw error
        } catch {
            throw .projection("\(error)")
        }
    }

    /// The WGS84 box around `vertices`, nil when there are none. Regions crossing the antimeridian
    /// are not supported (none in China).
    static func boundingBox(of vertices: [Coordinate]) -> BoundingBox? {
        guard let west = vertices.map(\.x).min(), let east = vertices.map(\.x).max(),
              let south = vertices.map(\.y).min(), let north = vertices.map(\.y).max() else { return nil }
        return try? BoundingBox(west: west, south: south, east: east, north: north)
    }
}

/// A demand surface that cannot be built.
public enum DemandError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The cell size is outside `DemandGrid.cellSizeRangeMeters`.
    case cellSizeOutOfRange(Double)
    /// The region has no area.
    case emptyRegion
    /// The grid would hold more than `DemandGrid.maximumCells` cells.
    case tooManyCells(Int)
    /// Projecting the region or the cells failed (PROJ's reason).
    case projection(String)

    public var description: String {
        switch self {
        case .cellSizeOutOfRange(let meters):
            "cell size \(meters) m is out of range: use \(Int(DemandGrid.cellSizeRangeMeters.lowerBound)) to \(Int(DemandGrid.cellSizeRangeMeters.upperBound)) m"
        case .emptyRegion: "the region has no area: give a region with polygons, or a bounding box with width and height"
        case .tooManyCells(let count):
            "the grid would have \(count) cells, more than \(DemandGrid.maximumCells): use larger cells or a smaller region"
        case .projection(let reason): "projecting the demand grid failed: \(reason)"
        }
    }
}
