import Foundation

/// A small data set with awkward values for import and export tests: commas, quotes and line breaks
/// in names, Chinese text, missing optional fields, negative longitudes and latitudes, a region with
/// a hole and a region of two parts. Every coordinate has at most 7 decimals, so it survives export
/// (7 decimals) unchanged.
public enum ExportFixture {
    /// Regions: rings follow the right-hand rule (exterior counter-clockwise, holes clockwise).
    public static let regionsCSV = #"""
        adcode,name,level,parent_adcode,centroid_lon,centroid_lat,area_km2,wkt
        110000,北京市,province,,116.4073963,39.9041999,16410.54,"MULTIPOLYGON (((115.4 39.4, 117.5 39.4, 117.5 41.1, 115.4 41.1, 115.4 39.4)))"
        110101,东城区,county,110100,116.416,39.9288,41.84,"MULTIPOLYGON (((116.38 39.86, 116.45 39.86, 116.45 39.97, 116.38 39.97, 116.38 39.86), (116.4 39.9, 116.4 39.92, 116.42 39.92, 116.42 39.9, 116.4 39.9)))"
        310115,"浦东新区 (Pudong, ""New Area"")",county,310100,121.5447,31.2216,1210.41,"MULTIPOLYGON (((121.45 30.85, 121.98 30.85, 121.98 31.4, 121.45 31.4, 121.45 30.85)), ((121.9 31.1, 122.0 31.1, 122.0 31.2, 121.9 31.1)))"

        """#

    /// Outlets: the header is exactly the column list `siting export outlets --format csv` writes.
    public static let outletsCSV = #"""
        id,name,kind,lon,lat,adcode,address,opening_hours,secondary_hours,timezone,cash,wealth_management,foreign_exchange,self_service_devices,smart_counters,wheelchair_access,visually_impaired_aids,hearing_impaired_aids,elderly_friendly
        BJ-001,"Bank, ""Main"" Branch",primaryBranch,116.3912800,39.9062800,110101,"东城区东长安街1号
        (Entrance B)",Mo-Fr 09:00-17:00; Sa 09:30-16:00; PH off,24/7,Asia/Shanghai,yes,yes,yes,6,3,yes,yes,no,yes
        BJ-002,北京王府井社区支行,community,116.4103,39.9145,110101,,Mo-Su 09:00-21:00,,,no,no,no,0,0,,,,
        NY-001,"New York ""Rep"" Office, Midtown",subBranch,-73.985656,40.748433,,"350 Fifth Avenue, New York, NY",Mo-Fr 09:00-17:00,,America/New_York,no,yes,yes,1,0,yes,unknown,unknown,no
        SH-001,"Two\#r\#nlines, a \backslash\ and a\#ttab",selfService,121.5,31.24,310115,,24/7,24/7,Asia/Shanghai,yes,no,no,12,0,no,no,no,unknown
        BA-001,Sucursal Buenos Aires – Señor's,secondaryBranch,-58.3815591,-34.6037389,,,,,America/Argentina/Buenos_Aires,yes,no,yes,2,1,unknown,yes,unknown,unknown

        """#

    public static let competitorsCSV = #"""
        id,name,brand,kind,lon,lat,adcode
        C-001,"ICBC Wangfujing, 王府井",ICBC,subBranch,116.412,39.915,110101
        C-002,"Lloyds ""City""",,,-0.1277583,51.5073509,

        """#

    public static let settlementsCSV = #"""
        id,name,ascii_name,country_code,admin1_code,population,feature_code,lon,lat
        1816670,北京,Beijing,CN,22,18960744,PPLC,116.39723,39.9075
        3435910,Buenos Aires,Buenos Aires,AR,07,13076300,PPLC,-58.37723,-34.61315

        """#

    public static let candidatesCSV = #"""
        id,name,lon,lat,adcode,status
        K-001,"Cell 12,7",116.43,39.93,110101,candidate
        K-002,,121.6,31.2,310115,fixed

        """#

    /// Outlet rows by id, as the fixture defines them: name, longitude, latitude.
    public static let outletNamesAndPositions: [String: (name: String, lon: Double, lat: Double)] = [
        "BJ-001": ("Bank, \"Main\" Branch", 116.39128, 39.90628),
        "BJ-002": ("北京王府井社区支行", 116.4103, 39.9145),
        "NY-001": ("New York \"Rep\" Office, Midtown", -73.985656, 40.748433),
        "SH-001": ("Two\r\nlines, a \\backslash\\ and a\ttab", 121.5, 31.24),
        "BA-001": ("Sucursal Buenos Aires – Señor's", -58.3815591, -34.6037389),
    ]

    /// The files in import order (regions first, so adcodes are checked against them).
    public static let files: [(kind: String, name: String, text: String)] = [
        ("regions", "fixture-regions.csv", regionsCSV),
        ("outlets", "fixture-outlets.csv", outletsCSV),
        ("competitors", "fixture-competitors.csv", competitorsCSV),
        ("settlements", "fixture-settlements.csv", settlementsCSV),
        ("candidates", "fixture-candidates.csv", candidatesCSV),
    ]

    /// Writes the fixture files into `directory`; returns (kind, path) in import order.
    public static func write(into directory: String) throws -> [(kind: String, path: String)] {
        try files.map { file in
            let path = directory + "/" + file.name
            try file.text.write(toFile: path, atomically: true, encoding: .utf8)
            return (file.kind, path)
        }
    }
}

/// GDAL's command-line programs, the real GeoPackage client the tests check Siting's files with.
public enum GDALTools {
    /// Errors of the harness when GDAL is missing.
    public struct Missing: Error, CustomStringConvertible {
        public var program: String
        public var description: String {
            "\(program) is not on PATH: GDAL's command-line programs are needed to check Siting's GeoPackage files "
                + "with a real client; `make test` installs them (Debian package gdal-bin)"
        }
    }

    /// The path of `program` (ogrinfo, ogr2ogr), or an error saying how to install it.
    public static func require(_ program: String) throws -> String {
        guard let path = ExternalTool.locate(program) else { throw Missing(program: program) }
        return path
    }

    /// Lines of GDAL's standard error that are warnings or errors (GDAL prints "Warning N: …" and
    /// "ERROR N: …"), ignoring debug output.
    public static func complaints(_ standardError: String) -> [String] {
        standardError.split(whereSeparator: \.isNewline).map(String.init).filter { line in
            line.hasPrefix("Warning") || line.hasPrefix("ERROR") || line.contains("FAILURE")
        }
    }

    /// GDAL's GeoPackage validator (`validate_gpkg.py` from python3-gdal) as a command, if a Python
    /// on PATH or the system one can import it.
    public static var validator: [String]? {
        for python in ["python3", "/usr/bin/python3"] {
            guard let outcome = try? ExternalTool.run(python, ["-c", "import osgeo_utils.samples.validate_gpkg"]),
                  outcome.status == 0 else { continue }
            return [python, "-m", "osgeo_utils.samples.validate_gpkg"]
        }
        return nil
    }
}
