import Foundation
import PStampCore
import Testing

@testable import ImageDB

/// Update control (the IPP tool modes of gpc1-image-db.md §2.5) on both drivers, each test on its own database.
@Suite struct UpdateControlTests {
    @Test(arguments: Driver.available)
    func componentStateReadsRunAndComponent(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        let s = try #require(try db.componentState(.chip, id: 212, component: "XY44"))
        #expect(s.runState == "cleaned" && s.dataState == "cleaned" && s.fault == 26 && s.quality == 0 && s.label == "LAP.ThreePi")
        let stack = try #require(try db.componentState(.stack, id: 30102, component: nil))
        #expect(stack.runState == "cleaned" && stack.dataState == "cleaned" && stack.component == "skycell.1405.045")
        #expect(try db.componentState(.warp, id: 501, component: "skycell.9999.999") == nil)
    }

    @Test(arguments: Driver.available)
    func cleanedChipGoesToUpdateAndBackToFull(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        #expect(try db.setComponentToUpdate(.chip, id: 212, component: "XY33", label: "ps_ud_WEB") == 1)
        let queued = try #require(try db.componentState(.chip, id: 212, component: "XY33"))
        #expect(queued.runState == "update" && queued.dataState == "update" && queued.fault == 0 && queued.label == "ps_ud_WEB")
        // Fault 26 is never queued; a full run is not touched.
        #expect(try db.setComponentToUpdate(.chip, id: 212, component: "XY44") == 0)
        #expect(try db.componentState(.chip, id: 212, component: "XY44")?.dataState == "cleaned")
        #expect(try db.setComponentToUpdate(.chip, id: 211, component: "XY33") == 0)
        // The processing side finishes XY33: the run stays in update while other good chips are cleaned.
        #expect(try db.setComponentDataState(.chip, id: 212, component: "XY33", to: .full) == 1)
        #expect(try db.componentState(.chip, id: 212, component: "XY33")?.runState == "update")
    }

    @Test(arguments: Driver.available)
    func faultedUpdateIsRevertedThenCompletesTheRun(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        // Run 214 is in update: XY33 faulted with 2, XY34 waiting.
        #expect(try db.revertComponents(.chip, id: 214) == 1)
        #expect(try db.componentState(.chip, id: 214, component: "XY33")?.fault == 0)
        try db.setComponentFault(.chip, id: 214, component: "XY34", fault: 5)
        #expect(try db.componentState(.chip, id: 214, component: "XY34")?.fault == 5)
        #expect(try db.revertComponents(.chip, fault: 2) == 0)
        #expect(try db.revertComponents(.chip) == 1)
        #expect(throws: (any Error).self) { try db.setComponentFault(.chip, id: 214, component: "XY99", fault: 2) }
        #expect(try db.setComponentDataState(.chip, id: 214, component: "XY33", to: .full) == 1)
        #expect(try db.componentState(.chip, id: 214, component: "XY33")?.runState == "update")
        #expect(try db.setComponentDataState(.chip, id: 214, component: "XY34", to: .full) == 1)
        #expect(try db.componentState(.chip, id: 214, component: "XY34")?.runState == "full")
    }

    @Test(arguments: Driver.available)
    func fault26SurvivesAPlainRevert(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        try db.updateRun(.chip, id: 212, setState: .update)
        #expect(try db.revertComponents(.chip, id: 212) == 0)
        #expect(try db.componentState(.chip, id: 212, component: "XY44")?.fault == 26)
        #expect(try db.revertComponents(.chip, id: 212, fault: 26) == 1)
        #expect(try db.componentState(.chip, id: 212, component: "XY44")?.fault == 0)
    }

    @Test(arguments: Driver.available)
    func warpAndDiffSkyfilesGoToUpdate(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        #expect(try db.setComponentToUpdate(.warp, id: 502, component: "skycell.1405.044", label: "ps_ud_WEB") == 1)
        #expect(try db.componentState(.warp, id: 502, component: "skycell.1405.044")?.runState == "update")
        #expect(try db.setComponentToUpdate(.warp, id: 502, component: "skycell.1405.045") == 0)  // fault 26
        // Already in update is allowed for warps.
        #expect(try db.setComponentToUpdate(.warp, id: 502, component: "skycell.1405.044") == 1)
        #expect(try db.setComponentToUpdate(.diff, id: 30602, component: "skycell.1405.054") == 1)
        #expect(try db.componentState(.diff, id: 30602, component: "skycell.1405.054")?.dataState == "update")
        #expect(try db.setComponentToUpdate(.diff, id: 30601, component: "skycell.1405.044") == 0)  // run full
        #expect(try db.setComponentDataState(.diff, id: 30602, component: "skycell.1405.054", to: .full) == 1)
        #expect(try db.componentState(.diff, id: 30602, component: "skycell.1405.054")?.runState == "full")
        #expect(throws: (any Error).self) { try db.setComponentToUpdate(.stack, id: 30102) }
    }

