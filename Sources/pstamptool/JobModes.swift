import PStampCore
import RequestDB

extension ModeContext {
    func jobMode() throws {
        let jobs = db.jobs
        switch line.mode {
        case "-addjob":
            var job = NewJob(
                reqID: line.int("-req_id")!, rownum: line.string("-rownum")!, jobType: try jobType("-job_type") ?? .stamp,
                outputBase: line.string("-outputBase"),
                state: try line.string("-state").map { try JobState.parse($0) } ?? .run,
                fault: code("-fault") ?? .success)
            job.expID = line.int("-exp_id")
            job.options = line.int("-options")
            job.depID = line.int("-dep_id")
            job.parentID = line.int("-parent_id")
            job.isParent = line.flag("-is_parent")
            OperatorTool.printID(try jobs.add(job), name: "job_id", style: style)
        case "-listjob":
            var filter = JobListFilter()
            filter.jobID = line.int("-job_id")
            filter.reqID = line.int("-req_id")
            filter.depID = line.int("-dep_id")
            filter.state = try line.string("-state").map { try JobState.parse($0) }
            filter.jobType = try jobType("-jobType")
            filter.fault = code("-fault")
            filter.faulted = line.flag("-faulted")
            filter.limit = limit
            print(try jobs.list(filter).map(\.metadataRow), "pstampJob")
        case "-pendingjob":
            print(
                try jobs.pending(jobID: line.int("-job_id"), reqID: line.int("-req_id"), labels: labels(), limit: limit)
                    .map(\.metadataRow), "pstampJob")
        case "-updatejob":
            var selector = JobSelector()
            selector.jobID = line.int("-job_id")
            selector.reqID = line.int("-req_id")
            selector.depID = line.int("-dep_id")
            selector.fault = code("-fault")
            selector.state = try line.string("-state").map { try JobState.parse($0) }
            selector.faultCount = int("-fault_count")
            selector.labels = labels()
            // As the IPP: -set_fault 0 means no fault setter (it would otherwise count a fault).
            let fault = code("-set_fault").flatMap { $0 == .success ? nil : $0 }
            let changed = try jobs.update(
                selector, state: try line.string("-set_state").map { try JobState.parse($0) },
                fault: fault)
            note("updated \(changed) pstampJobs")
        case "-stopdependentjob":
            var selector = DependentJobSelector()
            selector.reqID = line.int("-req_id")
            selector.jobID = line.int("-job_id")
            selector.depID = line.int("-dep_id")
            selector.stageID = line.int("-stage_id")
            selector.component = line.string("-component")
            selector.fault = code("-fault")
            selector.faultCount = int("-fault_count")
            selector.labels = labels()
            let state = try line.string("-set_state").map { try DependentState.parse($0) } ?? .new
            let stopped = try jobs.stopDependentJobs(selector, fault: code("-set_fault")!, dependentState: state)
            note("updated \(stopped) pstampJobs and their pstampDependents")
        case "-revertjob":
            var selector = JobRevertSelector()
            selector.jobID = line.int("-job_id")
            selector.reqID = line.int("-req_id")
            selector.reqIDMin = line.int("-req_id_min")
            selector.fault = code("-fault")
            selector.labels = labels()
            selector.clearFaultCount = line.flag("-clear_fault_count")
            selector.all = line.flag("-all")
            let reverted = try jobs.revert(selector)
            note("reverted \(reverted) pstampJobs")
        default:
            fatalError("unreachable mode \(line.mode)")
        }
    }
}
