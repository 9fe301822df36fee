import Foundation
import SitingCore
@testable import SitingStore
import SitingTestSupport
import Testing

/// `saveRankingRun`, `rankingRuns` and `rankingRun(id:)` in `SitingDatabase+Rankings.swift`: a run and
/// its picks and losses stored in one transaction, checked through Siting's own reading, the `sqlite3`
/// program, GDAL (`ogr2ogr`, `ogrinfo`, the GeoPackage validator) and the rankings export; and the
/// schema version 2 → 3 upgrade.
@Suite struct RankingStoreTests {
    /// 2024-06-01T08:00:00.250Z: a quarter second, exact in binary, so the millisecond text reads back equal.
    static let createdAt = Date(timeIntervalSince1970: 1_717_228_800.25)

    /// A run of three picks in Shanghai: a grid cell, a listed site fixed in advance (no region, no
    /// cell population) and a cell whose figures need all 17 digits; two outlets lose demand.
    static func sampleRun(id: String? = "shanghai-plan") -> RankingRunRecord {
        RankingRunRecord(
            runID: id, createdAt: createdAt, region: "310000", sites: 3,
            parametersJSON: #"{"cellSizeMeters":1000,"distanceDecay":2.0,"competitorWeight":0.8}"#,
            objectiveBefore: 10_000.5, objective: 12_345.25, upperBound: 12_900.125, boundGapPercent: 4.303_405_572_755_418,
            elapsedSeconds: 1.75,
            picks: [
                RankingPickRecord(
                    pick: 1, candidateID: "cell-412-77", position: Coordinate(longitude: 121.4737, latitude: 31.2304),
                    adcode: "310101", regionName: "黄浦区", grossCapture: 900.5, cannibalization: 100.25,
                    wonFromCompetitors: 300, newToMarket: 500.25, netGain: 800.25, marginalGain: 800.25,
                    newlyCoveredPopulation: 12_000, population: 5_432, demand: 6_001.5, fixed: false),
                RankingPickRecord(
                    pick: 2, candidateID: "K-002", position: Coordinate(longitude: 121.6, latitude: 31.2),
                    adcode: nil, regionName: nil, grossCapture: 400, cannibalization: 50, wonFromCompetitors: 150.125,
                    newToMarket: 199.875, netGain: 350, marginalGain: 275.5, newlyCoveredPopulation: 0,
                    population: 0, demand: 0, fixed: true),
                RankingPickRecord(
                    pick: 3, candidateID: "cell-398-61", position: Coordinate(longitude: 121.123_456_789_012_3, latitude: 30.987_654_321_098_7),
                    adcode: "310117", regionName: "松江区", grossCapture: 1.0 / 3.0, cannibalization: 0,
                    wonFromCompetitors: 1.0 / 3.0, newToMarket: 0, netGain: 1.0 / 3.0, marginalGain: 0.1,
                    newlyCoveredPopulation: 250.5, population: 1e-3, demand: 2.0 / 3.0, fixed: false),
            ],
            outletLosses: [RankingOutletLoss(outletID: "SH001", demandLost: 75.5), RankingOutletLoss(outletID: "BJ001", demandLost: 0.125)])
    }

    /// SQL for the `sqlite3` program that turns a new (version 3) file into a version 2 one: the
    /// columns and table version 3 added are removed, the remaining columns keep their definitions.
    static let downgradeToVersion2 = """
        DROP TABLE ranking_outlet_losses;
        DELETE FROM gpkg_contents WHERE table_name = 'ranking_outlet_losses';
        ALTER TABLE ranking_results DROP COLUMN region_name;
        ALTER TABLE ranking_results DROP COLUMN population;
        ALTER TABLE ranking_results DROP COLUMN demand;
        ALTER TABLE ranking_results DROP COLUMN fixed;
        ALTER TABLE ranking_runs DROP COLUMN objective_before;
        ALTER TABLE ranking_runs DROP COLUMN bound_gap_percent;
        ALTER TABLE ranking_runs DROP COLUMN elapsed_seconds;
        UPDATE siting_metadata SET value = '2' WHERE key = 'schema_version';
        """

