import Foundation
import SitingCore
import Testing

/// The shipped land mask decoded by `LandMask`, against the figures its Python builder printed
/// (`Geodata/README.md`) and places whose land or water is known.
@Suite struct LandMaskTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Geodata/land-mask-china.rle")

    static let mask: LandMask = {
        let data = try! Data(contentsOf: file)
        return try! LandMask(encoded: [UInt8](data))
    }()

    @Test("header and land count as the builder reported: 7,560 × 6,120 cells, 29,419,119 land")
    func counts() {
        let mask = Self.mask
        #expect(mask.columns == 7_560 && mask.rows == 6_120 && mask.cellsPerDegree == 120)
        #expect(mask.west == 73 && mask.north == 54)
        #expect(mask.landCells == 29_419_119)
    }

    @Test("known land and water", arguments: [
        (121.4737, 31.2304, true),    // People's Square, Shanghai
        (116.3913, 39.9063, true),    // Tian'anmen, Beijing
        (91.1172, 29.6469, true),     // Lhasa
        (87.6168, 43.8256, true),     // Urumqi
        (123.0, 30.5, false),         // East China Sea
        (120.5, 38.8, false),         // Bohai Strait
        (113.5, 20.0, false),         // South China Sea, off Hainan
        (110.35, 20.02, true),        // Haikou
    ])
    func knownPlaces(longitude: Double, latitude: Double, land: Bool) {
        #expect(Self.mask.isLand(Coordinate(longitude: longitude, latitude: latitude)) == land)
    }

    @Test("outside the grid there is no answer")
    func outside() {
        #expect(Self.mask.isLand(Coordinate(longitude: 72.99, latitude: 30)) == nil)
        #expect(Self.mask.isLand(Coordinate(longitude: 100, latitude: 54.01)) == nil)
        #expect(Self.mask.isLand(Coordinate(longitude: 136.0, latitude: 30)) == nil)
        #expect(Self.mask.isLand(Coordinate(longitude: 100, latitude: 3.0)) == nil)
    }

    @Test("damaged files are refused with the reason")
    func damaged() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.file))
        #expect(throws: LandMaskError.truncated(row: 6_119)) { try LandMask(encoded: Array(bytes.dropLast())) }
        #expect(throws: LandMaskError.self) { try LandMask(encoded: bytes + [0]) }
        #expect(throws: LandMaskError.self) { try LandMask(encoded: Array("SITING-LANDMASK 2 73 54 1/120 2 1\n".utf8) + [2]) }
        // A hand-made 3 × 2 grid: row 0 water, land, land; row 1 land, water, water.
        let tiny = try LandMask(encoded: Array("SITING-LANDMASK 1 0 2 1/1 3 2\n".utf8) + [1, 2, 0, 1, 2])
        #expect(tiny.landCells == 3)
        #expect([tiny.isLand(row: 0, column: 0), tiny.isLand(row: 0, column: 1), tiny.isLand(row: 0, column: 2)] == [false, true, true])
        #expect([tiny.isLand(row: 1, column: 0), tiny.isLand(row: 1, column: 1), tiny.isLand(row: 1, column: 2)] == [true, false, false])
        #expect(tiny.isLand(Coordinate(longitude: 0.5, latitude: 0.5)) == true)   // row 1, column 0
        #expect(throws: LandMaskError.badRun(offset: 31, row: 0)) {
            try LandMask(encoded: Array("SITING-LANDMASK 1 0 2 1/1 3 2\n".utf8) + [1, 5])
        }
    }
}
