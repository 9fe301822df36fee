import Foundation
@testable import SitingCore
import SitingProjection
import SitingTestSupport
import Testing

/// The fast nearby writer against `JSONEncoder` (byte for byte), and the timestamp against
/// Foundation's ISO 8601 formatter.
@Suite struct NearbyJSONWriterTests {
    /// Outlets with awkward text (quotes, backslashes, control characters, CJK), missing optional
    /// fields, several zones and hours that do not parse.
    static func outlets() -> [Outlet] {
        var outlets = OutletDirectoryTests.outlets(count: 300, seed: 42)
        let zones = ["Asia/Shanghai", "Asia/Urumqi", "America/New_York", "Asia/Kolkata", "UTC"]
        for index in outlets.indices {
            outlets[index].timeZone = zones[index % zones.count]
            switch index % 6 {
            case 0: outlets[index].name = "上海\"黄浦\"\\支行\t/\u{1}\n\u{7f}"
            case 1: outlets[index].address = "上海市黄浦区中山东一路 1 号 (synthetic)"
            case 2: outlets[index].adcode = "310101"
            case 3: outlets[index].openingHours = "not hours"
            case 4: outlets[index].openingHours = nil
            default: outlets[index].openingHours = "Mo-Fr 22:00-02:00; Sa 09:30-16:00"
            }
        }
        return outlets
    }

    @Test("responses and feature collections are byte-identical to JSONEncoder's on 120 seeded queries")
    func matchesEncoder() throws {
        let directory = try OutletDirectory(outlets: Self.outlets(), holidays: OutletDirectoryTests.holidays)
        let converters = ConverterPool()
        var random = SeededRandom(seed: 7)
        let systems: [CoordinateSystem] = [.wgs84, .gcj02, .bd09, .cgcs2000]
        for round in 0..<120 {
            var query = NearbyQuery(position: Coordinate(longitude: random.uniform(121.2...121.8), latitude: random.uniform(31.0...31.5)),
                                    coordinateSystem: systems[round % systems.count], limit: 1 + round % 40)
            query.at = Date(timeIntervalSince1970: random.uniform(1.76e9...1.80e9))
            if round % 5 == 0 { query.radiusMeters = 3_000 }
            if round % 7 == 0 { query.openNow = true }
            let results = try directory.nearby(query, converters: converters)
            let expected = try NearbyJSON.encode(NearbyJSON.Response(results, query: query))
            let written = Data(NearbyJSONWriter.response(results, query: query))
            #expect(written == expected, "round \(round): \(String(decoding: written.prefix(300), as: UTF8.self))")
            let expectedCollection = try NearbyJSON.encode(NearbyJSON.FeatureCollection(results, query: query))
            #expect(Data(NearbyJSONWriter.featureCollection(results, query: query)) == expectedCollection, "round \(round)")
        }
    }

