import CSitingPrefetch

extension GridIndex {
    /// Most points the fast path's block may hold (a neighbour with a sub-grid of its own can hold
    /// hundreds); beyond, the best-first search alone prunes better.
    static let leafBlockPointLimit = 256

    /// The k-nearest fast path for a query inside a sub-grid, as most queries where people live are:
    /// descend to the query's leaf cell, offer the points of the block of up to 3 × 3 cells around it
    /// (nearest cells first, no queue), and stop there if nothing outside the block can beat them.
    ///
    /// **Why the answer can be trusted.** Every point in the rectangle of geocentric latitude and
    /// longitude that the block covers has been offered: the block's cells were scanned, and where
    /// the block meets its grid's edge the rectangle runs on to the edge of the parent cell, since a
    /// sub-grid spans all its parent cell's points. A point outside the rectangle lies across one of
    /// its sides, so its angle θ from the query is at least the latitude gap to the nearer of the
    /// south and north sides, or at least `asin(cos φq · sin Δλ)` with Δλ the longitude gap to the
    /// nearer of the west and east sides (the angle to a meridian). With `chord ≥ 2b·sin(θ/2)` and
    /// `(2 sin(θ/2))² ≥ θ²(1 − θ²/12)`, the smaller of the two bounds every unscanned chord from
    /// below, scaled and shrunk by `scannedChordSquaredBound` as every cell bound is. When it
    /// exceeds the sink's limit (infinite until enough points pass the filter), no unscanned point
    /// can make the result.
    ///
    /// - Returns: `.answered` when `sink` holds the answer; otherwise `.handOver` with the block
    ///   whose points the sink has been offered (`ScannedBlock.none` when none were), for the
    ///   best-first search to go on from without offering them twice. That happens when the query
    ///   lies in a cell of the global grid, or when the certificate fails (near the parent cell's
    ///   edge, or among sparse cells).
    func searchLeafBlock(_ query: QueryFrame, into sink: inout NearestSink, where isIncluded: (Int) -> Bool)
        -> LeafBlockOutcome {
        let storage = self.storage
        var grid = storage.grids[0], gridNumber: Int32 = 0
        var row = grid.row(of: query.latitude), col = grid.column(of: query.longitude)
        var number = storage.cells[row * Int(grid.cols) + col].child
        guard number >= 0 else { return .handOver(.none) }
        var parent: CellRectangle  // the cell the leaf's grid refines
        repeat {
            parent = grid.cellRectangle(row: row, col: col)
            gridNumber = number
            grid = storage.grids[Int(number)]
            row = grid.row(of: query.latitude)
            col = grid.column(of: query.longitude)
            number = storage.cells[Int(grid.cellBase) + row * Int(grid.cols) + col].child
        } while number >= 0

        let rows = Int(grid.rows), cols = Int(grid.cols), base = Int(grid.cellBase)
        let southRow = max(0, row - 1), northRow = min(rows - 1, row + 1)
        let westCol = max(0, col - 1), eastCol = min(cols - 1, col + 1)
        var blockPoints = 0
        for blockRow in southRow...northRow {
            let first = base + blockRow * cols
            let lower = Int(storage.cells[first + westCol].start), upper = Int(storage.cells[first + eastCol + 1].start)
            blockPoints += upper - lower
            // Ask for every line of the row's points at once: they then arrive together, not one miss
            // after another as the scan reaches them.
            if blockPoints <= Self.leafBlockPointLimit, let points = storage.points.baseAddress {
                for k in stride(from: lower, to: upper, by: 4) { siting_prefetch(points + k) }
            }
        }
        guard blockPoints <= Self.leafBlockPointLimit else { return .handOver(.none) }

        // The query's cell, then its neighbours by how near the query is to each side.
        let cell = grid.cellRectangle(row: row, col: col)
        let towardRow = query.latitude - cell.south < cell.north - query.latitude ? -1 : 1
        let towardCol = query.longitude - cell.west < cell.east - query.longitude ? -1 : 1
        let origin = ScanOrigin(anchor: grid.anchor, query: query)
        func offerCell(_ rowStep: Int, _ colStep: Int) {
            let r = row + rowStep, c = col + colStep
            guard r >= 0, r < rows, c >= 0, c < cols else { return }
            let slot = base + r * cols + c
            scan(Int(storage.cells[slot].start)..<Int(storage.cells[slot + 1].start), from: origin, query, into: &sink,
                 where: isIncluded)
        }
        offerCell(0, 0)
        offerCell(0, towardCol)
        offerCell(towardRow, 0)
        offerCell(towardRow, towardCol)
        offerCell(0, -towardCol)
        offerCell(-towardRow, 0)
        offerCell(-towardRow, towardCol)
        offerCell(towardRow, -towardCol)
        offerCell(-towardRow, -towardCol)

        let southWest = grid.cellRectangle(row: southRow, col: westCol)
        let northEast = grid.cellRectangle(row: northRow, col: eastCol)
        let covered = CellRectangle(
            south: southRow == 0 ? parent.south : southWest.south, north: northRow == rows - 1 ? parent.north : northEast.north,
            west: westCol == 0 ? parent.west : southWest.west, east: eastCol == cols - 1 ? parent.east : northEast.east)
        guard covered.lowerBoundChordSquaredOutside(query) <= sink.chordSquaredLimit else { return .answered }
        return .handOver(ScannedBlock(grid: gridNumber, southRow: Int32(southRow), northRow: Int32(northRow),
                                      westCol: Int32(westCol), eastCol: Int32(eastCol)))
    }
}

