/// The cells of the demand surface over a region: squares of `cellSizeMeters` in an Albers
/// equal-area projection fitted to the region (`AlbersEqualArea.fitted`), so every cell covers the
/// same ground area, kept when their centre lies inside the region's polygons (holes excluded) and,
/// given a land mask, on land.
///
/// Cells are found by a scanline over the projected polygon: each edge adds its crossing of every row's
/// centre line, and the cells whose centres lie between pairs of crossings (even-odd rule) are inside.
/// The work grows with the edges plus the crossings, not with edges × rows.
public struct DemandGrid: Sendable {
    /// One cell: its row and column (from the south-west), its centre in WGS84 and in the projection.
    public struct Cell: Hashable, Sendable {
        public var row: Int
        public var column: Int
        /// Centre, WGS84 lon/lat degrees.
        public var center: Coordinate
        /// Centre in `DemandGrid.projection`, metres.
        public var projectedCenter: Coordinate
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

    /// Area of one cell, km².
    public var cellAreaKm2: Double { cellSizeMeters * cellSizeMeters / 1e6 }

    /// The cells of `region` (WGS84 polygons).
    ///
    /// - Parameters:
    ///   - landMask: when given, cells whose centre the mask calls water are left out (centres outside
    ///     the mask's extent are kept).
    ///   - converter: the PROJ adapter that projects the polygons and the cell centres.
    /// - Throws: `DemandError` for a cell size out of range, an empty region or too many cells;
    ///   a conversion failure as `DemandError.projection`.
    public init(region: MultiPolygon, cellSizeMeters: Double, landMask: LandMask? = nil,
                converter: CoordinateConverter) throws(DemandError) {
        guard Self.cellSizeRangeMeters.contains(cellSizeMeters) else { throw .cellSizeOutOfRange(cellSizeMeters) }
        let vertices = region.polygons.flatMap { $0.rings.flatMap { $0 } }
        guard let box = Self.boundingBox(of: vertices) else { throw .emptyRegion }
        let projection = AlbersEqualArea.fitted(to: box)
        // Project every ring.
        var rings: [[Coordinate]] = []
        do {
            for polygon in region.polygons {
                for ring in polygon.rings where ring.count >= 3 {
                    let projected = try converter.convert(ring, from: .wgs84, to: projection)
                    if let failure = projected.failures.first { throw DemandError.projection("\(failure)") }
                    rings.append(projected.coordinates)
                }
            }
        } catch let error as DemandError {
            throw error
        } catch {
            throw .projection("\(error)")
        }
        let xs = rings.flatMap { $0.map(\.x) }, ys = rings.flatMap { $0.map(\.y) }
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max(), maxX > minX, maxY > minY
        else { throw .emptyRegion }
        // Snap the origin to whole cells so grids of neighbouring runs line up.
        let size = cellSizeMeters
        let origin = Coordinate(x: (minX / size).rounded(.down) * size, y: (minY / size).rounded(.down) * size)
        let columns = Int(((maxX - origin.x) / size).rounded(.up))
        let rows = Int(((maxY - origin.y) / size).rounded(.up))
        guard Double(columns) * Double(rows) <= Double(Self.maximumCells) * 4 else {
            throw .tooManyCells(Int(Double(columns) * Double(rows)))
        }

        // Scanline: the x of every edge crossing each row's centre line.
        var crossings = [[Double]](repeating: [], count: rows)
        for ring in rings {
            for index in 0..<ring.count {
                let a = ring[index], b = ring[(index + 1) % ring.count]
                guard a.y != b.y else { continue }
                let (low, high) = a.y < b.y ? (a, b) : (b, a)
                // Rows whose centre y lies in [low.y, high.y).
                let first = max(0, Int(((low.y - origin.y) / size - 0.5).rounded(.up)))
                let last = min(rows - 1, Int(((high.y - origin.y) / size - 0.5).rounded(.up)) - 1)
                guard first <= last else { continue }
                for row in first...last {
                    let y = origin.y + (Double(row) + 0.5) * size
                    crossings[row].append(low.x + (y - low.y) * (high.x - low.x) / (high.y - low.y))
                }
            }
        }
        var inside: [(row: Int, column: Int, center: Coordinate)] = []
        for row in 0..<rows where !crossings[row].isEmpty {
            let xs = crossings[row].sorted()
            var pair = 0
            while pair + 1 < xs.count {
                // Columns whose centre x lies in [xs[pair], xs[pair + 1]).
                let first = max(0, Int(((xs[pair] - origin.x) / size - 0.5).rounded(.up)))
                let last = min(columns - 1, Int(((xs[pair + 1] - origin.x) / size - 0.5).rounded(.up)) - 1)
                if first <= last {
                    for column in first...last {
                        inside.append((row, column, Coordinate(x: origin.x + (Double(column) + 0.5) * size,
                                                               y: origin.y + (Double(row) + 0.5) * size)))
                    }
                }
                pair += 2
            }
        }
        guard inside.count <= Self.maximumCells else { throw .tooManyCells(inside.count) }

        // Centres back to WGS84, then the land test.
        let centers: [Coordinate]
        do {
            let back = try converter.convert(inside.map(\.center), from: projection, to: .wgs84)
            if let failure = back.failures.first { throw DemandError.projection("\(failure)") }
            centers = back.coordinates
        } catch let error as DemandError {
            throw error
        } catch {
            throw .projection("\(error)")
        }
        var cells: [Cell] = []
        cells.reserveCapacity(inside.count)
        for (index, cell) in inside.enumerated() {
            if let landMask, landMask.isLand(centers[index]) == false { continue }
            cells.append(Cell(row: cell.row, column: cell.column, center: centers[index], projectedCenter: cell.center))
        }
        self.cellSizeMeters = cellSizeMeters
        self.projection = projection
        self.origin = origin
        self.rows = rows
        self.columns = columns
        self.cells = cells
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
