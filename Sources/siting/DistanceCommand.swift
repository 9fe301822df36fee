import ArgumentParser
import SitingProjection

/// `siting distance`: the ellipsoidal distance and azimuths between two positions.
struct DistanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distance",
        abstract: "Distance and azimuths between two positions on the WGS84 ellipsoid.",
        discussion: """
            Prints the geodesic distance in metres (3 decimals) and the azimuths, in degrees clockwise \
            from north, at the first position (initial) and at the second (final, facing onwards). \
            Computed with Karney's algorithm (PROJ's geodesic), exact to a few nanometres anywhere, \
            antipodes and poles included.

            Examples:
              siting distance 116.3975 39.9087 121.4903 31.2397
              siting distance --from gcj02 --json 116.4039 39.9153 116.4103 39.9164
            """
    )

    @Option(name: .long, help: ArgumentHelp("Coordinate system of both positions.", valueName: "SYS"))
    var from: String = "wgs84"

    @Flag(name: .long, help: "Print a JSON object.")
    var json = false

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Longitude and latitude of the first then the second position.", valueName: "LON1 LAT1 LON2 LAT2"))
    var values: [String] = []

    func run() throws {
        try NumberParsing.checkCount(values, allowed: [4], expected: "four numbers LON1 LAT1 LON2 LAT2")
        let names = ["LON1", "LAT1", "LON2", "LAT2"]
        let numbers = try zip(values, names).map { try NumberParsing.decimal($0, field: $1) }
        let converter = CoordinateConverter()
        let system = CoordinateSystem(parsing: from)
        guard try converter.isGeographic(system) else {
            throw ValidationError("--from \(from) is a projected system; give positions in a geographic one (wgs84, cgcs2000, gcj02, bd09)")
        }
        let start = try converter.convert(Coordinate(x: numbers[0], y: numbers[1]), from: system, to: .wgs84)
        let end = try converter.convert(Coordinate(x: numbers[2], y: numbers[3]), from: system, to: .wgs84)
        let line = Geodesic.inverse(from: start, to: end)
        let meters = CoordinateFormatting.number(line.distanceMeters, decimals: 3)
        let azimuth1 = CoordinateFormatting.number(line.initialAzimuthDegrees, decimals: 9)
        let azimuth2 = CoordinateFormatting.number(line.finalAzimuthDegrees, decimals: 9)
        if json {
            print("{\"distance_m\":\(meters),\"initial_azimuth_deg\":\(azimuth1),\"final_azimuth_deg\":\(azimuth2)}")
        } else {
            print("\(meters) m  initial azimuth \(azimuth1)°  final azimuth \(azimuth2)°")
        }
    }
}
