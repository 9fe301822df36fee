import CSitingPrefetch
import Foundation

extension GridIndex {
    /// The `count` positions nearest to `position` that pass `isIncluded`, nearest first (ties by
    /// ordinal), none farther than `maximumDistanceMeters`.
    ///
    /// - Parameters:
    ///   - position: WGS84 lon/lat, degrees.
    ///   - count: how many to return at most (fewer when fewer pass the filter); 0 gives none.
    ///   - maximumDistanceMeters: ellipsoidal distance cap, metres; infinity for none.
    ///   - isIncluded: called with an ordinal only for positions close enough to make the result.
    /// - Throws: `NearbyError.invalidQueryPosition` or `.invalidCount`.
    public func nearest(
        to position: Coordinate, count: Int, maximumDistanceMeters: Double = .infinity,
        where isIncluded: (Int) -> Bool = { _ in true }
    ) throws(NearbyError) -> [Neighbor] {
        let query = try QueryFrame(position)
        guard count >= 0 else { throw .invalidCount(count) }
        guard maximumDistanceMeters >= 0 else { throw .invalidRadius(maximumDistanceMeters) }
        let capacity = min(count, self.count)
        guard capacity > 0 else { return [] }
        return withUnsafeTemporaryAllocation(of: NearestSink.Candidate.self,
                                             capacity: capacity + NearestSink.spareCandidates) { buffer in
            var sink = NearestSink(capacity: capacity, limitMeters: maximumDistanceMeters, buffer: buffer)
            defer { sink.releaseGrownMemory() }
            if case .handOver(let scanned) = searchLeafBlock(query, into: &sink, where: isIncluded) {
                search(query, into: &sink, skipping: scanned, where: isIncluded)
            }
            return sink.neighbors(from: query, in: self)
        }
    }

    /// Every position within `radiusMeters` of `position` that passes `isIncluded`, nearest first
    /// (ties by ordinal).
    ///
    /// - Parameters:
    ///   - radiusMeters: ellipsoidal distance, metres, inclusive.
    ///   - position: WGS84 lon/lat, degrees.
    /// - Throws: `NearbyError.invalidQueryPosition` or `.invalidRadius`.
    public func within(
        radiusMeters: Double, of position: Coordinate, where isIncluded: (Int) -> Bool = { _ in true }
    ) throws(NearbyError) -> [Neighbor] {
        let query = try QueryFrame(position)
        guard radiusMeters >= 0, radiusMeters.isFinite else { throw .invalidRadius(radiusMeters) }
        var sink = RadiusSink(radiusMeters: radiusMeters)
        search(query, into: &sink, where: isIncluded)
        sink.neighbors.sort(by: Neighbor.isCloser)
        return sink.neighbors
    }

    /// Best-first traversal of the cells by the lower bound of their chord to the query.
    /// Cells of the block `scanned` are walked through without offering their points again.
    func search<Sink: NeighborSink>(_ query: QueryFrame, into sink: inout Sink, skipping scanned: ScannedBlock = .none,
                                    where isIncluded: (Int) -> Bool) {
        withUnsafeTemporaryAllocation(of: CellEntry.self, capacity: CellHeap.initialCapacity) { buffer in
            var heap = CellHeap(buffer)
            defer { heap.releaseGrownMemory() }
            search(query, heap: &heap, into: &sink, skipping: scanned, where: isIncluded)
        }
    }

