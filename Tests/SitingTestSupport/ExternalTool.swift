import Foundation

/// Runs a program that serves as an independent oracle (PROJ's `cs2cs`, `geod`) or the `siting`
/// executable itself, feeding standard input and collecting output.
public enum ExternalTool {
    /// What a finished process left behind.
    public struct Outcome: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// Errors of the harness itself (not of the program under test).
    public enum Failure: Error, CustomStringConvertible {
        case notFound(String)

        public var description: String {
            switch self {
            case .notFound(let name):
                let package = ["ogrinfo": "gdal-bin", "ogr2ogr": "gdal-bin", "sqlite3": "sqlite3"][name] ?? "proj-bin"
                return "\(name) is not on PATH; `make test` installs it (Debian package \(package))"
            }
        }
    }

    /// The absolute path of `name` on `PATH`, if any.
    public static func locate(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments` and `input` on stdin.
    public static func run(_ executable: String, _ arguments: [String], input: String = "",
                           environment: [String: String]? = nil) throws -> Outcome {
        let path = executable.contains("/") ? executable : try locate(executable) ?? { throw Failure.notFound(executable) }()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Feed input and drain both outputs concurrently so no pipe fills up and blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        DispatchQueue.global().async(group: group) { outData = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = stderr.fileHandleForReading.readDataToEndOfFile() }
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       standardOutput: String(decoding: outData, as: UTF8.self),
                       standardError: String(decoding: errData, as: UTF8.self))
    }

    /// The `siting` executable built next to the running test bundle.
    public static var sitingExecutable: String {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        // The test binary lives in `.build/<triple>/debug/`, or inside `X.xctest/Contents/MacOS` on macOS.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("siting").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return "siting"
    }
}
