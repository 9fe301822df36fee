/// Why an export stopped. In every case the database is unchanged and no output file is left
/// behind (an existing file of the same name is untouched).
public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The output file exists and replacing it was not asked for.
    case outputExists(path: String)
    /// The output file is the database being exported.
    case outputIsDatabase(path: String)
    /// The format cannot be written to standard output.
    case needsFile(ExportFormat)
    /// No ranking run has the requested id; `known` lists some that exist.
    case unknownRun(String, known: [String])
    /// Writing the output failed (`reason` is the system's message); `path` is the file, or
    /// "standard output".
    case write(path: String, reason: String)
    /// Reading the database, or building the GeoPackage, failed.
    case store(StoreError)

    public var description: String {
        switch self {
        case .outputExists(let path):
            return "\(path) already exists; pass --force to replace it, or choose another --output"
        case .outputIsDatabase(let path):
            return "\(path) is the database being exported; choose another --output"
        case .needsFile(let format):
            return "\(format.rawValue) cannot be written to standard output; pass --output FILE.\(format.rawValue)"
        case .unknownRun(let runID, let known):
            let list = known.isEmpty ? "the database has no ranking runs" : "runs in the database include: \(known.joined(separator: ", "))"
            return "no ranking run has the id \"\(runID)\"; \(list)"
        case .write(let path, let reason):
            let outcome = path == ExportDestination.standardOutput.description
                ? "the output is incomplete" : "no file was written"
            return "cannot write \(path): \(reason); \(outcome)"
        case .store(let error):
            return "\(error); nothing was exported"
        }
    }
}
