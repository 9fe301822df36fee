/// Level of an administrative region.
public enum RegionLevel: String, CaseIterable, Hashable, Sendable {
    case province, prefecture, county
}

/// An administrative unit with its 6-digit GB/T 2260 adcode.
public struct Region: Hashable, Sendable {
    public var adcode: String
    public var name: String
    public var level: RegionLevel
    public var parentAdcode: String?
    /// A representative point inside the region (WGS84 lon/lat, degrees).
    public var centroid: Coordinate?
    /// Area on the WGS84 ellipsoid, km².
    public var areaKm2: Double?
    /// Boundary, WGS84 lon/lat.
    public var boundary: MultiPolygon

    public init(adcode: String, name: String, level: RegionLevel, parentAdcode: String? = nil,
                centroid: Coordinate? = nil, areaKm2: Double? = nil, boundary: MultiPolygon) {
        self.adcode = adcode
        self.name = name
        self.level = level
        self.parentAdcode = parentAdcode
        self.centroid = centroid
        self.areaKm2 = areaKm2
        self.boundary = boundary
    }

    /// Whether `text` is a 6-digit adcode.
    public static func isAdcode(_ text: String) -> Bool {
        text.utf8.count == 6 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

/// A settlement with its population (a GeoNames populated place, for example).
public struct Settlement: Hashable, Sendable {
    public var id: String
    public var name: String
    public var asciiName: String?
    public var countryCode: String?
    public var admin1Code: String?
    /// WGS84 lon/lat, degrees.
    public var position: Coordinate
    public var population: Int
    public var featureCode: String?

    public init(id: String, name: String, asciiName: String? = nil, countryCode: String? = nil,
                admin1Code: String? = nil, position: Coordinate, population: Int, featureCode: String? = nil) {
        self.id = id
        self.name = name
        self.asciiName = asciiName
        self.countryCode = countryCode
        self.admin1Code = admin1Code
        self.position = position
        self.population = population
        self.featureCode = featureCode
    }
}

/// One statistic of one region for one year (population, GDP per capita, …).
public struct RegionStatistic: Hashable, Sendable {
    public var adcode: String
    public var indicator: String
    public var year: Int
    public var value: Double
    public var source: String?

    public init(adcode: String, indicator: String, year: Int, value: Double, source: String? = nil) {
        self.adcode = adcode
        self.indicator = indicator
        self.year = year
        self.value = value
        self.source = source
    }
}

/// Whether a candidate may be picked, must be, or must not be.
public enum CandidateStatus: String, CaseIterable, Hashable, Sendable {
    case candidate, fixed, excluded
}

/// A place where a new outlet could open.
public struct Candidate: Hashable, Sendable {
    public var id: String
    public var name: String?
    /// WGS84 lon/lat, degrees.
    public var position: Coordinate
    public var adcode: String?
    public var status: CandidateStatus

    public init(id: String, name: String? = nil, position: Coordinate, adcode: String? = nil,
                status: CandidateStatus = .candidate) {
        self.id = id
        self.name = name
        self.position = position
        self.adcode = adcode
        self.status = status
    }
}
