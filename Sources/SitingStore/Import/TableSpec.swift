import Foundation
import SitingCore

/// What can be imported, and into which table.
public enum ImportKind: String, CaseIterable, Sendable {
    case outlets, competitors, regions, settlements
    case regionStats = "region-stats"
    case candidates

    var table: SitingDatabase.Table {
        switch self {
        case .outlets: return .outlets
        case .competitors: return .competitors
        case .regions: return .regions
        case .settlements: return .settlements
        case .regionStats: return .regionStats
        case .candidates: return .candidates
        }
    }
}

/// How one field of an input record is read and checked.
enum FieldKind {
    case text
    case integer(minimum: Int)
    case real(minimum: Double?)
    /// yes/no (also true/false, 1/0, y/n), stored as 1/0.
    case flag
    /// yes/no/unknown (empty means unknown).
    case triState
    case choice([String])
    /// Opening-hours text (see `OpeningHours`).
    case hours
    /// A 6-digit GB/T 2260 code, checked against the regions in the database when there are any.
    case adcode
    /// An IANA time zone such as Asia/Shanghai.
    case timeZone
}

/// A value ready to bind.
enum BoundValue: Sendable {
    case null, integer(Int), real(Double), text(String)
}

/// One database column fed from an input field found under any of its names.
final class ColumnSpec {
    let column: String
    let aliases: [String]
    let kind: FieldKind
    let required: Bool
    let defaultValue: BoundValue

    init(_ column: String, _ kind: FieldKind, required: Bool = false, aliases: [String] = [],
         default defaultValue: BoundValue = .null) {
        self.column = column
        self.aliases = [column] + aliases
        self.kind = kind
        self.required = required
        self.defaultValue = defaultValue
    }
}

/// The geometry a table takes.
enum GeometryRequirement {
    case point, polygonal
}

/// How records of one kind become rows of one table.
final class TableSpec {
    let table: String
    let key: String
    let geometry: GeometryRequirement
    let columns: [ColumnSpec]
    /// Position of the key column in `columns`.
    let keyIndex: Int

    init(table: String, key: String, geometry: GeometryRequirement, columns: [ColumnSpec]) {
        self.table = table
        self.key = key
        self.geometry = geometry
        self.columns = columns
        keyIndex = columns.firstIndex { $0.column == key } ?? 0
    }

    static func spec(for kind: ImportKind) -> TableSpec? {
        let triState = { (name: String, aliases: [String]) in
            ColumnSpec(name, .triState, aliases: aliases, default: .text("unknown"))
        }
        switch kind {
        case .outlets:
            return TableSpec(table: "outlets", key: "id", geometry: .point, columns: [
                ColumnSpec("id", .text, required: true, aliases: ["outlet_id"]),
                ColumnSpec("name", .text, required: true),
                ColumnSpec("kind", .choice(OutletKind.allCases.map(\.rawValue)), required: true),
                ColumnSpec("adcode", .adcode),
                ColumnSpec("address", .text),
                ColumnSpec("opening_hours", .hours, aliases: ["hours"]),
                ColumnSpec("secondary_hours", .hours, aliases: ["self_service_hours"]),
                ColumnSpec("timezone", .timeZone, aliases: ["time_zone", "tz"], default: .text("Asia/Shanghai")),
                ColumnSpec("cash", .flag, default: .integer(0)),
                ColumnSpec("wealth_management", .flag, default: .integer(0)),
                ColumnSpec("foreign_exchange", .flag, default: .integer(0)),
                ColumnSpec("self_service_devices", .integer(minimum: 0), default: .integer(0)),
                ColumnSpec("smart_counters", .integer(minimum: 0), default: .integer(0)),
                triState("wheelchair_access", ["wheelchair"]),
                triState("visually_impaired_aids", []),
                triState("hearing_impaired_aids", []),
                triState("elderly_friendly", []),
            ])
        case .competitors:
            return TableSpec(table: "competitors", key: "id", geometry: .point, columns: [
                ColumnSpec("id", .text, required: true),
                ColumnSpec("name", .text, required: true),
                ColumnSpec("brand", .text, aliases: ["bank"]),
                ColumnSpec("kind", .text),
                ColumnSpec("adcode", .adcode),
            ])
        case .regions:
            return TableSpec(table: "regions", key: "adcode", geometry: .polygonal, columns: [
                ColumnSpec("adcode", .text, required: true, aliases: ["gb", "code"]),
                ColumnSpec("name", .text, required: true),
                ColumnSpec("level", .choice(RegionLevel.allCases.map(\.rawValue)), required: true),
                ColumnSpec("parent_adcode", .text, aliases: ["parent"]),
                ColumnSpec("centroid_lon", .real(minimum: -180)),
                ColumnSpec("centroid_lat", .real(minimum: -90)),
                ColumnSpec("area_km2", .real(minimum: 0)),
            ])
        case .settlements:
            return TableSpec(table: "settlements", key: "id", geometry: .point, columns: [
                ColumnSpec("id", .text, required: true, aliases: ["geonameid"]),
                ColumnSpec("name", .text, required: true),
                ColumnSpec("ascii_name", .text, aliases: ["asciiname"]),
                ColumnSpec("country_code", .text, aliases: ["countrycode"]),
                ColumnSpec("admin1_code", .text, aliases: ["admin1code"]),
                ColumnSpec("population", .integer(minimum: 0), required: true),
                ColumnSpec("feature_code", .text, aliases: ["featurecode"]),
            ])
        case .candidates:
            return TableSpec(table: "candidates", key: "id", geometry: .point, columns: [
                ColumnSpec("id", .text, required: true),
                ColumnSpec("name", .text),
                ColumnSpec("adcode", .adcode),
                ColumnSpec("status", .choice(CandidateStatus.allCases.map(\.rawValue)), default: .text("candidate")),
            ])
        case .regionStats:
            return nil
        }
    }

