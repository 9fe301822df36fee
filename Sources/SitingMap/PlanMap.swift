public import SitingCore

/// Everything a site-selection plan map shows; all positions are WGS84 longitude/latitude in degrees.
public struct PlanMap: Sendable {
    /// One cell of the demand surface: its centre and the demand it holds.
    public struct DemandCell: Sendable {
        /// Cell centre, WGS84 lon/lat degrees.
        public var center: Coordinate
        /// Demand in the cell (demand units); cells at or below zero are not drawn.
        public var demand: Double

        public init(center: Coordinate, demand: Double) {
            self.center = center
            self.demand = demand
        }
    }

    /// One chosen site, drawn with its pick number.
    public struct Pick: Sendable {
        /// Site position, WGS84 lon/lat degrees.
        public var position: Coordinate
        /// Text naming the site (for example the candidate id).
        public var label: String
        /// Demand the site gains for the network, net of cannibalization (demand units).
        public var netGain: Double

        public init(position: Coordinate, label: String, netGain: Double) {
            self.position = position
            self.label = label
            self.netGain = netGain
        }
    }

    /// Headline, for example "10 new sites for 上海市 (310000)".
    public var title: String
    /// Optional second line, for example "net gain 123,456 demand units, within 3.2% of optimal".
    public var subtitle: String?
    /// Region outlines (the ranked region and its subdivisions).
    public var boundaries: [MultiPolygon]
    /// The demand surface.
    public var demandCells: [DemandCell]
    /// Ground size of a demand cell in metres (cells are equal-area squares).
    public var cellSizeMeters: Double
    /// Existing outlets of the network being planned.
    public var ownOutlets: [Coordinate]
    /// Competitor outlets.
    public var competitors: [Coordinate]
    /// Chosen sites in pick order; the map numbers them 1, 2, 3 …
    public var picks: [Pick]

    public init(
        title: String,
        subtitle: String? = nil,
        boundaries: [MultiPolygon] = [],
        demandCells: [DemandCell] = [],
        cellSizeMeters: Double = 0,
        ownOutlets: [Coordinate] = [],
        competitors: [Coordinate] = [],
        picks: [Pick] = []
    ) {
        self.title = title
        self.subtitle = subtitle
        self.boundaries = boundaries
        self.demandCells = demandCells
        self.cellSizeMeters = cellSizeMeters
        self.ownOutlets = ownOutlets
        self.competitors = competitors
        self.picks = picks
    }

    /// The map as a complete SVG 1.1 document (UTF-8 text).
    public func svg(widthPixels: Int = 1000) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"/>\n"
    }
}
