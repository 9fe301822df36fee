import Foundation

/// What can be exported.
public enum ExportKind: String, CaseIterable, Sendable {
    /// The bank's outlets (`outlets` table).
    case outlets
    /// Other banks' outlets (`competitors` table).
    case competitors
    /// Administrative regions with their boundaries (`regions` table).
    case regions
    /// The sites ranking runs chose, with each run's time and region (`ranking_results` joined with
    /// `ranking_runs`).
    case rankings
}

/// The formats Siting exports.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// RFC 4180 CSV, UTF-8, CRLF line ends, a header naming the columns the importer reads.
    case csv
    /// An RFC 7946 GeoJSON FeatureCollection, WGS84 `[lon, lat]`, one feature per line.
    case geojson
    /// A new Siting database (an OGC GeoPackage 1.3) holding only the exported rows.
    case gpkg

    /// The format a file name suggests (`.csv`, `.geojson` or `.json`, `.gpkg`).
    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": self = .csv
        case "geojson", "json": self = .geojson
        case "gpkg": self = .gpkg
        default: return nil
        }
    }
}

/// Where an export goes.
public enum ExportDestination: Hashable, Sendable, CustomStringConvertible {
    /// Standard output (CSV and GeoJSON only).
    case standardOutput
    /// A new file. It is written under a temporary name in the same folder and renamed when
    /// complete, so a failure leaves nothing half-written.
    case file(String)

    /// `-` means standard output; anything else is a file.
    public init(path: String?) {
        if let path, path != "-" { self = .file(path) } else { self = .standardOutput }
    }

    public var description: String {
        switch self {
        case .standardOutput: return "standard output"
        case .file(let path): return path
        }
    }
}

/// Options of one export.
public struct ExportOptions: Sendable {
    /// The output format.
    public var format: ExportFormat
    /// Rankings only: export just this run's results (and, in a GeoPackage, just this run).
    public var runID: String?
    /// Replace an existing output file (only once the new one is complete).
    public var overwrite: Bool
    /// CSV only: start with a UTF-8 byte-order mark, which Excel needs to read Chinese text.
    public var byteOrderMark: Bool

    public init(format: ExportFormat, runID: String? = nil, overwrite: Bool = false, byteOrderMark: Bool = false) {
        self.format = format
        self.runID = runID
        self.overwrite = overwrite
        self.byteOrderMark = byteOrderMark
    }
}

/// What an export did.
public struct ExportSummary: Sendable, CustomStringConvertible {
    /// What was exported.
    public var kind: ExportKind
    /// In which format.
    public var format: ExportFormat
    /// Where it went.
    public var destination: ExportDestination
    /// Rows written (for rankings, results; the runs a GeoPackage also receives are not counted).
    public var rows: Int

    public var description: String {
        let noun: String
        switch kind {
        case .outlets: noun = rows == 1 ? "outlet" : "outlets"
        case .competitors: noun = rows == 1 ? "competitor" : "competitors"
        case .regions: noun = rows == 1 ? "region" : "regions"
        case .rankings: noun = rows == 1 ? "ranking result" : "ranking results"
        }
        return "exported \(rows) \(noun) to \(destination) (\(format.rawValue))"
    }
}
