import Foundation
import SitingCore

/// One record checked and converted, ready for the database, or the reason it was rejected.
enum PreparedRecord: Sendable {
    case row(location: RecordLocation, key: String, values: PackedRow, envelope: Envelope?)
    case rejected(location: RecordLocation, field: String?, reason: String)
}

/// A row's column values with all its text and its geometry blob in one byte buffer, so the writing
/// thread binds them in place instead of copying every string into SQLite.
struct PackedRow: Sendable {
    enum Slot: Sendable {
        case null, integer(Int), real(Double)
        /// UTF-8 text at `start` in `bytes`, `count` bytes long.
        case text(start: Int32, count: Int32)
    }

    /// Column values in column order.
    var slots: [Slot]
    /// The GeoPackage geometry blob first, then the texts.
    var bytes: [UInt8]
    var blobCount: Int

    init(values: [BoundValue], blob: [UInt8]) {
        bytes = blob
        blobCount = blob.count
        slots = []
        slots.reserveCapacity(values.count)
        for value in values {
            switch value {
            case .null: slots.append(.null)
            case .integer(let number): slots.append(.integer(number))
            case .real(let number): slots.append(.real(number))
            case .text(let text):
                let start = bytes.count
                bytes.append(contentsOf: text.utf8)
                slots.append(.text(start: Int32(start), count: Int32(bytes.count - start)))
            }
        }
    }
}

/// The part of an import that needs no database: field checks, coordinate conversion to WGS84 and
/// geometry encoding. It runs on the reading thread, beside the thread that writes.
struct RecordPreparer {
    let path: String
    let options: ImportOptions
    let spec: TableSpec
    let knownAdcodes: Set<String>
    /// For a CSV file: the column of each spec column (by its first alias in the header), resolved once.
    var resolvedColumns: [(index: Int, name: String)?]?
    var checked = CheckedTexts()
    var converter: CoordinateConverter?
    var conversion: Conversion?
    var sourceSystem = CoordinateSystem.wgs84
    /// Whether the coordinate system came from the file's own declaration.
    var usedDeclaredCRS = false

    init(path: String, options: ImportOptions, spec: TableSpec, knownAdcodes: Set<String>) {
        self.path = path
        self.options = options
        self.spec = spec
        self.knownAdcodes = knownAdcodes
    }

    /// The system a file's declaration names (a GeoJSON `crs` name or a GeoPackage SRS).
    static func coordinateSystem(declared: String) -> CoordinateSystem {
        let upper = declared.uppercased()
        if upper.hasSuffix("CRS84") || upper.hasSuffix("EPSG::4326") || upper == "WGS84" { return .wgs84 }
        return CoordinateSystem(parsing: declared)
    }

    /// Fixes the input coordinate system: the caller's, else the file's, else WGS84.
    mutating func resolveCoordinateSystem(declared: String?) throws(ImportError) {
        if let chosen = options.coordinateSystem {
            sourceSystem = chosen
        } else if let declared {
            usedDeclaredCRS = true
            sourceSystem = Self.coordinateSystem(declared: declared)
        }
        do {
            let made = converter ?? CoordinateConverter()
            converter = made
            conversion = try made.conversion(from: sourceSystem, to: .wgs84)
        } catch {
            throw .coordinateSystem(file: path, reason: "\(error)")
        }
    }


    /// Checks and converts one record.
    mutating func prepare(_ record: SourceRecord) -> PreparedRecord {
        func rejected(_ field: String?, _ reason: String) -> PreparedRecord {
            .rejected(location: record.location, field: field, reason: reason)
        }
        if case .columns(let header, let values) = record.fields, values.count != header.names.count {
            return rejected(nil, "has \(values.count) field\(values.count == 1 ? "" : "s"), the header has \(header.names.count)")
        }
        var values: [BoundValue] = []
        values.reserveCapacity(spec.columns.count)
        for (number, column) in spec.columns.enumerated() {
            let found: (name: String, value: String)?
            if let resolvedColumns {
                found = resolvedColumns[number].flatMap { record.fields.value(atColumn: $0.index, named: $0.name) }
            } else {
                found = record.fields.value(column.aliases)
            }
            switch TableSpec.value(of: column, found: found, knownAdcodes: knownAdcodes, checked: &checked) {
            case .success(let value): values.append(value)
            case .failure(let problem): return rejected(problem.field, problem.reason)
            }
        }
        guard case .text(let key) = values[spec.keyIndex] else { return rejected(spec.key, "a value is required") }
        if spec.table == "regions", !Region.isAdcode(key) {
            return rejected(spec.key, "\"\(key)\" is not a 6-digit adcode")
        }
        switch geometry(of: record, requirement: spec.geometry) {
        case .success(let geometry):
            return .row(location: record.location, key: key,
                        values: PackedRow(values: values, blob: GeoPackageBinary.encode(geometry)),
                        envelope: geometry.envelope)
        case .failure(let problem):
            return rejected(problem.field, problem.reason)
        }
    }

