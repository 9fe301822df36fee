import Foundation
import SitingTestSupport

/// `siting serve` running as the real executable on a free loopback port, over a database of the
/// test's. `stop()` sends SIGTERM and waits for the process to exit.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let errorPipe = Pipe()
    private let log = LogBuffer()

    /// Collected standard error (the server's log lines).
    final class LogBuffer: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }

    enum Failure: Error, CustomStringConvertible {
        case didNotStart(String)
        var description: String {
            switch self { case .didNotStart(let log): "siting serve did not start:\n\(log)" }
        }
    }

    /// Starts `siting serve --db database --port 0 extraArguments…` and waits until it listens.
    init(database: String, arguments: [String] = [], timeoutSeconds: Double = 60) throws {
        process.executableURL = URL(fileURLWithPath: ExternalTool.sitingExecutable)
        process.arguments = ["serve", "--db", database, "--port", "0"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorPipe
        let log = self.log
        errorPipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if !chunk.isEmpty { log.append(chunk) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            if let range = log.text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                found = Int(log.text[range].split(separator: ":").last ?? "")
            } else {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw Failure.didNotStart(log.text)
        }
        port = found
    }

    var client: HTTPTestClient { HTTPTestClient(port: port) }

    /// Everything the server logged so far.
    var logText: String { log.text }

    /// Sends `signal` to the server.
    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// SIGTERM, then waits for the exit; returns the exit status.
    @discardableResult
    func stop(timeoutSeconds: Double = 20) -> Int32 {
        if process.isRunning { signal(SIGTERM) }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        errorPipe.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
