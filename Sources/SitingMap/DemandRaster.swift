import Foundation
import SitingCore

/// The demand surface resampled onto a coarse display raster, so the heat layer's size depends on the
/// picture, not on the number of cells (a 9-million-cell national grid draws as at most about
/// 250 × 250 squares). Used when cells are finer than the raster; coarser cells are drawn one by one
/// (`DemandSquares`).
///
/// **Resampling.** Each cell is a rectangle of `cellSizeMeters` on the ground around its centre (its
/// pixel size taken from the projection's local scale at the cell's latitude); its demand is shared among
/// the display bins in proportion to the overlap area. Demand is therefore conserved, and a uniform
/// surface stays uniform whatever the ratio of cell to bin size (counting cells per bin would draw
/// stripes). Without a cell size each cell is a point and goes whole to its bin. A bin's density is its
/// demand over its own ground area, so bins on the edge of the region, partly covered, are lighter.
struct DemandRaster: Sendable {
    /// Pixel position of the top-left corner of bin (row 0, column 0).
    let originX: Double
    let originY: Double
    /// Side of a bin in pixels.
    let binSizePixels: Double
    let columns: Int
    let rows: Int
    /// Demand summed per bin, row-major from the top (north) row.
    private(set) var sums: [Double]
    /// Ground area of one bin in km² for each row (it shrinks toward the poles).
    let rowAreasKm2: [Double]

    /// Most bins along the longer side of the frame.
    static let maximumBinsPerSide = 250

    /// Bins the cells with positive, finite demand and a finite centre; other cells are ignored.
    ///
    /// - Parameters:
    ///   - binSizePixels: side of a display bin; the lattice of bins is anchored at the frame's corner.
    /// - Complexity: O(cells + bins) for cells no larger than a bin.
    init(cells: [PlanMap.DemandCell], cellSizeMeters: Double, projection: MapProjection,
         frameX: Double, frameY: Double, binSizePixels bin: Double) {
        let cellSize = cellSizeMeters.isFinite && cellSizeMeters > 0 ? cellSizeMeters : 0
        func footprint(_ cell: PlanMap.DemandCell) -> (x0: Double, y0: Double, x1: Double, y1: Double)? {
            guard cell.demand.isFinite, cell.demand > 0,
                  cell.center.x.isFinite, cell.center.y.isFinite else { return nil }
            let p = projection.pixel(cell.center)
            guard cellSize > 0 else { return (p.x, p.y, p.x, p.y) }
            let scale = projection.groundMetersPerPixel(atLatitude: cell.center.latitude)
            let halfWidth = cellSize / 2 / scale.east, halfHeight = cellSize / 2 / scale.north
            guard halfWidth.isFinite, halfHeight.isFinite else { return (p.x, p.y, p.x, p.y) }
            return (p.x - halfWidth, p.y - halfHeight, p.x + halfWidth, p.y + halfHeight)
        }

        // Pass 1: extent of all footprints, so no demand falls off the raster.
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for cell in cells {
            guard let f = footprint(cell) else { continue }
            minX = min(minX, f.x0); maxX = max(maxX, f.x1)
            minY = min(minY, f.y0); maxY = max(maxY, f.y1)
        }
        binSizePixels = bin
        guard minX <= maxX, bin > 0, bin.isFinite else {
            originX = frameX; originY = frameY; columns = 0; rows = 0; sums = []; rowAreasKm2 = []
            return
        }
        let anchorX = frameX, anchorY = frameY
        // Rounding tolerance: a footprint edge this close to a bin edge counts as on it, so touching
        // cells do not leave slivers of demand (drawn as faint bins) in their neighbours.
        let epsilon = 1e-6
        let ox = anchorX - ((anchorX - minX) / bin - epsilon).rounded(.up) * bin
        let oy = anchorY - ((anchorY - minY) / bin - epsilon).rounded(.up) * bin
        originX = ox
        originY = oy
        let columnCount = max(1, Int(((maxX - ox) / bin - epsilon).rounded(.up)))
        let rowCount = max(1, Int(((maxY - oy) / bin - epsilon).rounded(.up)))
        columns = columnCount
        rows = rowCount
        var sums = [Double](repeating: 0, count: columnCount * rowCount)

        // Pass 2: share each cell's demand among the bins its footprint overlaps, in proportion to the
        // overlap area. Overlaps are separable (width × height), and the shares are normalised by the
        // overlaps kept, so every cell's demand is kept whole.
        func clampedIndex(_ value: Double, _ count: Int) -> Int {
            guard value.isFinite else { return 0 }
            return min(max(Int(value.rounded(.down)), 0), count - 1)
        }
        let minimumOverlap = epsilon * bin
        var overlapsX: [Double] = [], overlapsY: [Double] = []
        for cell in cells {
            guard let f = footprint(cell) else { continue }
            let c0 = clampedIndex((f.x0 - ox) / bin + epsilon, columnCount)
            let c1 = clampedIndex((f.x1 - ox) / bin - epsilon, columnCount)
            let r0 = clampedIndex((f.y0 - oy) / bin + epsilon, rowCount)
            let r1 = clampedIndex((f.y1 - oy) / bin - epsilon, rowCount)
            guard c0 < c1 || r0 < r1 else {
                sums[r0 * columnCount + c0] += cell.demand
                continue
            }
            overlapsX.removeAll(keepingCapacity: true)
            overlapsY.removeAll(keepingCapacity: true)
            var totalX = 0.0, totalY = 0.0
            for column in c0...max(c0, c1) {
                let left = ox + Double(column) * bin
                let overlap = min(f.x1, left + bin) - max(f.x0, left)
                let kept = overlap >= minimumOverlap ? overlap : 0
                overlapsX.append(kept)
                totalX += kept
            }
            for row in r0...max(r0, r1) {
                let top = oy + Double(row) * bin
                let overlap = min(f.y1, top + bin) - max(f.y0, top)
                let kept = overlap >= minimumOverlap ? overlap : 0
                overlapsY.append(kept)
                totalY += kept
            }
            guard totalX > 0, totalY > 0 else {
                let column = clampedIndex(((f.x0 + f.x1) / 2 - ox) / bin, columnCount)
                let row = clampedIndex(((f.y0 + f.y1) / 2 - oy) / bin, rowCount)
                sums[row * columnCount + column] += cell.demand
                continue
            }
            let perArea = cell.demand / (totalX * totalY)
            for (rowOffset, overlapY) in overlapsY.enumerated() where overlapY > 0 {
                let base = (r0 + rowOffset) * columnCount + c0
                for (columnOffset, overlapX) in overlapsX.enumerated() where overlapX > 0 {
                    sums[base + columnOffset] += perArea * overlapX * overlapY
                }
            }
        }
        self.sums = sums
        rowAreasKm2 = (0..<rowCount).map { row in
            let latitude = projection.latitude(atPixelY: oy + (Double(row) + 0.5) * bin)
            let scale = projection.groundMetersPerPixel(atLatitude: latitude)
            return bin * bin * scale.east * scale.north / 1e6
        }
    }

    /// Demand per km² of the bin at `row`, `column`.
    func densityPerKm2(row: Int, column: Int) -> Double {
        sums[row * columns + column] / rowAreasKm2[row]
    }

    /// Densities (demand per km²) of the bins holding demand.
    var nonzeroDensities: [Double] {
        var densities: [Double] = []
        for row in 0..<rows {
            for column in 0..<columns where sums[row * columns + column] > 0 {
                densities.append(densityPerKm2(row: row, column: column))
            }
        }
        return densities
    }
}
