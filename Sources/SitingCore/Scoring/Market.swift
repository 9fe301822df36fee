import Foundation

/// A place a new outlet could open, ready to score: a demand cell's centre or a planner's site.
public struct CandidateSite: Hashable, Sendable {
    /// The planner's id; nil for a demand cell, whose id is made from its row and column on demand.
    private let listedID: String?
    private let row: Int32
    private let column: Int32
    /// WGS84 lon/lat, degrees.
    public var position: Coordinate
    /// The demand cell it lies in (index into the surface's cells).
    public var cell: Int
    public var status: CandidateStatus

    /// A planner's site.
    public init(id: String, position: Coordinate, cell: Int, status: CandidateStatus = .candidate) {
        self.listedID = id
        self.row = 0
        self.column = 0
        self.position = position
        self.cell = cell
        self.status = status
    }

    @inline(__always)
    private init(cell index: Int, of cell: DemandGrid.Cell) {
        self.listedID = nil
        self.row = cell.row
        self.column = cell.column
        self.position = cell.center
        self.cell = index
        self.status = .candidate
    }

    /// The planner's id, or `c<row>-<column>` for a demand cell.
    public var id: String { listedID ?? "c\(row)-\(column)" }

    /// Every populated cell of `surface`, by row then column.
    public static func cells(of surface: DemandSurface) -> [CandidateSite] {
        let count = surface.population.lazy.filter { $0 > 0 }.count
        return surface.grid.cells.withUnsafeBufferPointer { cells in
            surface.population.withUnsafeBufferPointer { population in
                [CandidateSite](unsafeUninitializedCapacity: count) { sites, initialized in
                    var next = 0
                    for index in cells.indices where population[index] > 0 {
                        (sites.baseAddress! + next).initialize(to: CandidateSite(cell: index, of: cells[index]))
                        next += 1
                    }
                    initialized = next
                }
            }
        }
    }

    /// The planner's sites that lie in the surface's cells (others are outside the ranked area), sorted
    /// by id.
    public static func listed(_ candidates: [Candidate], in surface: DemandSurface, converter: CoordinateConverter) throws(ScoringError) -> [CandidateSite] {
        let cells = try DemandSurface.cellIndices(of: candidates.map(\.position), in: surface.grid, converter: converter)
        return zip(candidates, cells).compactMap { candidate, cell in
            cell.map { CandidateSite(id: candidate.id, position: candidate.position, cell: $0, status: candidate.status) }
        }.sorted { $0.id < $1.id }
    }
}

/// The state of the market over a demand surface: for every cell its demand, the total utility U
/// (outside option included) and the own outlets' part of it, and whether an own outlet covers it.
///
/// Distances are WGS84 ellipsoidal: the chord between earth-centred positions, which is within 1 mm of
/// the geodesic below 10 km, and `EllipsoidalDistance`'s exact arc beyond.
public struct Market: Sendable {
    public let model: HuffModel
    public let grid: DemandGrid
    public let demand: [Double]
    public let population: [Double]
    let earthCentered: EarthCenteredPoints
    /// Per cell: Σ competitor utilities + u₀, and Σ own utilities (U is their sum). Kept apart so that
    /// closing a site brings the own part back to exactly 0 where it was 0.
    public private(set) var otherUtility: [Double]
    public private(set) var ownUtility: [Double]
    /// Per cell: U = Σ all utilities + u₀ (a new array each call: for reports and tests).
    public var totalUtility: [Double] { zip(otherUtility, ownUtility).map { $0 + $1 } }
    /// Whether an own outlet (or a pick) lies within the service distance of `cell`.
    public func isCovered(_ cell: Int) -> Bool { coverCount[cell] > 0 }
    /// Per cell: how many own outlets (and picks) lie within the service distance.
    private var coverCount: [UInt16]
    public let outsideUtility: Double
    /// The model's decay as plain numbers (inner loops).
    let kernel: DecayKernel
    /// The most a ground distance grows when projected (the inverse of the smallest singular value of
    /// the projection's local Jacobian, sampled over the grid, plus 1%): cells within d on the ground lie
    /// within d · stretch on the lattice.
    let stretch: Double
    /// For each row offset from a position's row, how many columns either side may hold a cell within
    /// the cutoff (`halfWidths.count` = 2 · reach + 1).
    let halfWidths: [Int]
    var window: Int { halfWidths.count / 2 }
    /// The same for a position at a cell's centre (no half-cell margin): the initial sweep's window.
    let centerHalfWidths: [Int]

