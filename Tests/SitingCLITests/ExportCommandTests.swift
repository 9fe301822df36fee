import Foundation
import SitingTestSupport
import Testing

/// `siting export`, run as the real executable over a database `siting import` built.
@Suite struct ExportCommandTests {
    let siting = ExternalTool.sitingExecutable

    /// Imports `ExportFixture` into a new database with `siting import`; returns the database's path.
    func importFixture(into directory: TemporaryDirectory, name: String = "fixture.gpkg") throws -> String {
        let database = directory.path(name)
        for (kind, path) in try ExportFixture.write(into: directory.path) {
            let outcome = try ExternalTool.run(siting, ["import", kind, path, "--db", database])
            try #require(outcome.status == 0, "siting import \(kind): \(outcome.standardError)")
        }
        return database
    }

    func run(_ arguments: [String]) throws -> ExternalTool.Outcome {
        try ExternalTool.run(siting, arguments)
    }

    @Test("standard output equals the file; export, import, export again gives the same bytes", arguments: ["csv", "geojson"])
    func roundTrip(format: String) throws {
        try TemporaryDirectory.with(prefix: "siting-export-cli") { directory in
            let database = try importFixture(into: directory)
            let copy = directory.path("copy.gpkg")
            let counts = ["regions": 3, "outlets": 5, "competitors": 2]
            for kind in ["regions", "outlets", "competitors"] {
                let printed = try run(["export", kind, "--format", format, "--db", database])
                #expect(printed.status == 0, "\(printed.standardError)")
                #expect(printed.standardError.isEmpty)
                let file = directory.path("\(kind).\(format)")
                let written = try run(["export", kind, "-o", file, "--db", database])
                #expect(written.status == 0, "\(written.standardError)")
                #expect(written.standardOutput.hasPrefix("exported \(counts[kind]!) \(kind) to \(file) (\(format))"))
                #expect(try String(contentsOfFile: file, encoding: .utf8) == printed.standardOutput)
                let imported = try run(["import", kind, file, "--db", copy])
                #expect(imported.status == 0, "\(imported.standardError)")
                #expect(imported.standardOutput.contains("\(counts[kind]!) inserted, 0 updated, 0 rejected"))
            }
            for kind in ["regions", "outlets", "competitors"] {
                let original = try run(["export", kind, "--format", format, "--db", database])
                let again = try run(["export", kind, "--format", format, "--db", copy])
                #expect(again.status == 0)
                #expect(again.standardOutput == original.standardOutput, "\(kind) changed on the way through \(format)")
            }
        }
    }

    @Test("a GeoPackage export imports back to the same rows")
    func geoPackageRoundTrip() throws {
        try TemporaryDirectory.with(prefix: "siting-export-cli") { directory in
            let database = try importFixture(into: directory)
            let copy = directory.path("copy.gpkg")
            for kind in ["regions", "outlets", "competitors"] {
                let file = directory.path("\(kind)-export.gpkg")
                let written = try run(["export", kind, "--format", "gpkg", "--output", file, "--db", database])
                #expect(written.status == 0, "\(written.standardError)")
                let imported = try run(["import", kind, file, "--db", copy])
                #expect(imported.status == 0, "\(imported.standardError)")
                let original = try run(["export", kind, "--format", "csv", "--db", database])
                let again = try run(["export", kind, "--format", "csv", "--db", copy])
                #expect(again.standardOutput == original.standardOutput)
            }
            // Only the exported table has rows.
            let competitors = try run(["export", "competitors", "--format", "csv", "--db", directory.path("outlets-export.gpkg")])
            #expect(competitors.standardOutput == "id,name,brand,kind,lon,lat,adcode\r\n")
        }
    }

    @Test("the CSV header names exactly the columns the importer reads, in order")
    func csvHeaders() throws {
        try TemporaryDirectory.with(prefix: "siting-export-cli") { directory in
            let database = try importFixture(into: directory)
            let expected = [
                "outlets": "id,name,kind,lon,lat,adcode,address,opening_hours,secondary_hours,timezone,cash,wealth_management,"
                    + "foreign_exchange,self_service_devices,smart_counters,wheelchair_access,visually_impaired_aids,"
                    + "hearing_impaired_aids,elderly_friendly",
                "competitors": "id,name,brand,kind,lon,lat,adcode",
                "regions": "adcode,name,level,parent_adcode,centroid_lon,centroid_lat,area_km2,wkt",
                "rankings": "run_id,created_at,region,pick,candidate_id,lon,lat,adcode,gross_capture,cannibalization,"
                    + "won_from_competitors,new_to_market,net_gain,marginal_gain,newly_covered_population,region_name,population,demand,fixed",
            ]
            for (kind, header) in expected {
                let outcome = try run(["export", kind, "--format", "csv", "--db", database])
                #expect(outcome.status == 0)
                #expect(outcome.standardOutput.components(separatedBy: "\r\n").first == header)
            }
            // No ranking runs yet: a header and nothing else.
            #expect(try run(["export", "rankings", "--format", "csv", "--db", database]).standardOutput == expected["rankings"]! + "\r\n")
            let bom = try run(["export", "outlets", "--format", "csv", "--bom", "--db", database])
            #expect(bom.standardOutput.hasPrefix("\u{FEFF}id,name,kind,lon,lat,"))
        }
    }

