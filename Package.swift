// swift-tools-version: 6.1
// PStamp — a postage-stamp server for survey telescopes, compatible with the Pan-STARRS IPP server.
// Layout and layering: ../shared/design/ARCHITECTURE.md (executables -> Web/Pipeline ->
// RequestDB/ImageDB/DataStore/Cutout -> FITS -> PStampCore).
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]
let log: Target.Dependency = .product(name: "Logging", package: "swift-log")
let grdb: Target.Dependency = .product(name: "GRDB", package: "GRDB.swift")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")

let package = Package(
    name: "PStamp",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pstamp", targets: ["pstamp"]),
        .executable(name: "pstamptool", targets: ["pstamptool"]),
        .executable(name: "labeltool", targets: ["labeltool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        // Metrics: Pipeline counts through swift-metrics' API; pstamp bootstraps Prometheus; Web serves /metrics.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The JSON API: server code generated from Sources/Web/API/openapi.yaml at build time.
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
    ],
    targets: [
        // C libraries through pkg-config (module.modulemap + shim.h only).
        .systemLibrary(name: "CFITSIO", pkgConfig: "cfitsio", providers: [.apt(["libcfitsio-dev"])]),
        .systemLibrary(name: "CWCSLIB", pkgConfig: "wcslib", providers: [.apt(["wcslib-dev"])]),
        .systemLibrary(name: "CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),  // MD5 for the data store

        // The SQL migrations, shipped inside the build so binaries work from any directory.
        .target(
            name: "PStampMigrations", path: "Migrations",
            resources: [.copy("requestdb"), .copy("gpc1")], swiftSettings: swiftSettings),

        // The domain: pure Swift, no I/O.
        .target(name: "PStampCore", swiftSettings: swiftSettings),
        .target(name: "FITS", dependencies: ["PStampCore", "CFITSIO", "CWCSLIB"], swiftSettings: swiftSettings),
        .target(name: "Cutout", dependencies: ["PStampCore", "FITS", "CJPEG", log], swiftSettings: swiftSettings),
        .target(
            name: "RequestDB", dependencies: ["PStampCore", "PStampMigrations", "CCrypto", grdb, log],  // CCrypto: token hashes
            swiftSettings: swiftSettings),
        .target(
            name: "ImageDB", dependencies: ["PStampCore", "PStampMigrations", "FITS", "CMariaDB", grdb, log],
            swiftSettings: swiftSettings),
        .target(name: "DataStore", dependencies: ["PStampCore", "CCurl", "CCrypto", log], swiftSettings: swiftSettings),
        .target(
            name: "Pipeline", dependencies: ["PStampCore", "FITS", "Cutout", "RequestDB", "ImageDB", "DataStore", log, metrics],
            swiftSettings: swiftSettings),
        .target(
            name: "Web",
            dependencies: [
                "PStampCore", "FITS", "RequestDB", "ImageDB", "DataStore", log, prometheus,  // /metrics
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),  // bearer/basic tokens (Web/Auth)
                .product(name: "Mustache", package: "swift-mustache"),  // the pages' templates (Web/Pages)
                .product(name: "MultipartKit", package: "multipart-kit"),  // the upload page's plain form
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),  // Web/API
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
            ],
            // Templates and stylesheet of the pages; the API document, served at /api/v1/openapi.yaml.
            resources: [.copy("Pages/Templates"), .copy("Pages/Static"), .copy("API/openapi.yaml")],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]),

        // Executables.
        .executableTarget(
            name: "pstamp",
            dependencies: [
                "PStampCore", "FITS", "Cutout", "RequestDB", "ImageDB", "DataStore", "Pipeline", "Web", argumentParser, log, metrics,
                prometheus,
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: swiftSettings),
        .executableTarget(
            name: "pstamptool", dependencies: ["PStampCore", "RequestDB", argumentParser],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "labeltool", dependencies: ["PStampCore", "RequestDB", "ImageDB", argumentParser],
            swiftSettings: swiftSettings),

        // Tests. PStampTestSupport: what several suites share (temporary directories and databases, a
        // loopback data store); only test targets depend on it.
        .target(
            name: "PStampTestSupport",
            dependencies: [
                "PStampCore", "RequestDB", "DataStore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/PStampTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "PStampCoreTests", dependencies: ["PStampCore", "PStampTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "FITSTests", dependencies: ["FITS", "PStampCore", "PStampTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CutoutTests", dependencies: ["Cutout", "FITS", "PStampCore"], swiftSettings: swiftSettings),
        .testTarget(name: "RequestDBTests", dependencies: ["RequestDB", "PStampCore", grdb], swiftSettings: swiftSettings),
        .testTarget(name: "ImageDBTests", dependencies: ["ImageDB", "FITS", "PStampCore", grdb], swiftSettings: swiftSettings),
        .testTarget(
            name: "DataStoreTests",
            dependencies: [
                "DataStore", "RequestDB", "PStampCore", "PStampTestSupport",
                "Pipeline", "ImageDB", "FITS", log,  // a remote request file run through the pipeline on the fixture sky
            ], swiftSettings: swiftSettings),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "RequestDB", "ImageDB", "DataStore", "FITS", "PStampCore", "PStampTestSupport", grdb, log],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "RequestDB", "ImageDB", "PStampCore", "DataStore", "FITS", "PStampTestSupport", prometheus,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ], swiftSettings: swiftSettings),
        // Runs the built executables (pstamptool, labeltool, pstamp) as a user would.
        .testTarget(
            // ImageDB: FixtureRandom; PStampTestSupport: runProcess (mount, umount)
            name: "IntegrationTests", dependencies: ["PStampCore", "FITS", "RequestDB", "ImageDB", "PStampTestSupport", grdb],
            exclude: ["Schemathesis"],  // schemathesis's settings, read from the source tree by SchemathesisTests
            swiftSettings: swiftSettings),
    ]
)
