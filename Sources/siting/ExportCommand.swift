import ArgumentParser
import SitingStore

/// `siting export`: tables of the database as CSV, GeoJSON or a new GeoPackage.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export outlets, competitors, regions or ranking results as CSV, GeoJSON or GeoPackage.",
        discussion: """
            Positions are WGS84 longitude and latitude with 7 decimals (about 1 cm). Rows come in key \
            order (id; adcode for regions; run and pick for rankings), so the same data always gives \
            the same output.

            csv: RFC 4180, UTF-8, CRLF line ends, with the columns `siting import` reads, so an \
            exported file imports back unchanged; points as lon,lat columns, regions as a wkt column \
            (MULTIPOLYGON); services as yes/no. --bom adds the byte-order mark Excel needs for \
            Chinese text.

            geojson: an RFC 7946 FeatureCollection, one feature per line; numbers as numbers, cash, \
            wealth_management and foreign_exchange as booleans, accessibility as "yes", "no" or \
            "unknown"; polygon rings follow the right-hand rule.

            gpkg: a new Siting database (an OGC GeoPackage that QGIS and GDAL open) holding only the \
            exported rows; for rankings also their runs. Needs --output.

            Without --output (or with --output -), csv and geojson go to standard output. A file is \
            written under a temporary name and renamed when complete, so a failure leaves nothing; an \
            existing file is replaced only with --force. --format may be left out when the output's \
            name ends in .csv, .geojson or .gpkg.

            Examples:
              siting export outlets --format csv > outlets.csv
              siting export regions -o regions.geojson
              siting export rankings -o plan.gpkg --run shanghai-42
            """
    )

    @Argument(help: ArgumentHelp("What to export: \(ExportKind.allCases.map(\.rawValue).joined(separator: ", ")).",
                                 valueName: "KIND"))
    var kind: String

    @Option(name: .long, help: ArgumentHelp("Output format: csv, geojson or gpkg (default: from the output's extension).",
                                            valueName: "FORMAT"))
    var format: String?

    @Option(name: [.short, .long], help: ArgumentHelp("The file to write; - or none for standard output (csv, geojson).",
                                                      valueName: "FILE"))
    var output: String?

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("run"), help: ArgumentHelp("Rankings only: export the results of this run.", valueName: "RUN_ID"))
    var runID: String?

    @Flag(name: .long, help: "Replace the output file if it exists.")
    var force = false

    @Flag(name: .long, help: "CSV only: start with a UTF-8 byte-order mark (for Excel).")
    var bom = false

    func validate() throws {
        guard let exportKind = ExportKind(rawValue: kind) else {
            throw ValidationError("unknown kind \"\(kind)\"; use one of: \(ExportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let destination = ExportDestination(path: output)
        let chosen = try resolvedFormat()
        if chosen == .gpkg, destination == .standardOutput {
            throw ValidationError("gpkg cannot be written to standard output; pass --output FILE.gpkg")
        }
        if runID != nil, exportKind != .rankings {
            throw ValidationError("--run applies to rankings only")
        }
        if bom, chosen != .csv {
            throw ValidationError("--bom applies to csv only")
        }
    }

    /// The format given, else the one the output's name implies.
    private func resolvedFormat() throws -> ExportFormat {
        if let format {
            guard let parsed = ExportFormat(rawValue: format.lowercased()) else {
                throw ValidationError("unknown format \"\(format)\"; use csv, geojson or gpkg")
            }
            return parsed
        }
        if case .file(let path) = ExportDestination(path: output), let implied = ExportFormat(path: path) {
            return implied
        }
        throw ValidationError("pass --format csv, geojson or gpkg (or an --output name ending in .csv, .geojson or .gpkg)")
    }

    func run() throws {
        let exportKind = ExportKind(rawValue: kind)!
        let destination = ExportDestination(path: output)
        let options = ExportOptions(format: try resolvedFormat(), runID: runID, overwrite: force, byteOrderMark: bom)
        let db = try SitingDatabase(path: database.path, mode: .readOnly)
        let summary = try db.export(exportKind, to: destination, options: options)
        if destination != .standardOutput { print(summary) }
    }
}
