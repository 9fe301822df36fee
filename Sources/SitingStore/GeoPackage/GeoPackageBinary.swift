import SitingCore

/// GeoPackage binary geometry (OGC GeoPackage 1.3, §2.1.3): a header — magic "GP", version 0, flags,
/// SRS id, optional envelope — followed by ISO Well-Known Binary. Siting writes little-endian, with
/// an envelope [minx, maxx, miny, maxy] for polygons and none for points.
enum GeoPackageBinary {
    static let wgs84SRSID: Int32 = 4326

    /// Encodes a geometry with its SRS id.
    static func encode(_ geometry: Geometry, srsID: Int32 = wgs84SRSID) -> [UInt8] {
        var out: [UInt8] = [0x47, 0x50, 0x00]
        let envelope: Envelope?
        let empty: Bool
        switch geometry {
        case .point(let p):
            envelope = nil
            empty = p.x.isNaN || p.y.isNaN
        case .polygon, .multiPolygon:
            envelope = geometry.envelope
            empty = envelope == nil
        }
        // flags: bit 0 little-endian header, bits 1-3 envelope kind (1 = xy), bit 4 empty.
        var flags: UInt8 = 0x01
        if envelope != nil { flags |= 0x01 << 1 }
        if empty { flags |= 0x10 }
        out.append(flags)
        appendInt32(srsID, to: &out)
        if let envelope {
            for value in [envelope.minX, envelope.maxX, envelope.minY, envelope.maxY] { appendDouble(value, to: &out) }
        }
        WellKnownBinary.append(geometry, to: &out)
        return out
    }

    /// The header's parts, read without decoding the geometry.
    struct Header {
        var srsID: Int32
        var isEmpty: Bool
        var envelope: Envelope?
        /// Offset of the WKB after the header.
        var wkbOffset: Int
    }

    static func header(_ bytes: UnsafeRawBufferPointer) throws(StoreError) -> Header {
        guard bytes.count >= 8, bytes[0] == 0x47, bytes[1] == 0x50 else {
            throw .invalidGeometry("missing the \"GP\" magic bytes")
        }
        guard bytes[2] == 0 else { throw .invalidGeometry("unsupported GeoPackage binary version \(bytes[2])") }
        let flags = bytes[3]
        guard flags & 0x20 == 0 else { throw .invalidGeometry("extended GeoPackage geometry types are not supported") }
        let littleEndian = flags & 0x01 == 1
        let envelopeKind = Int((flags >> 1) & 0x07)
        let doubles: Int
        switch envelopeKind {
        case 0: doubles = 0
        case 1: doubles = 4
        case 2, 3: doubles = 6
        case 4: doubles = 8
        default: throw .invalidGeometry("invalid envelope indicator \(envelopeKind)")
        }
        guard bytes.count >= 8 + doubles * 8 else { throw .invalidGeometry("truncated header") }
        var reader = ByteReader(bytes: bytes, offset: 4, littleEndian: littleEndian)
        let srsID = try reader.int32()
        var envelope: Envelope?
        if doubles > 0 {
            let minX = try reader.double(), maxX = try reader.double(), minY = try reader.double(), maxY = try reader.double()
            envelope = Envelope(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
        }
        return Header(srsID: srsID, isEmpty: flags & 0x10 != 0, envelope: envelope, wkbOffset: 8 + doubles * 8)
    }

    /// Decodes a whole GeoPackage geometry.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(StoreError) -> (geometry: Geometry, srsID: Int32) {
        let header = try header(bytes)
        var reader = ByteReader(bytes: bytes, offset: header.wkbOffset, littleEndian: true)
        let geometry = try WellKnownBinary.read(&reader)
        return (geometry, header.srsID)
    }

    static func decode(_ bytes: [UInt8]) throws(StoreError) -> (geometry: Geometry, srsID: Int32) {
        do {
            return try bytes.withUnsafeBytes { raw in try decode(raw) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .invalidGeometry("\(error)")
        }
    }

    static func appendInt32(_ value: Int32, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }
}

/// ISO Well-Known Binary for the 2-D types Siting uses: Point (1), Polygon (3), MultiPolygon (6).
/// Reading also accepts big-endian input and Z/M variants (their extra ordinates are dropped).
enum WellKnownBinary {
    static func append(_ geometry: Geometry, to out: inout [UInt8]) {
        switch geometry {
        case .point(let p):
            out.append(0x01)
            GeoPackageBinary.appendInt32(1, to: &out)
            GeoPackageBinary.appendDouble(p.x, to: &out)
            GeoPackageBinary.appendDouble(p.y, to: &out)
        case .polygon(let polygon):
            appendPolygon(polygon, to: &out)
        case .multiPolygon(let multi):
            out.append(0x01)
            GeoPackageBinary.appendInt32(6, to: &out)
            GeoPackageBinary.appendInt32(Int32(multi.polygons.count), to: &out)
            for polygon in multi.polygons { appendPolygon(polygon, to: &out) }
        }
    }

