import PStampCore
import Testing

/// The site's part of the settings file: image databases and file layout, as an operator writes them.
@Suite struct SiteConfigTests {
    @Test func imageDatabaseLocationsAreRead() throws {
        #expect(try ImageDatabaseAddress.parse("/data/gpc1.sqlite") == .sqlite(path: "/data/gpc1.sqlite"))
        #expect(try ImageDatabaseAddress.parse("file://data/gpc1.sqlite") == .sqlite(path: "/data/gpc1.sqlite"))
        #expect(
            try ImageDatabaseAddress.parse("mysql://ipp@db01:3306/gpc1")
                == .mysql(MySQLLocation(server: "db01", port: 3306, user: "ipp", database: "gpc1")))
        #expect(
            try ImageDatabaseAddress.parse("mysql://ipp@localhost/gpc1?socket=/run/mysqld/mysqld.sock&password_file=/etc/p")
                == .mysql(
                    MySQLLocation(
                        server: "localhost", user: "ipp", database: "gpc1", socket: "/run/mysqld/mysqld.sock",
                        passwordFile: "/etc/p")))
        #expect("\(try ImageDatabaseAddress.parse("mysql://ipp@db01:3306/gpc1"))" == "MySQL ipp@db01:3306 database gpc1")
    }

    @Test func aPasswordInTheLocationIsRefusedAndNeverEchoed() {
        do {
            _ = try ImageDatabaseAddress.parse("mysql://ipp:s3cret@db01/gpc1")
            Issue.record("a password in the location was accepted")
        } catch {
            #expect(error.code == .configError)
            #expect(error.message.contains("password does not belong"))
            #expect(!error.message.contains("s3cret"))
        }
        #expect(throws: PStampError.self) { try ImageDatabaseAddress.parse("mysql://ipp@db01/gpc1?password=x") }
        #expect(throws: PStampError.self) { try ImageDatabaseAddress.parse("mysql://ipp@db01/") }
        #expect(throws: PStampError.self) { try ImageDatabaseAddress.parse("neb://x/gpc1") }
    }

    @Test func siteKeysDatapathBlockAndIPPKeysAreRead() throws {
        let config = try ServeConfig.parse(
            """
            image_db = mysql://ipp@db01/gpc1
            image_db.isp = /data/isp.sqlite
            DBSERVER  STR  ippdb01
            DBPORT    S32  3307
            DBUSER    STR  ipp
            DBPASSWORD_FILE  STR  /etc/pstamp/db.pass
            DATAPATH  METADATA
              GPC1    STR  /data/gpc1:/archive/gpc1   # two roots
              LOCAL   STR  /data/local/
            END
            datapath.EXTRA = /mnt/extra
            archive = /data/archive
            update_command.chip = /usr/local/bin/regen-chip
            update_output = /data/regenerated
            fixtures = /usr/share/pstamp/fixtures
            """)
        #expect(config.imageDB == "mysql://ipp@db01/gpc1")
        let site = config.site
        #expect(site.imageDatabases == ["isp": .sqlite(path: "/data/isp.sqlite")])
        #expect(site.datapath == ["GPC1": ["/data/gpc1", "/archive/gpc1"], "LOCAL": ["/data/local/"], "EXTRA": ["/mnt/extra"]])
        #expect(site.datapathText["GPC1"] == "/data/gpc1:/archive/gpc1")
        #expect(site.archive == "/data/archive")
        #expect(site.updateCommands == ["chip": "/usr/local/bin/regen-chip"])
        #expect(site.updateOutput == "/data/regenerated")
        #expect(site.fixtures == "/usr/share/pstamp/fixtures")
        #expect(
            site.ippServer
                == MySQLLocation(
                    server: "ippdb01", port: 3307, user: "ipp", database: "gpc1",
                    passwordFile: "/etc/pstamp/db.pass"))
    }

    @Test func dbnameNoneMeansNoServerAsInPsModules() throws {
        #expect(try ServeConfig.parse("DBSERVER STR x\nDBNAME STR NONE").site.ippServer == nil)
        #expect(try ServeConfig.parse("DBSERVER STR x\nDBNAME STR isp").site.ippServer?.database == "isp")
    }

    @Test func badSiteLinesNameTheirLine() {
        #expect(throws: PStampError(.configError, "line 2: DATAPATH GPC1: 'data/gpc1' is not an absolute directory")) {
            try ServeConfig.parse("DATAPATH METADATA\n  GPC1 STR data/gpc1\nEND")
        }
        #expect(throws: PStampError(.configError, "line 1: DATAPATH METADATA has no END")) {
            try ServeConfig.parse("DATAPATH METADATA\n  GPC1 STR /data")
        }
        #expect(throws: PStampError(.configError, "line 1: unknown block 'RECIPES'")) {
            try ServeConfig.parse("RECIPES METADATA\nEND")
        }
        #expect(throws: PStampError(.configError, "line 1: update_command.stack: updates are made for chip, warp and diff only")) {
            try ServeConfig.parse("update_command.stack = x")
        }
    }
}
