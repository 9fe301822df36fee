import Foundation

/// An immutable spatial index over WGS84 positions: k nearest, all within a radius, all in a bounding
/// box, each with a filter applied inside the search. Safe to share between threads.
///
/// **Layout.** A global grid of 1° × 1° cells in longitude and *geocentric* latitude (the direction of
/// each point's earth-centred vector). A cell holding more than `leafCapacity` points gets a sub-grid
/// over the points' bounding box, sized for about `pointsPerSubCell` points a cell, and so on down to
/// `maximumDepth` levels; points are stored in cell order, so a cell is a contiguous run, each as 16
/// bytes: its ordinal and its earth-centred offset from an anchor in whole units of 1/8192 m (a
/// point moves by at most 0.11 mm; the scan rounds the query the same way, so distances are those
/// between the rounded points, within 0.22 mm of the exact ones). Every sub-grid under one global
/// cell shares that cell's anchor (the mean of its points); a global cell without a sub-grid uses its
/// south-west corner at the equatorial radius. Offsets stay under 262 km, the range of 32 bits at
/// that unit.
///
/// **Search.** Best-first over cells by a lower bound on the chord: the smallest angle θ from the
/// query's direction to a cell (a spherical rectangle) gives `chord ≥ 2b·sin(θ/2)` with b the polar
/// radius, and the geodesic is never shorter than the chord (in sub-grids, the cell's latitude and
/// longitude gaps bound θ from below with plain arithmetic). Cells are reached along rows (the bound
/// grows with longitude distance at a fixed latitude band) and along the query's column (the bound is
/// unimodal in latitude there), so each cell is visited once and none is missed. A k-nearest search
/// ranks points by chord and a ceiling on their distance, and takes exact distances from
/// `EllipsoidalDistance` (Karney's method for chords beyond 400 km) only at the end, for the points
/// that can still make the result; a radius search takes them as it goes. Results are ordered by
/// that distance, ties by ordinal. A k-nearest query inside a sub-grid first tries the block of 3 × 3
/// leaf cells around it, all its points requested at once (`searchLeafBlock`), and goes best-first
/// only when the block cannot prove its answer.
///
/// Ordinals are positions in the array the index was built from; callers that want ties broken by id
/// build from positions sorted by id.
public struct GridIndex: Sendable {
    /// One result: which position and how far, metres along the WGS84 geodesic.
    public struct Neighbor: Hashable, Sendable {
        /// Index of the position in the array the index was built from.
        public var ordinal: Int
        /// Ellipsoidal distance from the query, metres (agrees with Karney's geodesic to 1 mm).
        public var distanceMeters: Double

        public init(ordinal: Int, distanceMeters: Double) {
            self.ordinal = ordinal
            self.distanceMeters = distanceMeters
        }
    }

    /// A cell with more points than this gets a sub-grid (unless it is at `maximumDepth`).
    public static let leafCapacity = 32
    /// Target number of points per cell of a sub-grid. Eight beat four by a fifth on 1M outlets
    /// (k = 10): scanning a few more 16-byte points costs less than visiting more cells; sixteen was
    /// no faster.
    public static let pointsPerSubCell = 8.0
    /// Levels of grids below and including the global one.
    public static let maximumDepth = 3
    /// The longest side of a sub-grid, in cells.
    static let maximumSubGridSide = 1024

    /// One grid: `rows × cols` cells over a rectangle of geocentric latitude and longitude (degrees).
    /// Exactly 64 bytes, stored 64-byte aligned, so reading one touches one cache line. The global
    /// grid is grid 0: its cells start at 0 and its edge tables are the only ones.
    struct Grid {
        var rows: Int32
        var cols: Int32
        var latitudeStart: Double
        var latitudeStep: Double
        var longitudeStart: Double
        var longitudeStep: Double
        /// cos of the grid's most poleward latitude, rounded down: no point in it is nearer a pole.
        var minimumCosLatitude: Double = 0
        /// Where this grid's cells start in `cells` (rows × cols + 1 entries); 0 only for the global grid.
        var cellBase: Int32
        /// Sub-grids only: the earth-centred point (metres) their points' offsets start from. Any
        /// point near them serves, so single precision is enough and keeps the record in one line.
        var anchorX: Float = 0, anchorY: Float = 0, anchorZ: Float = 0

        /// True for the global grid only: its columns wrap around the antimeridian.
        var wraps: Bool { cellBase == 0 }

