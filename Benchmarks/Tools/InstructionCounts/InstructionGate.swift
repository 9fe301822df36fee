import Dispatch
import Foundation
import Synchronization

/// Counts each case's instructions under callgrind and compares them with the committed thresholds.
///
/// Callgrind executes the program on a simulated CPU and counts every instruction it runs (`Ir`), so
/// the count does not depend on how busy the machine is. It collects only inside `measured()`
/// (`--toggle-collect`), so data set-up and process start-up are not counted.
struct InstructionGate {
    /// A run may take this much more than its threshold (percent) before the gate fails.
    static let regressionPercent = 3.0
    /// A run this much below its threshold (percent) fails too: the thresholds are stale, and a later
    /// regression of up to this size would pass unseen.
    static let improvementPercent = 10.0
    /// `update` measures twice and refuses counts that differ by more than this (percent).
    static let repeatabilityPercent = 0.1

    /// `Benchmarks/Thresholds/instructions.json`, found from this source file's place.
    static let defaultThresholds = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Thresholds/instructions.json")

    var thresholdsFile = defaultThresholds
    var valgrind = "valgrind"

    /// One case's count.
    struct Measurement: Sendable {
        var name: String
        var instructions: Int
        var operations: Int
        var perOperation: Double { Double(instructions) / Double(operations) }
    }

    /// What went wrong running the gate itself (not a regression).
    struct GateError: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Measuring

    /// Runs every case in `cases` under callgrind, as many at a time as there are cores, each on a core
    /// of its own (`CPUPool`).
    func measure(_ cases: [GatedCase]) throws -> [Measurement] {
        let executable = try Self.ownExecutable()
        let results = Mutex<[Int: Result<Measurement, GateError>]>([:])
        let pool = CPUPool()
        DispatchQueue.concurrentPerform(iterations: cases.count) { index in
            let cpu = pool.acquire()
            defer { pool.release(cpu) }
            let outcome = Result { () throws(GateError) in try measureOne(cases[index], executable: executable, cpu: cpu) }
            results.withLock { $0[index] = outcome }
        }
        return try results.withLock { all in try cases.indices.map { try all[$0]!.get() } }
    }

