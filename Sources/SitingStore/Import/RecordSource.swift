import Foundation
import SitingCore

/// One record read from an input file, before validation.
struct SourceRecord {
    var location: RecordLocation
    var fields: FieldValues
    /// A geometry the format carries itself (GeoJSON, GeoPackage); CSV positions come from fields.
    var geometry: Geometry?
    /// Why the format's geometry could not be read, if it could not.
    var geometryProblem: String?
}

/// Field values by name, whatever the format. Names are matched without regard to case.
enum FieldValues {
    case columns(CSVHeader, CSVRecord)
    case named([String: String])

    /// The first of `names` that the record has, with its (trimmed) value; empty values count as absent.
    func value(_ names: [String]) -> (name: String, value: String)? {
        for name in names {
            let found: String?
            switch self {
            case .columns(let header, let values):
                found = header.index[name].flatMap { $0 < values.count ? values.string($0) : nil }
            case .named(let dictionary):
                found = dictionary[name]
            }
            if let found {
                let trimmed = Self.trimmed(found)
                if !trimmed.isEmpty { return (name, trimmed) }
            }
        }
        return nil
    }

    /// The trimmed, non-empty value at a known CSV column, for lookups resolved once per file.
    func value(atColumn column: Int, named name: String) -> (name: String, value: String)? {
        guard case .columns(_, let values) = self, column < values.count else { return nil }
        let trimmed = Self.trimmed(values.string(column))
        return trimmed.isEmpty ? nil : (name, trimmed)
    }

    /// `text` without leading and trailing spaces and tabs; fast when there are none.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        guard first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Whether the record has any of `names` as a field at all (even empty).
    func has(_ names: [String]) -> Bool {
        switch self {
        case .columns(let header, _): return names.contains { header.index[$0] != nil }
        case .named(let dictionary): return names.contains { dictionary[$0] != nil }
        }
    }

    var isBlank: Bool {
        switch self {
        case .columns(_, let values):
            return values.bytes.withUnsafeBufferPointer { bytes in
                (0..<values.count).allSatisfy { column in
                    let field = UnsafeBufferPointer(rebasing: bytes[values.range(column)])
                    return field.isEmpty || ByteText.needsTrimming(field) && Self.trimmed(values.string(column)).isEmpty
                }
            }
        case .named(let dictionary): return dictionary.isEmpty
        }
    }
}

/// A CSV header: column names (trimmed, lower-cased) and their positions.
final class CSVHeader {
    let names: [String]
    let index: [String: Int]

    init(_ names: [String]) {
        self.names = names.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for (position, name) in self.names.enumerated() where index[name] == nil { index[name] = position }
        self.index = index
    }
}

/// The input formats Siting imports.
public enum InputFormat: String, CaseIterable, Sendable {
    case csv, geojson, gpkg

    /// The format a file name suggests.
    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv", "txt", "tsv": self = .csv
        case "geojson", "json": self = .geojson
        case "gpkg": self = .gpkg
        default: return nil
        }
    }
}

/// Reads records from any supported format, one at a time.
struct RecordSource {
    private enum Reader {
        case csv(CSVReader, CSVHeader)
        case geojson(GeoJSONReader)
        case gpkg(GeoPackageReader)
    }

    private var reader: Reader
    /// A CSV record handed back by `recycle`, refilled by the next `next()` instead of a new one.
    private var spareRecord: CSVRecord?
    let path: String
    let totalBytes: Int
    /// The coordinate system the file declares (GeoJSON `crs`, GeoPackage SRS), if any.
    let declaredCRS: String?
    /// Field names of a CSV or GeoPackage table (GeoJSON properties vary by feature).
    let fieldNames: [String]?

    init(path: String, format: InputFormat, layer: String?, preferredLayer: String) throws(ImportError) {
        self.path = path
        totalBytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        switch format {
        case .csv:
            var csv = try CSVReader(path: path)
            guard let (_, names) = try csv.next(), !(names.count == 1 && names[0].isEmpty) else {
                throw .unreadable(ImportIssue(file: path, location: .line(1), reason: "the file is empty: expected a header line naming the columns"))
            }
            let header = CSVHeader(names)
            reader = .csv(csv, header)
            declaredCRS = nil
            fieldNames = header.names
        case .geojson:
            let geojson = try GeoJSONReader(path: path)
            reader = .geojson(geojson)
            declaredCRS = nil
            fieldNames = nil
        case .gpkg:
            let gpkg = try GeoPackageReader(path: path, layer: layer, preferredLayer: preferredLayer)
            declaredCRS = gpkg.crs
            fieldNames = gpkg.fieldNames
            reader = .gpkg(gpkg)
        }
    }

    /// Bytes consumed so far (for progress).
    var bytesRead: Int {
        switch reader {
        case .csv(let csv, _): return csv.bytesRead
        case .geojson(let geojson): return geojson.bytesRead
        case .gpkg(let gpkg): return gpkg.approximateBytesRead(of: totalBytes)
        }
    }

    /// The CRS a GeoJSON file declares once its first features are read.
    var geojsonDeclaredCRS: String? {
        if case .geojson(let geojson) = reader { return geojson.declaredCRS }
        return nil
    }

    mutating func next() throws(ImportError) -> SourceRecord? {
        switch reader {
        case .csv(var csv, let header):
            defer { reader = .csv(csv, header) }
            var values = spareRecord.take() ?? CSVRecord()
            guard let line = try csv.next(into: &values) else { return nil }
            return SourceRecord(location: .line(line), fields: .columns(header, values))
        case .geojson(var geojson):
            defer { reader = .geojson(geojson) }
            guard let (index, line, feature) = try geojson.next() else { return nil }
            var fields: [String: String] = [:]
            if case .object(let properties)? = feature["properties"] {
                for (key, value) in properties { if let text = value.fieldText { fields[key.lowercased()] = text } }
            }
            if fields["id"] == nil, let id = feature["id"]?.fieldText { fields["id"] = id }
            var record = SourceRecord(location: .feature(index: index, line: line), fields: .named(fields))
            do {
                record.geometry = try GeoJSONReader.geometry(feature["geometry"])
            } catch {
                record.geometryProblem = error.message
            }
            return record
        case .gpkg(var gpkg):
            defer { reader = .gpkg(gpkg) }
            return try gpkg.next()
        }
    }

    /// Hands a record back once it is no longer needed, so the next CSV record reuses its buffers
    /// (when nothing else still holds them) instead of allocating new ones.
    mutating func recycle(_ record: consuming SourceRecord) {
        if case .columns(_, let values) = record.fields { spareRecord = values }
    }
}
