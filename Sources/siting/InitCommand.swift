import ArgumentParser
import Foundation
import SitingCore
import SitingStore

/// `siting init`: the demo database from the shipped data.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Build a database from the shipped data in Geodata/ (regions, settlements, statistics, outlets, competitors).",
        discussion: """
            Creates a new database; refuses to touch an existing file unless --force is given, in \
            which case the file is replaced only after the new one is complete.

            Example:
              siting init --db siting.gpkg
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The folder with the shipped data (default: ./Geodata, else next to the siting binary's package).",
                                            valueName: "DIR"))
    var geodata: String?

    @Flag(name: .long, help: "Replace an existing database file.")
    var force = false

    func run() throws {
        let target = database.path
        if FileManager.default.fileExists(atPath: target), !force {
            throw ValidationError("\(target) already exists; pass --force to replace it, or choose another --db")
        }
        let folder = try DemoData.locateGeodata(explicit: geodata)
        let temporary = target + ".building-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: temporary)
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
        }
        let started = Date()
        do {
            let db = try SitingDatabase(path: temporary, mode: .createIfMissing)
            for step in DemoDatabase.steps {
                var bar = ProgressBar(label: "loading \(step.file)")
                let summary = try db.importFile(folder + "/" + step.file, as: step.kind, options: step.options) { progress in
                    bar.update(done: progress.bytesRead, total: progress.totalBytes, records: progress.records)
                }
                bar.finish()
                print("  \(step.kind.rawValue): \(summary.inserted) from \(step.file)")
            }
            let holidays = try HolidayFile.read(folder + "/" + DemoDatabase.holidaysFile)
            print("  holidays: \(try db.replaceHolidays(with: holidays)) from \(DemoDatabase.holidaysFile)")
            let maskPath = folder + "/" + DemoDatabase.landMaskFile
            guard let mask = FileManager.default.contents(atPath: maskPath) else {
                throw CLIError.unreadableFile(path: maskPath, reason: "cannot read the land mask")
            }
            do {
                _ = try LandMask(encoded: [UInt8](mask))
            } catch {
                throw CLIError.unreadableFile(path: maskPath, reason: error.description)
            }
            try db.storeLandMask(encoded: [UInt8](mask))
            print("  land mask: \(mask.count) bytes from \(DemoDatabase.landMaskFile)")
            try db.checkpoint()
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
        try FileManager.default.moveItem(atPath: temporary, toPath: target)
        let seconds = Date().timeIntervalSince(started)
        print("built \(target) in \(String(format: "%.1f", seconds)) s")
    }
}

/// Where the shipped data is.
enum DemoData {
    /// The Geodata folder: the given one, else ./Geodata, else the package folder of the binary
    /// (`<package>/.build/<config>/siting`).
    static func locateGeodata(explicit: String?) throws -> String {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        candidates.append(FileManager.default.currentDirectoryPath + "/Geodata")
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = binary.deletingLastPathComponent()
        for _ in 0..<4 {
            folder.deleteLastPathComponent()
            candidates.append(folder.path + "/Geodata")
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/regions.geojson") {
            return candidate
        }
        throw ValidationError("cannot find the Geodata folder (looked in \(candidates.prefix(2).joined(separator: ", ")), …); pass --geodata DIR")
    }
}