    /// Runs one case under callgrind, pinned to `cpu` when there is one.
    ///
    /// Pinned, because callgrind's `--toggle-collect` switches collection on for the thread that enters
    /// `measured()` only: work the code hands to other threads (`DispatchQueue.concurrentPerform` in the
    /// ranking's surface and market) would go uncounted, and how much of it the measuring thread does
    /// itself changes from run to run (two runs of the ranking case were 3.5% apart). In a process allowed
    /// a single CPU such work ran on the calling thread: the count is then all the work, the same on
    /// every run (two runs 0.005% apart). Single-threaded cases count the same either way.
    private func measureOne(_ gated: GatedCase, executable: String, cpu: Int?) throws(GateError) -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let callgrind = [
            valgrind, "--tool=callgrind", "--toggle-collect=\(measuredSymbol)", "--callgrind-out-file=/dev/null",
            executable, "run", gated.name,
        ]
        process.arguments = cpu.map { ["taskset", "--cpu-list", String($0)] + callgrind } ?? callgrind
        // Swift's hashing is seeded per process unless told otherwise; a seed would move the counts.
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_DETERMINISTIC_HASHING"] = "1"
        process.environment = environment
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw GateError(description: "cannot start \(valgrind): \(error) (install it: apt-get install valgrind)")
        }
        let errorText = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GateError(description: "\(gated.name): valgrind exited with status \(process.terminationStatus):\n\(errorText)")
        }
        // callgrind's summary on stderr: "==1234== Collected : 123456789"
        guard let line = errorText.split(separator: "\n").last(where: { $0.contains("Collected :") }),
              let collected = Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces))
        else {
            throw GateError(description: "\(gated.name): no 'Collected :' line in callgrind's output:\n\(errorText)")
        }
        guard collected >= gated.operations else {
            throw GateError(description: """
                \(gated.name): callgrind collected \(collected) instructions for \(gated.operations) operations: \
                the function \(measuredSymbol) was not run as its own function (inlined or renamed?)
                """)
        }
        return Measurement(name: gated.name, instructions: collected, operations: gated.operations)
    }

    /// The CPUs this process may run on, lent one to each callgrind process running; empty (no pinning)
    /// where the list cannot be read.
    final class CPUPool: Sendable {
        private let users: Mutex<[Int: Int]>

        init() {
            users = Mutex(Dictionary(uniqueKeysWithValues: Self.allowedCPUs().map { ($0, 0) }))
        }

        /// The least used CPU (nil when none is known).
        func acquire() -> Int? {
            users.withLock { users in
                guard let cpu = users.min(by: { ($0.value, $0.key) < ($1.value, $1.key) })?.key else { return nil }
                users[cpu]! += 1
                return cpu
            }
        }

        func release(_ cpu: Int?) {
            guard let cpu else { return }
            users.withLock { $0[cpu]! -= 1 }
        }

        /// `Cpus_allowed_list` of `/proc/self/status` ("0-3,8,10-11"), on Linux; empty elsewhere.
        static func allowedCPUs() -> [Int] {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
            else { return [] }
            var cpus: [Int] = []
            for item in line.dropFirst("Cpus_allowed_list:".count).split(separator: ",") {
                let bounds = item.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard let first = bounds.first, let last = bounds.last, first <= last, bounds.count <= 2 else { return [] }
                cpus.append(contentsOf: first...last)
            }
            return cpus
        }
    }

    private static func ownExecutable() throws -> String {
        guard let path = Bundle.main.executablePath else {
            throw GateError(description: "cannot find this program's own executable")
        }
        return path
    }

    // MARK: Thresholds

    /// The committed thresholds: case name to instructions per operation.
    func readThresholds() throws -> [String: Double] {
        guard FileManager.default.fileExists(atPath: thresholdsFile.path) else { return [:] }
        let data = try Data(contentsOf: thresholdsFile)
        let file = try JSONDecoder().decode([String: ThresholdEntry].self, from: data)
        return file.mapValues(\.instructionsPerOperation)
    }

    /// Writes `measurements` into the thresholds file, keeping the entries of cases not measured.
    func writeThresholds(_ measurements: [Measurement]) throws {
        var file: [String: ThresholdEntry] = [:]
        if FileManager.default.fileExists(atPath: thresholdsFile.path) {
            file = try JSONDecoder().decode([String: ThresholdEntry].self, from: Data(contentsOf: thresholdsFile))
        }
        for measurement in measurements {
            let gated = GatedCase.named(measurement.name)!
            file[measurement.name] = ThresholdEntry(
                instructionsPerOperation: (measurement.perOperation * 10).rounded() / 10,
                operation: gated.operation)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var data = try encoder.encode(file)
        data.append(contentsOf: Array("\n".utf8))
        try data.write(to: thresholdsFile, options: .atomic)
    }

    struct ThresholdEntry: Codable {
        var instructionsPerOperation: Double
        var operation: String
    }

    // MARK: Judging

    /// How one case compares with its threshold.
    enum Verdict: String {
        case ok, regression, stale = "improved: update", missing = "no threshold"
        var fails: Bool { self != .ok }
    }

    static func verdict(measured: Double, threshold: Double?) -> Verdict {
        guard let threshold else { return .missing }
        let change = (measured / threshold - 1) * 100
        if change > regressionPercent { return .regression }
        if change < -improvementPercent { return .stale }
        return .ok
    }

    /// The table `check` prints; returns whether every case passed.
    static func report(_ measurements: [Measurement], thresholds: [String: Double]) -> (table: String, passed: Bool) {
        var lines = [
            "case                          per      threshold       measured   change  verdict",
            String(repeating: "-", count: 84),
        ]
        var passed = true
        for measurement in measurements {
            let threshold = thresholds[measurement.name]
            let verdict = verdict(measured: measurement.perOperation, threshold: threshold)
            passed = passed && !verdict.fails
            let change = threshold.map { String(format: "%+6.2f%%", (measurement.perOperation / $0 - 1) * 100) } ?? "      -"
            lines.append(
                pad(measurement.name, 30) + pad(GatedCase.named(measurement.name)!.operation, 7)
                    + padLeft(threshold.map(formatted) ?? "-", 11) + padLeft(formatted(measurement.perOperation), 15)
                    + "  " + change + "  " + verdict.rawValue)
        }
        return (lines.joined(separator: "\n"), passed)
    }

    private static func formatted(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
