internal import CSQLite
import SitingCore

/// The SQL functions GeoPackage's R-tree triggers call (`ST_MinX`, `ST_MaxX`, `ST_MinY`, `ST_MaxY`,
/// `ST_IsEmpty`; GeoPackage 1.3 Annex F.3), registered on every connection Siting opens.
/// GDAL registers the same ones, so either can write the tables.
enum GeometryFunctions {
    private enum Kind: Int {
        case minX = 1, maxX, minY, maxY, isEmpty
    }

    static func register(on db: OpaquePointer) {
        let names: [(String, Kind)] = [("ST_MinX", .minX), ("ST_MaxX", .maxX), ("ST_MinY", .minY),
                                       ("ST_MaxY", .maxY), ("ST_IsEmpty", .isEmpty)]
        for (name, kind) in names {
            sqlite3_create_function_v2(
                db, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, UnsafeMutableRawPointer(bitPattern: kind.rawValue),
                { context, _, arguments in
                    guard let context, let arguments, let value = arguments[0],
                          let kind = Kind(rawValue: Int(bitPattern: sqlite3_user_data(context)))
                    else { return }
                    guard sqlite3_value_type(value) == SQLITE_BLOB, let pointer = sqlite3_value_blob(value) else {
                        sqlite3_result_null(context)
                        return
                    }
                    let bytes = UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_value_bytes(value)))
                    GeometryFunctions.evaluate(kind, bytes, context)
                }, nil, nil, nil)
        }
    }

    /// A little-endian 2-D WKB point read in place: the R-tree triggers call four functions per row.
    private static func pointFastPath(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Coordinate? {
        guard bytes.count == offset + 21, bytes[offset] == 1,
              bytes.loadUnaligned(fromByteOffset: offset + 1, as: UInt32.self) == UInt32(1).littleEndian else { return nil }
        let x = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 5, as: UInt64.self)))
        let y = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 13, as: UInt64.self)))
        return Coordinate(x: x, y: y)
    }

    private static func evaluate(_ kind: Kind, _ bytes: UnsafeRawBufferPointer, _ context: OpaquePointer) {
        guard let header = try? GeoPackageBinary.header(bytes) else {
            sqlite3_result_null(context)
            return
        }
        if kind == .isEmpty {
            sqlite3_result_int(context, header.isEmpty ? 1 : 0)
            return
        }
        var envelope = header.envelope
        if envelope == nil, !header.isEmpty, let point = pointFastPath(bytes, at: header.wkbOffset) {
            envelope = Envelope(minX: point.x, minY: point.y, maxX: point.x, maxY: point.y)
        }
        if envelope == nil, !header.isEmpty, let (geometry, _) = try? GeoPackageBinary.decode(bytes) {
            envelope = geometry.envelope
        }
        guard let envelope else {
            sqlite3_result_null(context)
            return
        }
        switch kind {
        case .minX: sqlite3_result_double(context, envelope.minX)
        case .maxX: sqlite3_result_double(context, envelope.maxX)
        case .minY: sqlite3_result_double(context, envelope.minY)
        case .maxY: sqlite3_result_double(context, envelope.maxY)
        case .isEmpty: break
        }
    }
}
