import ArgumentParser
import Foundation
import SitingCore
import SitingProjection
import SitingStore

/// `siting import`: data files into the database.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import outlets, competitors, regions, settlements, region statistics or candidates.",
        discussion: """
            Reads CSV (lon/lat columns or a WKT column), GeoJSON or GeoPackage, in any coordinate \
            system (--crs; GeoJSON and GeoPackage files may declare their own), and stores WGS84. \
            Rows whose id is already in the database are updated. The import is one transaction: \
            if any record is invalid, nothing is imported and every problem is listed with its line \
            (or feature) and field, unless --skip-invalid is given. The database is created if the \
            file does not exist.

            Region statistics: one row per region, an adcode column (6 digits, or a 2-digit \
            province code), optional year and source columns; every other numeric column is an \
            indicator (names and lon/lat columns are skipped).

            Examples:
              siting import outlets Geodata/outlets.csv --db bank.gpkg
              siting import candidates sites.csv --crs gcj02 --dry-run
              siting import region-stats census.csv --year 2020 --skip-invalid
            """
    )

    @Argument(help: ArgumentHelp("What the file holds: \(ImportCommand.kindNames.joined(separator: ", ")).",
                                 valueName: "KIND"))
    var kind: String

    @Argument(help: ArgumentHelp("The file to import (.csv, .geojson or .gpkg).", valueName: "FILE"))
    var file: String

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Coordinate system of the file's positions (default: the file's own, else wgs84).",
                                            valueName: "SYS"))
    var crs: String?

    @Option(name: .long, help: ArgumentHelp("File format, when the extension does not say: csv, geojson, gpkg.", valueName: "FORMAT"))
    var format: String?

    @Option(name: .long, help: ArgumentHelp("The table to read from a GeoPackage with several.", valueName: "NAME"))
    var layer: String?

    @Option(name: .long, help: "Year of region statistics, when the file has no year column.")
    var year: Int?

    @Option(name: .long, help: "Provenance recorded with region statistics, when the file has no source column.")
    var source: String?

    @Flag(name: .long, help: "Check and count everything, change nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Import the valid records and report the invalid ones, instead of importing nothing.")
    var skipInvalid = false

    /// Public holidays replace the stored calendar as a whole (CSV `date,kind,name`), so they are
    /// not an `ImportKind` of the streaming importer.
    static let holidaysKind = "holidays"
    static let kindNames = ImportKind.allCases.map(\.rawValue) + [holidaysKind]

    func validate() throws {
        guard ImportKind(rawValue: kind) != nil || kind == Self.holidaysKind else {
            throw ValidationError("unknown kind \"\(kind)\"; use one of: \(Self.kindNames.joined(separator: ", "))")
        }
        if let format, InputFormat(rawValue: format.lowercased()) == nil {
            throw ValidationError("unknown format \"\(format)\"; use csv, geojson or gpkg")
        }
    }

    func run() throws {
        guard let importKind = ImportKind(rawValue: kind) else { return try importHolidays() }
        let options = ImportOptions(
            format: format.flatMap { InputFormat(rawValue: $0.lowercased()) },
            coordinateSystem: crs.map(CoordinateSystem.init(parsing:)), layer: layer,
            dryRun: dryRun, skipInvalid: skipInvalid, year: year, source: source)
        let db = try SitingDatabase(path: database.path, mode: .createIfMissing)
        var bar = ProgressBar(label: "importing \(kind)")
        defer { bar.finish() }
        let summary = try db.importFile(file, as: importKind, options: options) { progress in
            bar.update(done: progress.bytesRead, total: progress.totalBytes, records: progress.records)
        }
        bar.finish()
        print(summary)
    }

    /// `siting import holidays FILE`: the whole calendar is checked first, then replaces the stored one.
    private func importHolidays() throws {
        let calendar = try HolidayFile.read(file)
        if dryRun {
            print("holidays: \(calendar.entries.count) dates checked in \(file) (dry run: nothing stored)")
            return
        }
        let db = try SitingDatabase(path: database.path, mode: .createIfMissing)
        let stored = try db.replaceHolidays(with: calendar)
        print("holidays: \(stored) dates stored from \(file) (the previous calendar was replaced)")
    }
}