    /// The record's geometry, converted to WGS84 and checked.
    func geometry(of record: SourceRecord, requirement: GeometryRequirement) -> Result<Geometry, FieldProblem> {
        var geometry = record.geometry
        var field = "geometry"
        var latitudeField: String?
        if let problem = record.geometryProblem { return .failure(FieldProblem(field: field, reason: problem)) }
        if geometry == nil {
            if let (lonField, lonText) = record.fields.value(TableSpec.longitudeNames) {
                guard let (latField, latText) = record.fields.value(TableSpec.latitudeNames) else {
                    return .failure(FieldProblem(field: "lat", reason: "a latitude is required with the longitude"))
                }
                guard let lon = Double(lonText), lon.isFinite else {
                    return .failure(FieldProblem(field: lonField, reason: "\"\(lonText)\" is not a number"))
                }
                guard let lat = Double(latText), lat.isFinite else {
                    return .failure(FieldProblem(field: latField, reason: "\"\(latText)\" is not a number"))
                }
                geometry = .point(Coordinate(x: lon, y: lat))
                field = lonField
                latitudeField = latField
            } else if let (wktField, text) = record.fields.value(TableSpec.wktNames) {
                field = wktField
                do {
                    geometry = try WellKnownText.parse(text)
                } catch {
                    return .failure(FieldProblem(field: wktField, reason: error.message))
                }
            } else if record.fields.value(TableSpec.latitudeNames) != nil {
                return .failure(FieldProblem(field: "lon", reason: "a longitude is required with the latitude"))
            }
        }
        guard let geometry else {
            return .failure(FieldProblem(field: field, reason: "the record has no position (empty geometry)"))
        }
        guard let conversion else { return .failure(FieldProblem(field: field, reason: "no coordinate conversion")) }
        func convert(_ point: Coordinate) throws(ProjectionError) -> Coordinate { try conversion.convert(point) }
        do {
            switch (geometry, requirement) {
            case (.point(let point), .point):
                return .success(.point(try convert(point)))
            case (.polygon, .polygonal), (.multiPolygon, .polygonal):
                var polygons: [Polygon] = []
                for polygon in geometry.asMultiPolygon.polygons {
                    var rings: [[Coordinate]] = []
                    for (number, ring) in polygon.rings.enumerated() {
                        guard ring.count >= 4, ring.first == ring.last else {
                            return .failure(FieldProblem(field: field, reason:
                                "ring \(number + 1) of a polygon must be closed and have at least 4 positions (it has \(ring.count))"))
                        }
                        var converted: [Coordinate] = []
                        converted.reserveCapacity(ring.count)
                        for point in ring { converted.append(try convert(point)) }
                        rings.append(converted)
                    }
                    polygons.append(Polygon(rings: rings))
                }
                guard !polygons.isEmpty else { return .failure(FieldProblem(field: field, reason: "the geometry is empty")) }
                return .success(.multiPolygon(MultiPolygon(polygons: polygons)))
            case (_, .point):
                return .failure(FieldProblem(field: field, reason: "expected a point, found a polygon"))
            case (_, .polygonal):
                return .failure(FieldProblem(field: field, reason: "expected a polygon or multipolygon, found a point"))
            }
        } catch {
            // Name the column at fault when positions come from lon/lat columns.
            var blamed = field
            if case .latitudeOutOfRange = error, let latitudeField { blamed = latitudeField }
            return .failure(FieldProblem(field: blamed, reason: "\(error) (input coordinate system: \(sourceSystem))"))
        }
    }

}
