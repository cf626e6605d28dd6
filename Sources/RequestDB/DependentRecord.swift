import GRDB
import PStampCore

/// A row of `pstampDependent`: one image component that must be regenerated ("updated") in the image
/// database before the jobs that need it can run.
public struct DependentRecord: Sendable, Hashable, Codable, FetchableRecord {
    public var depID: Int64
    public var state: DependentState?
    /// chip, warp or diff.
    public var stage: UpdateStage?
    public var stageID: Int64?
    /// class_id (chip) or skycell_id (warp, diff).
    public var component: String?
    public var imagedb: String?
    /// The outdir of the first request that needed it; the log is `<outdir>/checkdep.<dep_id>.log`.
    public var outdir: String?
    public var rlabel: String?
    public var needMagic: Bool?
    public var fault: PStampCode?
    public var faultCount: Int?
    /// When its fault is next reverted (nil: not scheduled yet). Not listed by pstamptool.
    public var retryAfter: MetadataTime?

    /// The dependency checker's log file.
    public var logfile: String? { outdir.map { RequestWorkDirectory(path: $0).checkdepLog(depID: depID).path } }

    /// The IPP column names.
    enum CodingKeys: String, CodingKey {
        case depID = "dep_id", state, stage, stageID = "stage_id", component, imagedb, outdir, rlabel
        case needMagic = "need_magic", fault, faultCount = "fault_count", retryAfter = "retry_after"
    }

    public var metadataRow: MetadataRow {
        MetadataRow([
            MetadataItem("dep_id", .s64(depID)),
            MetadataItem("state", .str(state?.rawValue)),
            MetadataItem("stage", .str(stage?.rawValue)),
            MetadataItem("stage_id", .s64(stageID)),
            MetadataItem("component", .str(component)),
            MetadataItem("imagedb", .str(imagedb)),
            MetadataItem("outdir", .str(outdir)),
            MetadataItem("rlabel", .str(rlabel)),
            MetadataItem("need_magic", .bool(needMagic)),
            MetadataItem("fault", .s16(fault.map { Int16(clamping: $0.rawValue) })),
            MetadataItem("fault_count", .s32(faultCount.map { Int32(clamping: $0) })),
        ])
    }

    static let columns =
        "pstampDependent.dep_id, pstampDependent.state, pstampDependent.stage, "
        + "pstampDependent.stage_id, pstampDependent.component, pstampDependent.imagedb, pstampDependent.outdir, "
        + "pstampDependent.rlabel, pstampDependent.need_magic, pstampDependent.fault, pstampDependent.fault_count, "
        + "pstampDependent.retry_after"
}

/// The image component a dependent stands for: at most one open (new/hold) dependent per key.
public struct DependentKey: Sendable, Hashable {
    public var stage: UpdateStage
    public var stageID: Int64
    public var component: String
    public var imagedb: String
    public init(stage: UpdateStage, stageID: Int64, component: String, imagedb: String) {
        self.stage = stage
        self.stageID = stageID
        self.component = component
        self.imagedb = imagedb
    }
}

/// What `-getdependent` found or made.
public enum GetDependentResult: Sendable, Hashable {
    /// An open dependent existed (a held one was released to `new` unless the caller asked to hold).
    case found(depID: Int64)
    /// A new dependent was created.
    case created(depID: Int64)
    /// The open dependent has a fault: the caller gets the fault (pstamptool exits with it).
    case faulted(depID: Int64, fault: PStampCode)
    /// Nothing open and -no_create was given.
    case notFound

    public var depID: Int64? {
        switch self {
        case .found(let id), .created(let id), .faulted(let id, _): id
        case .notFound: nil
        }
    }
}

/// A dependent waiting for its component (`-pendingdependent`), with the request label, the first
/// request that needs it, its log file and the label priority.
public struct PendingDependent: Sendable, Hashable, Codable, FetchableRecord {
    /// Decoded from the dependent columns of the row.
    public var dependent: DependentRecord
    public var label: String?
    public var firstReqID: Int64
    public var logfile: String?
    public var priority: Int64

    enum CodingKeys: String, CodingKey {
        case dependent, label, firstReqID = "first_req_id", logfile, priority
    }

    public var metadataRow: MetadataRow {
        var row = dependent.metadataRow
        row.append("label", .str(label))
        row.append("first_req_id", .s64(firstReqID))
        row.append("logfile", .str(logfile))
        row.append("priority", .s64(priority))
        return row
    }
}

/// `-pendingdependent` selectors.
public struct DependentFilter: Sendable, Hashable {
    public var stage: UpdateStage?
    public var imagedb: String?
    public var stageID: Int64?
    /// The IPP declared -component here and never applied it; here it selects.
    public var component: String?
    public var depID: Int64?
    public var jobID: Int64?
    public var reqID: Int64?
    public var rlabel: String?
    public var labels = LabelFilter([], match: .equal)
    public var includeFaulted = false
    public var limit: Int?
    public init() {}
}

/// `-revertdependent` selectors (at least one required).
public struct DependentRevertSelector: Sendable, Hashable {
    public var depID: Int64?
    public var jobID: Int64?
    public var reqID: Int64?
    /// An explicit fault also allows reverting reported faults (>= 10).
    public var fault: PStampCode?
    public var labels = LabelFilter([], match: .equal)
    public var clearFaultCount = false
    /// Only dependents with fewer faults than this (default `DependentStore.maxRevertFaults`).
    public var maxFaultCount: Int?
    public init() {}
}
