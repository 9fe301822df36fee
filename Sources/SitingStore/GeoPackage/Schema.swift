/// The tables of a Siting database: the GeoPackage core (OGC 12-128r18, GeoPackage 1.3), the R-tree
/// spatial index extension on every feature table, and Siting's own tables.
enum Schema {
    // CHECK constraints compare with OR rather than IN (…): SQLite builds a temporary b-tree for every
    // evaluation of an IN list, which made each insert ten times slower.
    /// Siting's schema version, stored in `siting_metadata`; bump it with every change to the tables.
    static let version = 3
    /// GeoPackage requires application_id "GPKG"; Siting's identity lives in `siting_metadata`.
    static let geoPackageApplicationID: Int32 = 0x4750_4B47
    /// GeoPackage 1.3.0.
    static let geoPackageUserVersion: Int32 = 10_300

    /// A feature table: its name, geometry type, the columns after `fid` and `geom`, and a description.
    struct FeatureTable {
        var name: String
        var geometryType: String
        var columns: String
        var description: String
    }

    static let featureTables: [FeatureTable] = [
        FeatureTable(name: "outlets", geometryType: "POINT", columns: """
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind = 'primaryBranch' OR kind = 'secondaryBranch' OR kind = 'subBranch' OR kind = 'community' OR kind = 'selfService'),
            adcode TEXT,
            address TEXT,
            opening_hours TEXT,
            secondary_hours TEXT,
            timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
            cash INTEGER NOT NULL DEFAULT 0 CHECK (cash = 0 OR cash = 1),
            wealth_management INTEGER NOT NULL DEFAULT 0 CHECK (wealth_management = 0 OR wealth_management = 1),
            foreign_exchange INTEGER NOT NULL DEFAULT 0 CHECK (foreign_exchange = 0 OR foreign_exchange = 1),
            self_service_devices INTEGER NOT NULL DEFAULT 0 CHECK (self_service_devices >= 0),
            smart_counters INTEGER NOT NULL DEFAULT 0 CHECK (smart_counters >= 0),
            wheelchair_access TEXT NOT NULL DEFAULT 'unknown' CHECK (wheelchair_access = 'yes' OR wheelchair_access = 'no' OR wheelchair_access = 'unknown'),
            visually_impaired_aids TEXT NOT NULL DEFAULT 'unknown' CHECK (visually_impaired_aids = 'yes' OR visually_impaired_aids = 'no' OR visually_impaired_aids = 'unknown'),
            hearing_impaired_aids TEXT NOT NULL DEFAULT 'unknown' CHECK (hearing_impaired_aids = 'yes' OR hearing_impaired_aids = 'no' OR hearing_impaired_aids = 'unknown'),
            elderly_friendly TEXT NOT NULL DEFAULT 'unknown' CHECK (elderly_friendly = 'yes' OR elderly_friendly = 'no' OR elderly_friendly = 'unknown')
            """, description: "The bank's outlets (WGS84)"),
        FeatureTable(name: "competitors", geometryType: "POINT", columns: """
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            brand TEXT,
            kind TEXT,
            adcode TEXT
            """, description: "Other banks' outlets (WGS84)"),
        FeatureTable(name: "regions", geometryType: "MULTIPOLYGON", columns: """
            adcode TEXT NOT NULL UNIQUE CHECK (length(adcode) = 6),
            name TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level = 'province' OR level = 'prefecture' OR level = 'county'),
            parent_adcode TEXT,
            centroid_lon REAL,
            centroid_lat REAL,
            area_km2 REAL
            """, description: "Administrative regions with GB/T 2260 adcodes (WGS84)"),
        FeatureTable(name: "settlements", geometryType: "POINT", columns: """
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            ascii_name TEXT,
            country_code TEXT,
            admin1_code TEXT,
            population INTEGER NOT NULL CHECK (population >= 0),
            feature_code TEXT
            """, description: "Settlements with population (WGS84)"),
        FeatureTable(name: "candidates", geometryType: "POINT", columns: """
            id TEXT NOT NULL UNIQUE,
            name TEXT,
            adcode TEXT,
            status TEXT NOT NULL DEFAULT 'candidate' CHECK (status = 'candidate' OR status = 'fixed' OR status = 'excluded')
            """, description: "Planners' candidate sites (WGS84)"),
        FeatureTable(name: "ranking_results", geometryType: "POINT", columns: """
            run_id TEXT NOT NULL,
            pick INTEGER NOT NULL,
            candidate_id TEXT NOT NULL,
            adcode TEXT,
            gross_capture REAL,
            cannibalization REAL,
            won_from_competitors REAL,
            new_to_market REAL,
            net_gain REAL,
            marginal_gain REAL,
            newly_covered_population REAL,
            \(rankingResultsVersion3Columns.map { "\($0.name) \($0.definition)" }.joined(separator: ",\n")),
            UNIQUE (run_id, pick)
            """, description: "Sites chosen by ranking runs, in pick order (WGS84)"),
    ]

