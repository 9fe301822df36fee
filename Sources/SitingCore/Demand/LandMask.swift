/// Which places are land, on a regular latitude/longitude grid (WGS84 degrees), decoded from Siting's
/// run-length format (`Geodata/land-mask-china.rle`, described in `Geodata/README.md`): an ASCII header
/// `SITING-LANDMASK 1 <west> <north> 1/<cells per degree> <columns> <rows>` and a newline, then for
/// each row from the north, run lengths alternating water, land, water, … (starting with water) as
/// unsigned LEB128 varints, adding up to `columns`.
///
/// Cell (row r, column c) covers longitudes [west + c·d, west + (c+1)·d) and latitudes
/// (north − (r+1)·d, north − r·d], d the cell size in degrees. Held as one bit per cell
/// (5.8 MB for the shipped China mask); lookups are O(1) and the value is safe to share.
public struct LandMask: Sendable {
    /// West and north edges of the grid, degrees.
    public let west: Double
    public let north: Double
    /// Cells per degree.
    public let cellsPerDegree: Int
    public let columns: Int
    public let rows: Int
    /// Number of land cells.
    public let landCells: Int
    private let bits: [UInt64]

    /// The cell size, degrees.
    public var cellDegrees: Double { 1 / Double(cellsPerDegree) }

    /// Decodes the run-length format.
    ///
    /// - Throws: `LandMaskError` naming what is wrong and where (byte offset, row).
    public init(encoded bytes: [UInt8]) throws(LandMaskError) {
        guard let newline = bytes.firstIndex(of: 0x0A), newline < 200 else { throw .badHeader("no header line") }
        let header = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 7, header[0] == "SITING-LANDMASK" else {
            throw .badHeader("expected \"SITING-LANDMASK 1 <west> <north> 1/<n> <columns> <rows>\"")
        }
        guard header[1] == "1" else { throw .badHeader("version \(header[1]) is not supported (only 1)") }
        guard let west = Double(header[2]), let north = Double(header[3]), header[4].hasPrefix("1/"),
              let perDegree = Int(header[4].dropFirst(2)), perDegree > 0, let columns = Int(header[5]),
              let rows = Int(header[6]), columns > 0, rows > 0, columns * rows <= 1 << 32 else {
            throw .badHeader("unreadable numbers in \"\(header.joined(separator: " "))\"")
        }
        var bits = [UInt64](repeating: 0, count: (columns * rows + 63) / 64)
        var offset = newline + 1
        var land = 0
        for row in 0..<rows {
            var column = 0, isLand = false
            while column < columns {
                var run = 0, shift = 0
                while true {
                    guard offset < bytes.count else { throw .truncated(row: row) }
                    let byte = bytes[offset]
                    offset += 1
                    guard shift < 35 else { throw .badRun(offset: offset - 1, row: row) }
                    run |= Int(byte & 0x7F) << shift
                    shift += 7
                    if byte & 0x80 == 0 { break }
                }
                guard column + run <= columns else { throw .badRun(offset: offset - 1, row: row) }
                if isLand {
                    for cell in (row * columns + column)..<(row * columns + column + run) {
                        bits[cell >> 6] |= 1 << UInt64(cell & 63)
                    }
                    land += run
                }
                column += run
                isLand.toggle()
            }
        }
        guard offset == bytes.count else { throw .trailingBytes(offset: offset) }
        self.west = west
        self.north = north
        cellsPerDegree = perDegree
        self.columns = columns
        self.rows = rows
        landCells = land
        self.bits = bits
    }

    /// Whether the cell holding `position` (WGS84 lon/lat, degrees) is land; nil outside the grid.
    public func isLand(_ position: Coordinate) -> Bool? {
        let row = ((north - position.y) * Double(cellsPerDegree)).rounded(.down)
        let column = ((position.x - west) * Double(cellsPerDegree)).rounded(.down)
        guard row >= 0, column >= 0, row < Double(rows), column < Double(columns) else { return nil }
        return isLand(row: Int(row), column: Int(column))
    }

    /// Whether cell (row, column) is land; rows count from the north.
    public func isLand(row: Int, column: Int) -> Bool {
        let cell = row * columns + column
        return bits[cell >> 6] & (1 << UInt64(cell & 63)) != 0
    }
}

/// A land mask file that cannot be read.
public enum LandMaskError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first line is not a version 1 header.
    case badHeader(String)
    /// The file ends before the last row is complete.
    case truncated(row: Int)
    /// A run is not a valid varint or runs past the end of its row.
    case badRun(offset: Int, row: Int)
    /// Bytes follow the last row.
    case trailingBytes(offset: Int)

    public var description: String {
        switch self {
        case .badHeader(let reason): "land mask header: \(reason)"
        case .truncated(let row): "land mask: the file ends in row \(row); it is truncated"
        case .badRun(let offset, let row): "land mask: bad run length at byte \(offset) (row \(row))"
        case .trailingBytes(let offset): "land mask: unexpected bytes after the last row, from byte \(offset)"
        }
    }
}