    @Test("the format follows the output's extension when --format is left out", arguments: [
        ("out.csv", "id,name,kind,lon,lat,"), ("out.geojson", "{\"type\":\"FeatureCollection\""), ("out.json", "{\"type\":\"FeatureCollection\""),
        ("out.gpkg", "SQLite format 3"),
    ])
    func formatFromExtension(name: String, start: String) throws {
        try TemporaryDirectory.with(prefix: "siting-export-cli") { directory in
            let database = try importFixture(into: directory)
            let outcome = try run(["export", "outlets", "-o", directory.path(name), "--db", database])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let bytes = try directory.bytes(name)
            #expect(String(decoding: bytes.prefix(start.utf8.count), as: UTF8.self) == start)
        }
    }

    @Test("an existing output is kept without --force and replaced with it")
    func force() throws {
        try TemporaryDirectory.with(prefix: "siting-export-cli") { directory in
            let database = try importFixture(into: directory)
            for name in ["keep.csv", "keep.geojson", "keep.gpkg"] {
                let path = try directory.write(name, "precious")
                let refused = try run(["export", "outlets", "-o", path, "--db", database])
                #expect(refused.status != 0)
                #expect(refused.standardError.contains("\(path) already exists; pass --force to replace it"))
                #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
                let forced = try run(["export", "outlets", "-o", path, "--force", "--db", database])
                #expect(forced.status == 0, "\(forced.standardError)")
                #expect(try String(decoding: directory.bytes(name), as: UTF8.self) != "precious")
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(left.allSatisfy { !$0.contains(".exporting-") }, "temporary files left: \(left)")
        }
    }

    @Test("bad invocations exit non-zero with a message that says what to do", arguments: [
        (["export", "outlets", "--format", "gpkg"], "gpkg cannot be written to standard output; pass --output FILE.gpkg"),
        (["export", "outlets", "--format", "gpkg", "-o", "-"], "gpkg cannot be written to standard output"),
        (["export", "branches", "--format", "csv"], "unknown kind \"branches\"; use one of: outlets, competitors, regions, rankings"),
        (["export", "outlets", "--format", "shp"], "unknown format \"shp\"; use csv, geojson or gpkg"),
        (["export", "outlets"], "pass --format csv, geojson or gpkg"),
        (["export", "outlets", "-o", "out.txt"], "pass --format csv, geojson or gpkg"),
        (["export", "outlets", "--format", "csv", "--run", "r1"], "--run applies to rankings only"),
        (["export", "outlets", "--format", "geojson", "--bom"], "--bom applies to csv only"),
        (["export", "rankings", "--format", "csv", "--run", "no-such-run"], "no ranking run has the id \"no-such-run\"; the database has no ranking runs"),
    ])
    func refusals(arguments: [String], message: String) throws {
        try TemporaryDirectory.with(prefix: "siting-export-cli") { directory in
            let database = try importFixture(into: directory)
            let outcome = try ExternalTool.run(siting, arguments + ["--db", database])
            #expect(outcome.status != 0)
            #expect(outcome.status < 128, "crashed")
            #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
            #expect(outcome.standardOutput.isEmpty)
        }
    }

    @Test("a missing database is named, and nothing is written")
    func missingDatabase() throws {
        try TemporaryDirectory.with(prefix: "siting-export-cli") { directory in
            let outcome = try run(["export", "outlets", "-o", directory.path("o.csv"), "--db", directory.path("none.gpkg")])
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("none.gpkg"))
            #expect(!FileManager.default.fileExists(atPath: directory.path("o.csv")))
            #expect(!FileManager.default.fileExists(atPath: directory.path("none.gpkg")))
        }
    }

    @Test("a full disk under standard output is reported with the system's reason, not a crash",
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full"))
    func fullStandardOutput() throws {
        try TemporaryDirectory.with(prefix: "siting-export-cli") { directory in
            let database = try importFixture(into: directory)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: siting)
            process.arguments = ["export", "competitors", "--format", "geojson", "--db", database]
            process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            let standardError = Pipe()
            process.standardError = standardError
            try process.run()
            let message = String(decoding: standardError.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 1)
            #expect(message.contains("cannot write standard output: No space left on device; the output is incomplete"), "\(message)")
        }
    }

    @Test("help documents every option, the formats and the defaults")
    func help() throws {
        let outcome = try run(["export", "--help"])
        #expect(outcome.status == 0)
        for text in ["KIND", "--format", "--output", "-o", "--run", "--force", "--bom", "--db", "RFC 4180", "RFC 7946",
                     "standard output", "7 decimals", "Examples:"] {
            #expect(outcome.standardOutput.contains(text), "help lacks \(text)")
        }
        let top = try run(["--help"])
        #expect(top.standardOutput.contains("export"))
    }
}