    /// Field names that give a point's position in a CSV file.
    static let longitudeNames = ["lon", "lng", "longitude", "x"]
    static let latitudeNames = ["lat", "latitude", "y"]
    static let wktNames = ["wkt", "geometry", "geom", "the_geom"]

    /// Reads and checks one field; the issue names the field and the reason.
    /// - Parameter found: the field's name and trimmed, non-empty text, or nil when the record has none.
    static func value(of spec: ColumnSpec, found: (name: String, value: String)?, knownAdcodes: Set<String>,
                      checked: inout CheckedTexts) -> Result<BoundValue, FieldProblem>
    {
        guard let (field, text) = found else {
            if spec.required { return .failure(FieldProblem(field: spec.column, reason: "a value is required")) }
            return .success(spec.defaultValue)
        }
        func problem(_ reason: String) -> Result<BoundValue, FieldProblem> {
            .failure(FieldProblem(field: field, reason: reason))
        }
        switch spec.kind {
        case .text:
            return .success(.text(text))
        case .integer(let minimum):
            guard let value = Int(text) ?? Double(text).flatMap({ $0 == $0.rounded() && abs($0) < 9e15 ? Int($0) : nil }) else {
                return problem("\"\(text)\" is not a whole number")
            }
            guard value >= minimum else { return problem("\(value) is below the minimum \(minimum)") }
            return .success(.integer(value))
        case .real(let minimum):
            guard let value = Double(text), value.isFinite else { return problem("\"\(text)\" is not a number") }
            if let minimum, value < minimum { return problem("\(text) is below the minimum \(minimum)") }
            return .success(.real(value))
        case .flag:
            switch text.lowercased() {
            case "yes", "y", "true", "1": return .success(.integer(1))
            case "no", "n", "false", "0": return .success(.integer(0))
            default: return problem("\"\(text)\" is not yes or no")
            }
        case .triState:
            switch text.lowercased() {
            case "yes", "y", "true", "1": return .success(.text("yes"))
            case "no", "n", "false", "0": return .success(.text("no"))
            case "unknown", "?": return .success(.text("unknown"))
            default: return problem("\"\(text)\" is not yes, no or unknown")
            }
        case .choice(let choices):
            if choices.contains(text) { return .success(.text(text)) }
            let lowered = text.lowercased()
            guard let match = choices.first(where: { $0.lowercased() == lowered }) else {
                return problem("\"\(text)\" is not one of \(choices.joined(separator: ", "))")
            }
            return .success(.text(match))
        case .hours:
            if checked.hours.contains(text) { return .success(.text(text)) }
            do {
                _ = try OpeningHours(parsing: text)
                checked.hours.insert(text)
                return .success(.text(text))
            } catch {
                return problem(error.description)
            }
        case .adcode:
            guard Region.isAdcode(text) else { return problem("\"\(text)\" is not a 6-digit adcode") }
            guard knownAdcodes.isEmpty || knownAdcodes.contains(text) else {
                return problem("unknown adcode \(text): no region in the database has it (import regions first, or fix the code)")
            }
            return .success(.text(text))
        case .timeZone:
            if checked.timeZones.contains(text) { return .success(.text(text)) }
            do {
                _ = try BusinessHours.timeZone(named: text)  // the same rule the hours are evaluated with
            } catch {
                return problem("\"\(text)\" is not an IANA time zone such as Asia/Shanghai (\(error))")
            }
            checked.timeZones.insert(text)
            return .success(.text(text))
        }
    }
}

/// Texts already found valid in this import (hours and time zones repeat across most rows, and
/// checking a time zone reads the system's zone files).
struct CheckedTexts {
    var hours = Set<String>()
    var timeZones = Set<String>()
}

/// A field that failed its check.
struct FieldProblem: Error {
    var field: String
    var reason: String
}
