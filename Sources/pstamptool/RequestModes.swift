import PStampCore
import RequestDB

extension ModeContext {
    func requestMode() throws {
        let requests = db.requests
        switch line.mode {
        case "-addreq":
            // The operator vouches for a request added by hand; one naming a registered data store is the store's.
            let dsID = line.int("-ds_id")
            let registered =
                try dsID.map { id in try db.incomingDataStores.list(dsID: id, ready: false).contains { $0.dsID == id } } ?? false
            let id = try requests.add(
                NewRequest(
                    uri: line.string("-uri")!, dsID: dsID,
                    projID: line.int("-proj_id"), name: line.string("-name"),
                    username: line.string("-username"), label: line.string("-label"),
                    identity: registered ? .dataStore : .operator))
            OperatorTool.printID(id, name: "req_id", style: style)
        case "-pendingreq":
            print(
                try requests.pending(reqID: line.int("-req_id"), labels: labels(), limit: limit).map(\.pendingReqRow),
                "pstampRequest")
        case "-listreq":
            var filter = RequestListFilter()
            filter.reqID = line.int("-req_id")
            filter.notReqID = line.int("-not_req_id")
            filter.name = line.string("-name")
            filter.username = line.string("-username")
            filter.state = try line.string("-state").map { try RequestState.parse($0) }
            filter.label = line.string("-label")
            filter.limit = limit
            let rows = try requests.list(filter)
            guard !rows.isEmpty else { throw OperatorTool.NotFound("request not found") }
            print(rows.map(\.metadataRow), "pstampRequest")
        case "-completedreq":
            print(try requests.completed(labels: labels(), limit: limit).map(\.prioritizedRow), "pstampRequest")
        case "-pendingcleanup":
            print(
                try requests.pendingCleanup(
                    reqID: line.int("-req_id"), dsID: line.int("-ds_id"), labels: labels(),
                    limit: limit
                ).map(\.prioritizedRow), "pstampRequest")
        case "-updatereq":
            var selector = RequestSelector()
            selector.reqID = line.int("-req_id")
            selector.reqIDMax = line.int("-req_id_max")
            selector.fault = int("-fault").map(PStampCode.init(rawValue:))
            selector.state = try line.string("-state").map { try RequestState.parse($0) }
            selector.reqType = try line.string("-reqType").map { try RequestFileType.parse($0) }
            selector.name = line.string("-name")
            selector.username = line.string("-username")
            selector.labels = labels()
            selector.timestampBegin = line.time("-timestamp_begin")
            selector.timestampEnd = line.time("-timestamp_end")
            var change = RequestChange()
            change.state = try line.string("-set_state").map { try RequestState.parse($0) }
            change.label = line.string("-set_label")
            change.outProduct = line.string("-set_outProduct")
            change.outdir = line.string("-set_outdir")
            change.fault = int("-set_fault").map(PStampCode.init(rawValue:))
            change.clearFault = line.flag("-clearfault")
            change.uri = line.string("-set_uri")
            change.name = line.string("-set_name")
            change.username = line.string("-set_username")
            change.reqType = try line.string("-set_reqType").map { try RequestFileType.parse($0) }
            let changed = try requests.update(selector, change)
            if changed == 0 { note("no request matched (nothing changed)") }
        case "-revertreq":
            var selector = RequestRevertSelector()
            selector.reqID = line.int("-req_id")
            selector.fault = int("-fault").map(PStampCode.init(rawValue:))
            selector.state = try line.string("-state").map { try RequestState.parse($0) }
            selector.labels = labels()
            _ = try requests.revert(selector)
        default:
            fatalError("unreachable mode \(line.mode)")
        }
    }
}
