/// What kind of service point an outlet is (DESIGN glossary).
public enum OutletKind: String, CaseIterable, Hashable, Sendable {
    /// A primary (provincial) branch.
    case primaryBranch
    /// A secondary (city) branch.
    case secondaryBranch
    /// A sub-branch.
    case subBranch
    /// A community or micro branch.
    case community
    /// A standalone self-service site.
    case selfService
}

/// Yes, no, or not known: accessibility data is often missing, and "unknown" must not read as "no".
public enum TriState: String, CaseIterable, Hashable, Sendable {
    case yes, no, unknown
}

/// What an outlet offers.
public struct OutletServices: Hashable, Sendable {
    public var cash: Bool
    public var wealthManagement: Bool
    public var foreignExchange: Bool
    /// Number of self-service devices (ATMs, deposit and passbook machines).
    public var selfServiceDevices: Int
    /// Number of smart counters.
    public var smartCounters: Int

    public init(cash: Bool = false, wealthManagement: Bool = false, foreignExchange: Bool = false,
                selfServiceDevices: Int = 0, smartCounters: Int = 0) {
        self.cash = cash
        self.wealthManagement = wealthManagement
        self.foreignExchange = foreignExchange
        self.selfServiceDevices = selfServiceDevices
        self.smartCounters = smartCounters
    }
}

/// Accessibility features of an outlet.
public struct OutletAccessibility: Hashable, Sendable {
    public var wheelchairAccess: TriState
    public var visuallyImpairedAids: TriState
    public var hearingImpairedAids: TriState
    public var elderlyFriendly: TriState

    public init(wheelchairAccess: TriState = .unknown, visuallyImpairedAids: TriState = .unknown,
                hearingImpairedAids: TriState = .unknown, elderlyFriendly: TriState = .unknown) {
        self.wheelchairAccess = wheelchairAccess
        self.visuallyImpairedAids = visuallyImpairedAids
        self.hearingImpairedAids = hearingImpairedAids
        self.elderlyFriendly = elderlyFriendly
    }
}

/// One of the bank's own service points.
public struct Outlet: Hashable, Sendable {
    public var id: String
    public var name: String
    public var kind: OutletKind
    /// WGS84 lon/lat, degrees.
    public var position: Coordinate
    /// 6-digit GB/T 2260 code of the county or district it lies in.
    public var adcode: String?
    public var address: String?
    /// Weekly hours in Siting's opening-hours text form (see `OpeningHours`).
    public var openingHours: String?
    /// Hours of the self-service area, often `24/7`.
    public var secondaryHours: String?
    /// IANA time zone of the hours.
    public var timeZone: String
    public var services: OutletServices
    public var accessibility: OutletAccessibility

    public init(id: String, name: String, kind: OutletKind, position: Coordinate, adcode: String? = nil,
                address: String? = nil, openingHours: String? = nil, secondaryHours: String? = nil,
                timeZone: String = "Asia/Shanghai", services: OutletServices = OutletServices(),
                accessibility: OutletAccessibility = OutletAccessibility()) {
        self.id = id
        self.name = name
        self.kind = kind
        self.position = position
        self.adcode = adcode
        self.address = address
        self.openingHours = openingHours
        self.secondaryHours = secondaryHours
        self.timeZone = timeZone
        self.services = services
        self.accessibility = accessibility
    }
}

/// Another bank's outlet: it competes for demand and is never ranked.
public struct Competitor: Hashable, Sendable {
    public var id: String
    public var name: String
    public var brand: String?
    public var kind: String?
    /// WGS84 lon/lat, degrees.
    public var position: Coordinate
    public var adcode: String?

    public init(id: String, name: String, brand: String? = nil, kind: String? = nil, position: Coordinate,
                adcode: String? = nil) {
        self.id = id
        self.name = name
        self.brand = brand
        self.kind = kind
        self.position = position
        self.adcode = adcode
    }
}
