import SitingCore

/// What one kind of export reads and writes: its query, its columns in output order, and where the
/// position goes. CSV column names and order are those the importer reads (`TableSpec`), so an
/// exported file imports back unchanged.
struct ExportLayout {
    /// One exported attribute.
    struct Column {
        enum Kind {
            /// Text, written as it is.
            case text
            /// A whole number.
            case integer
            /// A real number, written in the shortest form that reads back exactly.
            case real
            /// 0/1 in the database; yes/no in CSV, a boolean in GeoJSON.
            case flag
        }

        var name: String
        /// SQL expression over the table (aliased `t`).
        var expression: String
        var kind: Kind

        init(_ name: String, _ kind: Kind = .text, expression: String? = nil) {
            self.name = name
            self.kind = kind
            self.expression = expression ?? "t.\(name)"
        }
    }

    /// A value read from a row.
    enum Value {
        case null, text(String), integer(Int), real(Double), flag(Bool)
    }

    var kind: ExportKind
    /// The feature table the rows come from.
    var table: String
    var columns: [Column]
    /// CSV: `lon,lat` go after this many columns; nil for polygons, which get a trailing `wkt` column.
    var positionIndex: Int?
    /// The column whose value becomes the GeoJSON feature `id`.
    var featureID: String?
    /// FROM, WHERE and ORDER BY after the column list; `?1` is the ranking run filter (NULL for all).
    var from: String

    /// SELECT geom, then every column in order.
    var select: String {
        "SELECT t.geom, " + columns.map(\.expression).joined(separator: ", ") + " " + from
    }

    /// The CSV header.
    var csvHeader: [String] {
        var names = columns.map(\.name)
        if let positionIndex { names.insert(contentsOf: ["lon", "lat"], at: positionIndex) } else { names.append("wkt") }
        return names
    }

    static func layout(for kind: ExportKind) -> ExportLayout {
        switch kind {
        case .outlets:
            return ExportLayout(kind: kind, table: "outlets", columns: [
                Column("id"), Column("name"), Column("kind"), Column("adcode"), Column("address"),
                Column("opening_hours"), Column("secondary_hours"), Column("timezone"),
                Column("cash", .flag), Column("wealth_management", .flag), Column("foreign_exchange", .flag),
                Column("self_service_devices", .integer), Column("smart_counters", .integer),
                Column("wheelchair_access"), Column("visually_impaired_aids"), Column("hearing_impaired_aids"),
                Column("elderly_friendly"),
            ], positionIndex: 3, featureID: "id", from: "FROM outlets t ORDER BY t.id")
        case .competitors:
            return ExportLayout(kind: kind, table: "competitors", columns: [
                Column("id"), Column("name"), Column("brand"), Column("kind"), Column("adcode"),
            ], positionIndex: 4, featureID: "id", from: "FROM competitors t ORDER BY t.id")
        case .regions:
            return ExportLayout(kind: kind, table: "regions", columns: [
                Column("adcode"), Column("name"), Column("level"), Column("parent_adcode"),
                Column("centroid_lon", .real), Column("centroid_lat", .real), Column("area_km2", .real),
            ], positionIndex: nil, featureID: "adcode", from: "FROM regions t ORDER BY t.adcode")
        case .rankings:
            return ExportLayout(kind: kind, table: "ranking_results", columns: [
                Column("run_id"), Column("created_at", expression: "r.created_at"), Column("region", expression: "r.region"),
                Column("pick", .integer), Column("candidate_id"), Column("adcode"),
                Column("gross_capture", .real), Column("cannibalization", .real), Column("won_from_competitors", .real),
                Column("new_to_market", .real), Column("net_gain", .real), Column("marginal_gain", .real),
                Column("newly_covered_population", .real), Column("region_name"), Column("population", .real),
                Column("demand", .real), Column("fixed", .flag),
            ], positionIndex: 5, featureID: nil, from: """
                FROM ranking_results t LEFT JOIN ranking_runs r ON r.run_id = t.run_id
                WHERE ?1 IS NULL OR t.run_id = ?1 ORDER BY t.run_id, t.pick
                """)
        }
    }

    /// This layout with the columns `table` lacks read as NULL: a file of an older schema version,
    /// opened read-only, is exported with those columns empty.
    func readingAbsentColumnsAsNull(present: Set<String>) -> ExportLayout {
        var layout = self
        for index in layout.columns.indices where layout.columns[index].expression == "t.\(layout.columns[index].name)" {
            if !present.contains(layout.columns[index].name) { layout.columns[index].expression = "NULL" }
        }
        return layout
    }

    /// The current row of a statement prepared from `select`: its geometry (nil when absent or
    /// empty) and its values.
    func read(_ statement: Statement) throws(StoreError) -> (geometry: Geometry?, values: [Value]) {
        var geometry: Geometry?
        if !statement.isNull(0), let blob = statement.blob(0) {
            let decoded = try GeoPackageBinary.decode(blob).geometry
            if case .point(let p) = decoded, p.x.isNaN || p.y.isNaN {
                geometry = nil
            } else {
                geometry = decoded
            }
        }
        var values: [Value] = []
        values.reserveCapacity(columns.count)
        for (offset, column) in columns.enumerated() {
            let index = Int32(offset + 1)
            if statement.isNull(index) {
                values.append(.null)
                continue
            }
            switch column.kind {
            case .text: values.append(.text(statement.text(index) ?? ""))
            case .integer: values.append(.integer(statement.integer(index)))
            case .real: values.append(.real(statement.double(index)))
            case .flag: values.append(.flag(statement.integer(index) != 0))
            }
        }
        return (geometry, values)
    }

    /// Appends one CSV record for a row, CRLF included: values in column order with `lon,lat`
    /// at `positionIndex`, or a trailing quoted WKT for polygons.
    func appendCSVRecord(geometry: Geometry?, values: [Value], to out: inout [UInt8]) throws(StoreError) {
        var position: Coordinate?
        if positionIndex != nil {
            switch geometry {
            case .point(let p)?: position = p
            case nil: position = nil
            case .polygon?, .multiPolygon?: throw .invalidGeometry("\(table) holds a polygon where a point belongs")
            }
        }
        for (offset, value) in values.enumerated() {
            if offset > 0 { out.append(0x2C) }
            if offset == positionIndex {
                if let position {
                    NumberText.appendCoordinate(position.x, to: &out)
                    out.append(0x2C)
                    NumberText.appendCoordinate(position.y, to: &out)
                } else {
                    out.append(0x2C)
                }
                out.append(0x2C)
            }
            switch value {
            case .null: break
            case .text(let text): CSVWriter.appendField(text, to: &out)
            case .integer(let number): NumberText.appendInteger(number, to: &out)
            case .real(let number): NumberText.appendShortest(number, to: &out)
            case .flag(let flag): out.append(contentsOf: (flag ? "yes" : "no").utf8)
            }
        }
        if positionIndex == nil {
            out.append(0x2C)
            if let geometry {
                // WKT has commas and never quotes: quote it whole.
                out.append(0x22)
                GeometryText.appendWKT(geometry, to: &out)
                out.append(0x22)
            }
        }
        CSVWriter.appendLineEnd(to: &out)
    }

    /// The column whose text is the GeoJSON feature id.
    var featureIDIndex: Int? {
        featureID.flatMap { id in columns.firstIndex { $0.name == id } }
    }
}