    @Test(arguments: Driver.available)
    func updateRunChecksStatesAndCleanupSelectsByLabel(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        #expect(try db.updateRun(.warp, id: 503, setState: .update, setLabel: "ps_ud_WEB") == 1)
        #expect(try db.componentState(.warp, id: 503, component: "skycell.1405.044")?.runState == "update")
        #expect(throws: (any Error).self) { try db.updateRun(.chip, id: 211, setState: try GPC1State.parse("bogus")) }
        #expect(try db.updateRun(.chip, id: 213, setState: .update, whereState: .full) == 0)  // guarded
        // pstamp_queue_update_cleanup: every ps_ud_ run back to goto_cleaned.
        #expect(try db.updateRuns(.chip, labelLike: "ps_ud%", setState: .gotoCleaned, setLabel: "goto_cleaned") == 1)
        #expect(try db.updateRuns(.warp, labelLike: "ps_ud%", setState: .gotoCleaned, setLabel: "goto_cleaned") == 2)
        #expect(try db.componentState(.chip, id: 214, component: "XY43")?.runState == "goto_cleaned")
        #expect(throws: (any Error).self) { try db.updateRuns(.chip, labelLike: "", setState: .full) }
    }

    @Test(arguments: Driver.available)
    func scmapListsTheGoodChipsUnderASkycell(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        let chips = try db.skycellInputChips(warpID: 501, skycellID: "skycell.1405.055")
        let expected = FixtureSky.chipsFeeding(skycellID: "skycell.1405.055", exposure: FixtureRows.exposure(101)).filter { $0 != "XY44" }
        #expect(chips.map(\.classID) == expected)
        #expect(!chips.isEmpty)
        #expect(chips.allSatisfy { $0.chipID == 211 && $0.camID == 301 && $0.camRunState == "full" && $0.dataState == "full" })
    }

    @Test(arguments: Driver.available)
    func labelsOfTheImageDatabase(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        #expect(try db.labels(like: "ps_ud%").map(\.label) == ["ps_ud_WEB", "ps_ud_TEST"])
        try db.updateLabel("ps_ud_WEB", priority: 300)
        #expect(try db.labels(like: "ps_ud_WEB").first?.priority == 300)
        try db.updateLabel("ps_ud_TEST", active: true)
        #expect(try db.labels(like: "ps_ud_TEST").first?.active == true)
        #expect(throws: (any Error).self) { try db.updateLabel("nope", priority: 1) }
        try db.defineLabel(ImageLabel(label: "ps_ud_QUB", priority: 50, active: true))
        #expect(throws: (any Error).self) { try db.defineLabel(ImageLabel(label: "ps_ud_QUB", priority: 50, active: true)) }
    }

    @Test(arguments: Driver.available)
    func migrationsAreIdempotentAndKeepIPPNames(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver, loadRows: false)
        try db.migrate()
        let tables = try db.connection.tableNames()
        for t in [
            "rawExp", "rawImfile", "chipRun", "chipImfile", "chipProcessedImfile", "camRun", "camProcessedExp", "fakeRun",
            "warpRun", "warpSkyCellMap", "warpImfile", "warpSkyfile", "stackRun", "stackInputSkyfile", "stackSumSkyfile",
            "diffRun", "diffInputSkyfile", "diffSkyfile", "skycell", "Label", "survey", "ippRelease", "relExp", "relStack",
            "stackAssociation", "stackAssociationMap", "stackSummary", "pstampFootprint",
        ] {
            #expect(tables.contains(t), "missing table \(t)")
        }
    }
}

/// labeltool's LabelCatalog on the image database, on both drivers.
@Suite struct ImageLabelCatalogTests {
    @Test(arguments: Driver.available)
    func theImageLabelTableThroughLabelCatalog(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        let catalog = ImageLabelCatalog(db)
        #expect(try catalog.update(label: "ps_ud_WEB", LabelChange(priority: 900, active: false)) == 1)
        #expect(try catalog.update(label: "nope", LabelChange(priority: 1)) == 0)
        try catalog.define(LabelEntry(label: "ps_ud_QUB", priority: 50, active: true, comment: nil))
        #expect(throws: (any Error).self) { try catalog.define(LabelEntry(label: "ps_ud_QUB", priority: 5, active: true, comment: nil)) }
        let updates = try catalog.list(LabelQuery(pattern: "ps_ud%", order: .highToLow))
        #expect(updates.map(\.label) == ["ps_ud_WEB", "ps_ud_TEST", "ps_ud_QUB"])
        #expect(updates.first?.priority == 900 && updates.first?.active == false)
        #expect(try catalog.list(LabelQuery(active: true)).map(\.label) == ["LAP.ThreePi", "ps_ud_QUB"])
        #expect(try catalog.delete(label: "ps_ud_QUB") == 1)
        #expect(try catalog.list(LabelQuery(limit: 1)).count == 1)
    }