    /// Attribute (non-spatial) tables.
    static let attributeTables: [(name: String, definition: String, description: String)] = [
        ("region_stats", """
            CREATE TABLE region_stats (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                adcode TEXT NOT NULL CHECK (length(adcode) = 6),
                indicator TEXT NOT NULL,
                year INTEGER NOT NULL,
                value REAL NOT NULL,
                source TEXT,
                UNIQUE (adcode, indicator, year)
            )
            """, "Regional statistics, one row per region, indicator and year"),
        ("public_holidays", publicHolidaysDefinition,
         "Public holidays and make-up working days: dated exceptions to business hours"),
        ("ranking_runs", """
            CREATE TABLE ranking_runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL,
                region TEXT NOT NULL,
                sites INTEGER NOT NULL,
                parameters TEXT NOT NULL,
                objective REAL,
                upper_bound REAL,
                \(rankingRunsVersion3Columns.map { "\($0.name) \($0.definition)" }.joined(separator: ",\n"))
            )
            """, "Ranking runs with their parameters (JSON)"),
        ("ranking_outlet_losses", rankingOutletLossesDefinition, rankingOutletLossesDescription),
    ]

    /// Added in schema version 2.
    static let publicHolidaysDefinition = """
        CREATE TABLE public_holidays (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            date TEXT NOT NULL UNIQUE CHECK (length(date) = 10),
            kind TEXT NOT NULL CHECK (kind = 'holiday' OR kind = 'workday'),
            name TEXT NOT NULL,
            hours_of INTEGER NOT NULL DEFAULT 0 CHECK (hours_of >= 0 AND hours_of <= 6)
        )
        """

    /// Brings a version 1 file to version 2: the `public_holidays` table.
    static let upgradeFromVersion1 = publicHolidaysDefinition + """
        ;
        INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
            ('public_holidays', 'attributes', 'public_holidays', 'Public holidays and make-up working days: dated exceptions to business hours');
        UPDATE siting_metadata SET value = '2' WHERE key = 'schema_version';
        """

    /// Columns added to `ranking_results` in schema version 3, after `newly_covered_population`: the
    /// chosen cell's region name, population and demand (population × financial index), and whether
    /// the site was fixed in advance rather than chosen.
    static let rankingResultsVersion3Columns: [(name: String, definition: String)] = [
        ("region_name", "TEXT"),
        ("population", "REAL"),
        ("demand", "REAL"),
        ("fixed", "INTEGER NOT NULL DEFAULT 0 CHECK (fixed = 0 OR fixed = 1)"),
    ]

    /// Columns added to `ranking_runs` in schema version 3: the objective before the plan, the gap to
    /// the upper bound in percent, and the run's duration in seconds.
    static let rankingRunsVersion3Columns: [(name: String, definition: String)] = [
        ("objective_before", "REAL"),
        ("bound_gap_percent", "REAL"),
        ("elapsed_seconds", "REAL"),
    ]

    /// Added in schema version 3: the demand each own outlet loses to a run's new sites.
    static let rankingOutletLossesDefinition = """
        CREATE TABLE ranking_outlet_losses (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL,
            outlet_id TEXT NOT NULL,
            demand_lost REAL NOT NULL,
            UNIQUE (run_id, outlet_id)
        )
        """
    static let rankingOutletLossesDescription = "Demand each own outlet loses to a ranking run's new sites"

    /// Brings a version 2 file to version 3: the new columns of `ranking_results` and `ranking_runs`
    /// (added at the end, as a new file has them) and the `ranking_outlet_losses` table.
    static var upgradeFromVersion2: String {
        var sql = ""
        for column in rankingResultsVersion3Columns {
            sql += "ALTER TABLE ranking_results ADD COLUMN \(column.name) \(column.definition);\n"
        }
        for column in rankingRunsVersion3Columns {
            sql += "ALTER TABLE ranking_runs ADD COLUMN \(column.name) \(column.definition);\n"
        }
        sql += rankingOutletLossesDefinition + ";\n"
        sql += attributeContentsSQL(name: "ranking_outlet_losses", description: rankingOutletLossesDescription)
        sql += "UPDATE siting_metadata SET value = '3' WHERE key = 'schema_version';\n"
        return sql
    }

