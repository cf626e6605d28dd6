import PStampCore
import RequestDB

extension ModeContext {
    func dependentMode() throws {
        let dependents = db.dependents
        switch line.mode {
        case "-getdependent":
            let key = DependentKey(
                stage: try stage("-stage")!, stageID: line.int("-stage_id")!,
                component: line.string("-component")!, imagedb: line.string("-imagedb")!)
            let result = try dependents.getDependent(
                key, outdir: line.string("-outdir"), rlabel: line.string("-rlabel"),
                needMagic: line.flag("-need_magic"), hold: line.flag("-hold"),
                noCreate: line.flag("-no_create"))
            switch result {
            case .found(let id), .created(let id):
                OperatorTool.printID(id, name: "dep_id", style: style)
            case .faulted(let id, let fault):
                // The parser reads the fault from the exit status, as with the IPP.
                throw OperatorTool.Exit(Int32(clamping: fault.rawValue), "existing dependent \(id) has fault \(fault.rawValue)")
            case .notFound:
                break
            }
        case "-pendingdependent":
            var filter = DependentFilter()
            filter.stage = try stage("-stage")
            filter.imagedb = line.string("-imagedb")
            filter.stageID = line.int("-stage_id")
            filter.depID = line.int("-dep_id")
            filter.jobID = line.int("-job_id")
            filter.reqID = line.int("-req_id")
            filter.rlabel = line.string("-rlabel")
            filter.labels = labels(.equal)
            filter.includeFaulted = line.flag("-includefaulted")
            filter.limit = limit
            filter.component = line.string("-component")
            print(try dependents.pending(filter).map(\.metadataRow), "pstampDependent")
        case "-updatedependent":
            let fault = code("-set_fault").flatMap { $0 == .success ? nil : $0 }
            try dependents.update(
                depID: line.int("-dep_id")!,
                state: try line.string("-set_state").map { try DependentState.parse($0) }, fault: fault)
        case "-revertdependent":
            var selector = DependentRevertSelector()
            selector.depID = line.int("-dep_id")
            selector.jobID = line.int("-job_id")
            selector.reqID = line.int("-req_id")
            selector.fault = code("-fault")
            selector.labels = labels(.equal)
            selector.clearFaultCount = line.flag("-clear_fault_count")
            _ = try dependents.revert(selector)
        default:
            fatalError("unreachable mode \(line.mode)")
        }
    }
}
