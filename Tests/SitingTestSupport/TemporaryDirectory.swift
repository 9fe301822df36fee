public import Foundation

/// A fresh directory under the system's temporary directory, for one test's files.
///
/// Use `TemporaryDirectory.with { directory in … }`: the directory and everything in it is removed
/// when the closure returns or throws (a `deinit` could run as soon as the last use of the object,
/// while paths taken from it are still in use).
public struct TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    private init(prefix: String) throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
        path = base.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Runs `body` with a new directory and removes the directory afterwards.
    public static func with<Result>(prefix: String = "siting-test", _ body: (TemporaryDirectory) throws -> Result) throws
        -> Result
    {
        let directory = try TemporaryDirectory(prefix: prefix)
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        return try body(directory)
    }

    /// Async form of `with`.
    public static func with<Result>(prefix: String = "siting-test",
                                    _ body: (TemporaryDirectory) async throws -> Result) async throws -> Result {
        let directory = try TemporaryDirectory(prefix: prefix)
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        return try await body(directory)
    }

    /// The path of `name` inside the directory (the file need not exist).
    public func path(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `text` as UTF-8 (exactly these bytes: no BOM, line ends as given) and returns the path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    /// Writes `bytes` and returns the path.
    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) throws -> String {
        let target = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// The bytes of a file in the directory (or anywhere, given an absolute path).
    public func bytes(_ nameOrPath: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: nameOrPath.hasPrefix("/") ? nameOrPath : path(nameOrPath)))
    }

    /// The size of a file in bytes, or nil when it does not exist.
    public func size(_ nameOrPath: String) -> Int? {
        let target = nameOrPath.hasPrefix("/") ? nameOrPath : path(nameOrPath)
        return (try? FileManager.default.attributesOfItem(atPath: target))?[.size] as? Int
    }
}

/// Locations inside the package, found from a test file's own path (`#filePath`).
public enum PackageLayout {
    /// The package root: the nearest folder above `filePath` holding `Package.swift`.
    public static func root(filePath: String = #filePath) -> String {
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.path
            }
            directory.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }
}