    private func search<Sink: NeighborSink>(_ query: QueryFrame, heap: inout CellHeap, into sink: inout Sink,
                                            skipping scanned: ScannedBlock, where isIncluded: (Int) -> Bool) {
        let storage = self.storage
        let root = storage.grids[0]
        let rootCell = root.row(of: query.latitude) * Int(root.cols) + root.column(of: query.longitude)
        heap.push(CellEntry(key: 0, grid: 0, cell: Int32(rootCell), flags: .seed, steps: 0))

        while let entry = heap.popMin() {
            if entry.key > sink.chordSquaredLimit { break }
            let grid = storage.grids[Int(entry.grid)]
            let cols = Int(grid.cols)
            let cell = Int(entry.cell)
            let lower: Int, upper: Int
            if entry.flags.contains(.wholeGrid) {
                let base = Int(grid.cellBase)
                lower = Int(storage.cells[base].start)
                upper = Int(storage.cells[base + Int(grid.rows) * cols].start)
            } else {
                let slot = Int(grid.cellBase) + cell
                let child = storage.cells[slot].child
                if entry.grid == scanned.grid, scanned.contains(row: cell / cols, col: cell % cols) {
                    lower = 0
                    upper = 0
                } else if child >= 0 {
                    seed(child: child, parentKey: entry.key, query: query, pruneKey: sink.chordSquaredLimit, into: &heap)
                    lower = 0
                    upper = 0
                } else {
                    lower = Int(storage.cells[slot].start)
                    upper = Int(storage.cells[slot + 1].start)
                }
                expand(entry, grid: grid, row: cell / cols, col: cell % cols, query: query, pruneKey: sink.chordSquaredLimit,
                       into: &heap)
            }
            guard lower < upper else { continue }
            let anchor = grid.wraps
                ? Self.cornerAnchor(storage.latitudeEdges[cell / cols], storage.longitudeEdges[cell % cols])
                : grid.anchor
            scan(lower..<upper, from: ScanOrigin(anchor: anchor, query: query), query, into: &sink, where: isIncluded)
        }
    }

    /// Offers the points `storage.points[range]`, all under `origin.anchor`, that are within the
    /// sink's limit.
    @inline(__always)
    func scan<Sink: NeighborSink>(_ range: Range<Int>, from origin: ScanOrigin, _ query: QueryFrame,
                                  into sink: inout Sink, where isIncluded: (Int) -> Bool) {
        let anchor = origin.anchor
        let unitSquared = Self.metersPerOffsetUnit * Self.metersPerOffsetUnit
        for k in range {
            let record = storage.points[k]
            let dx = Double(record.x) - origin.x, dy = Double(record.y) - origin.y, dz = Double(record.z) - origin.z
            let chordSquared = (dx * dx + dy * dy + dz * dz) * unitSquared
            guard chordSquared <= sink.chordSquaredLimit else { continue }
            let point = EarthCenteredPoint(x: anchor.x + Double(record.x) * Self.metersPerOffsetUnit,
                                           y: anchor.y + Double(record.y) * Self.metersPerOffsetUnit,
                                           z: anchor.z + Double(record.z) * Self.metersPerOffsetUnit)
            sink.offer(point, ordinal: Int(record.ordinal), chordSquared: chordSquared, from: query, in: self,
                       where: isIncluded)
        }
    }

    /// The query in a run's offset units (see `IndexedPoint`), rounded as the points were, so an
    /// outlet at the query's very position is at distance 0.
    struct ScanOrigin {
        let anchor: EarthCenteredPoint
        let x: Double, y: Double, z: Double

        @inline(__always)
        init(anchor: EarthCenteredPoint, query: QueryFrame) {
            self.anchor = anchor
            x = GridIndex.offsetUnits(query.point.x - anchor.x)
            y = GridIndex.offsetUnits(query.point.y - anchor.y)
            z = GridIndex.offsetUnits(query.point.z - anchor.z)
        }
    }

    /// Exact distance: the chord formula up to its limit, Karney's geodesic beyond.
    @inline(__always)
    func distanceMeters(_ query: QueryFrame, _ point: EarthCenteredPoint, ordinal: Int, chordSquared: Double) -> Double {
        let chord = chordSquared.squareRoot()
        if chord <= EllipsoidalDistance.fastPathLimitMeters {
            return EllipsoidalDistance.metersFromChordUnchecked(query.point, point, chordMeters: chord)
        }
        return Geodesic.distanceMeters(from: query.position, to: positions[ordinal])
    }

