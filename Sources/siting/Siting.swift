import ArgumentParser
import SitingProjection

/// The `siting` command: configuration only; the work is in the subcommands.
@main
struct Siting: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "siting",
        abstract: "Outlet site selection: coordinates, distances and (soon) ranking of new sites.",
        discussion: """
            Positions are longitude then latitude, in degrees, in every command and every system.
            Coordinate systems (SYS): wgs84 (GPS, EPSG:4326), cgcs2000 (EPSG:4490), gcj02 (Amap, \
            Tencent, Apple Maps in mainland China), bd09 (Baidu), EPSG:<code>, a PROJ string or WKT.

            Examples:
              siting convert --from wgs84 --to gcj02 121.5272106 31.1774276
              siting convert --from gcj02 --to EPSG:3857 < points.txt
              siting distance 116.3975 39.9087 121.4903 31.2397
            """,
        version: "siting \(version) (PROJ \(CoordinateConverter.projVersion))",
        subcommands: [ConvertCommand.self, DistanceCommand.self, InitCommand.self, ImportCommand.self, InfoCommand.self, ExportCommand.self, NearbyCommand.self, RankCommand.self, ServeCommand.self]
    )
}
