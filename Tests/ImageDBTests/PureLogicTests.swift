import Foundation
import Testing

@testable import ImageDB

@Suite struct DateCutTests {
    @Test func mjdIsTakenAsTAIWith34SecondsFrom2009() {
        #expect(DateCut.dateobs(mjd: 54832) == "2008-12-31 23:59:26")
        #expect(DateCut.dateobs(mjd: 54831.5) == "2008-12-31 11:59:27")
        #expect(DateCut.dateobs(mjd: 55249) == "2010-02-21 23:59:26")
    }
    @Test func smallMJDsAreClampedAndZeroIsNoLimit() {
        #expect(DateCut.dateobs(mjd: 50000) == "2006-09-21 23:59:27")
        #expect(DateCut.dateobs(mjd: 0) == nil)
    }
    @Test("an MJD far beyond any date (1e308, the issue-11 crash loop) is held to year 9999, never a trap")
    func hugeMJDsAreHeld() {
        #expect(DateCut.dateobs(mjd: 1e308)?.hasPrefix("9999-12-31") == true)
        #expect(DateCut.dateobs(mjd: 1e15)?.hasPrefix("9999-12-31") == true)
        #expect(DateCut.dateobs(mjd: -1e308) == DateCut.dateobs(mjd: 54000))
        #expect(DateCut.dateobs(mjd: .nan) == nil && DateCut.dateobs(mjd: .infinity) == nil)
    }
    @Test("a database date whose fields do not fit a C tm makes no MJD, never a trap")
    func hugeDateFields() {
        #expect(DateCut.mjd(dateobs: "99999999999-01-01 00:00:00") == nil)
        #expect(DateCut.mjd(dateobs: "2010-02-21 23:59:26") != nil)
    }
}

@Suite struct ImageQueryTests {
    @Test func nullAllAndOneLetterFiltersAreNormalised() {
        let q = ImageQuery(
            requestType: .byid, imageType: .chip, id: " 62326 ", component: "all", tessID: "null",
            dataGroup: "NULL", filter: "i", surveyName: "null")
        #expect(q.id == "62326" && q.component == nil && q.tessID == nil && q.dataGroup == nil && q.surveyName == nil)
        #expect(q.filter == "i%")
        #expect(ImageQuery(requestType: .byid, imageType: .chip, filter: "r.00000").filter == "r.00000")
    }
    @Test func runTypesMapToDiffModes() {
        #expect(ImageQuery(requestType: .byid, imageType: .diff, runType: "WARP_WARP").diffMode == 1)
        #expect(ImageQuery(requestType: .byid, imageType: .diff, runType: "warp_stack").diffMode == 2)
        #expect(ImageQuery(requestType: .byid, imageType: .diff, runType: "stack_stack").diffMode == 4)
        #expect(ImageQuery(requestType: .byid, imageType: .diff, runType: "deep").diffMode == nil)
    }
    @Test func projectionCellDropsTheLastPart() {
        #expect(GPC1Lookup.projectionCell("skycell.2386.085") == "skycell.2386")
    }
}

@Suite struct SettingsAndPathsTests {
    @Test func mysqlSettingsUseTheIPPNames() throws {
        let s = try MySQLSettings(configuration: [
            "DBSERVER": "ippdb01", "DBPORT": "3307", "DBUSER": "ipp",
            "DBPASSWORD": "secret", "DBNAME": "gpc1",
        ])
        #expect(s == MySQLSettings(server: "ippdb01", port: 3307, user: "ipp", password: "secret", database: "gpc1"))
        #expect(throws: SQLError.self) { try MySQLSettings(configuration: ["DBPORT": "abc"]) }
        #expect(try MySQLSettings(configuration: ["DBSOCKET": "/tmp/s"]).socket == "/tmp/s")
    }
    @Test func ippPathsResolveThroughDatapath() throws {
        #expect(try ImagePaths.resolve("path://FIXTURES/gpc1/a.fits", datapath: ["FIXTURES": "/data/fx"]) == "/data/fx/gpc1/a.fits")
        #expect(try ImagePaths.resolve("file:///x/y.fits", datapath: [:]) == "/x/y.fits")
        #expect(throws: SQLError.self) { try ImagePaths.resolve("path://NOPE/a", datapath: [:]) }
        #expect(throws: SQLError.self) { try ImagePaths.resolve("neb:///gpc1/a", datapath: [:]) }
    }
    @Test func aMissingServerIsAClearError() {
        #expect(throws: SQLError.self) {
            _ = try MariaDBConnection(settings: MySQLSettings(user: "root", database: "gpc1", socket: "/nonexistent/mysql.sock"))
        }
    }
}

@Suite struct FootprintTests {
    @Test func aPointIsOnAChipWhenItsPixelIsInside() throws {
        let test = WCSFootprintTest()
        let fps = try FixtureRows.footprints()
        let xy43 = try #require(fps.first { $0.stage == .exp && $0.stageID == 101 && $0.component == "XY43" })
        #expect(try test.contains(xy43, chipCenter(101, "XY43")))
        #expect(try !test.contains(xy43, chipCenter(101, "XY33")))
        let p = try #require(try test.pixel(of: xy43.center, wcsHeader: xy43.wcsHeader))
        #expect(abs(p.x - 300.5) < 1e-6 && abs(p.y - 300.5) < 1e-6)
        // The radius reaches the corners: 600 px × 0.25″ × √2 / 2.
        #expect(abs(xy43.radius - 600 * 0.25 / 3600 * 2.0.squareRoot() / 2) < 1e-6)
    }
    @Test func theSIPChipIsDistortedButStillHoldsItsCentre() throws {
        let fps = try FixtureRows.footprints()
        let sip = try #require(fps.first { $0.stage == .exp && $0.stageID == 101 && $0.component == "XY33" })
        #expect(sip.wcsHeader.contains("RA---TAN-SIP"))
        let corner = try #require(try WCSFootprintTest().pixel(of: chipCenter(101, "XY33"), wcsHeader: sip.wcsHeader))
        #expect(abs(corner.x - 300.5) < 1 && abs(corner.y - 300.5) < 1)
    }
    @Test func skycellsTileTheProjectionCell() throws {
        let cells = try FixtureRows.footprints().filter { $0.stage == .skycell }
        #expect(cells.map(\.component) == FixtureSky.skycells.map(\.skycellID))
        let test = WCSFootprintTest()
        // The projection centre is the shared corner: on every skycell (edges included).
        for cell in cells { #expect(try test.contains(cell, FixtureSky.center)) }
    }
}

@Suite struct ImagePathRulesTests {
    /// psModules' pmConfigConvertFilename and PS::IPP::Config: file:// is always absolute.
    @Test func fileURIsAreAbsoluteAsInTheIPP() throws {
        #expect(try ImagePaths.resolve("file://data/ipp004.0/gpc1/a.fits", datapath: [:]) == "/data/ipp004.0/gpc1/a.fits")
        #expect(try ImagePaths.resolve("file:///x/y.fits", datapath: [:]) == "/x/y.fits")
        #expect(try ImagePaths.resolve("/plain/z.fits", datapath: [:]) == "/plain/z.fits")
        #expect(throws: SQLError.self) { try ImagePaths.resolve("path://GPC1", datapath: ["GPC1": "/d"]) }
    }

    @Test func missingDatapathRootsAreReported() {
        let problems = ImagePaths.missingRoots(["GPC1": "/nonexistent-pstamp-root:/tmp"])
        #expect(problems.count == 1)
        #expect(problems.first?.root == "/nonexistent-pstamp-root" && problems.first?.problem == "does not exist")
    }
}