        var anchor: EarthCenteredPoint {
            get { EarthCenteredPoint(x: Double(anchorX), y: Double(anchorY), z: Double(anchorZ)) }
            set {
                anchorX = Float(newValue.x)
                anchorY = Float(newValue.y)
                anchorZ = Float(newValue.z)
            }
        }

        /// The row holding geocentric latitude `latitude` (degrees), clamped to the grid.
        @inline(__always)
        func row(of latitude: Double) -> Int {
            min(Int(rows) - 1, max(0, Int(((latitude - latitudeStart) / latitudeStep).rounded(.down))))
        }

        /// The column holding `longitude` (degrees), clamped to the grid.
        @inline(__always)
        func column(of longitude: Double) -> Int {
            min(Int(cols) - 1, max(0, Int(((longitude - longitudeStart) / longitudeStep).rounded(.down))))
        }
    }

    /// The flat tables every query reads; immutable once built.
    let storage: Storage
    /// The positions as given (longitude normalized to [-180, 180)), by ordinal.
    let positions: [Coordinate]

    /// Number of positions indexed.
    public var count: Int { positions.count }

    /// The position (WGS84 lon/lat, degrees) with this ordinal.
    public func position(ordinal: Int) -> Coordinate { positions[ordinal] }

    /// Builds the index in one pass over `positions` (WGS84 lon/lat, degrees).
    ///
    /// - Throws: `NearbyError.invalidPosition` for a non-finite position or one out of range.
    /// - Complexity: O(n) apart from the per-cell counting sorts, which are linear too.
    public init(positions: [Coordinate]) throws(NearbyError) {
        var normalized = [Coordinate]()
        normalized.reserveCapacity(positions.count)
        for (ordinal, position) in positions.enumerated() {
            do {
                let valid = try position.validatedGeographic()
                normalized.append(Coordinate(longitude: Self.normalizedLongitude(valid.x), latitude: valid.y))
            } catch {
                throw .invalidPosition(ordinal: ordinal, reason: error.description)
            }
        }
        guard normalized.count < Int(UInt32.max) else {
            throw .invalidPosition(ordinal: Int(UInt32.max), reason: "too many positions for one index")
        }
        var builder = Builder(positions: normalized)
        builder.build()
        storage = Storage(builder)
        self.positions = normalized
    }

    /// Bytes the index holds beyond the positions themselves (cells, tables and points).
    public var indexBytes: Int { storage.byteCount }

    /// Number of grids (the global one and every sub-grid), for diagnostics.
    public var gridCount: Int { storage.grids.count }

    /// Longitude in [-180, 180).
    static func normalizedLongitude(_ longitude: Double) -> Double {
        var result = longitude.truncatingRemainder(dividingBy: 360)
        if result < -180 { result += 360 } else if result >= 180 { result -= 360 }
        return result
    }

    /// The earth-centred point at a WGS84 position (degrees), its geocentric latitude (degrees),
    /// which places it in the grids' rows, and the sine and cosine of its longitude: one function for
    /// the build and the search.
    @inline(__always)
    static func surfacePoint(_ position: Coordinate)
        -> (point: EarthCenteredPoint, geocentricLatitude: Double, sinLongitude: Double, cosLongitude: Double) {
        let (sinPhi, cosPhi) = Trigonometry.sinCos(degrees: position.y)
        let (sinLambda, cosLambda) = Trigonometry.sinCos(degrees: position.x)
        let point = EarthCenteredPoint(sinLatitude: sinPhi, cosLatitude: cosPhi, sinLongitude: sinLambda,
                                       cosLongitude: cosLambda)
        let latitude = Trigonometry.geocentricLatitudeDegrees(geodetic: position.y, sinLatitude: sinPhi,
                                                              cosLatitude: cosPhi)
        return (point, latitude, sinLambda, cosLambda)
    }
}

// MARK: - Storage

extension GridIndex {
    /// The index's tables in memory of their own, read through unchecked pointers by the search (the
    /// build guarantees every index it stores is in range). Never written after `init`, so it is
    /// safe to share between threads.
    final class Storage: @unchecked Sendable {
        let grids: UnsafeMutableBufferPointer<Grid>
        /// Every grid's cells, row by row (rows × cols + 1 entries a grid, the last one closing the run).
        let cells: UnsafeMutableBufferPointer<Cell>
        /// sin and cos of the global grid's row edges (geocentric latitude) and column edges (longitude).
        let latitudeEdges: UnsafeMutableBufferPointer<Edge>
        let longitudeEdges: UnsafeMutableBufferPointer<Edge>
        /// Points in cell order.
        let points: UnsafeMutableBufferPointer<IndexedPoint>