    /// The columns of schema version 2, as that version created them.
    static let version2Columns = [
        "ranking_results": ["fid", "geom", "run_id", "pick", "candidate_id", "adcode", "gross_capture", "cannibalization",
                            "won_from_competitors", "new_to_market", "net_gain", "marginal_gain", "newly_covered_population"],
        "ranking_runs": ["id", "run_id", "created_at", "region", "sites", "parameters", "objective", "upper_bound"],
    ]

    static func columns(_ database: String, _ table: String) throws -> [[String]] {
        try SQLiteShell.rows(database, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('\(table)') ORDER BY cid;")
    }

    static func count(_ database: String, _ table: String) throws -> Int {
        Int(try SQLiteShell.scalar(database, "SELECT count(*) FROM \(table);")) ?? -1
    }

    // MARK: Saving and reading

    @Test("a saved run reads back field for field, with its picks in pick order and its losses; runs list newest first")
    func roundTrip() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let run = Self.sampleRun()
            let db = try fixture.open()
            #expect(try db.saveRankingRun(run) == "shanghai-plan")
            #expect(try db.rankingRun(id: "shanghai-plan") == run)
            #expect(try db.rankingRun(id: "no-such-run") == nil)

            // A later run; the list holds both, newest first, without picks or losses.
            var later = Self.sampleRun(id: "later")
            later.createdAt = Self.createdAt.addingTimeInterval(3600)
            later.picks = [run.picks[1]]
            later.outletLosses = []
            _ = try db.saveRankingRun(later)
            var summaries = [later, run]
            for index in summaries.indices {
                summaries[index].picks = []
                summaries[index].outletLosses = []
            }
            // Read through a second, read-only connection, as another process would.
            let reader = try fixture.open(mode: .readOnly)
            #expect(try reader.rankingRuns() == summaries)
            #expect(try reader.rankingRun(id: "later") == later)
            #expect(try reader.count(.rankingRuns) == 2 && reader.count(.rankingResults) == 4)

            // The stored text, as sqlite3 sees it.
            let path = fixture.databasePath
            #expect(try SQLiteShell.rows(path, """
                SELECT run_id, created_at, region, sites, parameters, objective_before, objective, upper_bound, elapsed_seconds
                FROM ranking_runs ORDER BY id;
                """).first == ["shanghai-plan", "2024-06-01T08:00:00.250Z", "310000", "3", run.parametersJSON,
                               "10000.5", "12345.25", "12900.125", "1.75"])
            #expect(try SQLiteShell.rows(path, "SELECT run_id, outlet_id, demand_lost FROM ranking_outlet_losses ORDER BY id;")
                        == [["shanghai-plan", "SH001", "75.5"], ["shanghai-plan", "BJ001", "0.125"]])
            #expect(try SQLiteShell.scalar(path, "PRAGMA integrity_check;") == "ok")
        }
    }

    @Test("sqlite3 sees the picks in pick order as GeoPackage points in EPSG:4326, even when given out of order")
    func picksThroughSQLite3() throws {
        try StoreFixture.with(seeded: false) { fixture in
            var run = Self.sampleRun()
            run.picks.reverse()
            _ = try fixture.open().saveRankingRun(run)
            let rows = try SQLiteShell.rows(fixture.databasePath, """
                SELECT pick, candidate_id, hex(geom), region_name, population, demand, fixed FROM ranking_results
                WHERE run_id = 'shanghai-plan' ORDER BY fid;
                """)
            #expect(rows.map { $0[0] } == ["1", "2", "3"])
            #expect(rows.map { $0[1] } == ["cell-412-77", "K-002", "cell-398-61"])
            #expect(rows.map { $0[3] } == ["黄浦区", "", "松江区"])
            #expect(rows.map { $0[6] } == ["0", "1", "0"])
            #expect(rows[0][4] == "5432.0" && rows[0][5] == "6001.5")
            for (row, pick) in zip(rows, run.picks.sorted { $0.pick < $1.pick }) {
                let point = try #require(GeoPackagePointHex.decode(row[2]), "pick \(row[0]) is not a point: \(row[2])")
                #expect(point.srsID == 4326)
                #expect(point.x == pick.position.longitude && point.y == pick.position.latitude, "pick \(row[0])")
            }
            // Read back in pick order too.
            #expect(try fixture.open().rankingRun(id: "shanghai-plan")?.picks.map(\.pick) == [1, 2, 3])
        }
    }

    @Test("the R-tree holds a tight box around every pick and gpkg_contents' extent covers them all")
    func spatialIndexAndExtent() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let path = fixture.databasePath
            _ = try fixture.open().saveRankingRun(Self.sampleRun())
            var elsewhere = Self.sampleRun(id: "beijing-plan")
            elsewhere.region = "110000"
            elsewhere.picks = [RankingPickRecord(
                pick: 1, candidateID: "cell-1", position: Coordinate(longitude: 116.4103, latitude: 39.9155), adcode: "110101",
                regionName: "东城区", grossCapture: 1, cannibalization: 0, wonFromCompetitors: 0, newToMarket: 1, netGain: 1,
                marginalGain: 1, newlyCoveredPopulation: 1, population: 1, demand: 1, fixed: false)]
            _ = try fixture.open().saveRankingRun(elsewhere)

            let fids = try SQLiteShell.rows(path, "SELECT fid, run_id, pick FROM ranking_results ORDER BY fid;")
            let boxes = try SitingDatabaseTests.rtree(path, "ranking_results")
            #expect(boxes.keys.sorted() == fids.compactMap { Int($0[0]) })
            let all = [(run: "shanghai-plan", picks: Self.sampleRun().picks), (run: "beijing-plan", picks: elsewhere.picks)]
            for row in fids {
                let pick = try #require(all.first { $0.run == row[1] }?.picks.first { String($0.pick) == row[2] })
                let box = try #require(boxes[Int(row[0])!])
                SitingDatabaseTests.expectTight(box, around: pick.position, "\(row[1]) pick \(row[2])")
            }
            let extent = try SQLiteShell.rows(path,
                                              "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'ranking_results';")
            let numbers = try #require(extent.first?.compactMap(Double.init))
            try #require(numbers.count == 4, "extent \(extent)")
            let positions = all.flatMap { $0.picks.map(\.position) }
            let (minX, maxX) = (positions.map(\.x).min()!, positions.map(\.x).max()!)
            let (minY, maxY) = (positions.map(\.y).min()!, positions.map(\.y).max()!)
            #expect(numbers[0] <= minX && numbers[1] <= minY && numbers[2] >= maxX && numbers[3] >= maxY, "\(numbers)")
            #expect(minX - numbers[0] < 4e-5 && minY - numbers[1] < 4e-5 && numbers[2] - maxX < 4e-5 && numbers[3] - maxY < 4e-5,
                    "extent \(numbers) is not tight")
        }
    }

    @Test("GDAL reads the picks with our coordinates, and our CSV export lists them in pick order")
    func picksThroughGDALAndExport() throws {
        let ogr2ogr = try GDALTools.require("ogr2ogr")
        try FixtureDatabase.with(withRankings: false) { fixture in
            let run = Self.sampleRun()
            _ = try fixture.database.saveRankingRun(run)
            try fixture.database.checkpoint()
            let output = fixture.directory.path("gdal.csv")
            let outcome = try ExternalTool.run(ogr2ogr, [
                "-f", "CSV", output, fixture.database.path, "ranking_results", "-lco", "GEOMETRY=AS_XY",
                "-select", "pick,candidate_id,fixed", "-where", "run_id = 'shanghai-plan'",
            ])
            #expect(outcome.status == 0, "ogr2ogr: \(outcome.standardError)")
            #expect(GDALTools.complaints(outcome.standardError).isEmpty, "\(outcome.standardError)")
            // GDAL quotes its 64-bit integers ("1"); no value here holds a comma or a quote.
            let lines = try fixture.text(output).split(whereSeparator: \.isNewline)
                .map { $0.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } }
            #expect(lines.first == ["X", "Y", "pick", "candidate_id", "fixed"])
            #expect(lines.count == 4)
            for (line, pick) in zip(lines.dropFirst(), run.picks) {
                #expect(line[2] == String(pick.pick) && line[3] == pick.candidateID && line[4] == (pick.fixed ? "1" : "0"), "\(line)")
                let x = try #require(Double(line[0])), y = try #require(Double(line[1]))
                #expect(abs(x - pick.position.longitude) <= 1e-12 && abs(y - pick.position.latitude) <= 1e-12, "pick \(pick.pick): \(line)")
            }

            let csv = try fixture.text(fixture.export(.rankings, .csv, runID: "shanghai-plan"))
            let rows = csv.components(separatedBy: "\r\n")
            #expect(rows[0].hasSuffix(",newly_covered_population,region_name,population,demand,fixed"))
            #expect(rows[1] == "shanghai-plan,2024-06-01T08:00:00.250Z,310000,1,cell-412-77,121.4737000,31.2304000,310101,"
                + "900.5,100.25,300.0,500.25,800.25,800.25,12000.0,黄浦区,5432.0,6001.5,no")
            #expect(rows[2] == "shanghai-plan,2024-06-01T08:00:00.250Z,310000,2,K-002,121.6000000,31.2000000,,"
                + "400.0,50.0,150.125,199.875,350.0,275.5,0.0,,0.0,0.0,yes")
            #expect(rows[3].hasPrefix("shanghai-plan,2024-06-01T08:00:00.250Z,310000,3,cell-398-61,121.1234568,30.9876543,310117,"))
            #expect(rows.count == 5 && rows[4].isEmpty)

            let geojson = try fixture.text(fixture.export(.rankings, .geojson, runID: "shanghai-plan"))
            #expect(geojson.contains("\"region_name\":\"黄浦区\",\"population\":5432.0,\"demand\":6001.5,\"fixed\":false"))
            #expect(geojson.contains("\"region_name\":null,\"population\":0.0,\"demand\":0.0,\"fixed\":true"))

            // A GeoPackage export of the run carries its losses too.
            let exported = try SitingDatabase(path: fixture.export(.rankings, .gpkg, runID: "shanghai-plan"), mode: .readOnly)
            #expect(try exported.rankingRun(id: "shanghai-plan") == run)
        }
    }

    @Test("GDAL's validator and ogrinfo accept a database holding saved runs",
          .enabled(if: GDALTools.validator != nil, "python3-gdal's validate_gpkg is not installed"))
    func gdalAcceptsSavedRuns() throws {
        let command = try #require(GDALTools.validator)
        let ogrinfo = try GDALTools.require("ogrinfo")
        try FixtureDatabase.with(withRankings: false) { fixture in
            _ = try fixture.database.saveRankingRun(Self.sampleRun())
            _ = try fixture.database.saveRankingRun(Self.sampleRun(id: nil))
            try fixture.database.checkpoint()
            let path = fixture.database.path
            let validated = try ExternalTool.run(command[0], Array(command.dropFirst()) + ["--extra", "--warning-as-error", path])
            #expect(validated.status == 0, "validate_gpkg: \(validated.standardOutput) \(validated.standardError)")
            let summary = try ExternalTool.run(ogrinfo, [
                "-ro", "-so", "-al", "--config", "OGR_GPKG_INTEGRITY_CHECK", "YES", "--config", "OGR_GPKG_FOREIGN_KEY_CHECK", "YES", path,
            ])
            #expect(summary.status == 0 && summary.standardError.isEmpty, "\(summary.standardError)")
            let layers = GDALExportTests.layers(summary.standardOutput)
            #expect(layers["ranking_results"]?.count == 6)
            #expect(layers["ranking_results"]?.epsg4326 == true)
            #expect(layers["ranking_outlet_losses"]?.count == 4)
        }
    }

    // MARK: Run ids

    @Test("without an id the store makes '<region>-<row id>'; a taken one gets a suffix")
    func generatedIDs() throws {
        try StoreFixture.with(seeded: false) { fixture in
            let db = try fixture.open()
            var box = Self.sampleRun(id: nil)
            box.region = "bbox:121.0,30.7,122.0,31.5"
            #expect(try db.saveRankingRun(Self.sampleRun(id: nil)) == "310000-1")
            #expect(try db.saveRankingRun(box) == "bbox-2")
            #expect(try db.saveRankingRun(Self.sampleRun(id: "310000-4")) == "310000-4")
            // Row 4 is next, but a caller already took "310000-4".
            #expect(try db.saveRankingRun(Self.sampleRun(id: nil)) == "310000-4-2")
            #expect(try db.saveRankingRun(Self.sampleRun(id: nil)) == "310000-5")
            #expect(try db.rankingRuns().map(\.runID) == ["310000-5", "310000-4-2", "310000-4", "bbox-2", "310000-1"])
            #expect(try db.rankingRun(id: "bbox-2")?.region == "bbox:121.0,30.7,122.0,31.5")
            #expect(try db.rankingRun(id: "310000-4-2")?.picks.count == 3)
        }
    }

    // MARK: Refusals

    @Test("a run id already stored is refused, named, and the database is left unchanged")
    func duplicateRefused() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let db = try fixture.open()
            _ = try db.saveRankingRun(Self.sampleRun())
            let before = try fixture.snapshot()
            let counts = try ["ranking_runs", "ranking_results", "ranking_outlet_losses", "rtree_ranking_results_geom"]
                .map { try Self.count(fixture.databasePath, $0) }
            #expect(counts == [1, 3, 2, 3])
            var again = Self.sampleRun()
            again.picks.removeLast()
            #expect {
                try db.saveRankingRun(again)
            } throws: { error in
                guard case StoreError.sqlite(let code, _, _) = error else { return false }
                let text = "\(error)"
                return code == SitingDatabase.constraintUnique
                    && text.contains("a ranking run with the id \"shanghai-plan\" already exists") && text.contains("nothing was stored")
            }
            try fixture.expectUnchanged(since: before, "after a refused duplicate")
            #expect(try ["ranking_runs", "ranking_results", "ranking_outlet_losses", "rtree_ranking_results_geom"]
                        .map { try Self.count(fixture.databasePath, $0) } == counts)
            #expect(try db.rankingRun(id: "shanghai-plan") == Self.sampleRun())
        }
    }

    /// A change that makes the sample run unfit to store, and words the refusal must contain.
    struct Spoiler: Sendable, CustomStringConvertible {
        var description: String
        var expected: [String]
        var spoil: @Sendable (inout RankingRunRecord) -> Void
    }

    static let spoilers: [Spoiler] = [
        Spoiler(description: "NaN gross capture", expected: ["pick 2 (candidate \"K-002\")", "grossCapture is nan"]) {
            $0.picks[1].grossCapture = .nan
        },
        Spoiler(description: "infinite demand", expected: ["pick 3 (candidate \"cell-398-61\")", "demand is inf"]) {
            $0.picks[2].demand = .infinity
        },
        Spoiler(description: "NaN longitude", expected: ["pick 1 (candidate \"cell-412-77\")", "position.longitude is nan"]) {
            $0.picks[0].position = Coordinate(longitude: .nan, latitude: 31)
        },
        Spoiler(description: "latitude beyond 90°", expected: ["pick 1", "outside WGS84"]) {
            $0.picks[0].position = Coordinate(longitude: 121, latitude: 95)
        },
        Spoiler(description: "NaN objective", expected: ["the run's objective is nan"]) { $0.objective = .nan },
        Spoiler(description: "NaN outlet loss", expected: ["outlet \"BJ001\"", "demandLost is nan"]) {
            $0.outletLosses[1].demandLost = .nan
        },
        Spoiler(description: "a repeated pick", expected: ["pick 2 appears more than once"]) { $0.picks[2].pick = 2 },
        Spoiler(description: "pick 0", expected: ["pick is 0; picks count from 1"]) { $0.picks[0].pick = 0 },
        Spoiler(description: "a repeated outlet", expected: ["outlet \"SH001\" has more than one loss"]) {
            $0.outletLosses[1].outletID = "SH001"
        },
        Spoiler(description: "parameters not an object", expected: ["parametersJSON is not a JSON object"]) {
            $0.parametersJSON = "[1, 2]"
        },
        Spoiler(description: "parameters not JSON", expected: ["parametersJSON is not JSON"]) { $0.parametersJSON = "{cell: 1}" },
        Spoiler(description: "an empty run id", expected: ["the run id is empty"]) { $0.runID = "" },
    ]

    @Test("a run that does not make sense is refused, naming the pick and field, and nothing is written",
          arguments: spoilers)
    func invalidRefused(spoiler: Spoiler) throws {
        try StoreFixture.with(seeded: true) { fixture in
            let db = try fixture.open()
            let before = try fixture.snapshot()
            var run = Self.sampleRun()
            spoiler.spoil(&run)
            #expect {
                try db.saveRankingRun(run)
            } throws: { error in
                guard case StoreError.sqlite(let code, let message, _) = error, code == SitingDatabase.constraintCheck else { return false }
                return spoiler.expected.allSatisfy(message.contains) && message.contains("nothing was stored")
            }
            try fixture.expectUnchanged(since: before, "after refusing \(spoiler)")
            #expect(try db.rankingRuns().isEmpty)
        }
    }

    // MARK: Schema upgrade

    @Test("a schema version 2 file reads read-only as it is, and gains the version 3 columns and table when opened for writing")
    func upgradesVersion2() throws {
        try StoreFixture.with(seeded: true) { fixture in
            let path = fixture.databasePath
            let fresh = fixture.directory.path("fresh.gpkg")
            _ = try SitingDatabase(path: fresh, mode: .createIfMissing)
            // A run saved before the downgrade keeps the columns version 2 had.
            _ = try fixture.open().saveRankingRun(Self.sampleRun())
            _ = try SQLiteShell.run(path, Self.downgradeToVersion2)
            for (table, names) in Self.version2Columns {
                #expect(try Self.columns(path, table).map { $0[0] } == names, "the version 2 fixture's \(table)")
            }
            let before = try fixture.snapshot()

            // Read-only: version 2 as it is; the run reads with the later figures missing (NaN).
            let reader = try fixture.open(mode: .readOnly)
            #expect(try reader.schemaVersion == 2)
            let old = try #require(try reader.rankingRun(id: "shanghai-plan"))
            #expect(old.objective == 12_345.25 && old.objectiveBefore.isNaN && old.elapsedSeconds.isNaN && old.outletLosses.isEmpty)
            #expect(old.picks.map(\.candidateID) == ["cell-412-77", "K-002", "cell-398-61"])
            #expect(old.picks.allSatisfy { $0.population.isNaN && $0.regionName == nil && !$0.fixed })
            #expect(old.picks.map(\.position) == Self.sampleRun().picks.map(\.position))
            #expect(try reader.rankingRuns().map(\.runID) == ["shanghai-plan"])
            // The export of an older file leaves the newer columns empty; its GeoPackage export is version 3.
            let csv = fixture.directory.path("old.csv")
            _ = try reader.export(.rankings, to: .file(csv), options: ExportOptions(format: .csv))
            #expect(try String(contentsOfFile: csv, encoding: .utf8).components(separatedBy: "\r\n")[1]
                        .hasSuffix(",800.25,800.25,12000.0,,,,"))
            let gpkg = fixture.directory.path("old.gpkg")
            _ = try reader.export(.rankings, to: .file(gpkg), options: ExportOptions(format: .gpkg))
            let exported = try SitingDatabase(path: gpkg, mode: .readOnly)
            #expect(try exported.schemaVersion == 3)
            #expect(try exported.rankingRun(id: "shanghai-plan")?.picks.map(\.fixed) == [false, false, false])
            try fixture.expectUnchanged(since: before, "after reading a version 2 file")

            // Opened for writing: version 3, with the same columns as a new file, the old rows kept.
            let db = try fixture.open()
            #expect(try db.schemaVersion == 3)
            for table in ["ranking_results", "ranking_runs", "ranking_outlet_losses"] {
                #expect(try Self.columns(path, table) == Self.columns(fresh, table), "\(table)")
            }
            #expect(try SQLiteShell.rows(path, "SELECT data_type, identifier FROM gpkg_contents WHERE table_name = 'ranking_outlet_losses';")
                        == [["attributes", "ranking_outlet_losses"]])
            #expect(try SQLiteShell.rows(path, "SELECT fixed, population IS NULL FROM ranking_results ORDER BY fid;")
                        == [["0", "1"], ["0", "1"], ["0", "1"]])
            #expect(try db.rankingRun(id: "shanghai-plan")?.picks.map(\.candidateID) == ["cell-412-77", "K-002", "cell-398-61"])
            var new = Self.sampleRun(id: nil)
            #expect(try db.saveRankingRun(new) == "310000-2")
            new.runID = "310000-2"
            #expect(try db.rankingRun(id: "310000-2") == new)
            #expect(try db.integrityCheck() == "ok")
            #expect(try Self.count(path, "rtree_ranking_results_geom") == 6)
        }
    }

    @Test("GDAL's validator accepts a file upgraded from version 2",
          .enabled(if: GDALTools.validator != nil, "python3-gdal's validate_gpkg is not installed"))
    func validatorAcceptsUpgradedFile() throws {
        let command = try #require(GDALTools.validator)
        try StoreFixture.with(seeded: true) { fixture in
            _ = try fixture.open().saveRankingRun(Self.sampleRun())
            _ = try SQLiteShell.run(fixture.databasePath, Self.downgradeToVersion2)
            let db = try fixture.open()
            _ = try db.saveRankingRun(Self.sampleRun(id: "after-upgrade"))
            try db.checkpoint()
            let outcome = try ExternalTool.run(command[0], Array(command.dropFirst()) + ["--extra", "--warning-as-error", fixture.databasePath])
            #expect(outcome.status == 0, "validate_gpkg: \(outcome.standardOutput) \(outcome.standardError)")
        }
    }

    // MARK: Timestamps

    @Test("created_at text: milliseconds in UTC, whole-second text from other writers reads too", arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (1_717_228_800.25, "2024-06-01T08:00:00.250Z"),
        (951_782_400.999, "2000-02-29T00:00:00.999Z"), (-1.5, "1969-12-31T23:59:58.500Z"),
        (4_102_444_799.0, "2099-12-31T23:59:59.000Z"),
    ])
    func timestamps(seconds: Double, text: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(RankingTimestamp.text(date) == text)
        #expect(RankingTimestamp.date(text) == date)
    }

    @Test("created_at from other writers: whole seconds and microseconds read; other forms are refused")
    func timestampVariants() {
        #expect(RankingTimestamp.date("2024-06-01T08:00:00Z") == Date(timeIntervalSince1970: 1_717_228_800))
        let microseconds = RankingTimestamp.date("2024-06-01T08:00:00.123456Z")?.timeIntervalSince1970 ?? 0
        #expect(abs(microseconds - 1_717_228_800.123456) < 1e-6)
        for bad in ["2024-06-01 08:00:00", "2024-06-01T08:00:00+08:00", "2024-13-01T08:00:00Z", "2024-06-01T08:00:00.Z", ""] {
            #expect(RankingTimestamp.date(bad) == nil, "\(bad)")
        }
    }
}
