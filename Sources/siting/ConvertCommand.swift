import ArgumentParser
import Foundation
import SitingProjection

/// `siting convert`: positions from one coordinate system to another.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert positions between coordinate systems.",
        discussion: """
            With LON LAT on the command line, converts that one position. Without them, reads \
            positions from standard input, one "X Y" pair per line (spaces, tabs or a comma between; \
            blank lines and lines starting with # are skipped), and writes one result line per input \
            line as it goes. A bad line is reported on standard error with its line number; the other \
            lines are still converted, and the exit status is then 1.

            Output: "X Y", degrees with 9 decimals for geographic systems, metres with 3 for projected \
            ones; with --json, one JSON object per line. GCJ-02 and BD-09 apply only in mainland China \
            (Hong Kong, Macao and Taiwan excluded); elsewhere they equal WGS84. CGCS2000 and WGS84 \
            differ by centimetres, which PROJ 9.1 treats as equal.

            Examples:
              siting convert --from wgs84 --to gcj02 121.5272106 31.1774276
              siting convert --from bd09 --to wgs84 --json 116.41036949 39.92133699
              siting convert --from wgs84 --to EPSG:32650 < points.txt
              siting convert --from wgs84 --to "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +datum=WGS84" -- -73.98 40.75
            """
    )

    @Option(name: .long, help: ArgumentHelp("Coordinate system of the input.", valueName: "SYS"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("Coordinate system of the output.", valueName: "SYS"))
    var to: String

    @Flag(name: .long, help: "Print JSON objects instead of plain \"X Y\" lines.")
    var json = false

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Longitude (or easting) then latitude (or northing); omit both to read standard input.",
                           valueName: "LON LAT"))
    var position: [String] = []

    func run() throws {
        let converter = CoordinateConverter()
        let source = CoordinateSystem(parsing: from)
        let target = CoordinateSystem(parsing: to)
        // Resolve both systems first, so a misspelt name fails before any input is read.
        let conversion = try converter.conversion(from: source, to: target)
        let decimals = CoordinateFormatting.decimals(geographic: conversion.targetIsGeographic)

        try NumberParsing.checkCount(position, allowed: [0, 2],
                                     expected: "LON LAT (two numbers) or none to read standard input")
        if position.count == 2 {
            let x = try NumberParsing.decimal(position[0], field: "LON")
            let y = try NumberParsing.decimal(position[1], field: "LAT")
            let result = try conversion.convert(Coordinate(x: x, y: y))
            print(line(for: result, decimals: decimals))
        } else {
            try convertStream(conversion, decimals: decimals)
        }
    }

    private func line(for result: Coordinate, decimals: Int) -> String {
        let x = CoordinateFormatting.number(result.x, decimals: decimals)
        let y = CoordinateFormatting.number(result.y, decimals: decimals)
        guard json else { return "\(x) \(y)" }
        return "{\"x\":\(x),\"y\":\(y),\"from\":\(CoordinateFormatting.jsonString(from)),"
            + "\"to\":\(CoordinateFormatting.jsonString(to))}"
    }

    private func convertStream(_ conversion: Conversion, decimals: Int) throws {
        var lineNumber = 0, total = 0, failed = 0
        var output = BufferedOutput()
        while let text = readLine(strippingNewline: true) {
            lineNumber += 1
            let content = lineNumber == 1 && text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
            let fields = NumberParsing.fields(Substring(content))
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            total += 1
            do {
                guard fields.count == 2 else {
                    throw CLIError.wrongValueCount(expected: "two numbers \"X Y\"", found: fields.count)
                }
                guard let x = NumberParsing.decimal(fields[0]) else {
                    throw CLIError.notANumber(field: "X", text: String(fields[0]))
                }
                guard let y = NumberParsing.decimal(fields[1]) else {
                    throw CLIError.notANumber(field: "Y", text: String(fields[1]))
                }
                let result = try conversion.convert(Coordinate(x: x, y: y))
                output.write(line(for: result, decimals: decimals))
            } catch {
                failed += 1
                output.flush()
                StandardError.write("siting convert: line \(lineNumber): \(error)")
            }
        }
        output.flush()
        if failed > 0 { throw CLIError.linesFailed(failed: failed, total: total) }
    }
}