        /// The one block of memory that holds every table.
        private let block: UnsafeMutableRawPointer

        init(_ builder: Builder) {
            // Each run of points takes the anchor of the global cell it lies under.
            var records = [IndexedPoint]()
            records.reserveCapacity(builder.order.count)
            let root = builder.grids[0]
            for row in 0..<Int(root.rows) {
                for col in 0..<Int(root.cols) {
                    let slot = Int(root.cellBase) + row * Int(root.cols) + col
                    let child = builder.cellChild[slot]
                    let anchor = child >= 0 ? builder.grids[Int(child)].anchor
                        : GridIndex.cornerAnchor(builder.latitudeEdges[row], builder.longitudeEdges[col])
                    for k in Int(builder.cellStart[slot])..<Int(builder.cellStart[slot + 1]) {
                        let point = Int(builder.order[k])
                        records.append(IndexedPoint(
                            x: Self.offset(builder.x[point] - anchor.x), y: Self.offset(builder.y[point] - anchor.y),
                            z: Self.offset(builder.z[point] - anchor.z), ordinal: UInt32(point)))
                    }
                }
            }
            let cellRecords = zip(builder.cellStart, builder.cellChild).map { Cell(start: $0, child: $1) }
            precondition(MemoryLayout<Grid>.stride == 64, "a grid record should fill one cache line")

            // Every table in one block, each starting on a cache line.
            var layout = BlockLayout()
            let gridsAt = layout.place(builder.grids), cellsAt = layout.place(cellRecords)
            let latitudeEdgesAt = layout.place(builder.latitudeEdges)
            let longitudeEdgesAt = layout.place(builder.longitudeEdges), pointsAt = layout.place(records)
            block = Self.allocateBlock(byteCount: layout.byteCount)
            grids = layout.copy(builder.grids, into: block, at: gridsAt)
            cells = layout.copy(cellRecords, into: block, at: cellsAt)
            latitudeEdges = layout.copy(builder.latitudeEdges, into: block, at: latitudeEdgesAt)
            longitudeEdges = layout.copy(builder.longitudeEdges, into: block, at: longitudeEdgesAt)
            points = layout.copy(records, into: block, at: pointsAt)
        }

        /// Where each table goes in the block: offsets rounded up to 64 bytes.
        private struct BlockLayout {
            private(set) var byteCount = 0

            mutating func place<Element>(_ table: [Element]) -> Int {
                let offset = (byteCount + 63) & ~63
                byteCount = offset + max(1, table.count) * MemoryLayout<Element>.stride
                return offset
            }

            func copy<Element>(_ table: [Element], into block: UnsafeMutableRawPointer, at offset: Int)
                -> UnsafeMutableBufferPointer<Element> {
                let base = (block + offset).bindMemory(to: Element.self, capacity: max(1, table.count))
                base.initialize(from: table, count: table.count)
                return UnsafeMutableBufferPointer(start: base, count: table.count)
            }
        }

        /// Blocks from this size up are aligned to 2 MiB and, on Linux, offered to the kernel for huge
        /// pages (`madvise(MADV_HUGEPAGE)`): a query reads a few lines scattered over megabytes, and
        /// with 4 KiB pages most of those reads also miss the address-translation cache.
        static let hugePageBytes = 2 << 20

        /// Memory from `posix_memalign` (so `deinit` frees it), aligned to 64 bytes, or for large
        /// blocks to 2 MiB and rounded up to whole huge pages.
        private static func allocateBlock(byteCount: Int) -> UnsafeMutableRawPointer {
            let huge = byteCount >= 2 * hugePageBytes
            let alignment = huge ? hugePageBytes : 64
            let rounded = (byteCount + alignment - 1) / alignment * alignment
            var memory: UnsafeMutableRawPointer?
            guard posix_memalign(&memory, alignment, rounded) == 0, let memory else {
                fatalError("GridIndex: cannot allocate \(rounded) bytes for the index")
            }
            #if os(Linux)
            if huge { _ = madvise(memory, rounded, MADV_HUGEPAGE) }  // a hint; without it the index still works
            #endif
            return memory
        }

        /// An offset in metres as whole units of 1/8192 m.
        private static func offset(_ meters: Double) -> Int32 {
            let units = GridIndex.offsetUnits(meters)
            precondition(abs(units) <= Double(Int32.max), "an offset of \(meters) m is beyond the anchor's reach")
            return Int32(units)
        }