/// What the fast path leaves to do.
enum LeafBlockOutcome {
    /// The sink holds the answer.
    case answered
    /// The best-first search must go on, skipping the block already offered.
    case handOver(ScannedBlock)
}

/// The cells of one grid, rows `southRow...northRow` by columns `westCol...eastCol`, whose points a
/// search has offered already.
struct ScannedBlock {
    var grid: Int32
    var southRow: Int32, northRow: Int32, westCol: Int32, eastCol: Int32

    /// No block: nothing offered yet.
    static let none = ScannedBlock(grid: -1, southRow: 0, northRow: -1, westCol: 0, eastCol: -1)

    @inline(__always)
    func contains(row: Int, col: Int) -> Bool {
        row >= Int(southRow) && row <= Int(northRow) && col >= Int(westCol) && col <= Int(eastCol)
    }
}

/// A rectangle of geocentric latitude and longitude, degrees.
struct CellRectangle {
    var south: Double, north: Double, west: Double, east: Double

    var edges: (south: Double, north: Double, west: Double, east: Double) { (south, north, west, east) }

    /// Taken off each gap (degrees, about 1 cm): cell edges are rounded sums, and a sub-grid may
    /// reach past its parent's edge by its padding.
    static let edgeSlackDegrees = 1e-7

    /// A lower bound (square metres) on the squared chord from the query, which lies inside, to any
    /// surface point outside; 0 when the query is within `edgeSlackDegrees` of a side or outside.
    @inline(__always)
    func lowerBoundChordSquaredOutside(_ query: QueryFrame) -> Double {
        let radiansPerDegree = Double.pi / 180
        let latitudeGap = max(0, min(query.latitude - south, north - query.latitude) - Self.edgeSlackDegrees)
        let longitudeGap = max(0, min(query.longitude - west, east - query.longitude) - Self.edgeSlackDegrees)
        let alongMeridian = latitudeGap * radiansPerDegree
        let lambda = min(longitudeGap, 90) * radiansPerDegree
        let acrossMeridian = query.cosLatitude * lambda * (1 - lambda * lambda / 6)  // ≤ cos φq · sin Δλ
        let angle = min(alongMeridian, acrossMeridian)
        let unitChordSquared = angle * angle * (1 - angle * angle / 12)
        return GridIndex.scannedChordSquaredBound(unitChordSquared: unitChordSquared)
    }
}

extension GridIndex.Grid {
    /// The edges of the cell at `row`, `col`, degrees: one computation for the cells' lower bounds
    /// and the fast path's certificate.
    @inline(__always)
    func cellRectangle(row: Int, col: Int) -> CellRectangle {
        let south = latitudeStart + Double(row) * latitudeStep
        let west = longitudeStart + Double(col) * longitudeStep
        return CellRectangle(south: south, north: south + latitudeStep, west: west, east: west + longitudeStep)
    }
}
