import Foundation
import Testing
@testable import Pipeline
import PStampCore
import RequestDB

/// An image database in memory with the update semantics of the IPP tools (gpc1-image-db.md §2.5):
/// what the dependency checker is tested against until the image-database module's update control lands.
final class ImageModel: ImageUpdateControl, @unchecked Sendable {
    private let lock = NSLock()
    private var components: [String: ComponentState] = [:]
    private var warps: [String: [WarpInput]] = [:]
    private var diffs: [String: DiffInputs] = [:]
    private(set) var actions: [String] = []

    static func key(_ stage: String, _ id: Int64, _ component: String) -> String { "\(stage):\(id):\(component)" }

    func add(_ c: ComponentState) { lock.withLock { components[Self.key(c.stage, c.stageID, c.component)] = c } }
    func get(_ stage: String, _ id: Int64, _ component: String) -> ComponentState? {
        lock.withLock { components[Self.key(stage, id, component)] }
    }
    func setWarpInputs(_ warpID: Int64, _ skycell: String, chips: [(Int64, String)], camState: String = "full") {
        lock.withLock { warps["\(warpID):\(skycell)"] = chips.map { (id, cls) in
            WarpInput(chip: components[Self.key("chip", id, cls)]!, camRunState: camState) } }
    }
    func setDiffInputs(_ diffID: Int64, _ skycell: String, _ inputs: DiffInputs) {
        lock.withLock { diffs["\(diffID):\(skycell)"] = inputs }
    }
    /// The processing side: an `update` component is regenerated (or fails with `fault`).
    func process(_ stage: String, _ id: Int64, _ component: String, fault: Int = 0) {
        lock.withLock {
            let k = Self.key(stage, id, component)
            guard var c = components[k], c.dataState == "update", c.fault == 0 else { return }
            if fault != 0 { c.fault = fault } else { c.dataState = "full"; c.runState = "full" }
            components[k] = c
        }
    }

    func component(stage: String, stageID: Int64, component: String) throws -> ComponentState? {
        get(stage, stageID, component)
    }
    func warpInputs(warpID: Int64, skycell: String) throws -> [WarpInput] {
        lock.withLock {
            (warps["\(warpID):\(skycell)"] ?? []).map {
                WarpInput(chip: components[Self.key("chip", $0.chip.stageID, $0.chip.component)]!,
                          camRunState: $0.camRunState, camFault: $0.camFault)
            }
        }
    }
    func diffInputs(diffID: Int64, skycell: String) throws -> DiffInputs {
        lock.withLock {
            var d = diffs["\(diffID):\(skycell)"]!
            if let w = d.warp1 { d.warp1 = components[Self.key("warp", w.stageID, w.component)] }
            if let w = d.warp2 { d.warp2 = components[Self.key("warp", w.stageID, w.component)] }
            return d
        }
    }
    func setRunState(stage: String, stageID: Int64, state: String, label: String?) throws {
        lock.withLock {
            actions.append("run \(stage) \(stageID) \(state)")
            for (k, var c) in components where c.stage == stage && c.stageID == stageID {
                c.runState = state
                components[k] = c
            }
        }
    }
    func queueUpdate(stage: String, stageID: Int64, component: String, label: String?) throws {
        lock.withLock {
            actions.append("update \(stage) \(stageID) \(component) \(label ?? "")")
            let k = Self.key(stage, stageID, component)
            guard var c = components[k], ["cleaned", "update"].contains(c.runState), c.quality == 0, c.fault != 26,
                  c.dataState == "cleaned" || (stage != "chip" && c.dataState == "update") else { return }
            c.runState = "update"; c.dataState = "update"; c.fault = 0
            components[k] = c
        }
    }
    func revertComponent(stage: String, stageID: Int64, component: String) throws -> Bool {
        lock.withLock {
            let k = Self.key(stage, stageID, component)
            guard var c = components[k], c.fault > 0, c.fault < 10 else { return false }
            actions.append("revert \(stage) \(stageID) \(component)")
            c.fault = 0
            components[k] = c
            return true
        }
    }
}

@Suite("DependencyChecker")
struct DependencyCheckerTests {
    struct Setup {
        let f: PipelineFixture
        let model = ImageModel()
        let reqID: Int64
        let outdir: URL
        var checker: DependencyChecker {
            let model = model
            return DependencyChecker(database: f.database, settings: f.settings, images: { $0 == "gpc1" ? model : nil })
        }
        init() throws {
            f = try PipelineFixture()
            (reqID, outdir) = try f.runningRequest("deps", label: "WEB")
        }
        /// A job waiting for a dependent on (stage, id, component).
        func job(_ stage: String, _ id: Int64, _ component: String) throws -> (job: Int64, dep: Int64) {
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
        s.model.add(ComponentState(stage: "chip", stageID: 10, component: "XY01", runState: "cleaned", dataState: "cleaned"))
        let (job, dep) = try s.job("chip", 10, "XY01")
        #expect(try s.pass() == [.waiting])
        #expect(s.model.actions == ["update chip 10 XY01 ps_ud_WEB"])
        #expect(s.model.get("chip", 10, "XY01")?.dataState == "update")
        #expect(try s.f.database.jobs.pending().isEmpty)
        s.model.process("chip", 10, "XY01")
        #expect(try s.pass() == [.full])
        #expect(try s.f.database.dependents.get(depID: dep)?.state == "full")
        #expect(try s.f.database.jobs.pending().map(\.job.jobID) == [job])
        let log = try String(contentsOf: s.outdir.appendingPathComponent("checkdep.\(dep).log"), encoding: .utf8)
        #expect(log.components(separatedBy: "== ").count - 1 == 2, "one block per pass")
        #expect(log.contains("-> full"))
    }