    /// Pushes the cells next to `entry` that its flags say to reach: along the row away from the
    /// query's column, and along the query's column away from the query's row.
    func expand(_ entry: CellEntry, grid: Grid, row: Int, col: Int, query: QueryFrame, pruneKey: Double,
                into heap: inout CellHeap, depth: Int = 0) {
        let rows = Int(grid.rows), cols = Int(grid.cols)
        let flags = entry.flags, number = entry.grid
        if flags.contains(.up), row + 1 < rows {
            push(number, grid, row: row + 1, col: col, flags: [.up, .left, .right], steps: 0, query, pruneKey, &heap, depth)
        }
        if flags.contains(.down), row > 0 {
            push(number, grid, row: row - 1, col: col, flags: [.down, .left, .right], steps: 0, query, pruneKey, &heap, depth)
        }
        if grid.wraps {
            // Around the globe: 180 cells west and 179 east cover every column once.
            let steps = Int(entry.steps) + 1
            if flags.contains(.left), steps <= cols / 2 {
                push(number, grid, row: row, col: col == 0 ? cols - 1 : col - 1, flags: .left, steps: steps, query,
                     pruneKey, &heap, depth)
            }
            if flags.contains(.right), steps < cols / 2 {
                push(number, grid, row: row, col: col == cols - 1 ? 0 : col + 1, flags: .right, steps: steps, query,
                     pruneKey, &heap, depth)
            }
        } else {
            if flags.contains(.left), col > 0 {
                push(number, grid, row: row, col: col - 1, flags: .left, steps: 0, query, pruneKey, &heap, depth)
            }
            if flags.contains(.right), col + 1 < cols {
                push(number, grid, row: row, col: col + 1, flags: .right, steps: 0, query, pruneKey, &heap, depth)
            }
        }
    }

    /// Queues a cell unless its bound already rules it out. An empty cell (no points, no sub-grid)
    /// is walked through at once instead of queued: only its neighbours matter, and reaching them
    /// early is harmless. That shortcut waits until the bound is finite, or it would sweep the globe.
    @inline(__always)
    func push(_ number: Int32, _ grid: Grid, row: Int, col: Int, flags: CellEntry.Flags, steps: Int,
              _ query: QueryFrame, _ pruneKey: Double, _ heap: inout CellHeap, _ depth: Int) {
        let key = lowerBoundChordSquared(grid, row: row, col: col, query)
        guard key <= pruneKey else { return }
        let cell = row * Int(grid.cols) + col
        let entry = CellEntry(key: key, grid: number, cell: Int32(cell), flags: flags, steps: UInt16(steps))
        let slot = Int(grid.cellBase) + cell
        if pruneKey < .infinity, depth < 32, storage.isEmptyLeaf(slot) {
            expand(entry, grid: grid, row: row, col: col, query: query, pruneKey: pruneKey, into: &heap, depth: depth + 1)
        } else {
            // Start loading what the pop will read: the cell's record, or when it is already at
            // hand, the first two lines of its points.
            if pruneKey < .infinity {
                if let base = storage.points.baseAddress {
                    let points = base + Int(storage.cells[slot].start)
                    siting_prefetch(points)
                    siting_prefetch(points + 4)
                }
            } else if let base = storage.cells.baseAddress {
                siting_prefetch(base + slot)
            }
            heap.push(entry)
        }
    }

