import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

@Suite("DependencyChecker")
struct DependencyCheckerTests {
    /// A request database and a copy of the fixture's gpc1 image database, driven through the image
    /// database's own update control.
    struct Setup {
        let f: PipelineFixture
        let images: SQLiteImageDatabase
        let reqID: Int64
        let outdir: URL
        var checker: DependencyChecker {
            let images = images
            return DependencyChecker(database: f.database, settings: f.settings, images: { $0 == "gpc1" ? images : nil })
        }
        init() throws {
            f = try PipelineFixture()
            let copy = f.root.appendingPathComponent("gpc1.sqlite")
            try FileManager.default.copyItem(at: EndToEndTests.fixtures.appendingPathComponent("gpc1.sqlite"), to: copy)
            images = try SQLiteImageDatabase(path: copy.path)
            (reqID, outdir) = try f.runningRequest("deps", label: "WEB")
        }
        func state(_ stage: UpdateStage, _ id: Int64, _ component: String?) throws -> ComponentState? {
            try images.componentState(stage, id: id, component: component)
        }
        /// The processing side regenerates an `update` component (or records its fault).
        func process(_ stage: UpdateStage, _ id: Int64, _ component: String, fault: Int = 0) throws {
            if fault != 0 {
                try images.setComponentFault(stage, id: id, component: component, fault: fault)
            } else {
                #expect(try state(stage, id, component)?.dataState == "update", "only queued components are made")
                try images.setComponentDataState(stage, id: id, component: component, to: .full)
            }
        }
        func sql(_ statements: String...) throws {
            try images.connection.transaction { db in for statement in statements { try db.execute(statement, []) } }
        }
        /// A job waiting for a dependent on (stage, id, component).
        func job(_ stage: UpdateStage, _ id: Int64, _ component: String) throws -> (job: Int64, dep: Int64) {
            let result = try f.database.dependents.getDependent(
                DependentKey(stage: stage, stageID: id, component: component, imagedb: "gpc1"), outdir: outdir.path,
                rlabel: "ps_ud_WEB")
            let depID: Int64
            switch result {
            case .created(let id), .found(let id): depID = id
            default: throw PStampError(.progError, "no dependent")
            }
            var new = NewJob(reqID: reqID, rownum: "1", outputBase: outdir.path + "/1_\(id)")
            new.depID = depID
            return (try f.database.jobs.add(new), depID)
        }
        /// One scheduler pass: checks every pending dependent.
        func pass() throws -> [DependencyVerdict] {
            var filter = DependentFilter()
            filter.limit = 100
            return try f.database.dependents.pending(filter).map { try checker.check($0) }
        }
    }

