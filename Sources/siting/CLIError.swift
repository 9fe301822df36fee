/// Errors the `siting` command reports to the user, one line each, with a non-zero exit.
enum CLIError: Error, CustomStringConvertible {
    /// A value on the command line that is not a usable number.
    case notANumber(field: String, text: String)
    /// The wrong count of positional values.
    case wrongValueCount(expected: String, found: Int)
    /// A file that cannot be read or does not hold what it should.
    case unreadableFile(path: String, reason: String)
    /// Some lines of a stream could not be converted; each was reported as it came.
    case linesFailed(failed: Int, total: Int)

    var description: String {
        switch self {
        case .notANumber(let field, let text):
            return "\(field) \"\(text)\" is not a finite decimal number"
        case .wrongValueCount(let expected, let found):
            return "expected \(expected), found \(found) value\(found == 1 ? "" : "s")"
        case .unreadableFile(let path, let reason):
            return "\(path): \(reason)"
        case .linesFailed(let failed, let total):
            return "\(failed) of \(total) input line\(total == 1 ? "" : "s") could not be converted (see the messages above)"
        }
    }
}
