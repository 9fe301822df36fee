// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every Siting target: `public import` shows exactly which dependency leaks into an API.
let sharedSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Siting",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "siting", targets: ["siting"]),
        .library(name: "SitingCore", targets: ["SitingCore"]),
        .library(name: "SitingProjection", targets: ["SitingProjection"]),
        .library(name: "SitingStore", targets: ["SitingStore"]),
        .library(name: "SitingMap", targets: ["SitingMap"]),
        .library(name: "SitingServer", targets: ["SitingServer"]),
        .library(name: "CProj", targets: ["CProj"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // No default traits: the server needs neither swift-configuration nor full Foundation forms.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CProj",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]
        ),
        .target(
            name: "SitingProjection",
            dependencies: ["CProj"],
            swiftSettings: sharedSwiftSettings
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "SitingStore",
            dependencies: ["SitingCore", "CSQLite"],
            swiftSettings: sharedSwiftSettings
        ),
        .systemLibrary(name: "CSitingPrefetch"),
        .target(
            name: "SitingCore",
            dependencies: ["SitingProjection", "CSitingPrefetch"],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "SitingMap",
            dependencies: ["SitingCore"],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "SitingServer",
            dependencies: [
                "SitingCore",
                "SitingProjection",
                "SitingStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .executableTarget(
            name: "siting",
            dependencies: [
                "SitingCore",
                "SitingProjection",
                "SitingStore",
                "SitingMap",
                "SitingServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "SitingTestSupport",
            dependencies: [],
            path: "Tests/SitingTestSupport",
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "SitingProjectionTests",
            dependencies: ["SitingProjection", "SitingTestSupport"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "SitingCoreTests",
            dependencies: ["SitingCore", "SitingProjection", "SitingTestSupport"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "SitingStoreTests",
            dependencies: ["SitingStore", "SitingCore", "SitingTestSupport"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "SitingMapTests",
            dependencies: ["SitingMap", "SitingCore", "SitingTestSupport"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "SitingServerTests",
            dependencies: ["SitingServer", "SitingStore", "SitingCore", "SitingTestSupport"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "SitingCLITests",
            dependencies: ["SitingTestSupport"],
            swiftSettings: sharedSwiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
