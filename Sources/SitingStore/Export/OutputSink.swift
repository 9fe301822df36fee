import Foundation

/// Bytes to standard output or to a new file, in large writes. A file is written under a temporary
/// name next to the target and only renamed to it by `finish()`, so a failure leaves nothing
/// half-written; `discard()` (or dropping an unfinished sink) removes the temporary file.
final class OutputSink {
    let destination: ExportDestination
    private let overwrite: Bool
    private var descriptor: Int32
    private let temporaryPath: String?
    /// Bytes not yet written; writers append here, then call `flushIfNeeded()`.
    var buffer: [UInt8] = []
    private var isOpen = true
    private static let flushThreshold = 1 << 16

    /// Opens standard output, or creates the temporary file for `destination`.
    ///
    /// - Throws: `ExportError.outputExists` when the file exists and `overwrite` is false;
    ///   `.write` when the temporary file cannot be created.
    init(destination: ExportDestination, overwrite: Bool) throws(ExportError) {
        self.destination = destination
        self.overwrite = overwrite
        switch destination {
        case .standardOutput:
            descriptor = STDOUT_FILENO
            temporaryPath = nil
        case .file(let path):
            try OutputFile.checkAvailable(path, overwrite: overwrite)
            let temporary = OutputFile.temporaryPath(for: path)
            unlink(temporary)
            let opened = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard opened >= 0 else { throw .write(path: path, reason: OutputFile.systemMessage()) }
            descriptor = opened
            temporaryPath = temporary
        }
        buffer.reserveCapacity(Self.flushThreshold + 4_096)
    }

    deinit {
        if isOpen { discard() }
    }

    /// Appends text as UTF-8.
    func write(_ text: String) throws(ExportError) {
        buffer.append(contentsOf: text.utf8)
        try flushIfNeeded()
    }

    /// Appends raw bytes.
    func write(bytes: some Sequence<UInt8>) throws(ExportError) {
        buffer.append(contentsOf: bytes)
        try flushIfNeeded()
    }

    /// Writes the buffer out once it holds enough to make a large write.
    func flushIfNeeded() throws(ExportError) {
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Writes out what is buffered.
    func flush() throws(ExportError) {
        var offset = 0
        let failure: Int32? = buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        buffer.removeAll(keepingCapacity: true)
        if let failure { throw .write(path: destination.description, reason: String(cString: strerror(failure))) }
    }

    /// Flushes, then for a file: syncs it to disk, closes it and renames it to its real name.
    func finish() throws(ExportError) {
        try flush()
        guard case .file(let path) = destination, let temporaryPath else {
            isOpen = false
            return
        }
        guard fsync(descriptor) == 0 else { throw .write(path: path, reason: OutputFile.systemMessage()) }
        guard close(descriptor) == 0 else {
            descriptor = -1
            throw .write(path: path, reason: OutputFile.systemMessage())
        }
        descriptor = -1
        try OutputFile.publish(temporaryPath, to: path, overwrite: overwrite, isDatabase: false)
        isOpen = false
    }

    /// Abandons the output: closes and removes the temporary file (standard output is left open).
    func discard() {
        isOpen = false
        buffer.removeAll()
        guard let temporaryPath else { return }
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
    }
}

/// Output files: temporary names, the no-overwrite rule, and the final rename.
enum OutputFile {
    /// A name in the target's folder (so the rename stays on one file system) unique to this process.
    static func temporaryPath(for path: String) -> String {
        "\(path).exporting-\(getpid())"
    }

    /// Refuses an existing file unless `overwrite`.
    static func checkAvailable(_ path: String, overwrite: Bool) throws(ExportError) {
        if !overwrite, FileManager.default.fileExists(atPath: path) { throw .outputExists(path: path) }
    }

    /// Moves the complete temporary file to `path`. Without `overwrite` the move is a hard link, which
    /// fails atomically when `path` appeared meanwhile (with a check-then-rename fallback on file
    /// systems without hard links). For a database, stale SQLite side files of `path` (`-wal`,
    /// `-shm`, `-journal`) are removed first so SQLite does not apply them to the new file.
    static func publish(_ temporary: String, to path: String, overwrite: Bool, isDatabase: Bool) throws(ExportError) {
        if isDatabase, overwrite || !FileManager.default.fileExists(atPath: path) {
            for suffix in ["-wal", "-shm", "-journal"] { unlink(path + suffix) }
        }
        if overwrite {
            guard rename(temporary, path) == 0 else { throw .write(path: path, reason: systemMessage()) }
            return
        }
        if link(temporary, path) == 0 {
            unlink(temporary)
            return
        }
        let code = errno
        if code == EEXIST { throw .outputExists(path: path) }
        if FileManager.default.fileExists(atPath: path) { throw .outputExists(path: path) }
        guard rename(temporary, path) == 0 else { throw .write(path: path, reason: systemMessage()) }
    }

    /// Flushes a closed file's data to disk, so the rename that follows never publishes a file whose
    /// contents a crash could still lose.
    static func sync(_ path: String, reportedAs name: String) throws(ExportError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .write(path: name, reason: systemMessage()) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .write(path: name, reason: systemMessage()) }
    }

    /// Whether `path` names the same file as `other` (after resolving symbolic links).
    static func isSameFile(_ path: String, _ other: String) -> Bool {
        var a = stat(), b = stat()
        guard stat(path, &a) == 0, stat(other, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    static func systemMessage() -> String {
        String(cString: strerror(errno))
    }
}