        deinit {
            free(block)
        }

        var byteCount: Int {
            grids.count * MemoryLayout<Grid>.stride + cells.count * MemoryLayout<Cell>.stride
                + (latitudeEdges.count + longitudeEdges.count) * MemoryLayout<Edge>.stride
                + points.count * MemoryLayout<IndexedPoint>.stride
        }

        /// Whether the cell at `slot` holds no points and no sub-grid.
        @inline(__always)
        func isEmptyLeaf(_ slot: Int) -> Bool {
            cells[slot].child < 0 && cells[slot].start == cells[slot + 1].start
        }
    }

    /// Where a cell's points start, and the sub-grid that refines it (-1 for none).
    struct Cell {
        var start: UInt32
        var child: Int32
    }

    /// sin and cos of a grid line's angle.
    struct Edge {
        var sin: Double
        var cos: Double
    }

    /// A point as its earth-centred offset from its anchor, in units of 1/8192 m, with its ordinal.
    struct IndexedPoint {
        var x: Int32, y: Int32, z: Int32
        var ordinal: UInt32
    }

    /// Offset units per metre: a power of two, so scaling is exact.
    static let offsetUnitsPerMeter = 8192.0
    static let metersPerOffsetUnit = 1.0 / 8192.0

    /// An offset in metres as a whole number of units (ties to even): the one rounding the build and
    /// the search share, so equal positions get equal offsets.
    @inline(__always)
    static func offsetUnits(_ meters: Double) -> Double {
        Trigonometry.roundedToInteger(meters * offsetUnitsPerMeter)
    }

    /// The anchor of a global cell without a sub-grid: its south-west corner at the equatorial radius,
    /// from the grid's edge tables (the build and the search use this one function).
    @inline(__always)
    static func cornerAnchor(_ latitudeEdge: Edge, _ longitudeEdge: Edge) -> EarthCenteredPoint {
        let a = EllipsoidalDistance.semiMajorAxisMeters
        return EarthCenteredPoint(x: a * latitudeEdge.cos * longitudeEdge.cos, y: a * latitudeEdge.cos * longitudeEdge.sin,
                                  z: a * latitudeEdge.sin)
    }
}

// MARK: - Building

extension GridIndex {
    /// Builds the flat tables: a counting sort of the points by global cell, then recursively by the
    /// cells of each sub-grid.
    struct Builder {
        let positions: [Coordinate]
        var x: [Double], y: [Double], z: [Double]
        /// Geocentric latitude and longitude of each point, degrees, by ordinal.
        var latitude: [Double], longitude: [Double]
        /// Ordinals, permuted into cell order as the build goes.
        var order: [UInt32]
        var scratch: [UInt32]
        var cellOfPoint: [Int32]

        var grids: [Grid] = []
        var cellStart: [UInt32] = []
        var cellChild: [Int32] = []
        var latitudeEdges: [Edge] = [], longitudeEdges: [Edge] = []

        init(positions: [Coordinate]) {
            self.positions = positions
            let n = positions.count
            x = [Double](repeating: 0, count: n)
            y = x
            z = x
            latitude = x
            longitude = x
            for (i, position) in positions.enumerated() {
                let (p, geocentricLatitude, _, _) = GridIndex.surfacePoint(position)
                x[i] = p.x
                y[i] = p.y
                z[i] = p.z
                latitude[i] = geocentricLatitude
                longitude[i] = position.x
            }
            order = (0..<UInt32(n)).map { $0 }
            scratch = order
            cellOfPoint = [Int32](repeating: 0, count: n)
        }

        mutating func build() {
            let root = Grid(rows: 180, cols: 360, latitudeStart: -90, latitudeStep: 1, longitudeStart: -180,
                            longitudeStep: 1, cellBase: 0)
            addGrid(root, range: 0..<positions.count, depth: 1)
        }