    /// The market before any new outlet: own outlets and competitors drawn from the cells they reach.
    public init(surface: DemandSurface, ownOutlets: [(position: Coordinate, kind: OutletKind)],
                competitors: [(position: Coordinate, kind: String?)], model: HuffModel,
                converter: CoordinateConverter) throws(ScoringError) {
        try model.validate()
        self.model = model
        self.grid = surface.grid
        self.demand = surface.demand
        self.population = surface.population
        self.earthCentered = EarthCenteredPoints(surface.grid.cells)
        self.outsideUtility = model.resolvedOutsideUtility
        self.kernel = model.kernel
        self.otherUtility = [Double](repeating: model.resolvedOutsideUtility, count: surface.grid.cells.count)
        self.ownUtility = [Double](repeating: 0, count: surface.grid.cells.count)
        self.coverCount = [UInt16](repeating: 0, count: surface.grid.cells.count)
        let stretch = Self.stretch(of: surface.grid, points: earthCentered)
        self.stretch = stretch
        self.halfWidths = Self.halfWidths(limitMeters: model.cutoffMeters, stretch: stretch, cellSizeMeters: surface.grid.cellSizeMeters)
        let reach = model.cutoffMeters * stretch / surface.grid.cellSizeMeters
        self.centerHalfWidths = (-Int(reach)...Int(reach)).map { offset in
            Int((reach * reach - Double(offset * offset)).squareRoot().rounded(.down))
        }
        // Mutations happen outside `forEachCell`'s closure, which borrows self (inside it, every write
        // would copy the whole array).
        var reached: [(cell: Int, distance: Double)] = []
        let own = try Self.places(ownOutlets.map(\.position), grid: grid, reachMeters: model.cutoffMeters, converter: converter)
        for (outlet, place) in zip(ownOutlets, own) {
            guard let place else { continue }
            let attraction = model.ownAttractiveness[outlet.kind] ?? 0
            reached.removeAll(keepingCapacity: true)
            forEachCell(near: place) { reached.append(($0, $1)) }
            for (cell, distance) in reached {
                ownUtility[cell] += attraction * kernel.factor(distanceMeters: distance)
                if distance <= model.serviceDistanceMeters { coverCount[cell] &+= coverCount[cell] < .max ? 1 : 0 }
            }
        }
        let rivals = try Self.places(competitors.map(\.position), grid: grid, reachMeters: model.cutoffMeters, converter: converter)
        for (competitor, place) in zip(competitors, rivals) {
            guard let place else { continue }
            let attraction = model.attractiveness(competitorKind: competitor.kind)
            reached.removeAll(keepingCapacity: true)
            forEachCell(near: place) { reached.append(($0, $1)) }
            for (cell, distance) in reached { otherUtility[cell] += attraction * kernel.factor(distanceMeters: distance) }
        }
    }

    /// See `stretch`: sampled at up to 512 cells with an east and a north neighbour; 1.25 when none has.
    static func stretch(of grid: DemandGrid, points: EarthCenteredPoints) -> Double {
        var worst = 0.0
        let step = max(1, grid.cells.count / 512)
        for index in stride(from: 0, to: grid.cells.count, by: step) {
            let cell = grid.cells[index]
            guard let east = grid.cellIndex(row: Int(cell.row), column: Int(cell.column) + 1),
                  let north = grid.cellIndex(row: Int(cell.row) + 1, column: Int(cell.column)) else { continue }
            let o = points[index], e = points[east], n = points[north]
            let a = (e.x - o.x, e.y - o.y, e.z - o.z), b = (n.x - o.x, n.y - o.y, n.z - o.z)
            let size2 = grid.cellSizeMeters * grid.cellSizeMeters
            let p = (a.0 * a.0 + a.1 * a.1 + a.2 * a.2) / size2, q = (b.0 * b.0 + b.1 * b.1 + b.2 * b.2) / size2
            let r = (a.0 * b.0 + a.1 * b.1 + a.2 * b.2) / size2
            let smallest = (p + q) / 2 - (((p - q) / 2) * ((p - q) / 2) + r * r).squareRoot()
            if smallest > 0 { worst = max(worst, 1 / smallest.squareRoot()) }
        }
        return worst > 0 ? worst * 1.01 : 1.25
    }

    /// Columns either side, per row offset, that may hold a cell centre within `limitMeters` of a point
    /// anywhere in the middle cell.
    static func halfWidths(limitMeters: Double, stretch: Double, cellSizeMeters: Double) -> [Int] {
        let reach = limitMeters * stretch / cellSizeMeters
        let rows = Int((reach + 0.5).rounded(.down))
        return (-rows...rows).map { offset in
            let dy = max(0, Double(abs(offset)) - 0.5)
            return Int(((reach * reach - dy * dy).squareRoot() + 0.5).rounded(.down))
        }
    }

    /// A position placed on the lattice: fractional row and column, and its earth-centred point.
    public struct Place: Sendable {
        var row: Int
        var column: Int
        var point: EarthCenteredPoint
    }

