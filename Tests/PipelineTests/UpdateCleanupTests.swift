import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

@Suite("UpdateCleanup")
struct UpdateCleanupTests {
    /// A private copy of the committed fixture image database.
    static func fixtureCopy(_ f: PipelineFixture) throws -> SQLiteImageDatabase {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/gpc1.sqlite")
        let copy = f.root.appendingPathComponent("gpc1.sqlite")
        try FileManager.default.copyItem(at: fixture, to: copy)
        return try SQLiteImageDatabase(path: copy.path)
    }

    @Test("ps_ud_* runs go back to goto_cleaned only when no dependent is open")
    func nightly() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let images = try Self.fixtureCopy(f)
        #expect(try images.updateRun(.chip, id: 201, setLabel: "ps_ud_WEB") == 1)
        let (req, outdir) = try f.runningRequest("nightly")
        let dep = try f.database.dependents.getDependent(
            DependentKey(stage: .chip, stageID: 201, component: "XY33", imagedb: "gpc1"), outdir: outdir.path)
        guard case .created(let depID) = dep else { Issue.record("no dependent"); return }
        var job = NewJob(reqID: req, rownum: "1", outputBase: outdir.path + "/1_1")
        job.depID = depID
        _ = try f.database.jobs.add(job)

        let task = UpdateCleanup(database: f.database, imageDatabases: [images])
        #expect(try task.cleanup() == nil, "a dependent is open")
        #expect(try images.componentState(.chip, id: 201, component: "XY33")?.runState == "full")

        try f.database.dependents.update(depID: depID, state: .full)
        // The fixture's own ps_ud_WEB runs (chip 214, warp 504) and the one relabelled here.
        #expect(try task.cleanup() == 3)
        let chip = try images.componentState(.chip, id: 201, component: "XY33")
        #expect(chip?.runState == "goto_cleaned")
        #expect(chip?.label == "goto_cleaned")
        #expect(
            try images.componentState(.chip, id: 211, component: "XY33")?.runState != "goto_cleaned",
            "runs of other labels are left alone")
    }
}
