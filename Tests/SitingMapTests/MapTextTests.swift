@testable import SitingMap
import Testing

@Suite struct MapTextTests {
    @Test("compact numbers", arguments: [
        (0.0, "0"), (0.035, "0.035"), (0.5, "0.5"), (3.25, "3.3"), (12.0, "12"), (999.4, "999"), (999.6, "1k"),
        (1234.0, "1.2k"), (35_000.0, "35k"), (350_400.0, "350k"), (2_500_000.0, "2.5M"), (-1500.0, "-1.5k"),
    ])
    func compact(value: Double, expected: String) {
        #expect(MapText.compact(value) == expected)
    }

    @Test("pixel coordinates round to 0.1 px without trailing zeros")
    func pixels() {
        #expect(MapText.pixel(12.34) == "12.3")
        #expect(MapText.pixel(12.96) == "13")
        #expect(MapText.pixel(-0.26) == "-0.3")
        #expect(MapText.pixel(-0.04) == "0")
        #expect(MapText.decimal(2.96875, places: 5) == "2.96875")
        #expect(MapText.decimal(1.05, places: 2) == "1.05")
    }

    @Test("counts get thousands separators")
    func grouped() {
        #expect(MapText.grouped(0) == "0")
        #expect(MapText.grouped(999) == "999")
        #expect(MapText.grouped(1234) == "1,234")
        #expect(MapText.grouped(9_600_000) == "9,600,000")
    }

    @Test("escaping covers the five XML specials and drops forbidden controls")
    func escaping() {
        #expect(MapText.escaped("a<b>&\"c\"'d'\u{1}") == "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;")
        #expect(MapText.escaped("上海市") == "上海市")
    }
}
