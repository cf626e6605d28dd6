import GRDB
import PStampCore

/// A row of `pstampRequest`: one request file.
public struct RequestRecord: Sendable, Hashable, Codable, FetchableRecord {
    public var reqID: Int64
    public var dsID: Int64?
    public var state: RequestState?
    public var name: String?
    public var reqType: RequestFileType?
    public var label: String?
    public var outProduct: String?
    public var uri: String?
    public var outdir: String?
    public var username: String?
    public var projID: Int64?
    public var registered: MetadataTime?
    public var timestamp: MetadataTime?
    public var fault: PStampCode?
    /// Faults so far (a PStamp column, not listed by pstamptool): bounds the reverts.
    public var faultCount: Int?
    /// The code the request was set aside with (poison protection, given-up retries), nil normally: its
    /// finish echoes nothing of its request file and ends with this fault. Not listed by pstamptool.
    public var setAside: PStampCode?
    /// Its results could not be written where it asked (unwritable results): its finish ends it with
    /// PSTAMP_INVALID_REQUEST (21), also when resumed after a crash. Not listed by pstamptool.
    public var resultsRefused: Bool
    /// When its fault is next reverted (nil: not scheduled yet). Not listed by pstamptool.
    public var retryAfter: MetadataTime?

    /// The IPP column names (fault_count and set_aside under the aliases `columns` gives them, so a
    /// join with pstampJob cannot confuse them with the job's).
    enum CodingKeys: String, CodingKey {
        case reqID = "req_id", dsID = "ds_id", state, name, reqType, label, outProduct, uri, outdir, username
        case projID = "proj_id", registered, timestamp, fault
        case faultCount = "req_fault_count", setAside = "req_set_aside", resultsRefused = "results_refused"
        case retryAfter = "req_retry_after"
    }

    /// The columns in table order, with the types the IPP tools print.
    public var metadataRow: MetadataRow {
        MetadataRow([
            MetadataItem("req_id", .s64(reqID)),
            MetadataItem("ds_id", .s64(dsID)),
            MetadataItem("state", .str(state?.rawValue)),
            MetadataItem("name", .str(name)),
            MetadataItem("reqType", .str(reqType?.rawValue)),
            MetadataItem("label", .str(label)),
            MetadataItem("outProduct", .str(outProduct)),
            MetadataItem("uri", .str(uri)),
            MetadataItem("outdir", .str(outdir)),
            MetadataItem("username", .str(username)),
            MetadataItem("proj_id", .s64(projID)),
            MetadataItem("registered", .time(registered)),
            MetadataItem("timestamp", .time(timestamp)),
            MetadataItem("fault", .s16(fault.map { Int16(clamping: $0.rawValue) })),
        ])
    }

    static let columns =
        "pstampRequest.req_id, pstampRequest.ds_id, pstampRequest.state, pstampRequest.name, "
        + "pstampRequest.reqType, pstampRequest.label, pstampRequest.outProduct, pstampRequest.uri, "
        + "pstampRequest.outdir, pstampRequest.username, pstampRequest.proj_id, pstampRequest.registered, "
        + "pstampRequest.timestamp, pstampRequest.fault, "
        + "pstampRequest.fault_count AS req_fault_count, pstampRequest.set_aside AS req_set_aside, "
        + "pstampRequest.results_refused, pstampRequest.retry_after AS req_retry_after"
}

/// A new request (`pstamptool -addreq`): it starts in state `new` with fault 0.
public struct NewRequest: Sendable, Hashable {
    public var uri: String
    public var dsID: Int64?
    public var projID: Int64?
    public var name: String?
    public var username: String?
    public var label: String?
    /// Who sent it, decided where it came in (anonymous unless a face says otherwise).
    public var identity: RequestIdentity
    public init(
        uri: String, dsID: Int64? = nil, projID: Int64? = nil, name: String? = nil,
        username: String? = nil, label: String? = nil, identity: RequestIdentity = .anonymous
    ) {
        self.uri = uri
        self.dsID = dsID
        self.projID = projID
        self.name = name
        self.username = username
        self.label = label
        self.identity = identity
    }
}

/// A request with the columns a pending-work query adds.
public struct PendingRequest: Sendable, Hashable, Codable, FetchableRecord {
    /// Decoded from the request columns of the row.
    public var request: RequestRecord
    /// `-pendingreq` only: the outProduct of the data store the request came from.
    public var dsOutProduct: String?
    /// `-pendingreq` only: IFNULL(data store need_magic, 1).
    public var needMagic: Int64?
    /// The label's priority (10000 for a label without a Label row).
    public var priority: Int64

    enum CodingKeys: String, CodingKey {
        case request, dsOutProduct = "ds_outProduct", needMagic = "need_magic", priority
    }

    /// The row as `-pendingreq` prints it (request columns, ds_outProduct, need_magic, priority).
    public var pendingReqRow: MetadataRow {
        var row = request.metadataRow
        row.append("ds_outProduct", .str(dsOutProduct))
        row.append("need_magic", .s64(needMagic))
        row.append("priority", .s64(priority))
        return row
    }

    /// The row as `-completedreq` and `-pendingcleanup` print it (request columns, priority).
    public var prioritizedRow: MetadataRow {
        var row = request.metadataRow
        row.append("priority", .s64(priority))
        return row
    }
}
