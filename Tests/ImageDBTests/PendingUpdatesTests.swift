import Foundation
import Testing

@testable import ImageDB

/// The components the processing side may regenerate (gpc1-image-db.md §2.6), on both drivers.
@Suite struct PendingUpdatesTests {
    @Test(arguments: Driver.available)
    func pendingUpdatesFollowTheProcessingRules(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        // Run 214 is in update: XY33 faulted with 2 (not pending), XY34 waiting. Warp 504's skycell 045
        // waits for its input chips XY33 and XY34 of chip run 214; its 044 is faulted.
        #expect(
            try db.pendingUpdates() == [
                PendingUpdate(
                    stage: .chip, stageID: 214, component: "XY34",
                    pathBase: "path://FIXTURES/gpc1/20101227/o5573g0104o/o5573g0104o.ch.214", label: "ps_ud_WEB")
            ])
        // Once the chips are full, the warp skyfile is pending; a queued diff is pending.
        try db.setComponentDataState(.chip, id: 214, component: "XY34", to: .full)
        #expect(try db.pendingUpdates().isEmpty)
        try db.setComponentDataState(.chip, id: 214, component: "XY33", to: .full)
        #expect(try db.setComponentToUpdate(.diff, id: 30602, component: "skycell.1405.054", label: "ps_ud_WEB") == 1)
        let pending = try db.pendingUpdates()
        #expect(
            pending.map { "\($0.stage.rawValue) \($0.stageID) \($0.component)" }
                == ["warp 504 skycell.1405.045", "diff 30602 skycell.1405.054"])
        #expect(pending.last?.pathBase == "path://FIXTURES/gpc1/diff/RINGS.V3/skycell.1405.054/RINGS.V3.skycell.1405.054.dif.30602")
        #expect(try db.pendingUpdates(limit: 1).count == 2, "the limit is per stage")
    }

    @Test func severalDatapathRootsResolveToTheFirstHoldingTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-roots-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        try FileManager.default.createDirectory(at: b.appendingPathComponent("x"), withIntermediateDirectories: true)
        try Data("f".utf8).write(to: b.appendingPathComponent("x/f.fits"))
        let datapath = ["SITE": a.path + ":" + b.path]
        #expect(try ImagePaths.resolve("path://SITE/x/f.fits", datapath: datapath) == b.path + "/x/f.fits")
        #expect(try ImagePaths.resolve("path://SITE/x/g.fits", datapath: datapath) == a.path + "/x/g.fits")
        #expect(try ImagePaths.resolve("path://SITE/x/g.fits", datapath: ["SITE": b.path]) == b.path + "/x/g.fits")
    }
}