    @Test("the eight-bytes-at-a-time scan finds a character JSON must escape at every place, as a byte-by-byte test does")
    func escapesAnywhere() throws {
        // Bytes JSON escapes, their neighbours in value, and bytes of multi-byte text.
        let alphabet: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xE9, 0xFF, 0x61]
        func byByte(_ bytes: [UInt8]) -> Bool { bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } }
        var random = SeededRandom(seed: 9)
        var checked = 0, escaped = 0
        for length in 0...40 {
            for _ in 0..<400 {
                // Mostly plain bytes, so a lone special byte lands at every offset of every word.
                let bytes = (0..<length).map { _ in
                    random.uniform(0...1) < 0.97 ? UInt8(0x61 + Int(random.uniform(0...25))) : alphabet[Int(random.uniform(0...15.999))]
                }
                let scanned = bytes.withUnsafeBufferPointer { NearbyJSONWriter.needsEscaping($0) }
                #expect(scanned == byByte(bytes), "\(bytes)")
                checked += 1
                escaped += scanned ? 1 : 0
            }
        }
        #expect(escaped > checked / 10 && escaped < checked * 9 / 10)  // both answers were exercised
        // And a whole answer with such names, byte for byte as JSONEncoder writes it.
        var outlets = OutletDirectoryTests.outlets(count: 40, seed: 9)
        for index in outlets.indices {
            let filler = String(repeating: "银a", count: index % 9)
            outlets[index].name = filler + ["\"", "\\", "\u{1}", "\n", "#"][index % 5] + String(filler.prefix(index % 5))
        }
        let directory = try OutletDirectory(outlets: outlets, holidays: OutletDirectoryTests.holidays)
        let query = NearbyQuery(position: Coordinate(longitude: 121.5, latitude: 31.25), limit: 40,
                                at: Date(timeIntervalSince1970: 1.8e9))
        let results = try directory.nearby(query, converters: ConverterPool())
        #expect(results.count == 40)
        #expect(Data(NearbyJSONWriter.response(results, query: query)) == (try NearbyJSON.encode(NearbyJSON.Response(results, query: query))))
    }

    @Test("an empty answer is written as JSONEncoder writes it")
    func empty() throws {
        let query = NearbyQuery(position: Coordinate(longitude: 80, latitude: 40), at: Date(timeIntervalSince1970: 1.8e9))
        #expect(Data(NearbyJSONWriter.response([], query: query)) == (try NearbyJSON.encode(NearbyJSON.Response([], query: query))))
        #expect(Data(NearbyJSONWriter.featureCollection([], query: query))
                == (try NearbyJSON.encode(NearbyJSON.FeatureCollection([], query: query))))
    }

    @Test("timestamps equal Foundation's ISO 8601 format in zones with whole, half-hour, negative and daylight-saving offsets")
    func timestamps() {
        var random = SeededRandom(seed: 11)
        let zones = ["UTC", "Asia/Shanghai", "Asia/Kolkata", "America/New_York", "Pacific/Chatham", "America/St_Johns", "Europe/London"]
        for round in 0..<2_000 {
            let date = Date(timeIntervalSince1970: random.uniform(-1e9...4e9))
            let zone = TimeZone(identifier: zones[round % zones.count])!
            var style = Date.ISO8601FormatStyle(timeZone: zone)
            style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
            #expect(NearbyJSON.timestamp(date, in: zone) == date.formatted(style), "\(date.timeIntervalSince1970) in \(zone.identifier)")
        }
    }

    @Test("instants read as Foundation's ISO 8601 parser reads them, and the same texts refused")
    func instants() {
        var random = SeededRandom(seed: 17)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var texts = ["2026-05-01T09:30:00+08:00", "2026-05-01T09:30:00Z", "2026-05-01T09:30:00.250-03:30", "2024-02-29T23:59:59Z",
                     "2026-02-30T10:00:00Z", "2026-05-01T24:00:00Z", "2026-05-01T09:30:00", "2026-05-01 09:30:00Z",
                     "2026-05-01T09:30:00+0800", "2026-05-01T09:30:00.Z", "2026-5-01T09:30:00Z", "tomorrow", ""]
        for _ in 0..<500 {
            let year = Int.random(in: 1971...2099, using: &random), month = Int.random(in: 1...12, using: &random)
            let day = Int.random(in: 1...28, using: &random), hour = Int.random(in: 0...23, using: &random)
            let minute = Int.random(in: 0...59, using: &random), second = Int.random(in: 0...59, using: &random)
            let zone = ["Z", "+08:00", "-05:00", "+05:30", "+00:00", "-09:30"][Int.random(in: 0...5, using: &random)]
            let fraction = ["", ".5", ".123", ".000001"][Int.random(in: 0...3, using: &random)]
            texts.append("\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))\(fraction)\(zone)")
        }
        for text in texts {
            let reference = (try? Date.ISO8601FormatStyle.iso8601.parse(text))
                ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            let read = try? NearbyQuery.instant(parsing: text)
            #expect((read == nil) == (reference == nil), "\(text): read \(String(describing: read)), Foundation \(String(describing: reference))")
            if let read, let reference {
                #expect(abs(read.timeIntervalSince(reference)) < 1e-5, "\(text)")
            }
        }
    }
}
