import Foundation

/// PROJ's command-line programs (`cs2cs`, `geod`, `projinfo`) as independent oracles: they run in
/// their own process, read PROJ's database and their own argument conventions, and share no code
/// with Siting's Swift layer. If a program is missing, the call throws `ExternalTool.Failure`.
public enum ProjPrograms {
    /// A PROJ program ran but did not give a usable answer.
    public struct ProgramError: Error, CustomStringConvertible {
        public var program: String
        public var message: String
        public var description: String { "\(program): \(message)" }

        public init(program: String, message: String) {
            self.program = program
            self.message = message
        }
    }

    /// Runs `cs2cs -d <decimals> <crsArguments...>` over `rows` and returns the first two numbers of
    /// every output line, or nil for a line where `cs2cs` printed `*` (a point it could not transform).
    ///
    /// Each row is written exactly as `cs2cs` must read it, in the *source CRS's own axis order*
    /// (for `EPSG:4326` that is latitude then longitude); callers swap explicitly.
    public static func cs2cs(_ crsArguments: [String], decimals: Int = 9,
                             rows: [(Double, Double)]) throws -> [(Double, Double)?] {
        let input = rows.map { "\(exact($0.0)) \(exact($0.1))\n" }.joined()
        let outcome = try ExternalTool.run("cs2cs", ["-d", String(decimals)] + crsArguments, input: input)
        guard outcome.status == 0 else {
            throw ProgramError(program: "cs2cs", message: "exit \(outcome.status): \(outcome.standardError)")
        }
        let lines = outcome.standardOutput.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count == rows.count else {
            throw ProgramError(program: "cs2cs", message: "\(rows.count) rows in, \(lines.count) out: "
                + outcome.standardOutput + outcome.standardError)
        }
        return try lines.map { line -> (Double, Double)? in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { throw ProgramError(program: "cs2cs", message: "bad line \(line)") }
            if fields[0] == "*" { return nil }
            guard let a = Double(fields[0]), let b = Double(fields[1]) else {
                throw ProgramError(program: "cs2cs", message: "bad line \(line)")
            }
            return (a, b)
        }
    }

    /// One answer of `geod -I`: azimuth at the first point, *back* azimuth at the second point (the
    /// direction from the second point towards the first, as `geod` prints it), distance in metres.
    public struct GeodInverse: Sendable {
        public var azimuth1: Double
        public var backAzimuth2: Double
        public var distanceMeters: Double
    }

    /// Runs `geod -I +ellps=WGS84 -f %.12f` on lines `lat1 lon1 lat2 lon2`. `geod` prints azimuths
    /// in the `-f` format and distances always to the millimetre.
    public static func geodInverse(_ rows: [(lat1: Double, lon1: Double, lat2: Double, lon2: Double)])
        throws -> [GeodInverse]
    {
        let input = rows.map { "\(exact($0.lat1)) \(exact($0.lon1)) \(exact($0.lat2)) \(exact($0.lon2))\n" }
            .joined()
        let outcome = try ExternalTool.run("geod", ["-I", "+ellps=WGS84", "-f", "%.12f"], input: input)
        guard outcome.status == 0 else {
            throw ProgramError(program: "geod", message: "exit \(outcome.status): \(outcome.standardError)")
        }
        let lines = outcome.standardOutput.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count == rows.count else {
            throw ProgramError(program: "geod", message: "\(rows.count) rows in, \(lines.count) out")
        }
        return try lines.map { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            guard fields.count == 3 else { throw ProgramError(program: "geod", message: "bad line \(line)") }
            return GeodInverse(azimuth1: fields[0], backAzimuth2: fields[1], distanceMeters: fields[2])
        }
    }

    /// The WKT2:2019 text of `definition` from `projinfo`.
    public static func wkt(_ definition: String) throws -> String {
        let outcome = try ExternalTool.run("projinfo", [definition, "-o", "WKT2_2019", "-q"])
        guard outcome.status == 0, outcome.standardOutput.contains("CRS[") else {
            throw ProgramError(program: "projinfo", message: outcome.standardOutput + outcome.standardError)
        }
        return outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Text that PROJ's parsers read back as exactly `value` (17 significant digits).
    static func exact(_ value: Double) -> String {
        String(format: "%.17g", value)
    }
}

/// Smallest difference between two angles in degrees, in [0, 180].
public func angularDifferenceDegrees(_ a: Double, _ b: Double) -> Double {
    let d = abs((a - b).truncatingRemainder(dividingBy: 360))
    return min(d, 360 - d)
}