    /// Starts the search of a sub-grid at its cell nearest the query. When the query lies a quarter
    /// of the globe or more away in longitude, the row/column order no longer holds, so the whole
    /// sub-grid is scanned as one cell (its bound is its parent cell's).
    func seed(child number: Int32, parentKey: Double, query: QueryFrame, pruneKey: Double, into heap: inout CellHeap) {
        let grid = storage.grids[Int(number)]
        let cols = Int(grid.cols)
        let west = grid.longitudeStart, east = west + Double(cols) * grid.longitudeStep
        if query.longitude >= west, query.longitude <= east {
            push(number, grid, row: grid.row(of: query.latitude), col: grid.column(of: query.longitude), flags: .seed,
                 steps: 0, query, pruneKey, &heap, 0)
            return
        }
        let (eastward, westward) = query.longitudeGaps(west: west, east: east)
        let gap = min(eastward, westward)
        guard gap < 89 else {
            heap.push(CellEntry(key: parentKey, grid: number, cell: 0, flags: .wholeGrid, steps: 0))
            return
        }
        // On the nearest edge meridian the closest point is at the foot latitude tan φf = tan φq / cos Δλ.
        let footLatitude = atan2(query.sinLatitude, query.cosLatitude * cos(gap * .pi / 180)) * 180 / .pi
        let col = eastward <= westward ? 0 : cols - 1
        push(number, grid, row: grid.row(of: footLatitude), col: col, flags: .seed, steps: 0, query, pruneKey, &heap, 0)
    }

    /// A lower bound (square metres) on the squared chord from the query to any surface point whose
    /// direction lies in the cell: `4b²·hav θ` with θ the smallest angle from the query's direction
    /// to the cell and b the polar radius, less a 1 m margin's worth for rounding. Cells of the global
    /// grid use its edge tables; sub-grid cells, `subGridLowerBoundChordSquared`.
    @inline(__always)
    func lowerBoundChordSquared(_ grid: Grid, row: Int, col: Int, _ query: QueryFrame) -> Double {
        guard grid.wraps else { return subGridLowerBoundChordSquared(grid, row: row, col: col, query) }
        let latitudeEdge = row, longitudeEdge = col  // the global grid's tables start at 0
        let (south, north, west, east) = grid.cellRectangle(row: row, col: col).edges
        var cosAngle: Double
        if query.longitude >= west, query.longitude <= east {
            if query.latitude < south {
                let edge = storage.latitudeEdges[latitudeEdge]
                cosAngle = edge.cos * query.cosLatitude + edge.sin * query.sinLatitude
            } else if query.latitude > north {
                let edge = storage.latitudeEdges[latitudeEdge + 1]
                cosAngle = edge.cos * query.cosLatitude + edge.sin * query.sinLatitude
            } else {
                return 0
            }
        } else {
            let (eastward, westward) = query.longitudeGaps(west: west, east: east)
            let edge = eastward <= westward ? longitudeEdge : longitudeEdge + 1
            let meridian = storage.longitudeEdges[edge]
            let edgeSin = meridian.sin, edgeCos = meridian.cos
            let cosGap = edgeCos * query.cosLongitude + edgeSin * query.sinLongitude
            let southEdge = storage.latitudeEdges[latitudeEdge], northEdge = storage.latitudeEdges[latitudeEdge + 1]
            let sinSouth = southEdge.sin, cosSouth = southEdge.cos
            let sinNorth = northEdge.sin, cosNorth = northEdge.cos
            let t = query.cosLatitude * cosGap
            if cosGap > 0, sinSouth * t <= query.sinLatitude * cosSouth, query.sinLatitude * cosNorth <= sinNorth * t {
                // The foot of the perpendicular on the edge meridian lies within the cell's latitudes.
                let sinGap = edgeSin * query.cosLongitude - edgeCos * query.sinLongitude
                let sinAngle = query.cosLatitude * sinGap
                cosAngle = max(0, 1 - sinAngle * sinAngle).squareRoot()
            } else {
                cosAngle = max(query.sinLatitude * sinSouth + query.cosLatitude * cosSouth * cosGap,
                               query.sinLatitude * sinNorth + query.cosLatitude * cosNorth * cosGap)
            }
        }
        return Self.scannedChordSquaredBound(unitChordSquared: 2 * (1 - min(1, cosAngle)))
    }

