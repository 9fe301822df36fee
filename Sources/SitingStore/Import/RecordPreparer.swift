import Foundation
import SitingCore

/// One record checked and converted, ready for the database, or the reason it was rejected.
enum PreparedRecord: Sendable {
    /// A row: its column values are the batch's slots from `firstSlot` on (one per column), its
    /// GeoPackage geometry blob the batch's bytes in `blob`.
    case row(location: RecordLocation, firstSlot: Int, blob: Range<Int>, envelope: Envelope?)
    case rejected(location: RecordLocation, field: String?, reason: String)
}

/// One column value of a packed row.
enum PackedSlot: Sendable {
    case null, integer(Int), real(Double)
    /// UTF-8 text at `start` in the batch's bytes, `count` bytes long.
    case text(start: Int32, count: Int32)
}

/// The records of one batch with all their values in three buffers (records, column slots, and the
/// bytes of every text and geometry blob), so preparing a row allocates nothing and the writing
/// thread binds texts and blobs in place instead of copying them into SQLite.
struct PreparedBatch: Sendable {
    var records: [PreparedRecord] = []
    var slots: [PackedSlot] = []
    var bytes: [UInt8] = []

    /// A batch is sent once it holds this many records or bytes (large polygons fill the bytes first).
    static let recordLimit = 1_024
    static let byteLimit = 16 << 20

    init() {
        records.reserveCapacity(Self.recordLimit)
    }

    var isFull: Bool { records.count >= Self.recordLimit || bytes.count >= Self.byteLimit }

    mutating func append(_ value: BoundValue) {
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

    mutating func appendText(_ text: UnsafeBufferPointer<UInt8>) {
        slots.append(.text(start: Int32(bytes.count), count: Int32(text.count)))
        bytes.append(contentsOf: text)
    }

    /// Forgets the slots and bytes of a row that turned out to be rejected.
    mutating func truncate(slots slotCount: Int, bytes byteCount: Int) {
        slots.removeSubrange(slotCount...)
        bytes.removeSubrange(byteCount...)
    }
}

/// How a CSV file's columns feed a table, resolved once from its header.
struct CSVLayout {
    /// For each spec column: the CSV column (by its first alias in the header) and that alias.
    var columns: [(index: Int, name: String)?]
    /// The cheap check of each spec column's bytes (nil: always the full check).
    var checks: [ByteCheck?]
    /// The CSV columns that may hold a longitude, a latitude, in the order they are tried.
    var longitudes: [(index: Int, name: String)]
    var latitudes: [(index: Int, name: String)]

    /// A check on a field's bytes for the common, valid case; anything it does not accept goes
    /// through `TableSpec.value` on the text, which gives the same value or the precise reason.
    enum ByteCheck {
        case text, flag, triState, adcode, hours, timeZone
        case integer(minimum: Int)
        case choice([[UInt8]])
    }

    init(spec: TableSpec, names: [String]) {
        columns = spec.columns.map { column in
            column.aliases.lazy.compactMap { alias in names.firstIndex(of: alias).map { ($0, alias) } }.first
        }
        checks = spec.columns.map { column in
            switch column.kind {
            case .text: return .text
            case .flag: return .flag
            case .triState: return .triState
            case .adcode: return .adcode
            case .hours: return .hours
            case .timeZone: return .timeZone
            case .integer(let minimum): return .integer(minimum: minimum)
            case .choice(let choices): return .choice(choices.map { Array($0.utf8) })
            case .real: return nil
            }
        }
        func present(_ candidates: [String]) -> [(index: Int, name: String)] {
            candidates.compactMap { name in names.firstIndex(of: name).map { ($0, name) } }
        }
        longitudes = present(TableSpec.longitudeNames)
        latitudes = present(TableSpec.latitudeNames)
    }
}

/// The part of an import that needs no database: field checks, coordinate conversion to WGS84 and
/// geometry encoding. It runs on the reading thread, beside the thread that writes.
struct RecordPreparer {
    let path: String
    let options: ImportOptions
    let spec: TableSpec
    let knownAdcodes: Set<String>
    /// For a CSV file: its columns, resolved once from the header.
    var csvLayout: CSVLayout?
    var checked = CheckedTexts()
    /// Hours and time zones already found valid, by their bytes (the CSV fast path).
    var checkedHourBytes = ByteTextSet()
    var checkedZoneBytes = ByteTextSet()
    /// `knownAdcodes` as numbers, one bit each (the CSV fast path); every known code is 6 digits.
    let knownAdcodeBits: [UInt64]
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
        var bits = [UInt64](repeating: 0, count: knownAdcodes.isEmpty ? 0 : 1_000_000 / 64 + 1)
        for code in knownAdcodes where Region.isAdcode(code) {
            let number = Int(code)!
            bits[number >> 6] |= 1 << UInt64(number & 63)
        }
        knownAdcodeBits = bits
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