    /// Lattice places of WGS84 positions (nil for positions PROJ cannot project).
    /// Positions farther than `reachMeters` outside the box of the cell centres reach no cell: nil,
    /// without projecting them.
    static func places(_ positions: [Coordinate], grid: DemandGrid, reachMeters: Double,
                       converter: CoordinateConverter) throws(ScoringError) -> [Place?] {
        guard !positions.isEmpty, let box = Envelope(covering: grid.cells.lazy.map(\.center)) else {
            return [Place?](repeating: nil, count: positions.count)
        }
        let margin = (reachMeters + grid.cellSizeMeters) / 110_000
        let widest = max(abs(box.minY), abs(box.maxY)) + margin
        let lonMargin = widest < 89 ? margin / cos(widest * .pi / 180) : 360
        let near = positions.indices.filter { index in
            let p = positions[index]
            return p.y >= box.minY - margin && p.y <= box.maxY + margin && p.x >= box.minX - lonMargin && p.x <= box.maxX + lonMargin
        }
        let projected: [Coordinate]
        do {
            let converted = try converter.convert(near.map { positions[$0] }, from: .wgs84, to: grid.projection)
            projected = converted.coordinates
        } catch {
            throw .demand(.projection("\(error)"))
        }
        var result = [Place?](repeating: nil, count: positions.count)
        for (index, point) in zip(near, projected) {
            let position = positions[index]
            let lattice = grid.latticePosition(of: point)
            guard lattice.row.isFinite, lattice.column.isFinite, abs(lattice.row) < 1e8, abs(lattice.column) < 1e8 else { continue }
            result[index] = Place(row: Int(lattice.row.rounded(.down)), column: Int(lattice.column.rounded(.down)), point: EarthCenteredPoint(position))
        }
        return result
    }

    /// The place of a candidate (its position, in its cell's lattice square).
    public func place(of candidate: CandidateSite) -> Place {
        Self.place(of: candidate, grid: grid, earthCentered: earthCentered)
    }

    @inline(__always)
    static func place(of candidate: CandidateSite, grid: DemandGrid, earthCentered: EarthCenteredPoints) -> Place {
        let cell = grid.cells[candidate.cell]
        let point = candidate.position == cell.center ? earthCentered[candidate.cell] : EarthCenteredPoint(candidate.position)
        return Place(row: Int(cell.row), column: Int(cell.column), point: point)
    }

    /// Calls `body` with every cell within the cutoff (or `limit`) of `place` and its distance in metres.
    @inline(__always)
    func forEachCell(near place: Place, within limit: Double? = nil, _ body: (Int, Double) -> Void) {
        let limit = limit ?? model.cutoffMeters
        let limitSquared = limit * limit
        let widths = limit == model.cutoffMeters ? halfWidths
            : Self.halfWidths(limitMeters: limit, stretch: stretch, cellSizeMeters: grid.cellSizeMeters)
        let window = widths.count / 2
        earthCentered.withUnsafeBuffers { points in
            for (offset, width) in widths.enumerated() {
                let row = place.row - window + offset
                guard row >= 0, row < grid.rows else { continue }
                let range = grid.cellRange(row: row, columns: (place.column - width)...(place.column + width))
                for cell in range {
                    let q = points[cell]
                    let dx = q.x - place.point.x, dy = q.y - place.point.y, dz = q.z - place.point.z
                    let chordSquared = dx * dx + dy * dy + dz * dz
                    guard chordSquared <= limitSquared else { continue }
                    let distance = Self.distanceMeters(place.point, q, chordSquared: chordSquared)
                    if distance <= limit { body(cell, distance) }
                }
            }
        }
    }

    /// WGS84 distance in metres between two surface points from their squared chord: the chord itself
    /// below 10 km (within 1 mm of the geodesic), `EllipsoidalDistance`'s arc beyond.
    @inline(__always)
    static func distanceMeters(_ a: EarthCenteredPoint, _ b: EarthCenteredPoint, chordSquared: Double) -> Double {
        let chord = chordSquared.squareRoot()
        return chord < 10_000 ? chord : EllipsoidalDistance.metersFromChordUnchecked(a, b, chordMeters: chord)
    }

    /// A new outlet's net gain in one cell: D·u·(U − Own)/(U(U + u)) with U − Own the competitors' and
    /// the outside option's utility; the whole demand where nobody served the cell (U = 0).
    @inline(__always)
    static func netGain(demand: Double, utility u: Double, other: Double, own: Double) -> Double {
        let total = other + own
        return total > 0 ? demand * u * other / (total * (total + u)) : demand
    }

    /// Net gain (demand units) of a new outlet at `place` in the current market.
    public func netGain(at place: Place) -> Double {
        let attraction = model.candidateAttractiveness
        var gain = 0.0
        demand.withUnsafeBufferPointer { demand in
            otherUtility.withUnsafeBufferPointer { other in
                ownUtility.withUnsafeBufferPointer { own in
                    forEachCell(near: place) { cell, distance in
                        let u = attraction * kernel.factor(distanceMeters: distance)
                        if u > 0 { gain += Self.netGain(demand: demand[cell], utility: u, other: other[cell], own: own[cell]) }
                    }
                }
            }
        }
        return gain
    }