    /// The same bound for a cell of a sub-grid, without trigonometry or tables. For directions at
    /// geocentric latitudes φ, φq and longitude difference Δλ the squared unit chord splits exactly as
    /// `2(1 − cos θ) = 4 sin²(Δφ/2) + 4 cos φ cos φq sin²(Δλ/2)`. Over the cell, Δφ is at least the
    /// latitude gap, Δλ at least the longitude gap (the nearer way round), cos φ at least the grid's
    /// `minimumCosLatitude`, and each sine at least `x − x³/6`, so the sum scaled by b² bounds the
    /// squared chord from below. It may fall short of being monotone near a gap of 180°; the walk
    /// stays safe because the exact expression it bounds is monotone.
    @inline(__always)
    func subGridLowerBoundChordSquared(_ grid: Grid, row: Int, col: Int, _ query: QueryFrame) -> Double {
        let (south, north, west, east) = grid.cellRectangle(row: row, col: col).edges
        let latitudeGap = max(0, south - query.latitude, query.latitude - north)
        var longitudeGap = 0.0
        if query.longitude < west || query.longitude > east {
            let (eastward, westward) = query.longitudeGaps(west: west, east: east)
            longitudeGap = min(180, eastward, westward)
        }
        let halfLatitude = latitudeGap * (.pi / 360), halfLongitude = longitudeGap * (.pi / 360)
        let sinLatitude = halfLatitude * (1 - halfLatitude * halfLatitude / 6)
        let sinLongitude = halfLongitude * (1 - halfLongitude * halfLongitude / 6)
        let unitChordSquared = 4 * (sinLatitude * sinLatitude
            + grid.minimumCosLatitude * query.cosLatitude * sinLongitude * sinLongitude)
        return Self.scannedChordSquaredBound(unitChordSquared: unitChordSquared)
    }

    /// A lower bound (m²) on the squared chord as the scan computes it, from a lower bound on the
    /// squared chord between unit directions: scaled by b², shrunk for the offsets' rounding, less
    /// the rounding margin. Every cell bound and the fast path's certificate end here.
    @inline(__always)
    static func scannedChordSquaredBound(unitChordSquared: Double) -> Double {
        max(0, polarRadiusSquared * unitChordSquared * offsetShrink - roundingMarginSquareMeters)
    }

    /// b², the WGS84 polar radius squared (m²): no surface point is nearer the centre than b.
    static let polarRadiusSquared: Double = {
        let b = Geodesic.wgs84SemiMajorAxisMeters * (1 - Geodesic.wgs84Flattening)
        return b * b
    }()

    /// Rounding in `1 − cos θ` is below 1e-15, about 0.1 m² after scaling by 2b²; a full square
    /// metre keeps the bound safe.
    static let roundingMarginSquareMeters = 1.0

    /// Stored points, and the query as the scan rounds it, sit up to √3/2 offset units (0.11 mm) from
    /// the true ones, so a scanned chord may be ε = 0.22 mm shorter than the bound L on the true
    /// chord: (L − ε)² ≥ L²(1 − δ) − ε²/δ for any δ > 0. With δ = 1e-6 the last term is 0.05 m²,
    /// inside the rounding margin.
    static let offsetShrink = 1 - 1e-6
}

/// The query's position, precomputed once.
struct QueryFrame {
    let position: Coordinate
    let point: EarthCenteredPoint
    /// Geocentric latitude and longitude, degrees.
    let latitude: Double
    let longitude: Double
    let sinLatitude: Double, cosLatitude: Double
    let sinLongitude: Double, cosLongitude: Double

    /// Degrees to go east from the query to `west`, and west from the query to `east`, each in
    /// [0, 360): for a longitude range the query lies outside, the nearer of the two is its gap.
    @inline(__always)
    func longitudeGaps(west: Double, east: Double) -> (eastward: Double, westward: Double) {
        var eastward = west - longitude
        if eastward < 0 { eastward += 360 }
        var westward = longitude - east
        if westward < 0 { westward += 360 }
        return (eastward, westward)
    }

