/// A population raster in the ESRI ASCII grid format (`.asc`): persons per raster cell, on a WGS84
/// longitude/latitude lattice (degrees), as WorldPop and GHSL publish them.
///
/// The header has `ncols`, `nrows`, `xllcorner`/`xllcenter`, `yllcorner`/`yllcenter`, `cellsize` and an
/// optional `NODATA_value`, one per line in any order; then `nrows` lines of `ncols` numbers, the
/// northern row first. Negative values other than NODATA are errors.
public struct PopulationRaster: Sendable {
    public let columns: Int
    public let rows: Int
    /// West edge of the raster, degrees of longitude.
    public let west: Double
    /// South edge of the raster, degrees of latitude.
    public let south: Double
    /// Size of a raster cell, degrees.
    public let cellSizeDegrees: Double
    /// Persons per cell, row by row from the north; NaN for NODATA.
    public let values: [Double]

    /// Parses the text of an `.asc` file.
    /// - Throws: `ScoringError.invalidRaster` with the line and the reason.
    public init(text: String) throws(ScoringError) {
        var header: [String: Double] = [:]
        var values: [Double] = []
        var lineNumber = 0
        var columns = 0, rows = 0
        var noData: Double?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            if values.isEmpty, let first = fields.first, first.first?.isLetter == true {
                guard fields.count == 2, let value = Double(fields[1]), value.isFinite else {
                    throw .invalidRaster(line: lineNumber, reason: "a header line is \"name value\", found \"\(rawLine)\"")
                }
                header[first.lowercased()] = value
                continue
            }
            if columns == 0 {
                guard let c = header["ncols"], let r = header["nrows"], c >= 1, r >= 1, c == c.rounded(), r == r.rounded()
                else { throw .invalidRaster(line: lineNumber, reason: "the header needs ncols and nrows, whole numbers of at least 1") }
                guard let size = header["cellsize"], size > 0 else {
                    throw .invalidRaster(line: lineNumber, reason: "the header needs a positive cellsize (degrees)")
                }
                guard header["xllcorner"] != nil || header["xllcenter"] != nil, header["yllcorner"] != nil || header["yllcenter"] != nil
                else { throw .invalidRaster(line: lineNumber, reason: "the header needs xllcorner (or xllcenter) and yllcorner (or yllcenter)") }
                columns = Int(c)
                rows = Int(r)
                guard columns * rows <= 200_000_000 else { throw .invalidRaster(line: lineNumber, reason: "\(columns) × \(rows) cells is too large") }
                noData = header["nodata_value"]
                values.reserveCapacity(columns * rows)
            }
            guard fields.count == columns else {
                throw .invalidRaster(line: lineNumber, reason: "expected \(columns) values (ncols), found \(fields.count)")
            }
            guard values.count < columns * rows else {
                throw .invalidRaster(line: lineNumber, reason: "more than nrows = \(rows) rows of values")
            }
            for (index, field) in fields.enumerated() {
                guard let value = Double(field), !value.isNaN else {
                    throw .invalidRaster(line: lineNumber, reason: "column \(index + 1): \"\(field)\" is not a number")
                }
                if let noData, value == noData { values.append(.nan); continue }
                guard value >= 0, value.isFinite else {
                    throw .invalidRaster(line: lineNumber, reason: "column \(index + 1): population \(field) is negative or infinite")
                }
                values.append(value)
            }
        }
        guard columns > 0 else { throw .invalidRaster(line: lineNumber, reason: "no values after the header") }
        guard values.count == columns * rows else {
            throw .invalidRaster(line: lineNumber, reason: "found \(values.count / columns) rows of values, the header says nrows = \(rows)")
        }
        let size = header["cellsize"]!
        self.columns = columns
        self.rows = rows
        self.cellSizeDegrees = size
        self.west = header["xllcorner"] ?? (header["xllcenter"]! - size / 2)
        self.south = header["yllcorner"] ?? (header["yllcenter"]! - size / 2)
        self.values = values
        guard west >= -180, west + Double(columns) * size <= 180 + 1e-9, south >= -90, south + Double(rows) * size <= 90 + 1e-9 else {
            throw .invalidRaster(line: 1, reason: "the raster's extent is not within longitude −180…180 and latitude −90…90 (WGS84 degrees expected)")
        }
    }

    /// Centre (WGS84 lon/lat) and persons of every cell with population above 0.
    public func populatedCells() -> [(center: Coordinate, persons: Double)] {
        var result: [(Coordinate, Double)] = []
        for row in 0..<rows {
            let latitude = south + (Double(rows - row) - 0.5) * cellSizeDegrees
            for column in 0..<columns {
                let value = values[row * columns + column]
                guard value > 0 else { continue }
                result.append((Coordinate(x: west + (Double(column) + 0.5) * cellSizeDegrees, y: latitude), value))
            }
        }
        return result
    }
}