    /// Net gains of new outlets at the centres of `cells` (ascending indices), computed together: each
    /// window row keeps a cursor that only moves right as the candidates of a row are swept, instead of
    /// a search per candidate and row, and blocks of rows run in parallel. Equal to `netGain(at:)` up to
    /// rounding (with a `RationalKernel` the terms are formed and summed in another order: within 1e-14
    /// relative on the national ranking).
    public func netGainsAtCenters(of cells: [Int]) -> [Double] {
        var gains = [Double](repeating: 0, count: cells.count)
        guard !cells.isEmpty else { return gains }
        // Threads pay off only for large batches (starting them costs about as much as 20,000 pairs).
        let processors = cells.count < 20_000 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        // Blocks start at the first candidate of a row, so no cursor crosses a block.
        let blockCount = processors == 1 ? 1 : min(cells.count, processors * 8)
        var starts = [0]
        for block in 1..<max(1, blockCount) {
            var start = max(starts.last!, block * cells.count / blockCount)
            while start < cells.count, start > 0, grid.cells[cells[start]].row == grid.cells[cells[start - 1]].row { start += 1 }
            if start < cells.count, start > starts.last! { starts.append(start) }
        }
        starts.append(cells.count)
        let blocks = starts
        if let rational = rationalKernel {
            let (weights, totals) = rationalInputs(rational)
            weights.withUnsafeBufferPointer { weights in
            totals.withUnsafeBufferPointer { totals in
            gains.withUnsafeMutableBufferPointer { output in
                nonisolated(unsafe) let output = output, weights = weights, totals = totals
                DispatchQueue.concurrentPerform(iterations: starts.count - 1) { block in
                    if rational.power {
                        sweepRational(cells, from: blocks[block], to: blocks[block + 1], into: output, weights: weights, totals: totals,
                                      kernel: rational, scale: 1)
                    } else {
                        sweepRational(cells, from: blocks[block], to: blocks[block + 1], into: output, weights: weights, totals: totals,
                                      kernel: rational, scale: 0)
                    }
                }
            }
            }
            }
            return gains
        }
        gains.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            DispatchQueue.concurrentPerform(iterations: starts.count - 1) { block in
                sweep(cells, from: blocks[block], to: blocks[block + 1], into: output)
            }
        }
        return gains
    }

    /// A decay whose per-cell net gain within the cutoff is a rational function of the squared chord c²,
    /// `weight / (U · g(c²) + numerator)` with `weight = D·(U − Own)/U · numerator`:
    /// - power decay with β = 2, u = a·10⁶/max(c², d_min²): g = max(c², d_min²), numerator = a·10⁶;
    /// - step decay, u = a: g = 1, numerator = a.
    /// Since D·u·(U − Own)/(U(U + u)) = (D·(U − Own)/U) · u/(U + u), one division a pair, no square root.
    /// Only below 10 km, where the chord is the distance.
    struct RationalKernel {
        var power: Bool
        var numerator: Double
        var floor: Double
        var cutoffSquared: Double
    }

    var rationalKernel: RationalKernel? {
        guard model.cutoffMeters < 10_000 else { return nil }
        let a = model.candidateAttractiveness
        switch model.decay {
        case .power(let exponent) where exponent == 2:
            return RationalKernel(power: true, numerator: a * 1e6, floor: model.minimumDistanceMeters * model.minimumDistanceMeters,
                                  cutoffSquared: model.cutoffMeters * model.cutoffMeters)
        case .step:
            return RationalKernel(power: false, numerator: a, floor: 1, cutoffSquared: model.cutoffMeters * model.cutoffMeters)
        default:
            return nil
        }
    }

    /// `sweep` with a `RationalKernel`, two cells at a time. `scale` is 1 for power decay (g = max(c², floor))
    /// and 0 for step decay (g = max(0, 1) = 1); a constant, so each call compiles to one straight loop.
    @inline(__always)
    private func sweepRational(_ cells: [Int], from: Int, to: Int, into output: UnsafeMutableBufferPointer<Double>,
                               weights: UnsafeBufferPointer<Double>, totals: UnsafeBufferPointer<Double>,
                               kernel: RationalKernel, scale: Double) {
        let widths = centerHalfWidths
        let window = widths.count / 2
        let cutoffSquared = kernel.cutoffSquared
        let numerator = kernel.numerator, floor = kernel.floor
        var low = [Int](repeating: 0, count: 2 * window + 1)
        var high = [Int](repeating: 0, count: 2 * window + 1)
        var currentRow = Int.min
        let rows = grid.rows
        grid.cells.withUnsafeBufferPointer { gridCells in
        grid.rowStarts.withUnsafeBufferPointer { rowStarts in
        earthCentered.withUnsafeBuffers { points in
        low.withUnsafeMutableBufferPointer { low in
        high.withUnsafeMutableBufferPointer { high in
            let weightBase = UnsafeRawPointer(weights.baseAddress!), totalBase = UnsafeRawPointer(totals.baseAddress!)
            let xBase = UnsafeRawPointer(points.x.baseAddress!), yBase = UnsafeRawPointer(points.y.baseAddress!)
            let zBase = UnsafeRawPointer(points.z.baseAddress!)
            let floors = SIMD2(repeating: floor), limits = SIMD2(repeating: cutoffSquared), numerators = SIMD2(repeating: numerator)
            for slot in from..<to {
                let center = cells[slot]
                let row = Int(gridCells[center].row), column = Int(gridCells[center].column)
                if row != currentRow {
                    currentRow = row
                    for offset in 0..<low.count {
                        let r = row - window + offset
                        low[offset] = r >= 0 && r < rows ? Int(rowStarts[r]) : 0
                        high[offset] = low[offset]
                    }
                }
                let p = points[center]
                let px = SIMD2(repeating: p.x), py = SIMD2(repeating: p.y), pz = SIMD2(repeating: p.z)
                var sum = SIMD2<Double>.zero
                var tail = 0.0
                for offset in 0..<low.count {
                    let r = row - window + offset
                    guard r >= 0, r < rows else { continue }
                    let end = Int(rowStarts[r + 1])
                    let width = widths[offset]
                    let (first, last) = Self.advanceCursors(&low[offset], &high[offset], end: end, cells: gridCells,
                                                            columns: column - width, through: column + width)
                    var index = first
                    while index &+ 1 < last {
                        let offset = index &* 8
                        let dx = xBase.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self) - px
                        let dy = yBase.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self) - py
                        let dz = zBase.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self) - pz
                        let chordSquared = dx * dx + dy * dy + dz * dz
                        let weight = weightBase.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self)
                        let total = totalBase.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self)
                        let scaled = chordSquared * scale
                        let g = scaled.replacing(with: floors, where: scaled .< floors)
                        let term = weight / (total * g + numerators)
                        sum += term.replacing(with: 0, where: chordSquared .> limits)
                        index &+= 2
                    }
                    if index < last {
                        let q = points[index]
                        let dx = q.x - p.x, dy = q.y - p.y, dz = q.z - p.z
                        let chordSquared = dx * dx + dy * dy + dz * dz
                        if chordSquared <= cutoffSquared {
                            tail += weights[index] / (totals[index] * max(chordSquared * scale, floor) + numerator)
                        }
                    }
                }
                output[slot] = sum[0] + sum[1] + tail
            }
        }
        }
        }
        }
        }
    }

    /// Upper bounds of the net gains of new outlets at the centres of `cells` (ascending indices), one
    /// per block of `size` × `size` lattice cells and shared by its candidates; nil when the decay has no
    /// `RationalKernel` (then only exact gains are available).
    ///
    /// Every candidate s of a block lies within ρ (chord) of the block's centroid m, so by the triangle
    /// inequality its chord to a cell c is at least |c − m| − ρ; the net gain in c falls with distance,
    /// so the gain at that smaller distance (at the cutoff test too) bounds each candidate's. About a
    /// tenth of the pairs of the exact sweep for 5 × 5 blocks, at the price of a square root a pair.
    public func netGainBoundsAtCenters(of cells: [Int], blockSize size: Int = 5) -> [Double]? {
        guard let rational = rationalKernel else { return nil }
        var bounds = [Double](repeating: 0, count: cells.count)
        guard !cells.isEmpty else { return bounds }
        let (weights, totals) = rationalInputs(rational)
        // Block rows: the candidates of lattice rows k·size ..< (k + 1)·size, contiguous in `cells`.
        var blockRows: [Range<Int>] = []
        var start = 0
        while start < cells.count {
            let blockRow = Int(grid.cells[cells[start]].row) / size
            var end = start + 1
            while end < cells.count, Int(grid.cells[cells[end]].row) / size == blockRow { end += 1 }
            blockRows.append(start..<end)
            start = end
        }
        let processors = cells.count < 20_000 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let chunks = processors == 1 ? 1 : min(blockRows.count, processors * 8)
        let rows = blockRows
        weights.withUnsafeBufferPointer { weights in
        totals.withUnsafeBufferPointer { totals in
        bounds.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output, weights = weights, totals = totals
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for blockRow in (chunk * rows.count / chunks)..<((chunk + 1) * rows.count / chunks) {
                    if rational.power {
                        boundBlockRow(cells, slots: rows[blockRow], size: size, into: output, weights: weights, totals: totals,
                                      kernel: rational, scale: 1)
                    } else {
                        boundBlockRow(cells, slots: rows[blockRow], size: size, into: output, weights: weights, totals: totals,
                                      kernel: rational, scale: 0)
                    }
                }
            }
        }
        }
        }
        return bounds
    }

    /// Per cell, the weight D·(U − Own)/U · numerator and the total U of `RationalKernel`.
    private func rationalInputs(_ rational: RationalKernel) -> (weights: [Double], totals: [Double]) {
        let count = grid.cells.count
        var weights = [Double](repeating: 0, count: count), totals = [Double](repeating: 0, count: count)
        let chunks = count < 100_000 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) * 4
        weights.withUnsafeMutableBufferPointer { weights in
        totals.withUnsafeMutableBufferPointer { totals in
        demand.withUnsafeBufferPointer { demand in
        otherUtility.withUnsafeBufferPointer { other in
        ownUtility.withUnsafeBufferPointer { own in
            nonisolated(unsafe) let weights = weights, totals = totals, demand = demand, other = other, own = own
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for cell in (chunk * count / chunks)..<((chunk + 1) * count / chunks) {
                    let total = other[cell] + own[cell]
                    // D·other/U; the whole demand where nobody served the cell (U = 0).
                    weights[cell] = (total > 0 ? demand[cell] * other[cell] / total : demand[cell]) * rational.numerator
                    totals[cell] = total
                }
            }
        }
        }
        }
        }
        }
        return (weights, totals)
    }

    /// `netGainBoundsAtCenters` for the candidates `slots` of one block row.
    @inline(__always)
    private func boundBlockRow(_ cells: [Int], slots: Range<Int>, size: Int, into output: UnsafeMutableBufferPointer<Double>,
                               weights: UnsafeBufferPointer<Double>, totals: UnsafeBufferPointer<Double>,
                               kernel: RationalKernel, scale: Double) {
        let widths = centerHalfWidths
        let window = widths.count / 2
        let cutoff = model.cutoffMeters
        let numerator = kernel.numerator, floor = kernel.floor
        // The candidates by block column (stable: row, then column within a block).
        var members = slots.map { (block: Int(grid.cells[cells[$0]].column) / size, slot: $0) }
        members.sort { $0.block != $1.block ? $0.block < $1.block : $0.slot < $1.slot }
        let firstRow = Int(grid.cells[cells[slots.lowerBound]].row) / size * size
        // Window rows firstRow − window ... firstRow + size − 1 + window, each with its half width.
        let rowCount = 2 * window + size
        var low = [Int](repeating: 0, count: rowCount), high = low, halfWidth = low
        for offset in 0..<rowCount {
            let r = firstRow - window + offset
            let gap = max(0, firstRow - r, r - (firstRow + size - 1))
            halfWidth[offset] = gap <= window ? widths[window + gap] : -1
            low[offset] = r >= 0 && r < grid.rows ? Int(grid.rowStarts[r]) : 0
            high[offset] = low[offset]
        }
        grid.cells.withUnsafeBufferPointer { gridCells in
        grid.rowStarts.withUnsafeBufferPointer { rowStarts in
        earthCentered.withUnsafeBuffers { points in
            let weightBase = UnsafeRawPointer(weights.baseAddress!), totalBase = UnsafeRawPointer(totals.baseAddress!)
            let xBase = UnsafeRawPointer(points.x.baseAddress!), yBase = UnsafeRawPointer(points.y.baseAddress!)
            let zBase = UnsafeRawPointer(points.z.baseAddress!)
            let floors = SIMD2(repeating: floor), limits = SIMD2(repeating: cutoff), numerators = SIMD2(repeating: numerator)
            var first = 0
            while first < members.count {
                var last = first + 1
                while last < members.count, members[last].block == members[first].block { last += 1 }
                // Centroid, radius and columns of the block's candidates.
                var mx = 0.0, my = 0.0, mz = 0.0
                var minColumn = Int.max, maxColumn = Int.min
                for member in first..<last {
                    let cell = cells[members[member].slot]
                    mx += points.x[cell]; my += points.y[cell]; mz += points.z[cell]
                    let column = Int(gridCells[cell].column)
                    minColumn = min(minColumn, column); maxColumn = max(maxColumn, column)
                }
                let count = Double(last - first)
                mx /= count; my /= count; mz /= count
                var radius = 0.0
                for member in first..<last {
                    let q = points[cells[members[member].slot]]
                    let dx = q.x - mx, dy = q.y - my, dz = q.z - mz
                    radius = max(radius, (dx * dx + dy * dy + dz * dz).squareRoot())
                }
                // A millimetre more covers the rounding of these sums.
                radius += 1e-3
                let px = SIMD2(repeating: mx), py = SIMD2(repeating: my), pz = SIMD2(repeating: mz)
                let radii = SIMD2(repeating: radius)
                var sum = SIMD2<Double>.zero
                var tail = 0.0
                for offset in 0..<rowCount where halfWidth[offset] >= 0 {
                    let r = firstRow - window + offset
                    guard r >= 0, r < grid.rows else { continue }
                    let end = Int(rowStarts[r + 1])
                    let width = halfWidth[offset]
                    var (index, stop) = Self.advanceCursors(&low[offset], &high[offset], end: end, cells: gridCells,
                                                            columns: minColumn - width, through: maxColumn + width)
                    while index &+ 1 < stop {
                        let offset = index &* 8
                        let dx = xBase.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self) - px
                        let dy = yBase.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self) - py
                        let dz = zBase.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self) - pz
                        let near = (dx * dx + dy * dy + dz * dz).squareRoot() - radii
                        let clamped = near.replacing(with: 0, where: near .< 0)
                        let scaled = clamped * clamped * scale
                        let g = scaled.replacing(with: floors, where: scaled .< floors)
                        let weight = weightBase.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self)
                        let total = totalBase.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self)
                        let term = weight / (total * g + numerators)
                        sum += term.replacing(with: 0, where: near .> limits)
                        index &+= 2
                    }
                    if index < stop {
                        let q = points[index]
                        let dx = q.x - mx, dy = q.y - my, dz = q.z - mz
                        let near = max(0, (dx * dx + dy * dy + dz * dz).squareRoot() - radius)
                        if near <= cutoff {
                            tail += weights[index] / (totals[index] * max(near * near * scale, floor) + numerator)
                        }
                    }
                }
                // Relative rounding of a sum of positive terms, with room to spare.
                let bound = (sum[0] + sum[1] + tail) * (1 + 1e-9)
                for member in first..<last { output[members[member].slot] = bound }
                first = last
            }
        }
        }
        }
    }

    /// `netGainsAtCenters` for `cells[from..<to]`.
    private func sweep(_ cells: [Int], from: Int, to: Int, into output: UnsafeMutableBufferPointer<Double>) {
        // Candidates sit at cell centres: centre-to-centre lattice distances bound the window exactly.
        let widths = centerHalfWidths
        let window = widths.count / 2
        let cutoffSquared = model.cutoffMeters * model.cutoffMeters
        let attraction = model.candidateAttractiveness
        var cursors = [Int](repeating: 0, count: 2 * window + 1)
        var currentRow = Int.min
        grid.cells.withUnsafeBufferPointer { gridCells in
        grid.rowStarts.withUnsafeBufferPointer { rowStarts in
        earthCentered.withUnsafeBuffers { points in
        demand.withUnsafeBufferPointer { demand in
        otherUtility.withUnsafeBufferPointer { other in
        ownUtility.withUnsafeBufferPointer { own in
            for slot in from..<to {
                let center = cells[slot]
                let row = Int(gridCells[center].row), column = Int(gridCells[center].column)
                if row != currentRow {
                    currentRow = row
                    for offset in 0..<cursors.count {
                        let r = row - window + offset
                        cursors[offset] = r >= 0 && r < grid.rows ? Int(rowStarts[r]) : 0
                    }
                }
                let p = points[center]
                var gain = 0.0
                for offset in 0..<cursors.count {
                    let r = row - window + offset
                    guard r >= 0, r < grid.rows else { continue }
                    let end = Int(rowStarts[r + 1])
                    var index = cursors[offset]
                    let width = widths[offset]
                    while index < end, Int(gridCells[index].column) < column - width { index += 1 }
                    cursors[offset] = index
                    while index < end, Int(gridCells[index].column) <= column + width {
                        let q = points[index]
                        let dx = q.x - p.x, dy = q.y - p.y, dz = q.z - p.z
                        let chordSquared = dx * dx + dy * dy + dz * dz
                        if chordSquared <= cutoffSquared {
                            let u = attraction * kernel.factor(distanceMeters: Self.distanceMeters(p, q, chordSquared: chordSquared))
                            if u > 0 { gain += Self.netGain(demand: demand[index], utility: u, other: other[index], own: own[index]) }
                        }
                        index += 1
                    }
                }
                output[slot] = gain
            }
        }
        }
        }
        }
        }
        }
    }

    /// The full breakdown of a new outlet at `place`, and the population it newly covers.
    public func breakdown(at place: Place) -> (capture: CaptureBreakdown, newlyCoveredPopulation: Double) {
        let attraction = model.candidateAttractiveness
        var result = CaptureBreakdown()
        var newlyCovered = 0.0
        forEachCell(near: place) { cell, distance in
            if distance <= model.serviceDistanceMeters, coverCount[cell] == 0 { newlyCovered += population[cell] }
            let u = attraction * kernel.factor(distanceMeters: distance)
            guard u > 0 else { return }
            let d = demand[cell], own = ownUtility[cell], t = otherUtility[cell] + own
            guard t > 0 else {
                result.grossCapture += d
                result.newToMarket += d
                return
            }
            let common = d * u / (t * (t + u))
            result.grossCapture += d * u / (t + u)
            result.cannibalization += common * own
            result.wonFromCompetitors += common * (otherUtility[cell] - outsideUtility)
            result.newToMarket += common * outsideUtility
        }
        return (result, newlyCovered)
    }

    /// Opens (`sign` 1) or closes (`sign` −1) a new own outlet at `place`.
    public mutating func open(at place: Place, sign: Double = 1) {
        let attraction = model.candidateAttractiveness
        let service = model.serviceDistanceMeters
        var reached: [(cell: Int, distance: Double)] = []
        forEachCell(near: place) { reached.append(($0, $1)) }
        for (cell, distance) in reached {
            let u = attraction * kernel.factor(distanceMeters: distance)
            if sign > 0 {
                ownUtility[cell] += u
                if distance <= service, coverCount[cell] < .max { coverCount[cell] += 1 }
            } else {
                let left = ownUtility[cell] - u
                // What is left below a billionth of the site's own utility is rounding: the cell had no
                // other own outlet.
                ownUtility[cell] = left <= 1e-9 * u ? 0 : left
                if distance <= service, coverCount[cell] > 0 { coverCount[cell] -= 1 }
            }
        }
    }

    /// Σ D·Own/U over all cells: the demand the bank captures (demand units).
    public var ownCapture: Double {
        var sum = 0.0
        for cell in demand.indices {
            let total = otherUtility[cell] + ownUtility[cell]
            if total > 0 { sum += demand[cell] * ownUtility[cell] / total }
        }
        return sum
    }

    /// What each outlet at `places` captures (Σ D·u/U over the cells it reaches).
    func capture(of places: [Place?], attractions: [Double]) -> [Double] {
        zip(places, attractions).map { place, attraction in
            guard let place else { return 0 }
            var sum = 0.0
            forEachCell(near: place) { cell, distance in
                let u = attraction * kernel.factor(distanceMeters: distance)
                let total = otherUtility[cell] + ownUtility[cell]
                if u > 0, total > 0 { sum += demand[cell] * u / total }
            }
            return sum
        }
    }
}

