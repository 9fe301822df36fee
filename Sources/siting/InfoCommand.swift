import ArgumentParser
import SitingCore
import SitingStore

/// `siting info`: what a database holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show what a database holds: rows per table and outlets per kind.",
        discussion: """
            Example:
              siting info --db siting.gpkg
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try SitingDatabase(path: database.path, mode: .readOnly)
        print("\(database.path): Siting database, schema \(try db.schemaVersion), data version \(try db.dataVersion)")
        for table in SitingDatabase.Table.allCases {
            print("  \(table.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(try db.count(table))")
        }
        let byKind = try db.outletCountsByKind()
        if !byKind.isEmpty {
            print("outlets by kind:")
            for kind in OutletKind.allCases {
                print("  \(kind.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(byKind[kind] ?? 0)")
            }
        }
    }
}