    init(_ position: Coordinate) throws(NearbyError) {
        let valid: Coordinate
        do {
            valid = try position.validatedGeographic()
        } catch {
            throw .invalidQueryPosition(error.description)
        }
        let normalized = Coordinate(longitude: GridIndex.normalizedLongitude(valid.x), latitude: valid.y)
        self.position = normalized
        (point, latitude, sinLongitude, cosLongitude) = GridIndex.surfacePoint(normalized)
        longitude = normalized.x
        // The direction of the earth-centred vector gives the geocentric latitude's sine and cosine.
        let equatorial = (point.x * point.x + point.y * point.y).squareRoot()
        let radius = (equatorial * equatorial + point.z * point.z).squareRoot()
        sinLatitude = point.z / radius
        cosLatitude = equatorial / radius
    }
}

// MARK: - Cell queue

/// A cell waiting in the best-first queue.
struct CellEntry {
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let left = Flags(rawValue: 1)
        static let right = Flags(rawValue: 2)
        static let up = Flags(rawValue: 4)
        static let down = Flags(rawValue: 8)
        /// Scan every point of the grid as one cell.
        static let wholeGrid = Flags(rawValue: 16)
        static let seed: Flags = [.left, .right, .up, .down]
    }

    /// Lower bound on the squared chord to anything in the cell, m².
    var key: Double
    var grid: Int32
    /// row × cols + col.
    var cell: Int32
    var flags: Flags
    /// Cells walked along the row so far (the global grid wraps, so the walk must stop).
    var steps: UInt16
}

/// Memory a caller lends (on the stack) that moves to memory of its own only if it must grow;
/// `release()` frees what it grew into. For trivial elements.
struct LentBuffer<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    private var ownsMemory = false

    init(_ lent: UnsafeMutableBufferPointer<Element>) {
        base = lent.baseAddress!
        capacity = lent.count
    }

    /// Doubles the room, keeping the first `count` elements.
    mutating func grow(keeping count: Int) {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        if ownsMemory { base.deallocate() }
        base = larger
        capacity *= 2
        ownsMemory = true
    }

    func release() {
        if ownsMemory { base.deallocate() }
    }
}

/// A binary min-heap of cells by key, in a `LentBuffer`; `releaseGrownMemory()` frees what it grew into.
struct CellHeap {
    static let initialCapacity = 40
    private var memory: LentBuffer<CellEntry>
    private var entries: UnsafeMutablePointer<CellEntry> { memory.base }
    private var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<CellEntry>) {
        memory = LentBuffer(buffer)
    }

    func releaseGrownMemory() {
        memory.release()
    }

    @inline(__always)
    mutating func push(_ entry: CellEntry) {
        if count == memory.capacity { memory.grow(keeping: count) }
        var child = count
        count += 1
        while child > 0 {
            let parent = (child - 1) / 2
            if entries[parent].key <= entry.key { break }
            entries[child] = entries[parent]
            child = parent
        }
        entries[child] = entry
    }

    @inline(__always)
    mutating func popMin() -> CellEntry? {
        guard count > 0 else { return nil }
        let top = entries[0]
        count -= 1
        guard count > 0 else { return top }
        let last = entries[count]
        var parent = 0
        while true {
            var child = 2 * parent + 1
            if child >= count { break }
            if child + 1 < count, entries[child + 1].key < entries[child].key { child += 1 }
            if entries[child].key >= last.key { break }
            entries[parent] = entries[child]
            parent = child
        }
        entries[parent] = last
        return top
    }

}

// MARK: - Result collectors

/// Where a search puts what it finds, and how far it still needs to look.
protocol NeighborSink {
    /// Cells and points whose squared chord exceeds this (m²) cannot contribute.
    var chordSquaredLimit: Double { get }
    /// Takes a point (earth-centred, metres) with its ordinal and squared chord to the query (m²,
    /// within the limit) if it passes `isIncluded` and can still make the result.
    mutating func offer(_ point: EarthCenteredPoint, ordinal: Int, chordSquared: Double, from query: QueryFrame,
                        in index: GridIndex, where isIncluded: (Int) -> Bool)
}