    @Test("a cleaned warp whose chips are cleaned too: chips first, the warp only once every chip is full")
    func warpAfterChips() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        for cls in ["XY01", "XY02"] {
            s.model.add(ComponentState(stage: "chip", stageID: 10, component: cls, runState: "cleaned", dataState: "cleaned"))
        }
        s.model.add(ComponentState(stage: "warp", stageID: 20, component: "skycell.1", runState: "cleaned", dataState: "cleaned"))
        s.model.setWarpInputs(20, "skycell.1", chips: [(10, "XY01"), (10, "XY02")])
        _ = try s.job("warp", 20, "skycell.1")
        #expect(try s.pass() == [.waiting])
        #expect(s.model.get("chip", 10, "XY01")?.dataState == "update")
        #expect(s.model.get("chip", 10, "XY02")?.dataState == "update")
        #expect(s.model.get("warp", 20, "skycell.1")?.dataState == "cleaned", "the warp waits for its chips")
        s.model.process("chip", 10, "XY01")
        #expect(try s.pass() == [.waiting])
        #expect(s.model.get("warp", 20, "skycell.1")?.dataState == "cleaned")
        s.model.process("chip", 10, "XY02")
        #expect(try s.pass() == [.waiting])
        #expect(s.model.get("warp", 20, "skycell.1")?.dataState == "update")
        s.model.process("warp", 20, "skycell.1")
        #expect(try s.pass() == [.full])
    }

    @Test("a cleaned warp-stack diff: its warp is regenerated first, then the diff")
    func diffAfterWarp() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        s.model.add(ComponentState(stage: "chip", stageID: 10, component: "XY01", runState: "full", dataState: "full"))
        s.model.add(ComponentState(stage: "warp", stageID: 20, component: "skycell.1", runState: "cleaned", dataState: "cleaned"))
        s.model.setWarpInputs(20, "skycell.1", chips: [(10, "XY01")])
        s.model.add(ComponentState(stage: "diff", stageID: 30000, component: "skycell.1", runState: "cleaned", dataState: "cleaned"))
        s.model.setDiffInputs(30000, "skycell.1", DiffInputs(
            mode: 2, warp1: s.model.get("warp", 20, "skycell.1"), stack2State: "full"))
        _ = try s.job("diff", 30000, "skycell.1")
        #expect(try s.pass() == [.waiting])
        #expect(s.model.get("warp", 20, "skycell.1")?.dataState == "update")
        #expect(s.model.get("diff", 30000, "skycell.1")?.dataState == "cleaned")
        s.model.process("warp", 20, "skycell.1")
        #expect(try s.pass() == [.waiting])
        #expect(s.model.get("diff", 30000, "skycell.1")?.dataState == "update")
        s.model.process("diff", 30000, "skycell.1")
        #expect(try s.pass() == [.full])
    }

    @Test("gone images stop the jobs: purged 26, error_cleaned 25, a diff against a cleaned stack 26")
    func goneImages() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        s.model.add(ComponentState(stage: "chip", stageID: 1, component: "XY01", runState: "purged", dataState: "purged"))
        s.model.add(ComponentState(stage: "chip", stageID: 2, component: "XY01", runState: "error_cleaned", dataState: "cleaned"))
        s.model.add(ComponentState(stage: "diff", stageID: 30001, component: "skycell.2", runState: "cleaned", dataState: "cleaned"))
        s.model.setDiffInputs(30001, "skycell.2", DiffInputs(mode: 4, stack1State: "full", stack2State: "cleaned"))
        let purged = try s.job("chip", 1, "XY01"), errored = try s.job("chip", 2, "XY01")
        let diff = try s.job("diff", 30001, "skycell.2")
        _ = try s.pass()
        #expect(try s.f.job(purged.job).fault == 26)
        #expect(try s.f.job(errored.job).fault == 25)
        #expect(try s.f.job(diff.job).fault == 26)
        #expect(try s.f.job(diff.job).state == "stop")
    }

    @Test("an update that fails three times stops the job with 25; between failures the reverter reverts the component and then the dependent")
    func failingUpdate() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        s.model.add(ComponentState(stage: "chip", stageID: 10, component: "XY01", runState: "cleaned", dataState: "cleaned"))
        let (job, dep) = try s.job("chip", 10, "XY01")
        let model = s.model
        let reverter = DependentReverter(database: s.f.database, settings: s.f.settings, images: { _ in model })
        #expect(try s.pass() == [.waiting])
        for attempt in 1...3 {
            s.model.process("chip", 10, "XY01", fault: 2)  // an NFS error in the chip update
            let verdicts = try s.pass()
            if attempt < 3 {
                #expect(verdicts == [.faulted(2)])
                #expect(try s.f.database.dependents.get(depID: dep)?.fault == 2)
                #expect(try s.pass().isEmpty, "a faulted dependent is not pending")
                #expect(try reverter.revert() == 1)
                #expect(s.model.get("chip", 10, "XY01")?.fault == 0, "the component was reverted first")
                #expect(try s.f.database.dependents.get(depID: dep)?.fault == 0)
            } else {
                #expect(verdicts == [.stopJobs(25)])
            }
        }
        #expect(try s.f.job(job).state == "stop")
        #expect(try s.f.job(job).fault == 25)
    }
}
