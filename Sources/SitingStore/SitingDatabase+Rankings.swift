internal import CSQLite
public import Foundation
public import SitingCore

/// One chosen site of a ranking run, in pick order. Demand figures are in demand units (population ×
/// financial index); positions are WGS84 longitude/latitude in degrees.
public struct RankingPickRecord: Hashable, Sendable {
    /// 1-based pick order.
    public var pick: Int
    public var candidateID: String
    /// WGS84 longitude/latitude in degrees.
    public var position: Coordinate
    /// GB/T 2260 code of the region the site lies in, if known.
    public var adcode: String?
    public var regionName: String?
    /// Demand the site captures in all.
    public var grossCapture: Double
    /// The part of `grossCapture` taken from the bank's own outlets (and earlier picks).
    public var cannibalization: Double
    /// The part of `grossCapture` taken from competitors.
    public var wonFromCompetitors: Double
    /// The part of `grossCapture` no outlet served before.
    public var newToMarket: Double
    /// `grossCapture − cannibalization`.
    public var netGain: Double
    /// Objective gain when the site is added after the earlier picks.
    public var marginalGain: Double
    /// Population within the service distance of this site and of no earlier outlet or pick.
    public var newlyCoveredPopulation: Double
    /// Population of the demand cell the site lies in.
    public var population: Double
    /// Demand of the candidate's own cell.
    public var demand: Double
    /// Whether the site was fixed in advance rather than chosen.
    public var fixed: Bool

    public init(pick: Int, candidateID: String, position: Coordinate, adcode: String?, regionName: String?,
                grossCapture: Double, cannibalization: Double, wonFromCompetitors: Double, newToMarket: Double,
                netGain: Double, marginalGain: Double, newlyCoveredPopulation: Double, population: Double,
                demand: Double, fixed: Bool)
    {
        self.pick = pick
        self.candidateID = candidateID
        self.position = position
        self.adcode = adcode
        self.regionName = regionName
        self.grossCapture = grossCapture
        self.cannibalization = cannibalization
        self.wonFromCompetitors = wonFromCompetitors
        self.newToMarket = newToMarket
        self.netGain = netGain
        self.marginalGain = marginalGain
        self.newlyCoveredPopulation = newlyCoveredPopulation
        self.population = population
        self.demand = demand
        self.fixed = fixed
    }
}

/// The demand one of the bank's own outlets loses to a run's new sites, in demand units.
public struct RankingOutletLoss: Hashable, Sendable {
    public var outletID: String
    public var demandLost: Double

    public init(outletID: String, demandLost: Double) {
        self.outletID = outletID
        self.demandLost = demandLost
    }
}

/// One ranking run (a site-selection plan): its parameters, its objective, and — when read with
/// `rankingRun(id:)` or about to be saved — its picks and the outlets' losses. Demand in demand units.
///
/// Runs stored by an older Siting, or written by other programs, may lack a figure; it reads as NaN.
public struct RankingRunRecord: Hashable, Sendable {
    /// The run's id; nil when saving lets the store make one: `<region>-<n>` with `n` the new row id
    /// and `<region>` the region up to its first colon, e.g. "310000-3" or "bbox-4".
    public var runID: String?
    /// When the run was made; stored as ISO 8601 UTC to the millisecond.
    public var createdAt: Date
    /// An adcode ("310000") or a box ("bbox:121.0,30.7,122.0,31.5").
    public var region: String
    /// Sites asked for.
    public var sites: Int
    /// The run's parameters as the text of a JSON object.
    public var parametersJSON: String
    /// Demand captured by the bank's own outlets before the plan.
    public var objectiveBefore: Double
    /// Demand captured after the plan.
    public var objective: Double
    /// An upper bound on the optimum objective.
    public var upperBound: Double
    /// The gap between `objective` and `upperBound`, in percent.
    public var boundGapPercent: Double
    /// How long the run took, in seconds.
    public var elapsedSeconds: Double
    /// The chosen sites in pick order (empty in `rankingRuns()`).
    public var picks: [RankingPickRecord]
    /// The demand each own outlet loses (empty in `rankingRuns()`).
    public var outletLosses: [RankingOutletLoss]

