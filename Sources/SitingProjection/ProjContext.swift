internal import CProj

/// One PROJ context: PROJ's unit of thread confinement, error state and log.
///
/// Not `Sendable`: a context and everything created in it are used by one thread (one task) at a time.
/// PROJ reports the real reason for a failure only to its log (`proj_context_errno_string` often says
/// just "Unknown error"), so each context installs its own log function that collects the lines here;
/// errors raised after a failed call carry them.
final class ProjContext {
    /// The raw context; valid for this object's lifetime.
    let handle: OpaquePointer
    private let log: LogSink

    /// Collects PROJ's log lines for one context.
    final class LogSink {
        var lines: [String] = []
    }

    init() {
        handle = proj_context_create()
        log = LogSink()
        proj_log_level(handle, PJ_LOG_ERROR)
        proj_log_func(handle, Unmanaged.passUnretained(log).toOpaque()) { data, _, message in
            guard let data, let message else { return }
            let sink = Unmanaged<ProjContext.LogSink>.fromOpaque(data).takeUnretainedValue()
            sink.lines.append(String(cString: message))
        }
    }

    deinit {
        proj_log_func(handle, nil, nil)
        proj_context_destroy(handle)
    }

    /// Forgets collected log lines before a call whose failure is to be explained.
    func resetDiagnostics() {
        log.lines.removeAll(keepingCapacity: true)
    }

    /// The best explanation PROJ gives for the last failure in this context: its log lines if any, else
    /// the text of its error number.
    func lastFailureReason(for object: OpaquePointer? = nil) -> String {
        let logged = log.lines.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        if !logged.isEmpty { return logged.joined(separator: "; ") }
        let errno = object.map { proj_errno($0) } ?? proj_context_errno(handle)
        if errno != 0, let text = proj_context_errno_string(handle, errno) { return String(cString: text) }
        return "no reason given"
    }
}
