import Foundation
import SitingCore
@testable import SitingStore
import SitingTestSupport
import Testing

/// GeoPackage binary geometries against hand-assembled bytes (OGC GeoPackage 1.3 §2.1.3, ISO WKB).
@Suite struct GeoPackageBinaryTests {
    @Test("a point is header GP, version 0, flags 0x01, SRS 4326, no envelope, then little-endian WKB")
    func pointBytes() throws {
        let bytes = GeoPackageBinary.encode(.point(Coordinate(longitude: 1.5, latitude: -2)))
        var expected: [UInt8] = [0x47, 0x50, 0x00, 0x01, 0xE6, 0x10, 0x00, 0x00]  // 4326 = 0x10E6
        expected += [0x01, 0x01, 0x00, 0x00, 0x00]  // little-endian WKB, type 1 (Point)
        expected += [0, 0, 0, 0, 0, 0, 0xF8, 0x3F]  // 1.5
        expected += [0, 0, 0, 0, 0, 0, 0x00, 0xC0]  // -2.0
        #expect(bytes == expected)
        let decoded = try GeoPackageBinary.decode(bytes)
        #expect(decoded.geometry == .point(Coordinate(longitude: 1.5, latitude: -2)))
        #expect(decoded.srsID == 4326)
    }

    @Test("a multipolygon carries its envelope and decodes to the same rings")
    func multiPolygonRoundTrip() throws {
        let square = Polygon(rings: [[Coordinate(x: 0, y: 0), Coordinate(x: 2, y: 0), Coordinate(x: 2, y: 3),
                                      Coordinate(x: 0, y: 3), Coordinate(x: 0, y: 0)]])
        let geometry = Geometry.multiPolygon(MultiPolygon(polygons: [square, square]))
        let bytes = GeoPackageBinary.encode(geometry)
        #expect(bytes[3] == 0x03)  // little-endian header, envelope kind 1
        let header = try bytes.withUnsafeBytes { try GeoPackageBinary.header($0) }
        #expect(header.envelope == Envelope(minX: 0, minY: 0, maxX: 2, maxY: 3))
        #expect(try GeoPackageBinary.decode(bytes).geometry == geometry)
    }

    @Test("truncated and foreign blobs are refused with a reason", arguments: [
        [UInt8](), [0x47, 0x50], [0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0], [0x47, 0x50, 0x00, 0x01, 0xE6, 0x10, 0, 0, 0x01, 0x01, 0, 0],
    ])
    func refusesBadBlobs(bytes: [UInt8]) {
        #expect(throws: StoreError.self) { try GeoPackageBinary.decode(bytes) }
    }
}
