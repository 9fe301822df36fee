import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
struct ProgressBar {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let label: String
    private var lastDrawn = -1

    init(label: String) {
        self.label = label
    }

    mutating func update(done: Int, total: Int, records: Int) {
        guard enabled, total > 0 else { return }
        let percent = min(100, done * 100 / total)
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        StandardError.writeRaw("\r\(label) [\(bar)] \(percent)%  \(records) records")
    }

    func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        StandardError.writeRaw("\r\u{1B}[2K")
    }
}