extension GridIndex.Neighbor {
    /// Nearer first; equal distances by ordinal.
    @inline(__always)
    static func isCloser(_ a: Self, _ b: Self) -> Bool {
        a.distanceMeters < b.distanceMeters || (a.distanceMeters == b.distanceMeters && a.ordinal < b.ordinal)
    }
}

/// Keeps the candidates for the best `capacity` neighbours, ranked by chord, and takes exact
/// distances only at the end, for the few that can still make the result.
///
/// A point's reported distance d lies between its chord c and a ceiling: for chords up to
/// `EllipsoidalDistance.fastPathLimitMeters` the fast formula is `c·(1 + x²/6 + 3x⁴/40 + 5x⁶/112)`
/// with `x = c / 2R` and R a normal-section radius, never below the meridian radius at the equator
/// a(1 − e²), so R = a(1 − e²) gives a ceiling; beyond, the exact distance is taken at once and is its
/// own ceiling. Once `capacity` candidates are held, any point whose chord exceeds the k-th smallest
/// ceiling is farther than k of them and is dropped, and so are held candidates beyond the k-th whose
/// chords exceed it. The ceiling is above the chord by about c³/24R² (1 µm at 1 km), so the held set
/// is almost always exactly the result.
struct NearestSink: NeighborSink {
    /// A point that can still make the result: 32 bytes, so the insertion sort moves little.
    struct Candidate {
        /// Upper bound on the reported distance, metres; the distance itself when `isExact`.
        var ceiling: Double
        var chordSquared: Double
        /// From the query to the point, metres, in single precision: enough for the curvature term
        /// of the fast formula (its effect on the distance is below a micrometre at 400 km). NaN
        /// in `x` marks `ceiling` as the exact distance (beyond the fast path).
        var x: Float, y: Float, z: Float
        var ordinal: Int32

        var isExact: Bool { x.isNaN }
    }

    /// Room for candidates beyond `capacity` before the buffer grows (near-ties only).
    static let spareCandidates = 8

    let capacity: Int
    let limitMeters: Double
    private(set) var chordSquaredLimit: Double
    private var memory: LentBuffer<Candidate>
    private var candidates: UnsafeMutablePointer<Candidate> { memory.base }
    private var count = 0

    init(capacity: Int, limitMeters: Double, buffer: UnsafeMutableBufferPointer<Candidate>) {
        self.capacity = capacity
        self.limitMeters = limitMeters
        chordSquaredLimit = limitMeters * limitMeters
        memory = LentBuffer(buffer)
    }

    func releaseGrownMemory() {
        memory.release()
    }

    /// 1 / (2·a(1 − e²))², less a hair, for the ceiling's x².
    static let ceilingCurvature: Double = {
        let radius = EllipsoidalDistance.semiMajorAxisMeters * (1 - EllipsoidalDistance.eccentricitySquared)
        return 1 / (4 * radius * radius) * (1 + 1e-9)
    }()

    /// Squared chords up to this take the ceiling formula (a hair inside the fast path's limit, so
    /// the reported distance surely comes from the fast formula too).
    static let ceilingChordSquaredLimit = EllipsoidalDistance.fastPathLimitMeters
        * EllipsoidalDistance.fastPathLimitMeters * (1 - 1e-9)