/// Earth-centred points of a grid's cell centres, one array per axis (the initial sweep loads two
/// cells' coordinates at a time).
struct EarthCenteredPoints: Sendable {
    let x: [Double]
    let y: [Double]
    let z: [Double]

    /// The centres of `cells`, converted in parallel for large grids.
    init(_ cells: [DemandGrid.Cell]) {
        let count = cells.count
        var x = [Double](repeating: 0, count: count), y = x, z = x
        let chunks = count < 100_000 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 8) * 4
        x.withUnsafeMutableBufferPointer { xs in
        y.withUnsafeMutableBufferPointer { ys in
        z.withUnsafeMutableBufferPointer { zs in
            nonisolated(unsafe) let xs = xs, ys = ys, zs = zs
            DispatchQueue.concurrentPerform(iterations: max(1, chunks)) { chunk in
                for index in (chunk * count / max(1, chunks))..<((chunk + 1) * count / max(1, chunks)) {
                    let point = EarthCenteredPoint(cells[index].center)
                    xs[index] = point.x
                    ys[index] = point.y
                    zs[index] = point.z
                }
            }
        }
        }
        }
        self.x = x
        self.y = y
        self.z = z
    }

    subscript(index: Int) -> EarthCenteredPoint {
        EarthCenteredPoint(x: x[index], y: y[index], z: z[index])
    }

    /// The three arrays as buffers, for inner loops.
    struct Buffers {
        let x: UnsafeBufferPointer<Double>
        let y: UnsafeBufferPointer<Double>
        let z: UnsafeBufferPointer<Double>

        @inline(__always)
        subscript(index: Int) -> EarthCenteredPoint {
            EarthCenteredPoint(x: x[index], y: y[index], z: z[index])
        }
    }

    @inline(__always)
    func withUnsafeBuffers<R>(_ body: (Buffers) -> R) -> R {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                z.withUnsafeBufferPointer { z in body(Buffers(x: x, y: y, z: z)) }
            }
        }
    }
}

extension Market {
    /// Moves one window row's cursors forward over the row's cells (which run in column order, up to
    /// `end`): `low` to the first cell at column `from` or later, `high` past the last at column `to`
    /// or earlier. Returns the cell range between them. Cursors only move forward, so a sweep along
    /// a row touches each cell a bounded number of times.
    @inline(__always)
    static func advanceCursors(_ low: inout Int, _ high: inout Int, end: Int, cells: UnsafeBufferPointer<DemandGrid.Cell>,
                               columns from: Int, through to: Int) -> (Int, Int) {
        var first = low
        while first < end, Int(cells[first].column) < from { first += 1 }
        low = first
        var last = max(high, first)
        while last < end, Int(cells[last].column) <= to { last += 1 }
        high = last
        return (first, last)
    }
}
