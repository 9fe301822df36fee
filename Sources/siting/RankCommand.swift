import ArgumentParser
import Foundation
import SitingCore
import SitingMap
import SitingStore

/// `siting rank`: where the next N outlets should go, and why.
struct RankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Rank candidate sites for new outlets in a region and pick the best N, explaining every score.",
        discussion: """
            Builds the demand surface of the region (equal-area cells on land; population from a \
            raster, region totals or settlements; demand = population × financial index), scores \
            every candidate with a Huff model with an outside option against the bank's outlets and \
            its competitors, and picks N sites by lazy greedy and swaps. Each pick reports its gross \
            capture, cannibalization of own outlets, demand won from competitors, demand new to the \
            market, net gain and newly covered population; the plan reports how close it is to the \
            optimum. The model is described in docs/scoring-model.md.

            Demand units are persons weighted by the financial index (1 = national mean).

            Examples:
              siting rank --region 310000 --sites 10
              siting rank --bbox 121.3,31.1,121.6,31.35 --sites 5 --decay exponential --cutoff-meters 3000
              siting rank --region 330100 --sites 20 --weights gdp_per_capita=2,finance_share=1 --map hangzhou.svg
              siting rank --region 310000 --sites 10 --decay step --cutoff-meters 2000 --format csv -o plan.csv
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv, geojson
    }

    enum CandidateName: String, ExpressibleByArgument, CaseIterable {
        case cells, listed
    }

    enum DecayName: String, ExpressibleByArgument, CaseIterable {
        case power, exponential, step
    }

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("The region to rank, by its 6-digit adcode (310000 Shanghai, 330100 Hangzhou; 100000 all of mainland China).", valueName: "ADCODE"))
    var region: String?

    @Option(help: ArgumentHelp("Or a WGS84 box to rank: west,south,east,north in degrees.", valueName: "W,S,E,N"))
    var bbox: String?

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("How many new sites to pick (fixed sites included).", valueName: "N"))
    var sites: Int

    @Option(help: ArgumentHelp("Side of a demand cell, metres (100 to 50000).", valueName: "M"))
    var cellSizeMeters: Double = 1_000

    @Option(help: "Distance decay: power, exponential or step.")
    var decay: DecayName = .power

    @Option(help: ArgumentHelp("Exponent of power decay.", valueName: "BETA"))
    var decayExponent: Double = 2

    @Option(help: ArgumentHelp("Scale of exponential decay, metres.", valueName: "M"))
    var decayScaleMeters: Double = 1_000

    @Option(help: ArgumentHelp("No outlet draws customers from farther than this, metres (at most 50000).", valueName: "D"))
    var cutoffMeters: Double = 5_000

    @Option(help: ArgumentHelp("Population within this distance of an outlet counts as covered, metres (default 1500, at most the cutoff).", valueName: "D"))
    var serviceMeters: Double?

    @Option(help: ArgumentHelp("Utility of the outside option u0 (default: a new outlet's utility at the cutoff; 0 for step decay).", valueName: "U0"))
    var outsideUtility: Double?

    @Option(help: ArgumentHelp("Weights of the financial factors, name=weight,… (\(FinancialFactor.allCases.map(\.rawValue).joined(separator: ", ")); default 1 each).", valueName: "LIST"))
    var weights: String?

    @Option(help: ArgumentHelp("Attractiveness by kind, kind=value,… (own kinds, competitor.<kind> such as competitor.selfService, branch = competitor.branch, candidate).", valueName: "LIST"))
    var attractiveness: String?

    @Option(help: "Candidates: cells (every populated land cell) or listed (the sites of siting import candidates).")
    var candidates: CandidateName = .cells

    @Option(help: ArgumentHelp("Candidate ids that must be picked (comma-separated or repeated).", valueName: "IDS"))
    var fixed: [String] = []

    @Option(help: ArgumentHelp("Candidate ids that must not be picked.", valueName: "IDS"))
    var exclude: [String] = []

    @Option(help: ArgumentHelp("No two picks closer than this, metres.", valueName: "M"))
    var minSpacingMeters: Double = 0

    @Option(help: ArgumentHelp("No pick closer than this to an own outlet, metres.", valueName: "M"))
    var minSpacingOwnMeters: Double = 0

    @Option(help: ArgumentHelp("At most N picks in a region: ADCODE=N (repeatable).", valueName: "ADCODE=N"))
    var regionCap: [String] = []

    @Option(help: ArgumentHelp("Rounds of swap refinement after the greedy picks.", valueName: "N"))
    var swapRounds: Int = 2

    @Option(help: ArgumentHelp("A population raster (ESRI ASCII grid, WGS84 degrees, persons per cell) to use instead of region totals.", valueName: "FILE.asc"))
    var populationRaster: String?

    @Option(help: ArgumentHelp("The land mask (default: the one siting init stored in the database, else Geodata/land-mask-china.rle).", valueName: "FILE.rle"))
    var landMask: String?

    @Flag(help: "Keep cells at sea (no land mask).")
    var noLandMask = false

    @Option(help: "Output on stdout: table, json, csv or geojson.")
    var format: Format = .table

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Also write the picks to FILE.csv, FILE.geojson or FILE.gpkg.", valueName: "FILE"))
    var output: String?

    @Option(help: ArgumentHelp("Draw the plan as an SVG map.", valueName: "FILE.svg"))
    var map: String?

    @Option(help: ArgumentHelp("Id of the stored run (default: <region>-<number>).", valueName: "ID"))
    var runID: String?

    @Flag(help: "Do not store the run in the database.")
    var noStore = false

    func validate() throws {
        guard (region == nil) != (bbox == nil) else { throw ValidationError("give exactly one of --region ADCODE or --bbox W,S,E,N") }
        if let region, !Region.isAdcode(region) { throw ValidationError("--region \(region) is not a 6-digit adcode") }
        if let output {
            let lower = output.lowercased()
            guard lower.hasSuffix(".csv") || lower.hasSuffix(".geojson") || lower.hasSuffix(".json") || lower.hasSuffix(".gpkg") else {
                throw ValidationError("--output \(output): use a file ending in .csv, .geojson or .gpkg")
            }
        }
        if let map, !map.lowercased().hasSuffix(".svg") { throw ValidationError("--map \(map): use a file ending in .svg") }
        if noStore, let output, output.lowercased().hasSuffix(".gpkg") {
            throw ValidationError("--output \(output): a GeoPackage is exported from the stored run; drop --no-store or write .csv/.geojson")
        }
        guard sites >= 1 else { throw ValidationError("--sites \(sites): give 1 or more") }
        for item in regionCap {
            let parts = item.split(separator: "=")
            guard parts.count == 2, Region.isAdcode(String(parts[0])), let cap = Int(parts[1]), cap >= 0 else {
                throw ValidationError("--region-cap \(item): use ADCODE=N with a 6-digit adcode and N ≥ 0")
            }
        }
        if let runID, runID.isEmpty { throw ValidationError("--run-id must not be empty") }
    }

    /// The ranking options from the command line, every value checked.
    func makeOptions() throws -> Ranking.Options {
        var request = RankingRequest(region: region, sites: sites)
        if let bbox {
            let parts = bbox.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 4 else { throw ScoringError.invalidBoundingBox("--bbox needs west,south,east,north (4 numbers), got \"\(bbox)\"") }
            request.boundingBox = try zip(["west", "south", "east", "north"], parts).map { name, part in
                guard let value = NumberParsing.decimal(part), value.isFinite else {
                    throw ScoringError.invalidBoundingBox("\(name) \"\(part)\" is not a number")
                }
                return value
            }
        }
        request.cellSizeMeters = cellSizeMeters
        request.decay = RankingRequest.Decay(rawValue: decay.rawValue)!
        request.decayExponent = decayExponent
        request.decayScaleMeters = decayScaleMeters
        request.cutoffMeters = cutoffMeters
        request.serviceMeters = serviceMeters
        request.outsideUtility = outsideUtility
        request.weights = weights
        request.attractiveness = attractiveness
        request.candidates = candidates == .cells ? .cells : .listed
        func ids(_ values: [String]) -> Set<String> {
            Set(values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty })
        }
        request.fixedIDs = ids(fixed)
        request.excludedIDs = ids(exclude)
        request.minimumSpacingMeters = minSpacingMeters
        request.minimumSpacingToOwnMeters = minSpacingOwnMeters
        for item in regionCap {
            let parts = item.split(separator: "=")
            guard parts.count == 2, Region.isAdcode(String(parts[0])), let cap = Int(parts[1]), cap >= 0 else {
                throw ValidationError("--region-cap \(item): use ADCODE=N with a 6-digit adcode and N ≥ 0")
            }
            request.regionCaps[String(parts[0])] = cap
        }
        request.swapRounds = max(0, swapRounds)
        return try request.options()
    }

    func run() throws {
        let started = Date()
        let options = try makeOptions()
        let db = try SitingDatabase(path: database.path, mode: noStore ? .readOnly : .readWrite)
        if !noStore, let runID, try db.rankingRun(id: runID) != nil {
            throw ValidationError("--run-id: a ranking run with the id \"\(runID)\" already exists in the database; choose another id")
        }
        var raster: PopulationRaster?
        if let populationRaster {
            let text: String
            do { text = try String(contentsOfFile: populationRaster, encoding: .utf8) } catch {
                throw CLIError.unreadableFile(path: populationRaster, reason: error.localizedDescription)
            }
            do {
                raster = try PopulationRaster(text: text)
            } catch {
                throw CLIError.unreadableFile(path: populationRaster, reason: error.description)
            }
        }
        let inputs = Ranking.Inputs(regions: try db.regions(), statistics: try db.regionStatistics(), settlements: try db.settlements(),
                                    outlets: try db.outlets(), competitors: try db.competitors(),
                                    candidates: options.candidates == .listed ? try db.candidates() : [],
                                    raster: raster, landMask: try loadLandMask(db))
        var bar = ProgressBar(label: "ranking")
        let result = try Ranking.run(inputs, options: options, converter: CoordinateConverter()) { _, fraction in
            bar.update(done: Int(fraction * 1000), total: 1000, records: 0)
        }
        bar.finish()
        if options.candidates == .listed, result.candidates.count < inputs.candidates.count {
            StandardError.write("note: \(inputs.candidates.count - result.candidates.count) of \(inputs.candidates.count) listed sites lie outside the ranked area's land cells and were left out")
        }
        let report = PlanJSON.report(result, options: options)
        let elapsed = Date().timeIntervalSince(started)
        // Files first, then the database: a file that cannot be written leaves no stored run behind.
        if let output, !output.lowercased().hasSuffix(".gpkg") { try writeOutput(output, report: report) }
        if let map {
            let svg = RankMap.planMap(result, report: report, regions: inputs.regions, competitors: inputs.competitors).svg()
            do {
                try Data(svg.utf8).write(to: URL(fileURLWithPath: map), options: .atomic)
            } catch {
                throw CLIError.unreadableFile(path: map, reason: "cannot write the map: \(error.localizedDescription)")
            }
            StandardError.write("map written to \(map)")
        }
        var stored: String?
        if !noStore {
            let id = try db.saveRankingRun(Self.record(result, report: report, options: options, runID: runID, elapsedSeconds: elapsed))
            stored = id
            if format != .table { StandardError.write("stored as run \(id)") }
            if let output, output.lowercased().hasSuffix(".gpkg") {
                let summary = try db.export(.rankings, to: ExportDestination(path: output),
                                            options: ExportOptions(format: .gpkg, runID: id, overwrite: true, byteOrderMark: false))
                StandardError.write("\(summary)")
            }
        }
        switch format {
        case .table:
            RankOutput.printTable(report, elapsedSeconds: elapsed)
            if let stored { print("Stored as run \(stored) (siting export rankings --run \(stored) -o FILE)") }
        case .json: print(String(decoding: try PlanJSON.encode(report, pretty: true), as: UTF8.self))
        case .csv: print(RankOutput.csv(report), terminator: "")
        case .geojson: print(String(decoding: try PlanJSON.encode(RankOutput.featureCollection(report), pretty: true), as: UTF8.self))
        }
    }

    /// The run as the database stores it.
    static func record(_ result: Ranking.Result, report: PlanJSON.Report, options: Ranking.Options, runID: String?,
                       elapsedSeconds: Double) throws -> RankingRunRecord {
        let picks = report.picks.map { pick in
            RankingPickRecord(pick: pick.pick, candidateID: pick.id, position: Coordinate(x: pick.lng, y: pick.lat),
                              adcode: pick.adcode, regionName: pick.region, grossCapture: pick.gross_capture,
                              cannibalization: pick.cannibalization, wonFromCompetitors: pick.won_from_competitors,
                              newToMarket: pick.new_to_market, netGain: pick.net_gain, marginalGain: pick.net_gain,
                              newlyCoveredPopulation: pick.newly_covered_population, population: pick.cell_population,
                              demand: pick.cell_demand, fixed: pick.fixed)
        }
        let losses = result.plan.outletLosses.map { RankingOutletLoss(outletID: result.outlets[$0.index].id, demandLost: $0.demandLost) }
        return RankingRunRecord(runID: runID, createdAt: Date(), region: options.area.description, sites: options.constraints.sites,
                                parametersJSON: String(decoding: try PlanJSON.encode(report.parameters), as: UTF8.self),
                                objectiveBefore: report.objective_before, objective: report.objective, upperBound: report.upper_bound,
                                boundGapPercent: report.within_percent_of_optimal, elapsedSeconds: elapsedSeconds,
                                picks: picks, outletLosses: losses)
    }

    /// Writes the picks to `path` (.csv, else GeoJSON).
    func writeOutput(_ path: String, report: PlanJSON.Report) throws {
        let text = path.lowercased().hasSuffix(".csv") ? RankOutput.csv(report)
            : String(decoding: try PlanJSON.encode(RankOutput.featureCollection(report), pretty: true), as: UTF8.self) + "\n"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError.unreadableFile(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
        StandardError.write("\(report.picks.count) picks written to \(path)")
    }

    /// The land mask to use: --land-mask, else the one `siting init` stored in the database, else the
    /// Geodata folder's; nil when switched off or none is found.
    func loadLandMask(_ db: SitingDatabase) throws -> LandMask? {
        guard !noLandMask else { return nil }
        var source = "the database"
        var bytes: [UInt8]?
        if let landMask {
            guard let data = FileManager.default.contents(atPath: landMask) else {
                throw CLIError.unreadableFile(path: landMask, reason: "cannot read the land mask")
            }
            bytes = [UInt8](data)
            source = landMask
        } else if let stored = try db.storedLandMask() {
            bytes = stored
        } else if let folder = try? DemoData.locateGeodata(explicit: nil),
                  let data = FileManager.default.contents(atPath: folder + "/" + DemoDatabase.landMaskFile) {
            bytes = [UInt8](data)
            source = folder + "/" + DemoDatabase.landMaskFile
        }
        guard let bytes else {
            StandardError.write("note: no land mask in the database or beside it (pass --land-mask FILE.rle); cells at sea are kept")
            return nil
        }
        do {
            return try LandMask(encoded: bytes)
        } catch {
            throw CLIError.unreadableFile(path: source, reason: error.description)
        }
    }
}
