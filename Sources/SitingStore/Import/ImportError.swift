/// Where in an input file a problem is.
public enum RecordLocation: Hashable, Sendable, CustomStringConvertible {
    /// A line of a text file (1-based; the line where the record starts).
    case line(Int)
    /// A GeoJSON feature (1-based index in the collection) and the line where it starts.
    case feature(index: Int, line: Int)
    /// A row of a GeoPackage table (its primary key).
    case row(table: String, fid: Int)
    /// The file as a whole.
    case file

    public var description: String {
        switch self {
        case .line(let line): return "line \(line)"
        case .feature(let index, let line): return "feature \(index) (line \(line))"
        case .row(let table, let fid): return "table \(table), fid \(fid)"
        case .file: return "file"
        }
    }
}

/// One problem with one record of an input file: which file, where, which field, why.
public struct ImportIssue: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var location: RecordLocation
    /// The field (column or property) at fault, if one is.
    public var field: String?
    public var reason: String

    public init(file: String, location: RecordLocation, field: String? = nil, reason: String) {
        self.file = file
        self.location = location
        self.field = field
        self.reason = reason
    }

    public var description: String {
        let place = location == .file ? file : "\(file): \(location)"
        if let field { return "\(place), field \"\(field)\": \(reason)" }
        return "\(place): \(reason)"
    }
}

/// Why an import stopped. In every case the database is exactly as it was before the import.
public enum ImportError: Error, Sendable, CustomStringConvertible {
    /// The file cannot be used at all (missing, unreadable, empty, wrong format, broken structure).
    case unreadable(ImportIssue)
    /// Some records are invalid; the first few are listed, `total` counts them all.
    case invalidRecords([ImportIssue], total: Int)
    /// The coordinate system of the input is unusable.
    case coordinateSystem(file: String, reason: String)
    /// The database refused the data.
    case store(StoreError)

    /// How many issues a failed import lists.
    public static let listedIssueLimit = 20

    public var description: String {
        switch self {
        case .unreadable(let issue):
            return "\(issue)"
        case .invalidRecords(let issues, let total):
            var text = "\(total) invalid record\(total == 1 ? "" : "s"); nothing was imported:\n"
            text += issues.map { "  \($0)" }.joined(separator: "\n")
            if total > issues.count { text += "\n  … and \(total - issues.count) more" }
            text += "\n(fix them, or pass --skip-invalid to import the valid records only)"
            return text
        case .coordinateSystem(let file, let reason):
            return "\(file): \(reason)"
        case .store(let error):
            return "\(error); nothing was imported"
        }
    }
}