        /// Adds `template` as a grid over the points `order[range]`, sorts them by cell and refines
        /// crowded cells; returns the grid's number.
        @discardableResult
        mutating func addGrid(_ template: Grid, range: Range<Int>, depth: Int) -> Int32 {
            var grid = template
            let rows = Int(grid.rows), cols = Int(grid.cols), cells = rows * cols
            grid.cellBase = Int32(cellStart.count)
            if grid.wraps {
                for row in 0...rows {
                    let edge = (grid.latitudeStart + Double(row) * grid.latitudeStep) * .pi / 180
                    latitudeEdges.append(Edge(sin: sin(edge), cos: max(0, cos(edge))))
                }
                for col in 0...cols {
                    let edge = (grid.longitudeStart + Double(col) * grid.longitudeStep) * .pi / 180
                    longitudeEdges.append(Edge(sin: sin(edge), cos: cos(edge)))
                }
            } else {
                let poleward = max(abs(grid.latitudeStart), abs(grid.latitudeStart + Double(rows) * grid.latitudeStep))
                grid.minimumCosLatitude = max(0, cos(min(90, poleward) * .pi / 180) * (1 - 1e-12) - 1e-15)
            }
            let gridNumber = Int32(grids.count)
            grids.append(grid)
            let base = cellStart.count
            cellStart.append(contentsOf: repeatElement(0, count: cells + 1))
            cellChild.append(contentsOf: repeatElement(-1, count: cells + 1))

            // Counting sort of order[range] by cell.
            var counts = [Int](repeating: 0, count: cells + 1)
            for k in range {
                let point = Int(order[k])
                let cell = grid.row(of: latitude[point]) * cols + grid.column(of: longitude[point])
                cellOfPoint[point] = Int32(cell)
                counts[cell + 1] += 1
            }
            for cell in 0..<cells { counts[cell + 1] += counts[cell] }
            for cell in 0...cells { cellStart[base + cell] = UInt32(range.lowerBound + counts[cell]) }
            var next = counts
            for k in range {
                let point = order[k]
                let cell = Int(cellOfPoint[Int(point)])
                scratch[range.lowerBound + next[cell]] = point
                next[cell] += 1
            }
            for k in range { order[k] = scratch[k] }

            guard depth < GridIndex.maximumDepth else { return gridNumber }
            for cell in 0..<cells {
                let lower = Int(cellStart[base + cell]), upper = Int(cellStart[base + cell + 1])
                guard upper - lower > GridIndex.leafCapacity,
                      var child = subGrid(for: lower..<upper) else { continue }
                child.anchor = grid.wraps ? meanPoint(lower..<upper) : grid.anchor
                let childNumber = addGrid(child, range: lower..<upper, depth: depth + 1)
                cellChild[base + cell] = childNumber
            }
            return gridNumber
        }

        /// The mean earth-centred point (metres) of `order[range]`.
        func meanPoint(_ range: Range<Int>) -> EarthCenteredPoint {
            var sx = 0.0, sy = 0.0, sz = 0.0
            for k in range {
                let point = Int(order[k])
                sx += x[point]
                sy += y[point]
                sz += z[point]
            }
            let n = Double(range.count)
            return EarthCenteredPoint(x: sx / n, y: sy / n, z: sz / n)
        }

        /// A grid over the bounding box of `order[range]`, or nil when the points are (nearly) all
        /// at one place.
        func subGrid(for range: Range<Int>) -> Grid? {
            var south = Double.infinity, north = -Double.infinity
            var west = Double.infinity, east = -Double.infinity
            for k in range {
                let point = Int(order[k])
                south = min(south, latitude[point])
                north = max(north, latitude[point])
                west = min(west, longitude[point])
                east = max(east, longitude[point])
            }
            let minimumSideDegrees = 1e-7  // about 1 cm
            let height = north - south, width = east - west
            guard height > minimumSideDegrees || width > minimumSideDegrees else { return nil }
            let cells = max(1, Double(range.count) / GridIndex.pointsPerSubCell)
            // Square cells on the ground: a degree of longitude is cos(latitude) of a degree of latitude.
            let groundWidth = max(width * cos((south + north) / 2 * .pi / 180), minimumSideDegrees)
            let groundHeight = max(height, minimumSideDegrees)
            let side = GridIndex.maximumSubGridSide
            let rows = min(side, max(1, Int((cells * groundHeight / groundWidth).squareRoot().rounded())))
            let cols = min(side, max(1, Int((cells / Double(rows)).rounded())))
            // Widen each side a hair so every point falls strictly inside.
            let pad = 1e-9
            let latitudeStep = max(height + 2 * pad, minimumSideDegrees) / Double(rows)
            let longitudeStep = max(width + 2 * pad, minimumSideDegrees) / Double(cols)
            return Grid(rows: Int32(rows), cols: Int32(cols), latitudeStart: max(-90, south - pad),
                        latitudeStep: latitudeStep, longitudeStart: west - pad, longitudeStep: longitudeStep,
                        cellBase: -1)
        }
    }
}