    /// Checks and converts one record, appending it to `batch`.
    mutating func prepare(_ record: SourceRecord, into batch: inout PreparedBatch) {
        let firstSlot = batch.slots.count, firstByte = batch.bytes.count
        func reject(_ field: String?, _ reason: String) {
            batch.truncate(slots: firstSlot, bytes: firstByte)
            batch.records.append(.rejected(location: record.location, field: field, reason: reason))
        }
        if case .columns(let header, let values) = record.fields, values.count != header.names.count {
            return reject(nil, "has \(values.count) field\(values.count == 1 ? "" : "s"), the header has \(header.names.count)")
        }
        if let csvLayout, case .columns(_, let fields) = record.fields {
            if let problem = packColumns(fields, csvLayout, record, into: &batch) { return reject(problem.field, problem.reason) }
        } else {
            for column in spec.columns {
                switch TableSpec.value(of: column, found: record.fields.value(column.aliases), knownAdcodes: knownAdcodes,
                                       checked: &checked) {
                case .success(let value): batch.append(value)
                case .failure(let problem): return reject(problem.field, problem.reason)
                }
            }
        }
        guard case .text(let start, let count) = batch.slots[firstSlot + spec.keyIndex] else {
            return reject(spec.key, "a value is required")
        }
        if spec.table == "regions" {
            let key = String(decoding: batch.bytes[Int(start)..<Int(start + count)], as: UTF8.self)
            if !Region.isAdcode(key) { return reject(spec.key, "\"\(key)\" is not a 6-digit adcode") }
        }
        if let csvLayout, case .columns(_, let fields) = record.fields, spec.geometry == .point,
           let point = convertedPosition(fields, csvLayout) {
            let blobStart = batch.bytes.count
            Self.appendPointBlob(point, to: &batch.bytes)
            batch.records.append(.row(location: record.location, firstSlot: firstSlot, blob: blobStart..<batch.bytes.count,
                                      envelope: Geometry.point(point).envelope))
            return
        }
        switch geometry(of: record, requirement: spec.geometry) {
        case .success(let geometry):
            let blobStart = batch.bytes.count
            batch.bytes.append(contentsOf: GeoPackageBinary.encode(geometry))
            batch.records.append(.row(location: record.location, firstSlot: firstSlot, blob: blobStart..<batch.bytes.count,
                                      envelope: geometry.envelope))
        case .failure(let problem):
            reject(problem.field, problem.reason)
        }
    }

    /// Checks a CSV record's fields and appends their values to `batch`: common valid values are
    /// checked on their bytes, everything else (and every problem) through `TableSpec.value`.
    private mutating func packColumns(_ fields: CSVRecord, _ layout: CSVLayout, _ record: SourceRecord,
                                      into batch: inout PreparedBatch) -> FieldProblem?
    {
        fields.bytes.withUnsafeBufferPointer { source in
            for (number, column) in spec.columns.enumerated() {
                if let (index, _) = layout.columns[number], let check = layout.checks[number] {
                    let field = UnsafeBufferPointer(rebasing: source[fields.range(index)])
                    if !field.isEmpty, !ByteText.needsTrimming(field), pack(field, check, into: &batch) { continue }
                }
                let found = layout.columns[number].flatMap { record.fields.value(atColumn: $0.index, named: $0.name) }
                switch TableSpec.value(of: column, found: found, knownAdcodes: knownAdcodes, checked: &checked) {
                case .success(let value):
                    batch.append(value)
                    if let found, case .text = value { rememberValid(found.value, layout.checks[number]) }
                case .failure(let problem):
                    return problem
                }
            }
            return nil
        }
    }