    public init(runID: String?, createdAt: Date, region: String, sites: Int, parametersJSON: String,
                objectiveBefore: Double, objective: Double, upperBound: Double, boundGapPercent: Double,
                elapsedSeconds: Double, picks: [RankingPickRecord] = [], outletLosses: [RankingOutletLoss] = [])
    {
        self.runID = runID
        self.createdAt = createdAt
        self.region = region
        self.sites = sites
        self.parametersJSON = parametersJSON
        self.objectiveBefore = objectiveBefore
        self.objective = objective
        self.upperBound = upperBound
        self.boundGapPercent = boundGapPercent
        self.elapsedSeconds = elapsedSeconds
        self.picks = picks
        self.outletLosses = outletLosses
    }
}

extension SitingDatabase {
    /// Stores a run, its picks (as points in the `ranking_results` feature table, its R-tree and
    /// extent kept up to date) and its outlet losses, in one transaction.
    ///
    /// - Parameter run: the run; with `runID` nil the store makes an id (see `RankingRunRecord.runID`).
    /// - Returns: the run's id.
    /// - Throws: `StoreError.sqlite` with a constraint code (`SQLITE_CONSTRAINT_UNIQUE`, 2067) for a run id
    ///   already stored, and (`SQLITE_CONSTRAINT_CHECK`, 275) for a run that does not make sense: a number
    ///   that is not finite (the message names the pick and field), a position outside WGS84's range,
    ///   repeated picks or outlets, empty ids, parameters that are not a JSON object. Other `StoreError`s
    ///   for database failures. Nothing is stored on any failure.
    /// - Complexity: O(p + l) rows written for p picks and l outlet losses.
    @discardableResult
    public func saveRankingRun(_ run: RankingRunRecord) throws(StoreError) -> String {
        let label = run.runID.map { "ranking run \"\($0)\"" } ?? "a ranking run of \(run.region)"
        if let problem = Self.problem(with: run) {
            throw .sqlite(code: Self.constraintCheck, message: problem + "; nothing was stored",
                          context: "storing \(label)")
        }
        do {
            return try connection.transaction { () throws -> String in
                let rowID = try connection.scalarInteger("""
                    SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'ranking_runs'), 0),
                               coalesce((SELECT max(id) FROM ranking_runs), 0)) + 1
                    """)
                let runID: String
                if let given = run.runID {
                    guard try !isRankingRunIDTaken(given) else {
                        throw StoreError.sqlite(
                            code: Self.constraintUnique,
                            message: "a ranking run with the id \"\(given)\" already exists; save the run under another id, "
                                + "or without one to have an id made; nothing was stored",
                            context: "storing \(label)")
                    }
                    runID = given
                } else {
                    runID = try generatedRankingRunID(region: run.region, rowID: rowID)
                }
                try insertRankingRun(run, runID: runID, rowID: rowID)
                try insertRankingPicks(run.picks, runID: runID)
                try insertOutletLosses(run.outletLosses, runID: runID)
                try recordRankingChanges(picksAdded: !run.picks.isEmpty)
                try bumpDataVersion()
                return runID
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .sqlite(code: 0, message: "\(error)", context: "storing \(label)")
        }
    }

    /// Every stored run, newest first (by `createdAt`, then by storage order), without picks or losses.
    ///
    /// - Throws: `StoreError.invalidData` for a run whose `created_at` is not ISO 8601 UTC.
    public func rankingRuns() throws(StoreError) -> [RankingRunRecord] {
        let statement = try connection.prepare(try rankingRunSelect + " ORDER BY created_at DESC, id DESC")
        var runs: [RankingRunRecord] = []
        while try statement.step() { runs.append(try Self.rankingRun(statement)) }
        return runs
    }

    /// One run with its picks in pick order and its outlet losses in the order they were saved; nil
    /// when no run has the id `id`.
    ///
    /// - Throws: `StoreError.invalidData` or `.invalidGeometry` for rows that do not make sense.
    public func rankingRun(id: String) throws(StoreError) -> RankingRunRecord? {
        let statement = try connection.prepare(try rankingRunSelect + " WHERE run_id = ?1")
        statement.bind(1, id)
        guard try statement.step() else { return nil }
        var run = try Self.rankingRun(statement)
        let hasVersion3 = try schemaVersion >= 3
        let added = hasVersion3 ? "region_name, population, demand, fixed" : "NULL, NULL, NULL, 0"
        let picks = try connection.prepare("""
            SELECT pick, candidate_id, geom, adcode, gross_capture, cannibalization, won_from_competitors,
                   new_to_market, net_gain, marginal_gain, newly_covered_population, \(added)
            FROM ranking_results WHERE run_id = ?1 ORDER BY pick
            """)
        picks.bind(1, id)
        while try picks.step() {
            var position = Coordinate(longitude: .nan, latitude: .nan)
            if let blob = picks.blob(2), case .point(let point) = try GeoPackageBinary.decode(blob).geometry {
                position = point
            }
            let number = { (column: Int32) in picks.isNull(column) ? Double.nan : picks.double(column) }
            run.picks.append(RankingPickRecord(
                pick: picks.integer(0), candidateID: picks.text(1) ?? "", position: position, adcode: picks.text(3),
                regionName: picks.text(11), grossCapture: number(4), cannibalization: number(5),
                wonFromCompetitors: number(6), newToMarket: number(7), netGain: number(8), marginalGain: number(9),
                newlyCoveredPopulation: number(10), population: number(12), demand: number(13),
                fixed: picks.integer(14) != 0))
        }
        if hasVersion3 {
            let losses = try connection.prepare(
                "SELECT outlet_id, demand_lost FROM ranking_outlet_losses WHERE run_id = ?1 ORDER BY id")
            losses.bind(1, id)
            while try losses.step() {
                run.outletLosses.append(RankingOutletLoss(outletID: losses.text(0) ?? "", demandLost: losses.double(1)))
            }
        }
        return run
    }

    // MARK: Writing

    /// SQLite's extended result codes for a failed CHECK and UNIQUE constraint (function-like macros
    /// that Swift does not import).
    static let constraintCheck: Int32 = SQLITE_CONSTRAINT | (1 << 8)
    static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)

