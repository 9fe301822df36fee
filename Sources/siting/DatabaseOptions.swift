import ArgumentParser
import Foundation

/// `--db`, shared by every command that uses the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The Siting database (a GeoPackage file). Default: $SITING_DB, else ./siting.gpkg.", valueName: "PATH"))
    var db: String?

    /// The path to use: the option, else the environment, else the default file.
    var path: String {
        if let db { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["SITING_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "siting.gpkg"
    }
}