    /// Appends the value of a field whose bytes pass `check`; false (and nothing appended) otherwise.
    private func pack(_ field: UnsafeBufferPointer<UInt8>, _ check: CSVLayout.ByteCheck, into batch: inout PreparedBatch)
        -> Bool
    {
        switch check {
        case .text:
            break
        case .flag:
            guard let yes = Self.yesOrNo(field) else { return false }
            batch.slots.append(.integer(yes ? 1 : 0))
            return true
        case .triState:
            // Stored as yes, no or unknown, whichever spelling the file used.
            if let yes = Self.yesOrNo(field) {
                (yes ? Self.yesBytes : Self.noBytes).withUnsafeBufferPointer { batch.appendText($0) }
                return true
            }
            guard ByteText.equal(field, "unknown") else { return false }
        case .choice(let choices):
            guard choices.contains(where: { choice in choice.withUnsafeBufferPointer { ByteText.equal(field, $0) } }) else {
                return false
            }
        case .integer(let minimum):
            guard let value = ByteText.integer(field), value >= minimum else { return false }
            batch.slots.append(.integer(value))
            return true
        case .adcode:
            guard field.count == 6, let number = ByteText.integer(field) else { return false }
            if !knownAdcodes.isEmpty, knownAdcodeBits[number >> 6] & (1 << UInt64(number & 63)) == 0 { return false }
        case .hours:
            guard checkedHourBytes.contains(field) else { return false }
        case .timeZone:
            guard checkedZoneBytes.contains(field) else { return false }
        }
        batch.appendText(field)
        return true
    }

    /// After the full check accepted an hours or time zone text, remembers its bytes.
    private mutating func rememberValid(_ text: String, _ check: CSVLayout.ByteCheck?) {
        guard let check else { return }
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            switch check {
            case .hours: checkedHourBytes.insert(UnsafeBufferPointer(buffer))
            case .timeZone: checkedZoneBytes.insert(UnsafeBufferPointer(buffer))
            default: break
            }
        }
    }

    private static let yesBytes = Array("yes".utf8), noBytes = Array("no".utf8)

    /// Whether a flag's bytes say yes (`yes`, `y`, `true`, `1`) or no (`no`, `n`, `false`, `0`), in
    /// lower case; nil for anything else.
    private static func yesOrNo(_ field: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch field.count {
        case 1:
            switch field[0] {
            case UInt8(ascii: "y"), UInt8(ascii: "1"): return true
            case UInt8(ascii: "n"), UInt8(ascii: "0"): return false
            default: return nil
            }
        case 2: return ByteText.equal(field, "no") ? false : nil
        case 3: return ByteText.equal(field, "yes") ? true : nil
        case 4: return ByteText.equal(field, "true") ? true : nil
        case 5: return ByteText.equal(field, "false") ? false : nil
        default: return nil
        }
    }

    /// A CSV record's position from its lon/lat columns, converted to WGS84, when both are plain
    /// decimals and the conversion succeeds; nil sends the record through `geometry(of:)`, which
    /// handles every other form and names every problem.
    private func convertedPosition(_ fields: CSVRecord, _ layout: CSVLayout) -> Coordinate? {
        fields.bytes.withUnsafeBufferPointer { source -> Coordinate? in
            func first(_ candidates: [(index: Int, name: String)]) -> UnsafeBufferPointer<UInt8>?? {
                for (index, _) in candidates {
                    let field = UnsafeBufferPointer(rebasing: source[fields.range(index)])
                    if ByteText.needsTrimming(field) { return .some(nil) }
                    if !field.isEmpty { return field }
                }
                return nil
            }
            guard let longitudeField = first(layout.longitudes), let longitudeField,
                  let latitudeField = first(layout.latitudes), let latitudeField,
                  let longitude = ByteText.decimal(longitudeField), let latitude = ByteText.decimal(latitudeField),
                  let conversion else { return nil }
            return try? conversion.convert(Coordinate(x: longitude, y: latitude))
        }
    }

    /// Appends a point's GeoPackage binary geometry: the bytes `GeoPackageBinary.encode` writes for
    /// it, without an array of its own.
    static func appendPointBlob(_ point: Coordinate, to bytes: inout [UInt8]) {
        let start = bytes.count
        let empty = point.x.isNaN || point.y.isNaN
        bytes.append(0x47)  // "GP", version 0, flags: little-endian, no envelope, empty or not
        bytes.append(0x50)
        bytes.append(0x00)
        bytes.append(empty ? 0x11 : 0x01)
        withUnsafeBytes(of: GeoPackageBinary.wgs84SRSID.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(0x01)
        withUnsafeBytes(of: Int32(1).littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: point.x.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: point.y.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        assert(bytes[start...].elementsEqual(GeoPackageBinary.encode(.point(point))), "point blob differs from GeoPackageBinary")
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