    @Test func aNameIsAnImageDatabaseOnlyWhenItHoldsTheGPC1Tables() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-loc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let gpc1 = dir.appendingPathComponent("gpc1.sqlite").path
        try SQLiteImageDatabase(path: gpc1).migrate()
        #expect(try ImageDatabaseLocation.open(dbname: "gpc1", sqlitePath: gpc1, environment: [:]) != nil)
        let other = dir.appendingPathComponent("requestdb.sqlite").path
        _ = try SQLiteConnection(path: other).executeScript("CREATE TABLE pstampRequest (req_id INTEGER)")
        #expect(try ImageDatabaseLocation.open(dbname: "requestdb", sqlitePath: other, environment: [:]) == nil)
        #expect(
            try ImageDatabaseLocation.open(
                dbname: "gpc1", sqlitePath: dir.appendingPathComponent("none.sqlite").path,
                environment: [:]) == nil)
    }
}

/// Lookups that depend on rows changing, each on its own database.
@Suite struct LookupEdgeTests {
    @Test(arguments: Driver.available)
    func aChipWithoutGoodAstrometryIsNotAvailable(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        try db.connection.transaction { try $0.execute("UPDATE camProcessedExp SET fault = 5 WHERE cam_id IN (300, 301)") }
        expectCode(25, db, ImageQuery(requestType: .byid, imageType: .chip, id: "211", component: "XY33"))
        expectCode(25, db, ImageQuery(requestType: .byid, imageType: .raw, id: "101", component: "XY33"))
        // Warps do not need the exposure's astrometry.
        #expect(try db.locate(ImageQuery(requestType: .byid, imageType: .warp, id: "501", component: "skycell.1405.044")).count == 1)
    }

    @Test(arguments: Driver.available)
    func aRegeneratedComponentIsFoundFullAgain(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        let q = ImageQuery(requestType: .byid, imageType: .warp, id: "502", component: "skycell.1405.054")
        #expect(try db.locate(q).map(\.dataState) == ["cleaned"])
        #expect(try db.setComponentToUpdate(.warp, id: 502, component: "skycell.1405.054", label: "ps_ud_WEB") == 1)
        #expect(try db.locate(q).map { "\($0.runState)/\($0.dataState)/\($0.label ?? "")" } == ["update/update/ps_ud_WEB"])
        #expect(try db.setComponentDataState(.warp, id: 502, component: "skycell.1405.054", to: .full) == 1)
        #expect(try db.locate(q).map(\.dataState) == ["full"])
    }
}

extension LookupEdgeTests {
    @Test(arguments: Driver.available)
    func theConeSearchWrapsThroughRAZero(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        // Move exposure 101's pointing to RA 0.001°: a point at RA 359.999° is 0.002° away.
        try db.connection.transaction { try $0.execute("UPDATE rawExp SET ra = ? WHERE exp_id = 101", [.double(0.001 * .pi / 180)]) }
        let near = ImageQuery(
            requestType: .bycoord, imageType: .chip, skyCenter: SkyPoint(ra: 359.999, dec: 2.0), dataGroup: "LAP.ThreePi%")
        // The exposure is found by the cone (the wrap through 0); its chips (still registered at RA 150) do
        // not hold the point: no image lies there, 23 as Job.pm's lookup answers (28 is for a found image
        // whose pixels the stamp misses). The message tells a found exposure from none in the cone.
        expectCode(23, db, near)
        #expect(lookupMessage(db, near).contains("on no chip"))
        let far = ImageQuery(requestType: .bycoord, imageType: .chip, skyCenter: SkyPoint(ra: 357, dec: 2.0), dataGroup: "LAP.ThreePi%")
        expectCode(23, db, far)
        #expect(lookupMessage(db, far).contains("no exposure within"))
    }
}

/// The message of the error a lookup answers ("" when it finds images).
func lookupMessage(_ db: any ImageDatabase, _ query: ImageQuery) -> String {
    do { _ = try db.locate(query); return "" } catch { return "\(error)" }
}
