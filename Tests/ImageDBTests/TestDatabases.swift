import Foundation
import PStampCore
import Testing

@testable import ImageDB

/// The two drivers every image-database test runs on.
enum Driver: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, mysql
    var testDescription: String { rawValue }

    /// SQLite always; MySQL when a private server is up (scripts/with-mariadb.sh exports
    /// PSTAMP_TEST_MYSQL_SOCKET), or when PSTAMP_REQUIRE_MYSQL is set (CI), so a missing server fails.
    static var available: [Driver] {
        TestServer.mysqlSocket != nil || TestServer.mysqlRequired ? [.sqlite, .mysql] : [.sqlite]
    }
}

enum TestServer {
    static var mysqlSocket: String? { ProcessInfo.processInfo.environment["PSTAMP_TEST_MYSQL_SOCKET"] }
    static var mysqlRequired: Bool { ProcessInfo.processInfo.environment["PSTAMP_REQUIRE_MYSQL"] != nil }

    static func settings(database: String?) throws -> MySQLSettings {
        guard let socket = mysqlSocket else {
            throw SQLError("PSTAMP_REQUIRE_MYSQL is set but no MariaDB server: run the tests through scripts/with-mariadb.sh")
        }
        return MySQLSettings(user: "root", database: database, socket: socket)
    }

    /// A fresh, migrated image database with the fixture rows, under its own name on MySQL.
    static func fixtureDatabase(_ driver: Driver, loadRows: Bool = true) throws -> any ImageDatabase {
        let db: any ImageDatabase
        switch driver {
        case .sqlite:
            db = try SQLiteImageDatabase(path: nil)
        case .mysql:
            let name = "pstamp_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let server = try MariaDBConnection(settings: try settings(database: nil))
            try server.createDatabase(String(name))
            db = try MySQLImageDatabase(settings: try settings(database: String(name)))
        }
        try db.migrate()
        if loadRows { try db.loadFixtureRows() }
        return db
    }

    /// One read-only fixture database per driver, shared by the lookup tests.
    static let sharedSQLite: Result<any ImageDatabase, any Error> = Result { try fixtureDatabase(.sqlite) }
    static let sharedMySQL: Result<any ImageDatabase, any Error> = Result { try fixtureDatabase(.mysql) }
    static func shared(_ driver: Driver) throws -> any ImageDatabase {
        try (driver == .sqlite ? sharedSQLite : sharedMySQL).get()
    }
}

@Suite struct MySQLServerPresence {
    @Test func mysqlDriverTestsRunOrSayWhy() {
        if TestServer.mysqlSocket == nil {
            if TestServer.mysqlRequired {
                Issue.record("PSTAMP_REQUIRE_MYSQL is set but PSTAMP_TEST_MYSQL_SOCKET is not: the MySQL driver tests cannot run")
            } else {
                print(
                    "WARNING: no private MariaDB (PSTAMP_TEST_MYSQL_SOCKET unset): MySQL image-database tests are SKIPPED. "
                        + "Run them with scripts/with-mariadb.sh swift test --skip-build --filter ImageDBTests")
            }
        }
    }
}

/// Asserts that a lookup fails with the given PStamp code.
func expectCode(_ code: Int, _ db: any ImageDatabase, _ query: ImageQuery, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let images = try db.locate(query)
        Issue.record(
            "expected code \(code), found \(images.count) images: \(images.map { "\($0.stageID)/\($0.component)" })",
            sourceLocation: sourceLocation)
    } catch let error as PStampErrorLike {
        #expect(error.codeValue == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected code \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

protocol PStampErrorLike: Error { var codeValue: Int { get } }
extension PStampError: PStampErrorLike { var codeValue: Int { code.rawValue } }

/// The centre of a fixture chip or skycell.
func chipCenter(_ expID: Int64, _ classID: String) -> SkyPoint {
    let e = FixtureSky.exposures.first { $0.expID == expID }!
    return FixtureSky.chipCenter(e, FixtureSky.chips.first { $0.classID == classID }!)
}

func skycellCenter(_ skycellID: String) throws -> SkyPoint {
    try FixtureRows.footprints().first { $0.component == skycellID }!.center
}
