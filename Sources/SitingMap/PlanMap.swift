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

    /// The map as a complete SVG 1.1 document (UTF-8 text), `widthPixels` wide (at least 600) and as tall
    /// as the data's shape needs.
    ///
    /// **Projection.** Equirectangular around the centre of the data's lon/lat bounding box (boundaries,
    /// demand cells and picks; the outlets only when none of these is given), each axis scaled by the
    /// WGS84 ellipsoid's radius of curvature at the centre (east-west by N·cos φ0, north-south by M), so
    /// the scale is true at the centre; north up, aspect kept, 4 % padding around the data. Good for a
    /// city or a province; extents crossing the antimeridian are not handled.
    ///
    /// **Layers**, bottom to top, clipped to the map frame: the demand heat layer (cells resampled onto
    /// at most about 250 × 250 display bins, demand shared by overlap area, density per km² in up to six
    /// quantile classes of a cream-to-green palette, empty bins not drawn); region outlines in thin grey;
    /// competitors as orange crosses; own outlets as dark blue dots; picks as red discs numbered 1, 2, 3 …
    /// in pick order. Outlets outside the frame are left out.
    ///
    /// **Around the map**: title and subtitle at the top; on the right a legend with the demand classes
    /// (value ranges in compact numbers), the symbol counts as drawn ("Own outlets (1,234)") and the picks
    /// by rank with their net gain; below, a scale bar of a round length (1, 2 or 5 × 10^k m) about a
    /// fifth of the frame width, and the data attribution.
    ///
    /// The output is deterministic: the same map gives the same bytes. Positions are rounded to 0.1 px,
    /// all text is XML-escaped, positions that are not finite are skipped, and the document has no
    /// scripts and no external references. Element ids (`picks`, `own-outlets`, `competitors`,
    /// `boundaries`, `demand`, `legend`, `scale-bar`, `map-frame`) name the layers.
    ///
    /// - Complexity: O(cells + boundary vertices + outlets) time; the size of the output grows with the
    ///   boundary vertices, outlets and picks, and with at most about 62,500 display bins, not with cells.
    public func svg(widthPixels: Int = 1000) -> String {
        PlanMapRenderer(map: self, widthPixels: widthPixels).render()
    }
}
