// swift-tools-version: 6.1
import PackageDescription

/// Siting's benchmark suites (ordo-one package-benchmark), kept in their own package so that the root
/// package's `swift build` and `swift test` never resolve or compile the benchmark dependency.
///
/// One executable target per suite, one folder per suite (`Projection/Projection.swift`,
/// `Store/Store.swift`): the benchmark plugin runs every executable target whose folder sits directly
/// in `Benchmarks/`.
/// The instruction gate's tool (`Tools/InstructionCounts/`) is an executable too, but one folder deeper,
/// so the plugin leaves it alone; it does not link package-benchmark, whose malloc interposer would
/// otherwise count itself into every measured instruction.
/// The root package is named `Siting` here: a path dependency is otherwise known by its folder's name,
/// which depends on where the repository was checked out.
let package = Package(
    name: "SitingBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Siting", path: ".."),
        // The default traits pull a runtime interposer that is not needed here; malloc counting is.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Seeded data every suite and the instruction gate share; no package-benchmark dependency.
        .target(
            name: "BenchmarkData",
            dependencies: [.product(name: "SitingProjection", package: "Siting")],
            path: "BenchmarkData",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
        // The inputs of a ranking, loaded through SitingStore as `siting init` builds the demo database;
        // shared by the Ranking suite and the instruction gate. A target of its own, so the other suites
        // and BenchmarkData do not link the store (and SQLite).
        .target(
            name: "RankingData",
            dependencies: [
                .product(name: "SitingCore", package: "Siting"),
                .product(name: "SitingStore", package: "Siting"),
            ],
            path: "RankingData",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
        // What every suite shares (the thread-CPU metric, and BenchmarkData re-exported); a library,
        // so the plugin does not run it.
        .target(
            name: "BenchmarkSupport",
            dependencies: ["BenchmarkData", .product(name: "Benchmark", package: "benchmark")],
            path: "BenchmarkSupport",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
        .executableTarget(
            name: "Projection",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "SitingCore", package: "Siting"),
                .product(name: "SitingProjection", package: "Siting"),
                .product(name: "CProj", package: "Siting"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Projection",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "Store",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "SitingStore", package: "Siting"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Store",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "Nearby",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "SitingCore", package: "Siting"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Nearby",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "Ranking",
            dependencies: [
                "BenchmarkSupport",
                "RankingData",
                .product(name: "SitingCore", package: "Siting"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Ranking",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        // The instruction gate: counts the instructions of each gated case under callgrind and compares
        // them with Thresholds/instructions.json (README.md, "Instruction gate").
        .executableTarget(
            name: "InstructionCounts",
            dependencies: [
                "BenchmarkData",
                "RankingData",
                .product(name: "SitingCore", package: "Siting"),
                .product(name: "SitingProjection", package: "Siting"),
            ],
            path: "Tools/InstructionCounts",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
        // The load test's data writer (load/run.sh): the seeded outlets CSV and query points, from
        // BenchmarkData's generators. One folder deeper too, so the benchmark plugin leaves it alone.
        .executableTarget(
            name: "LoadTestData",
            dependencies: ["BenchmarkData"],
            path: "Tools/LoadTestData",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