    /// Whether `runID` names a stored run, or results of one (written by another program without a run row).
    private func isRankingRunIDTaken(_ runID: String) throws(StoreError) -> Bool {
        let statement = try connection.prepare("""
            SELECT EXISTS (SELECT 1 FROM ranking_runs WHERE run_id = ?1)
                OR EXISTS (SELECT 1 FROM ranking_results WHERE run_id = ?1)
            """)
        statement.bind(1, runID)
        return try statement.step() && statement.integer(0) != 0
    }

    /// `<region>-<rowID>`, with `-2`, `-3`… appended in the unlikely case a caller already chose that id.
    private func generatedRankingRunID(region: String, rowID: Int) throws(StoreError) -> String {
        let prefix = region.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let base = "\(prefix.isEmpty ? "run" : prefix)-\(rowID)"
        var candidate = base
        var suffix = 1
        while try isRankingRunIDTaken(candidate) {
            suffix += 1
            candidate = "\(base)-\(suffix)"
        }
        return candidate
    }

    private func insertRankingRun(_ run: RankingRunRecord, runID: String, rowID: Int) throws(StoreError) {
        let insert = try connection.prepare("""
            INSERT INTO ranking_runs (id, run_id, created_at, region, sites, parameters, objective, upper_bound,
                                      objective_before, bound_gap_percent, elapsed_seconds)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insert.bind(1, rowID)
        insert.bind(2, runID)
        insert.bind(3, RankingTimestamp.text(run.createdAt))
        insert.bind(4, run.region)
        insert.bind(5, run.sites)
        insert.bind(6, run.parametersJSON)
        insert.bind(7, run.objective)
        insert.bind(8, run.upperBound)
        insert.bind(9, run.objectiveBefore)
        insert.bind(10, run.boundGapPercent)
        insert.bind(11, run.elapsedSeconds)
        try insert.step()
    }

    /// Inserts the picks in pick order; the R-tree triggers index each point.
    private func insertRankingPicks(_ picks: [RankingPickRecord], runID: String) throws(StoreError) {
        guard !picks.isEmpty else { return }
        let insert = try connection.prepare("""
            INSERT INTO ranking_results (geom, run_id, pick, candidate_id, adcode, region_name, gross_capture,
                cannibalization, won_from_competitors, new_to_market, net_gain, marginal_gain,
                newly_covered_population, population, demand, fixed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for pick in picks.sorted(by: { $0.pick < $1.pick }) {
            insert.bind(1, GeoPackageBinary.encode(.point(pick.position)))
            insert.bind(2, runID)
            insert.bind(3, pick.pick)
            insert.bind(4, pick.candidateID)
            insert.bind(5, pick.adcode)
            insert.bind(6, pick.regionName)
            let figures = [pick.grossCapture, pick.cannibalization, pick.wonFromCompetitors, pick.newToMarket,
                           pick.netGain, pick.marginalGain, pick.newlyCoveredPopulation, pick.population, pick.demand]
            for (offset, figure) in figures.enumerated() { insert.bind(Int32(7 + offset), figure) }
            insert.bind(16, pick.fixed ? 1 : 0)
            try insert.step()
            insert.reset()
        }
    }

    private func insertOutletLosses(_ losses: [RankingOutletLoss], runID: String) throws(StoreError) {
        guard !losses.isEmpty else { return }
        let insert = try connection.prepare("INSERT INTO ranking_outlet_losses (run_id, outlet_id, demand_lost) VALUES (?, ?, ?)")
        for loss in losses {
            insert.bind(1, runID)
            insert.bind(2, loss.outletID)
            insert.bind(3, loss.demandLost)
            try insert.step()
            insert.reset()
        }
    }

    /// Records the change time of the three ranking tables in gpkg_contents and, when points were
    /// added, the extent of `ranking_results`, read from its R-tree's root as the importer does.
    private func recordRankingChanges(picksAdded: Bool) throws(StoreError) {
        if picksAdded {
            let extent = try RTreeBulkLoad.extent(index: "rtree_ranking_results_geom", connection: connection)
            let update = try connection.prepare(
                "UPDATE gpkg_contents SET min_x = ?, max_x = ?, min_y = ?, max_y = ? WHERE table_name = 'ranking_results'")
            update.bind(1, extent?.minX)
            update.bind(2, extent?.maxX)
            update.bind(3, extent?.minY)
            update.bind(4, extent?.maxY)
            try update.step()
        }
        let results = picksAdded ? " OR table_name = 'ranking_results'" : ""
        try connection.execute("""
            UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            WHERE table_name = 'ranking_runs' OR table_name = 'ranking_outlet_losses'\(results)
            """, context: "recording the change time of the ranking tables")
    }

    /// What makes `run` unfit to store, or nil. Every figure must be finite: SQLite would store NaN
    /// as NULL, silently.
    static func problem(with run: RankingRunRecord) -> String? {
        if let runID = run.runID, runID.isEmpty { return "the run id is empty (pass nil to have one made)" }
        if run.region.isEmpty { return "the region is empty" }
        if run.sites < 0 { return "sites is \(run.sites); it must be 0 or more" }
        do {
            guard case .object = try JSONParser.parse(Array(run.parametersJSON.utf8)) else {
                return "parametersJSON is not a JSON object"
            }
        } catch {
            return "parametersJSON is not JSON: \(error.message) at byte \(error.offset)"
        }
        let runFigures: [(String, Double)] = [
            ("objectiveBefore", run.objectiveBefore), ("objective", run.objective), ("upperBound", run.upperBound),
            ("boundGapPercent", run.boundGapPercent), ("elapsedSeconds", run.elapsedSeconds),
        ]
        for (field, value) in runFigures where !value.isFinite {
            return "the run's \(field) is \(value); every figure must be a finite number"
        }
        var picksSeen = Set<Int>()
        for pick in run.picks {
            let name = "pick \(pick.pick) (candidate \"\(pick.candidateID)\")"
            if pick.pick < 1 { return "\(name): pick is \(pick.pick); picks count from 1" }
            if !picksSeen.insert(pick.pick).inserted { return "pick \(pick.pick) appears more than once" }
            if pick.candidateID.isEmpty { return "pick \(pick.pick): candidateID is empty" }
            let figures: [(String, Double)] = [
                ("position.longitude", pick.position.longitude), ("position.latitude", pick.position.latitude),
                ("grossCapture", pick.grossCapture), ("cannibalization", pick.cannibalization),
                ("wonFromCompetitors", pick.wonFromCompetitors), ("newToMarket", pick.newToMarket),
                ("netGain", pick.netGain), ("marginalGain", pick.marginalGain),
                ("newlyCoveredPopulation", pick.newlyCoveredPopulation), ("population", pick.population),
                ("demand", pick.demand),
            ]
            for (field, value) in figures where !value.isFinite {
                return "\(name): \(field) is \(value); every figure must be a finite number"
            }
            if abs(pick.position.longitude) > 180 || abs(pick.position.latitude) > 90 {
                return "\(name): position \(pick.position) is outside WGS84 longitude [-180, 180], latitude [-90, 90]"
            }
        }
        var outletsSeen = Set<String>()
        for loss in run.outletLosses {
            if loss.outletID.isEmpty { return "an outlet loss has an empty outletID" }
            if !outletsSeen.insert(loss.outletID).inserted { return "outlet \"\(loss.outletID)\" has more than one loss" }
            if !loss.demandLost.isFinite {
                return "outlet \"\(loss.outletID)\": demandLost is \(loss.demandLost); every figure must be a finite number"
            }
        }
        return nil
    }

    // MARK: Reading

    /// SELECT of a run's columns; those added in schema version 3 read as NULL in an older file opened read-only.
    private var rankingRunSelect: String {
        get throws(StoreError) {
            let added = try schemaVersion >= 3 ? "objective_before, bound_gap_percent, elapsed_seconds" : "NULL, NULL, NULL"
            return "SELECT run_id, created_at, region, sites, parameters, objective, upper_bound, \(added) FROM ranking_runs"
        }
    }

    /// The run in the current row of a statement prepared from `rankingRunSelect`.
    private static func rankingRun(_ statement: Statement) throws(StoreError) -> RankingRunRecord {
        let runID = statement.text(0) ?? ""
        let stamp = statement.text(1) ?? ""
        guard let createdAt = RankingTimestamp.date(stamp) else {
            throw .invalidData(table: "ranking_runs",
                               reason: "run \"\(runID)\" has created_at \"\(stamp)\", not an ISO 8601 UTC time")
        }
        let number = { (column: Int32) in statement.isNull(column) ? Double.nan : statement.double(column) }
        return RankingRunRecord(
            runID: runID, createdAt: createdAt, region: statement.text(2) ?? "", sites: statement.integer(3),
            parametersJSON: statement.text(4) ?? "{}", objectiveBefore: number(7), objective: number(5),
            upperBound: number(6), boundGapPercent: number(8), elapsedSeconds: number(9))
    }
}

/// `created_at` text: ISO 8601 in UTC, `YYYY-MM-DDTHH:MM:SS.sssZ` (the form of gpkg_contents'
/// `last_change`). Reading also takes whole seconds and up to nine decimals. Proleptic Gregorian
/// calendar, days from civil dates by H. Hinnant's algorithm ("chrono-Compatible Low-Level Date
/// Algorithms").
enum RankingTimestamp {
    static func text(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = floorDivide(milliseconds, 1000)
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millisecond = milliseconds - seconds * 1000
        let fraction = millisecond < 10 ? "00\(millisecond)" : millisecond < 100 ? "0\(millisecond)" : "\(millisecond)"
        let yearDigits = String(year)
        let yearText = String(repeating: "0", count: max(0, 4 - yearDigits.count)) + yearDigits
        let time = "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        return "\(yearText)-\(two(month))-\(two(day))T\(time).\(fraction)Z"
    }

    static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction: Int64 = 0, scale: Int64 = 1
        if bytes.count > 20 {
            let digits = bytes.count - 21
            guard bytes[19] == UInt8(ascii: "."), (1...9).contains(digits),
                  let value = number(20..<bytes.count - 1) else { return nil }
            fraction = value
            for _ in 0..<digits { scale *= 10 }
        }
        let seconds = days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        if scale <= 1000 {
            // Milliseconds (or coarser): one division, as `text` rounds, so a stored time reads back equal.
            return Date(timeIntervalSince1970: Double(seconds * 1000 + fraction * (1000 / scale)) / 1000)
        }
        return Date(timeIntervalSince1970: Double(seconds) + Double(fraction) / Double(scale))
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// Days since 1970-01-01 of a civil date.
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    private static func civil(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