    private static func appendPolygon(_ polygon: Polygon, to out: inout [UInt8]) {
        out.append(0x01)
        GeoPackageBinary.appendInt32(3, to: &out)
        GeoPackageBinary.appendInt32(Int32(polygon.rings.count), to: &out)
        for ring in polygon.rings {
            GeoPackageBinary.appendInt32(Int32(ring.count), to: &out)
            for p in ring {
                GeoPackageBinary.appendDouble(p.x, to: &out)
                GeoPackageBinary.appendDouble(p.y, to: &out)
            }
        }
    }

    static func read(_ reader: inout ByteReader) throws(StoreError) -> Geometry {
        let (type, dimensions) = try readTypeHeader(&reader)
        switch type {
        case 1: return .point(try readPoint(&reader, dimensions: dimensions))
        case 3: return .polygon(try readPolygon(&reader, dimensions: dimensions))
        case 6:
            let count = try reader.count()
            var polygons: [Polygon] = []
            polygons.reserveCapacity(count)
            for _ in 0..<count {
                let (inner, innerDimensions) = try readTypeHeader(&reader)
                guard inner == 3 else { throw .invalidGeometry("a MultiPolygon holds a geometry of type \(inner)") }
                polygons.append(try readPolygon(&reader, dimensions: innerDimensions))
            }
            return .multiPolygon(MultiPolygon(polygons: polygons))
        default:
            throw .invalidGeometry("geometry type \(type) is not supported (Point, Polygon, MultiPolygon are)")
        }
    }

    /// Reads a byte-order mark and a type code; returns the 2-D type and the ordinate count.
    private static func readTypeHeader(_ reader: inout ByteReader) throws(StoreError) -> (UInt32, Int) {
        let order = try reader.byte()
        guard order <= 1 else { throw .invalidGeometry("invalid WKB byte order \(order)") }
        reader.littleEndian = order == 1
        var code = try reader.uint32()
        var dimensions = 2
        // EWKB flags (PostGIS) and ISO thousands (1000 Z, 2000 M, 3000 ZM).
        if code & 0x8000_0000 != 0 { dimensions += 1 }
        if code & 0x4000_0000 != 0 { dimensions += 1 }
        code &= 0x0FFF_FFFF
        switch code / 1000 {
        case 1, 2: dimensions = 3
        case 3: dimensions = 4
        default: break
        }
        return (code % 1000, dimensions)
    }

    private static func readPoint(_ reader: inout ByteReader, dimensions: Int) throws(StoreError) -> Coordinate {
        let x = try reader.double(), y = try reader.double()
        for _ in 2..<dimensions { _ = try reader.double() }
        return Coordinate(x: x, y: y)
    }

    private static func readPolygon(_ reader: inout ByteReader, dimensions: Int) throws(StoreError) -> Polygon {
        let ringCount = try reader.count()
        var rings: [[Coordinate]] = []
        rings.reserveCapacity(ringCount)
        for _ in 0..<ringCount {
            let pointCount = try reader.count()
            var ring: [Coordinate] = []
            ring.reserveCapacity(pointCount)
            for _ in 0..<pointCount { ring.append(try readPoint(&reader, dimensions: dimensions)) }
            rings.append(ring)
        }
        return Polygon(rings: rings)
    }
}

/// Bounds-checked reading of binary numbers.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    var littleEndian: Bool

    init(bytes: UnsafeRawBufferPointer, offset: Int, littleEndian: Bool) {
        self.bytes = bytes
        self.offset = offset
        self.littleEndian = littleEndian
    }

    mutating func byte() throws(StoreError) -> UInt8 {
        guard offset < bytes.count else { throw .invalidGeometry("truncated geometry") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() throws(StoreError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw .invalidGeometry("truncated geometry") }
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return littleEndian ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
    }

    mutating func int32() throws(StoreError) -> Int32 { Int32(bitPattern: try uint32()) }

    /// A count that must fit in what is left of the buffer (each element takes at least 4 bytes).
    mutating func count() throws(StoreError) -> Int {
        let value = Int(try uint32())
        guard value <= (bytes.count - offset) / 4 else { throw .invalidGeometry("element count \(value) exceeds the data") }
        return value
    }

    mutating func double() throws(StoreError) -> Double {
        guard offset + 8 <= bytes.count else { throw .invalidGeometry("truncated geometry") }
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return Double(bitPattern: littleEndian ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
    }
}