    @inline(__always)
    mutating func offer(_ point: EarthCenteredPoint, ordinal: Int, chordSquared: Double, from query: QueryFrame,
                        in index: GridIndex, where isIncluded: (Int) -> Bool) {
        guard isIncluded(ordinal) else { return }
        var candidate = Candidate(ceiling: 0, chordSquared: chordSquared, x: Float(point.x - query.point.x),
                                  y: Float(point.y - query.point.y), z: Float(point.z - query.point.z),
                                  ordinal: Int32(truncatingIfNeeded: ordinal))
        if chordSquared <= Self.ceilingChordSquaredLimit {
            let x2 = chordSquared * Self.ceilingCurvature
            let growth = 1 + x2 * (1.0 / 6.0 + x2 * (3.0 / 40.0 + x2 * (5.0 / 112.0)))
            candidate.ceiling = chordSquared.squareRoot() * growth * (1 + 1e-12)
        } else {
            candidate.ceiling = index.distanceMeters(query, point, ordinal: ordinal, chordSquared: chordSquared)
            candidate.x = .nan
        }
        insert(candidate)
    }

    /// Inserts by ceiling and, when the k-th ceiling drops, lets go of candidates it rules out.
    @inline(__always)
    private mutating func insert(_ candidate: Candidate) {
        if count == memory.capacity { memory.grow(keeping: count) }
        var place = count
        while place > 0, candidates[place - 1].ceiling > candidate.ceiling {
            candidates[place] = candidates[place - 1]
            place -= 1
        }
        candidates[place] = candidate
        count += 1
        guard count >= capacity, place < capacity else { return }
        let ceiling = candidates[capacity - 1].ceiling
        chordSquaredLimit = min(ceiling * ceiling, limitMeters * limitMeters)
        var kept = capacity
        for extra in capacity..<count where candidates[extra].chordSquared <= chordSquaredLimit {
            candidates[kept] = candidates[extra]
            kept += 1
        }
        count = kept
    }

    /// The result: exact distances of the held candidates, those within the limit, nearest first
    /// (ties by ordinal), at most `capacity`.
    mutating func neighbors(from query: QueryFrame, in index: GridIndex) -> [GridIndex.Neighbor] {
        var held = [GridIndex.Neighbor]()
        held.reserveCapacity(count)
        for place in 0..<count {
            let candidate = candidates[place]
            var meters = candidate.ceiling
            if !candidate.isExact {
                let point = EarthCenteredPoint(x: query.point.x + Double(candidate.x),
                                               y: query.point.y + Double(candidate.y),
                                               z: query.point.z + Double(candidate.z))
                meters = index.distanceMeters(query, point, ordinal: Int(candidate.ordinal),
                                              chordSquared: candidate.chordSquared)
            }
            if meters <= limitMeters {
                held.append(GridIndex.Neighbor(ordinal: Int(candidate.ordinal), distanceMeters: meters))
            }
        }
        // Insertion sort by (distance, ordinal): the held set is `capacity` plus near-ties, and arrives
        // almost in order.
        held.withUnsafeMutableBufferPointer { held in
            for next in held.indices.dropFirst() {
                let neighbor = held[next]
                var place = next
                while place > 0, GridIndex.Neighbor.isCloser(neighbor, held[place - 1]) {
                    held[place] = held[place - 1]
                    place -= 1
                }
                held[place] = neighbor
            }
        }
        if held.count > capacity { held.removeLast(held.count - capacity) }
        return held
    }
}

/// Keeps everything within a radius.
struct RadiusSink: NeighborSink {
    let radiusMeters: Double
    var neighbors: [GridIndex.Neighbor] = []
    let chordSquaredLimit: Double

    init(radiusMeters: Double) {
        self.radiusMeters = radiusMeters
        chordSquaredLimit = radiusMeters * radiusMeters
    }

    @inline(__always)
    mutating func offer(_ point: EarthCenteredPoint, ordinal: Int, chordSquared: Double, from query: QueryFrame,
                        in index: GridIndex, where isIncluded: (Int) -> Bool) {
        let meters = index.distanceMeters(query, point, ordinal: ordinal, chordSquared: chordSquared)
        if meters <= radiusMeters, isIncluded(ordinal) {
            neighbors.append(GridIndex.Neighbor(ordinal: ordinal, distanceMeters: meters))
        }
    }
}
