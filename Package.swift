// swift-tools-version: 6.0
// Jiuzhu (救助): the social-assistance platform of a county civil-affairs bureau.
// Layers (arrows point one way): jiuzhu (CLI) → Web → Store → Core.
import PackageDescription

let package = Package(
    name: "Jiuzhu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "jiuzhu", targets: ["jiuzhu"]),
        .library(name: "JiuzhuCore", targets: ["JiuzhuCore"]),
        .library(name: "JiuzhuPolicy", targets: ["JiuzhuPolicy"]),
        .library(name: "JiuzhuStore", targets: ["JiuzhuStore"]),
        .library(name: "JiuzhuCases", targets: ["JiuzhuCases"]),
        .library(name: "JiuzhuWeb", targets: ["JiuzhuWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor", exact: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent", exact: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit", exact: "1.57.0"),
        .package(url: "https://github.com/vapor/sql-kit", exact: "3.36.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", exact: "4.9.0"),
        // Pinned: the SQLite bulk import calls the SQLite library it vendors (module VaporCSQLite).
        .package(url: "https://github.com/vapor/sqlite-nio", exact: "1.13.2"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver", exact: "2.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/JohnSundell/Plot", exact: "0.14.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // Pure values every layer shares: Foundation only, no I/O beyond reading bundled data.
        .target(
            name: "JiuzhuCore",
            resources: [.copy("Resources")]
        ),
        // The policy packs: one YAML file per locality in Policies/packs/ (with its cases beside it),
        // bundled whole: adding a pack is adding its files.
        .target(
            name: "JiuzhuPacks",
            path: "Policies",
            resources: [.copy("packs")]
        ),
        // Rules as code, pure: packs (dated parameters), evaluators with explanations, the simulator.
        .target(
            name: "JiuzhuPolicy",
            dependencies: ["JiuzhuCore", "JiuzhuPacks", .product(name: "Yams", package: "Yams")]
        ),
        // Persistence: Fluent models, migrations, the registry service, bulk import/export.
        .target(
            name: "JiuzhuStore",
            dependencies: [
                "JiuzhuCore",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Casework: intake at one window, the procedure as a state machine with deadlines in working days.
        .target(
            name: "JiuzhuCases",
            dependencies: ["JiuzhuCore", "JiuzhuPolicy", "JiuzhuStore", .product(name: "FluentKit", package: "fluent-kit"),
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The Vapor app: JSON API, OpenAPI document, HTML pages (Plot).
        .target(
            name: "JiuzhuWeb",
            dependencies: [
                "JiuzhuCore",
                "JiuzhuPolicy",
                "JiuzhuStore",
                "JiuzhuCases",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Plot", package: "Plot"),
            ]
        ),
        // The command line: parse, call one function, report.
        .executableTarget(
            name: "jiuzhu",
            dependencies: [
                "JiuzhuCore",
                "JiuzhuCases",
                "JiuzhuPolicy",
                "JiuzhuStore",
                "JiuzhuWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fresh databases for tests: an SQLite file, or a new PostgreSQL database when
        // JIUZHU_TEST_DATABASE_URL is set (the one explicit switch; .ci/run sets it for the second pass).
        .target(
            name: "JiuzhuTestSupport",
            dependencies: ["JiuzhuStore", "JiuzhuCore"],
            path: "Tests/JiuzhuTestSupport"
        ),
        .testTarget(name: "JiuzhuCoreTests", dependencies: ["JiuzhuCore", "JiuzhuTestSupport"]),
        .testTarget(name: "JiuzhuPolicyTests", dependencies: ["JiuzhuPolicy", "JiuzhuPacks", "JiuzhuCore", "JiuzhuTestSupport",
                                                              .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "JiuzhuStoreTests", dependencies: ["JiuzhuStore", "JiuzhuCore", "JiuzhuTestSupport"]),
        .testTarget(name: "JiuzhuCasesTests", dependencies: ["JiuzhuCases", "JiuzhuPolicy", "JiuzhuStore", "JiuzhuCore", "JiuzhuTestSupport"],
                    exclude: ["Fixtures"]),   // files the tests read by path
        // Runs the built `jiuzhu` binary as a user would.
        .testTarget(name: "JiuzhuCLITests", dependencies: ["jiuzhu", "JiuzhuStore", "JiuzhuCore", "JiuzhuTestSupport"]),
        .testTarget(
            name: "JiuzhuWebTests",
            dependencies: [
                "JiuzhuWeb", "JiuzhuCases", "JiuzhuStore", "JiuzhuCore", "JiuzhuPolicy", "JiuzhuTestSupport",
                .product(name: "XCTVapor", package: "vapor"),
                .product(name: "VaporTesting", package: "vapor"),
            ],
            exclude: ["Snapshots"]   // recorded pages, read by path from the tests
        ),
    ]
)
