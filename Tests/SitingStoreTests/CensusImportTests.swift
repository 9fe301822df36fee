import Foundation
import SitingCore
import SitingStore
import SitingTestSupport
import Testing

/// The realistic national case: the shipped regions, then the 2020 county census (2,943 rows) as
/// region statistics. The expected counts and sums are computed here from the two files directly.
@Suite struct CensusImportTests {
    static let packageRoot = PackageLayout.root()
    static let censusPath = URL(fileURLWithPath: packageRoot + "/../shared/geodata/cn-county-census-2020.csv").standardized.path
    static let regionsPath = packageRoot + "/Geodata/regions.geojson"
    static let censusAvailable = FileManager.default.fileExists(atPath: censusPath)
        && FileManager.default.fileExists(atPath: regionsPath)

    static let indicators = ["population", "urban_population", "finance_workers_sample", "all_workers_sample",
                             "mean_schooling_years", "households_with_car_sample", "households_sample"]

    /// The R-tree box of every 10th region equals the envelope of its polygons in the GeoJSON file
    /// (read with JSONSerialization), to the R-tree's 32-bit float rounding.
    static func expectRegionIndex(_ database: String, features: [[String: Any]]) throws {
        var index: [String: [Double]] = [:]
        for row in try SQLiteShell.rows(database, """
            SELECT g.adcode, r.minx, r.maxx, r.miny, r.maxy FROM regions g JOIN rtree_regions_geom r ON r.id = g.fid;
            """) {
            index[row[0]] = row.dropFirst().compactMap(Double.init)
        }
        #expect(index.count == features.count)
        var wrong: [String] = []
        for feature in features.enumerated().filter({ $0.offset % 10 == 0 }).map(\.element) {
            guard let adcode = (feature["properties"] as? [String: Any])?["adcode"] as? String,
                  let geometry = feature["geometry"] as? [String: Any] else { continue }
            var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
            func visit(_ value: Any) {
                if let pair = value as? [Double], pair.count >= 2 {
                    minX = min(minX, pair[0]); maxX = max(maxX, pair[0]); minY = min(minY, pair[1]); maxY = max(maxY, pair[1])
                } else if let list = value as? [Any] {
                    for item in list { visit(item) }
                }
            }
            visit(geometry["coordinates"] ?? [])
            guard let box = index[adcode], box.count == 4, box[0] <= minX, box[1] >= maxX, box[2] <= minY, box[3] >= maxY,
                  minX - box[0] < 3e-5, box[1] - maxX < 3e-5, minY - box[2] < 3e-5, box[3] - maxY < 3e-5 else {
                wrong.append("\(adcode): index \(index[adcode] ?? []), file [\(minX), \(maxX), \(minY), \(maxY)]")
                continue
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) regions with a wrong R-tree box, e.g. \(wrong.prefix(3))")
    }

    @Test("the county census imports as 2020 statistics: exactly the rows with unknown adcodes are rejected, sums equal the file's",
          .enabled(if: censusAvailable, "skipped: ../shared/geodata/cn-county-census-2020.csv (or Geodata/regions.geojson) not found"),
          .timeLimit(.minutes(5)))
    func countyCensus() throws {
        // The oracle: both files read here, without Siting.
        let regionsJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.regionsPath)))
        let features = try #require((regionsJSON as? [String: Any])?["features"] as? [[String: Any]])
        let regionCodes = Set(features.compactMap { ($0["properties"] as? [String: Any])?["adcode"] as? String })
        try #require(regionCodes.count > 3_000)

        let text = try String(contentsOfFile: Self.censusPath, encoding: .utf8)
        try #require(!text.contains("\""), "the census has no quoted fields, so a plain split reads it")
        // The file has CRLF line ends; "\r\n" is one Character, and a newline.
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        let adcodeColumn = try #require(column["adcode"]), populationColumn = try #require(column["population"])
        var acceptedPopulation: [String: Double] = [:]
        var acceptedValues = 0
        var rejectedLines: [Int] = []
        for (offset, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if regionCodes.contains(fields[adcodeColumn]) {
                acceptedPopulation[fields[adcodeColumn]] = Double(fields[populationColumn])
                acceptedValues += Self.indicators.filter { !fields[column[$0]!].isEmpty }.count
            } else {
                rejectedLines.append(offset + 2)
            }
        }
        #expect(lines.count - 1 == 2_943)

        try TemporaryDirectory.with(prefix: "siting-census") { directory in
            let db = try SitingDatabase(path: directory.path("census.gpkg"), mode: .createIfMissing)
            let regions = try db.importFile(Self.regionsPath, as: .regions)
            #expect([regions.inserted, regions.rejected] as [Int] == [features.count, 0])
            try Self.expectRegionIndex(db.path, features: features)

            let summary = try db.importFile(Self.censusPath, as: .regionStats,
                                            options: ImportOptions(skipInvalid: true, year: 2020))
            #expect(summary.rejected == rejectedLines.count)
            #expect(summary.issues.map(\.location) == rejectedLines.prefix(ImportError.listedIssueLimit).map { RecordLocation.line($0) })
            #expect(summary.issues.allSatisfy { $0.field == "adcode" && $0.reason.contains("unknown adcode") })
            #expect(summary.inserted == acceptedValues, "one stored value per non-empty indicator cell of each accepted row")
            #expect(summary.updated == 0)

            let population = try db.regionStatistics(indicator: "population", year: 2020)
            #expect(population.count == acceptedPopulation.count)
            #expect(Set(population.map(\.adcode)) == Set(acceptedPopulation.keys))
            #expect(population.reduce(0) { $0 + $1.value } == acceptedPopulation.values.reduce(0, +))
            #expect(population.allSatisfy { $0.source == "cn-county-census-2020.csv" })

            let all = try db.regionStatistics(year: 2020)
            let value = { (adcode: String, indicator: String) in all.first { $0.adcode == adcode && $0.indicator == indicator }?.value }
            #expect(value("110101", "population") == 708_829)
            #expect(value("110101", "mean_schooling_years") == 12.65)
            #expect(value("110105", "population") == 3_452_460)
            #expect(value("110106", "urban_population") == 2_003_652)
            #expect(value("110101", "lon") == nil, "lon/lat are labels, not indicators")

            // The same file again: every stored value is an update, nothing new.
            let again = try db.importFile(Self.censusPath, as: .regionStats, options: ImportOptions(skipInvalid: true, year: 2020))
            #expect([again.inserted, again.updated, again.rejected] as [Int] == [0, acceptedValues, rejectedLines.count])
            #expect(try db.count(.regionStats) == acceptedValues)
        }
    }
}