    @Test("a cleaned chip is queued for update with label ps_ud_<label>, then released when full; passes are logged")
    func cleanedChip() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        #expect(try s.state(.chip, 212, "XY33")?.dataState == "cleaned")
        let (job, dep) = try s.job(.chip, 212, "XY33")
        #expect(try s.pass() == [.waiting])
        let queued = try #require(try s.state(.chip, 212, "XY33"))
        #expect(queued.dataState == "update" && queued.runState == "update" && queued.label == "ps_ud_WEB")
        #expect(try s.f.database.jobs.pending().isEmpty)
        #expect(try s.pass() == [.waiting], "waiting while the update runs")
        try s.process(.chip, 212, "XY33")
        #expect(try s.pass() == [.full])
        #expect(try s.f.database.dependents.get(depID: dep)?.state == .full)
        #expect(try s.f.database.jobs.pending().map(\.job.jobID) == [job])
        let log = try String(contentsOf: s.outdir.appendingPathComponent("checkdep.\(dep).log"), encoding: .utf8)
        #expect(log.components(separatedBy: "== ").count - 1 == 3, "one block per pass")
        #expect(log.contains("-> full"))
    }

    @Test("a cleaned warp whose chips are cleaned too: chips first, the warp only once every chip is full")
    func warpAfterChips() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        // Warp 502 skycell.1405.044 is made from chips XY33 and XY43 of chip run 212, all cleaned.
        _ = try s.job(.warp, 502, "skycell.1405.044")
        #expect(try s.pass() == [.waiting])
        #expect(try s.state(.chip, 212, "XY33")?.dataState == "update")
        #expect(try s.state(.chip, 212, "XY43")?.dataState == "update")
        #expect(try s.state(.chip, 212, "XY34")?.dataState == "cleaned", "chips of other skycells are left alone")
        #expect(try s.state(.warp, 502, "skycell.1405.044")?.dataState == "cleaned", "the warp waits for its chips")
        try s.process(.chip, 212, "XY33")
        #expect(try s.pass() == [.waiting])
        #expect(try s.state(.warp, 502, "skycell.1405.044")?.dataState == "cleaned")
        try s.process(.chip, 212, "XY43")
        #expect(try s.pass() == [.waiting])
        #expect(try s.state(.warp, 502, "skycell.1405.044")?.dataState == "update")
        try s.process(.warp, 502, "skycell.1405.044")
        #expect(try s.pass() == [.full])
    }

    @Test("a cleaned warp-stack diff: its warp (and the warp's chips) are regenerated first, then the diff")
    func diffAfterWarp() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        // Diff 30601 (warp 501 − stack 30101, skycell.1405.044) cleaned, its input warp now the cleaned 502.
        try s.sql(
            "UPDATE diffRun SET state = 'cleaned' WHERE diff_id = 30601",
            "UPDATE diffSkyfile SET data_state = 'cleaned' WHERE diff_id = 30601",
            "UPDATE diffInputSkyfile SET warp1 = 502 WHERE diff_id = 30601")
        _ = try s.job(.diff, 30601, "skycell.1405.044")
        #expect(try s.pass() == [.waiting])
        #expect(try s.state(.chip, 212, "XY33")?.dataState == "update")
        #expect(try s.state(.warp, 502, "skycell.1405.044")?.dataState == "cleaned")
        #expect(try s.state(.diff, 30601, "skycell.1405.044")?.dataState == "cleaned")
        try s.process(.chip, 212, "XY33")
        try s.process(.chip, 212, "XY43")
        #expect(try s.pass() == [.waiting])
        #expect(try s.state(.warp, 502, "skycell.1405.044")?.dataState == "update")
        #expect(try s.state(.diff, 30601, "skycell.1405.044")?.dataState == "cleaned")
        try s.process(.warp, 502, "skycell.1405.044")
        #expect(try s.pass() == [.waiting])
        #expect(try s.state(.diff, 30601, "skycell.1405.044")?.dataState == "update")
        try s.process(.diff, 30601, "skycell.1405.044")
        #expect(try s.pass() == [.full])
    }

    @Test("gone images stop the jobs: purged 26, error_cleaned 25, a diff against a cleaned stack 26")
    func goneImages() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        // Chip run 202 is purged; warp 503 error_cleaned; stack−stack diff 30603 made cleaned against
        // the cleaned stack 30102.
        try s.sql(
            "UPDATE diffRun SET state = 'cleaned' WHERE diff_id = 30603",
            "UPDATE diffSkyfile SET data_state = 'cleaned' WHERE diff_id = 30603",
            "UPDATE diffInputSkyfile SET stack2 = 30102 WHERE diff_id = 30603")
        let purged = try s.job(.chip, 202, "XY33"), errored = try s.job(.warp, 503, "skycell.1405.044")
        let diff = try s.job(.diff, 30603, "skycell.1405.044")
        _ = try s.pass()
        #expect(try s.f.job(purged.job).fault == .gone)
        #expect(try s.f.job(errored.job).fault == .notAvailable)
        #expect(try s.f.job(diff.job).fault == .gone)
        #expect(try s.f.job(diff.job).state == .stop)
    }

    @Test(
        "an update that fails three times stops the job with 25; between failures the reverter reverts the component and then the dependent"
    )
    func failingUpdate() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        let (job, dep) = try s.job(.chip, 212, "XY33")
        let images = s.images
        let clock = TestClock()
        let reverter = DependentReverter(
            database: s.f.database, settings: s.f.settings, images: { _ in images }, now: { clock.now })
        #expect(try s.pass() == [.waiting])
        for attempt in 1...3 {
            try s.process(.chip, 212, "XY33", fault: 2)  // an NFS error in the chip update
            let verdicts = try s.pass()
            if attempt < 3 {
                #expect(verdicts == [.faulted(.sysError)])
                #expect(try s.f.database.dependents.get(depID: dep)?.fault == .sysError)
                #expect(try s.pass().isEmpty, "a faulted dependent is not pending")
                #expect(try reverter.revert() == 0, "its retry is scheduled (10 s, then 20 s, ±20 %)")
                #expect(try s.state(.chip, 212, "XY33")?.fault == 2, "nothing is reverted before it is due")
                clock.advance(25)
                #expect(try reverter.revert() == 1)
                #expect(try s.state(.chip, 212, "XY33")?.fault == 0, "the component was reverted first")
                #expect(try s.f.database.dependents.get(depID: dep)?.fault == .success)
            } else {
                #expect(verdicts == [.stopJobs(.notAvailable)])
            }
        }
        #expect(try s.f.job(job).state == .stop)
        #expect(try s.f.job(job).fault == .notAvailable)
    }
}
