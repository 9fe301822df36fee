public import SitingCore

extension SitingDatabase {
    /// Every outlet, ordered by id.
    public func outlets() throws(StoreError) -> [Outlet] {
        let statement = try connection.prepare("""
            SELECT id, name, kind, geom, adcode, address, opening_hours, secondary_hours, timezone, cash,
                   wealth_management, foreign_exchange, self_service_devices, smart_counters, wheelchair_access,
                   visually_impaired_aids, hearing_impaired_aids, elderly_friendly
            FROM outlets ORDER BY id
            """)
        var result: [Outlet] = []
        while try statement.step() {
            let tri = { (column: Int32) in TriState(rawValue: statement.text(column) ?? "") ?? .unknown }
            result.append(Outlet(
                id: statement.text(0) ?? "", name: statement.text(1) ?? "",
                kind: OutletKind(rawValue: statement.text(2) ?? "") ?? .subBranch,
                position: try point(statement, 3), adcode: statement.text(4), address: statement.text(5),
                openingHours: statement.text(6), secondaryHours: statement.text(7),
                timeZone: statement.text(8) ?? "Asia/Shanghai",
                services: OutletServices(cash: statement.integer(9) == 1, wealthManagement: statement.integer(10) == 1,
                                         foreignExchange: statement.integer(11) == 1,
                                         selfServiceDevices: statement.integer(12), smartCounters: statement.integer(13)),
                accessibility: OutletAccessibility(wheelchairAccess: tri(14), visuallyImpairedAids: tri(15),
                                                   hearingImpairedAids: tri(16), elderlyFriendly: tri(17))))
        }
        return result
    }

    /// Every competitor, ordered by id.
    public func competitors() throws(StoreError) -> [Competitor] {
        let statement = try connection.prepare("SELECT id, name, brand, kind, geom, adcode FROM competitors ORDER BY id")
        var result: [Competitor] = []
        while try statement.step() {
            result.append(Competitor(id: statement.text(0) ?? "", name: statement.text(1) ?? "", brand: statement.text(2),
                                     kind: statement.text(3), position: try point(statement, 4), adcode: statement.text(5)))
        }
        return result
    }

    /// Regions, ordered by adcode; all of them, or those of one level.
    public func regions(level: RegionLevel? = nil) throws(StoreError) -> [Region] {
        let filter = level.map { " WHERE level = '\($0.rawValue)'" } ?? ""
        let statement = try connection.prepare(
            "SELECT adcode, name, level, parent_adcode, centroid_lon, centroid_lat, area_km2, geom FROM regions\(filter) ORDER BY adcode")
        var result: [Region] = []
        while try statement.step() {
            var boundary = MultiPolygon(polygons: [])
            if let blob = statement.blob(7) { boundary = try GeoPackageBinary.decode(blob).geometry.asMultiPolygon }
            let centroid = statement.isNull(4) || statement.isNull(5)
                ? nil : Coordinate(longitude: statement.double(4), latitude: statement.double(5))
            result.append(Region(adcode: statement.text(0) ?? "", name: statement.text(1) ?? "",
                                 level: RegionLevel(rawValue: statement.text(2) ?? "") ?? .county,
                                 parentAdcode: statement.text(3), centroid: centroid,
                                 areaKm2: statement.isNull(6) ? nil : statement.double(6), boundary: boundary))
        }
        return result
    }

    /// Every settlement, ordered by id.
    public func settlements() throws(StoreError) -> [Settlement] {
        let statement = try connection.prepare(
            "SELECT id, name, ascii_name, country_code, admin1_code, geom, population, feature_code FROM settlements ORDER BY id")
        var result: [Settlement] = []
        while try statement.step() {
            result.append(Settlement(id: statement.text(0) ?? "", name: statement.text(1) ?? "", asciiName: statement.text(2),
                                     countryCode: statement.text(3), admin1Code: statement.text(4),
                                     position: try point(statement, 5), population: statement.integer(6),
                                     featureCode: statement.text(7)))
        }
        return result
    }

    /// Every candidate, ordered by id.
    public func candidates() throws(StoreError) -> [Candidate] {
        let statement = try connection.prepare("SELECT id, name, geom, adcode, status FROM candidates ORDER BY id")
        var result: [Candidate] = []
        while try statement.step() {
            result.append(Candidate(id: statement.text(0) ?? "", name: statement.text(1), position: try point(statement, 2),
                                    adcode: statement.text(3),
                                    status: CandidateStatus(rawValue: statement.text(4) ?? "") ?? .candidate))
        }
        return result
    }

    /// Region statistics, ordered by adcode, indicator and year; all, or one indicator's.
    public func regionStatistics(indicator: String? = nil, year: Int? = nil) throws(StoreError) -> [RegionStatistic] {
        var conditions: [String] = []
        if indicator != nil { conditions.append("indicator = ?1") }
        if year != nil { conditions.append("year = ?2") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let statement = try connection.prepare(
            "SELECT adcode, indicator, year, value, source FROM region_stats\(filter) ORDER BY adcode, indicator, year")
        if let indicator { statement.bind(1, indicator) }
        if let year { statement.bind(2, year) }
        var result: [RegionStatistic] = []
        while try statement.step() {
            result.append(RegionStatistic(adcode: statement.text(0) ?? "", indicator: statement.text(1) ?? "",
                                          year: statement.integer(2), value: statement.double(3), source: statement.text(4)))
        }
        return result
    }

    /// Counts of outlets by kind.
    public func outletCountsByKind() throws(StoreError) -> [OutletKind: Int] {
        let statement = try connection.prepare("SELECT kind, count(*) FROM outlets GROUP BY kind")
        var result: [OutletKind: Int] = [:]
        while try statement.step() {
            if let kind = OutletKind(rawValue: statement.text(0) ?? "") { result[kind] = statement.integer(1) }
        }
        return result
    }

    private func point(_ statement: Statement, _ column: Int32) throws(StoreError) -> Coordinate {
        guard let blob = statement.blob(column) else { throw .invalidGeometry("a row has no geometry") }
        guard case .point(let position) = try GeoPackageBinary.decode(blob).geometry else {
            throw .invalidGeometry("expected a point")
        }
        return position
    }
}