    /// Registers an attribute table in gpkg_contents.
    static func attributeContentsSQL(name: String, description: String) -> String {
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES "
            + "('\(name)', 'attributes', '\(name)', '\(description.replacingOccurrences(of: "'", with: "''"))');\n"
    }

    static let core = """
        CREATE TABLE gpkg_spatial_ref_sys (
            srs_name TEXT NOT NULL,
            srs_id INTEGER PRIMARY KEY,
            organization TEXT NOT NULL,
            organization_coordsys_id INTEGER NOT NULL,
            definition TEXT NOT NULL,
            description TEXT
        );
        CREATE TABLE gpkg_contents (
            table_name TEXT NOT NULL PRIMARY KEY,
            data_type TEXT NOT NULL,
            identifier TEXT UNIQUE,
            description TEXT DEFAULT '',
            last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
            srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
        );
        CREATE TABLE gpkg_geometry_columns (
            table_name TEXT NOT NULL,
            column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL,
            srs_id INTEGER NOT NULL,
            z TINYINT NOT NULL,
            m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT uk_gc_table_name UNIQUE (table_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
        );
        CREATE TABLE gpkg_extensions (
            table_name TEXT,
            column_name TEXT,
            extension_name TEXT NOT NULL,
            definition TEXT NOT NULL,
            scope TEXT NOT NULL,
            CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
        );
        INSERT INTO gpkg_spatial_ref_sys VALUES
            ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
            ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
            ('WGS 84 geodetic', 4326, 'EPSG', 4326, '\(wgs84Definition)', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
        CREATE TABLE siting_metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """

    /// WKT 1 of EPSG:4326, as GeoPackage readers expect in `gpkg_spatial_ref_sys.definition`.
    static let wgs84Definition =
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],"
        + "AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
        + "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]]"

    /// SQL creating one feature table, its GeoPackage registrations and its R-tree index with the
    /// triggers of GeoPackage 1.3 Annex F.3 (`gpkg_rtree_index`).
    static func featureTableSQL(_ table: FeatureTable) -> String {
        let t = table.name, c = "geom", i = "fid", r = "rtree_\(table.name)_geom"
        let bounds = "NEW.\(i), ST_MinX(NEW.\(c)), ST_MaxX(NEW.\(c)), ST_MinY(NEW.\(c)), ST_MaxY(NEW.\(c))"
        return """
            CREATE TABLE \(t) (
                \(i) INTEGER PRIMARY KEY AUTOINCREMENT,
                \(c) \(table.geometryType),
                \(table.columns)
            );
            INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
                VALUES ('\(t)', 'features', '\(t)', '\(table.description.replacingOccurrences(of: "'", with: "''"))', 4326);
            INSERT INTO gpkg_geometry_columns VALUES ('\(t)', '\(c)', '\(table.geometryType)', 4326, 0, 0);
            INSERT INTO gpkg_extensions VALUES ('\(t)', '\(c)', 'gpkg_rtree_index',
                'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
            CREATE VIRTUAL TABLE \(r) USING rtree(id, minx, maxx, miny, maxy);
            CREATE TRIGGER \(r)_insert AFTER INSERT ON \(t)
                WHEN (NEW.\(c) NOT NULL AND NOT ST_IsEmpty(NEW.\(c)))
                BEGIN INSERT OR REPLACE INTO \(r) VALUES (\(bounds)); END;
            CREATE TRIGGER \(r)_update1 AFTER UPDATE OF \(c) ON \(t)
                WHEN OLD.\(i) = NEW.\(i) AND (NEW.\(c) NOTNULL AND NOT ST_IsEmpty(NEW.\(c)))
                BEGIN INSERT OR REPLACE INTO \(r) VALUES (\(bounds)); END;
            CREATE TRIGGER \(r)_update2 AFTER UPDATE OF \(c) ON \(t)
                WHEN OLD.\(i) = NEW.\(i) AND (NEW.\(c) ISNULL OR ST_IsEmpty(NEW.\(c)))
                BEGIN DELETE FROM \(r) WHERE id = OLD.\(i); END;
            CREATE TRIGGER \(r)_update3 AFTER UPDATE ON \(t)
                WHEN OLD.\(i) != NEW.\(i) AND (NEW.\(c) NOTNULL AND NOT ST_IsEmpty(NEW.\(c)))
                BEGIN DELETE FROM \(r) WHERE id = OLD.\(i); INSERT OR REPLACE INTO \(r) VALUES (\(bounds)); END;
            CREATE TRIGGER \(r)_update4 AFTER UPDATE ON \(t)
                WHEN OLD.\(i) != NEW.\(i) AND (NEW.\(c) ISNULL OR ST_IsEmpty(NEW.\(c)))
                BEGIN DELETE FROM \(r) WHERE id IN (OLD.\(i), NEW.\(i)); END;
            CREATE TRIGGER \(r)_delete AFTER DELETE ON \(t)
                WHEN OLD.\(c) NOT NULL
                BEGIN DELETE FROM \(r) WHERE id = OLD.\(i); END;
            """
    }

    /// The whole schema of a new database.
    static var creationSQL: String {
        var sql = "PRAGMA application_id = \(geoPackageApplicationID);\nPRAGMA user_version = \(geoPackageUserVersion);\n"
        sql += core + "\n"
        for table in featureTables { sql += featureTableSQL(table) + "\n" }
        for table in attributeTables {
            sql += table.definition + ";\n"
            sql += attributeContentsSQL(name: table.name, description: table.description)
        }
        sql += "CREATE INDEX ranking_results_run ON ranking_results (run_id);\n"
        sql += "CREATE INDEX region_stats_indicator ON region_stats (indicator, year);\n"
        sql += "INSERT INTO siting_metadata VALUES ('application', 'siting'), ('schema_version', '\(version)'), ('data_version', '0');\n"
        return sql
    }
}
