import Foundation
import Logging
import SitingCore

/// `siting serve`'s log lines on standard error: `<UTC time> <level> <label>: <message> key=value …`,
/// metadata in key order. The server sets a request id on every request's logger, so setting
/// metadata only stores it; the line is formatted when something is logged at or above `logLevel`.
struct ServerLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, level: Logger.Level) {
        self.label = label
        logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra { all.merge(extra) { _, new in new } }
        var text = NearbyJSON.timestamp(Date(), in: NearbyJSON.utc) + " " + level.rawValue + " " + label + ": " + message.description
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            let rendered = value.description
            let plain = !rendered.isEmpty && !rendered.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
            text += " " + key + "=" + (plain ? rendered : "\"" + rendered.replacingOccurrences(of: "\"", with: "\\\"") + "\"")
        }
        text += "\n"
        var bytes = text
        // One write(2) a line: lines from concurrent requests do not interleave.
        bytes.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
