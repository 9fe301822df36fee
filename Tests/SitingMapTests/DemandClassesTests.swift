import Foundation
@testable import SitingMap
import Testing

@Suite struct DemandClassesTests {
    @Test("six quantile classes of 1…600 break at every hundred")
    func quantiles() throws {
        let classes = try #require(DemandClasses(values: (1...600).map(Double.init).reversed()))
        #expect(classes.upperBounds == [100, 200, 300, 400, 500, 600])
        #expect(classes.minimum == 1)
        #expect(classes.classIndex(of: 100) == 0)
        #expect(classes.classIndex(of: 100.5) == 1)
        #expect(classes.classIndex(of: 600) == 5)
        #expect(classes.range(ofClass: 2) == (200, 300))
    }

    @Test("values equal but for rounding make one class; zero and non-finite values are ignored")
    func uniform() throws {
        let values = (0..<1000).map { 5.0 * (1 + Double($0 % 7) * 1e-14) } + [0, .nan, .infinity]
        let classes = try #require(DemandClasses(values: values))
        #expect(classes.count == 1)
        #expect(DemandClasses(values: [0, -1]) == nil)
    }

    @Test("skewed values still fill every class")
    func skewed() throws {
        let values = (1...1200).map { exp(Double($0) / 40) }  // spans 13 orders of magnitude
        let classes = try #require(DemandClasses(values: values))
        #expect(classes.count == 6)
        var counts = [Int](repeating: 0, count: 6)
        for value in values { counts[classes.classIndex(of: value)] += 1 }
        #expect(counts.allSatisfy { $0 == 200 })
    }
}
