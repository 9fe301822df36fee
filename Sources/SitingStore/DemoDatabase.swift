/// What the demo database holds: the shipped files of `Geodata/` and the order they load in
/// (regions first, so the adcodes of everything after them are checked).
public enum DemoDatabase {
    /// One file to import.
    public struct Step: Sendable {
        public var kind: ImportKind
        /// File name inside the Geodata folder.
        public var file: String
        public var options: ImportOptions

        public init(kind: ImportKind, file: String, options: ImportOptions = ImportOptions()) {
            self.kind = kind
            self.file = file
            self.options = options
        }
    }

    /// Public holidays and make-up working days (`date,kind,name`), stored after the steps.
    public static let holidaysFile = "public-holidays-cn.csv"
    /// The land mask (run-length encoded), stored in `siting_metadata` for rankings.
    public static let landMaskFile = "land-mask-china.rle"

    public static let steps: [Step] = [
        Step(kind: .regions, file: "regions.geojson"),
        Step(kind: .regionStats, file: "cn-provinces-2023.csv",
             options: ImportOptions(year: 2023, source: "cn-provinces-2023.csv (see cn-provinces-2023.md)")),
        Step(kind: .settlements, file: "settlements-cn.csv"),
        Step(kind: .outlets, file: "outlets.csv"),
        Step(kind: .competitors, file: "competitors.csv"),
    ]
}
