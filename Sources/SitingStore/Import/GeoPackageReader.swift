import SitingCore

/// Reads the rows of one table of another GeoPackage (QGIS, GDAL or Siting wrote it).
struct GeoPackageReader {
    let path: String
    let table: String
    let crs: String?
    let fieldNames: [String]
    private let connection: Connection
    private let statement: Statement
    private let geometryColumn: String?
    private let rowCount: Int
    private var rowsRead = 0

    init(path: String, layer: String?, preferredLayer: String) throws(ImportError) {
        self.path = path
        do {
            connection = try Connection(path: path, readOnly: true)
            let layers = try Self.layers(connection)
            guard !layers.isEmpty else {
                throw ImportError.unreadable(ImportIssue(file: path, location: .file, reason: "has no feature or attribute tables listed in gpkg_contents"))
            }
            let names = layers.map(\.name)
            let chosen: String
            if let layer {
                guard names.contains(layer) else {
                    throw ImportError.unreadable(ImportIssue(file: path, location: .file,
                                                             reason: "has no layer \"\(layer)\"; its layers are: \(names.joined(separator: ", "))"))
                }
                chosen = layer
            } else if names.contains(preferredLayer) {
                chosen = preferredLayer
            } else if names.count == 1 {
                chosen = names[0]
            } else {
                throw ImportError.unreadable(ImportIssue(file: path, location: .file,
                                                         reason: "has several layers (\(names.joined(separator: ", "))); choose one with --layer"))
            }
            table = chosen
            let info = layers.first { $0.name == chosen }!
            geometryColumn = info.geometryColumn
            crs = info.crs
            rowCount = try connection.scalarInteger("SELECT count(*) FROM \"\(chosen.replacingOccurrences(of: "\"", with: "\"\""))\"")
            let prepared = try connection.prepare("SELECT * FROM \"\(chosen.replacingOccurrences(of: "\"", with: "\"\""))\"")
            statement = prepared
            fieldNames = (0..<prepared.columnCount).map { prepared.columnName($0).lowercased() }
        } catch let error as ImportError {
            throw error
        } catch StoreError.notSQLite {
            throw .unreadable(ImportIssue(file: path, location: .file, reason: "is not a GeoPackage: it is not an SQLite database (or it is damaged or truncated)"))
        } catch let error as StoreError {
            throw .unreadable(ImportIssue(file: path, location: .file, reason: "cannot be read as a GeoPackage: \(error)"))
        } catch {
            throw .unreadable(ImportIssue(file: path, location: .file, reason: "cannot be read as a GeoPackage: \(error)"))
        }
    }

    private struct Layer {
        var name: String
        var geometryColumn: String?
        var crs: String?
    }

    private static func layers(_ connection: Connection) throws -> [Layer] {
        let hasContents = try connection.scalarInteger(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'") == 1
        guard hasContents else {
            throw ImportError.unreadable(ImportIssue(file: connection.path, location: .file, reason: "is an SQLite file but not a GeoPackage (no gpkg_contents table)"))
        }
        let statement = try connection.prepare("""
            SELECT c.table_name, g.column_name, s.organization, s.organization_coordsys_id, s.definition
            FROM gpkg_contents c
            LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
            LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
            WHERE c.data_type IN ('features', 'attributes') ORDER BY c.table_name
            """)
        var layers: [Layer] = []
        while try statement.step() {
            var crs: String?
            if let organization = statement.text(2), !statement.isNull(3) {
                let code = statement.integer(3)
                if organization.uppercased() == "EPSG" {
                    crs = code == 4326 ? "wgs84" : "EPSG:\(code)"
                } else if organization.uppercased() != "NONE", let definition = statement.text(4), definition != "undefined" {
                    crs = definition
                }
            }
            layers.append(Layer(name: statement.text(0) ?? "", geometryColumn: statement.text(1), crs: crs))
        }
        return layers
    }

    func approximateBytesRead(of total: Int) -> Int {
        rowCount == 0 ? total : total * rowsRead / rowCount
    }

    mutating func next() throws(ImportError) -> SourceRecord? {
        let hasRow: Bool
        do {
            hasRow = try statement.step()
        } catch {
            throw .unreadable(ImportIssue(file: path, location: .file, reason: "reading table \(table) failed: \(error)"))
        }
        guard hasRow else { return nil }
        rowsRead += 1
        var fields: [String: String] = [:]
        var geometry: Geometry?
        var problem: String?
        var fid = rowsRead
        for column in 0..<statement.columnCount {
            let name = fieldNames[Int(column)]
            if name == geometryColumn?.lowercased() {
                guard !statement.isNull(column) else { continue }
                do {
                    geometry = try statement.withBlob(column) { bytes throws(StoreError) in try GeoPackageBinary.decode(bytes).geometry }
                } catch {
                    problem = "\(error)"
                }
                continue
            }
            if name == "fid" { fid = statement.integer(column) }
            if !statement.isNull(column), let text = statement.text(column) { fields[name] = text }
        }
        return SourceRecord(location: .row(table: table, fid: fid), fields: .named(fields), geometry: geometry,
                            geometryProblem: problem)
    }
}
