import GRDB
import PStampCore

/// A row of `pstampJob`: one input image of one request row.
public struct JobRecord: Sendable, Hashable, Codable, FetchableRecord {
    public var jobID: Int64
    public var reqID: Int64?
    public var rownum: String?
    public var state: JobState?
    public var jobType: JobType?
    public var fault: PStampCode?
    public var expID: Int64?
    public var outputBase: String?
    /// OPTION_MASK.
    public var options: Int64?
    /// 0 or NULL: no dependency.
    public var depID: Int64?
    public var faultCount: Int?
    public var parentID: Int64?
    public var isParent: Bool?
    /// When its fault is next reverted (nil: not scheduled yet). Not listed by pstamptool.
    public var retryAfter: MetadataTime?

    public var optionMask: OptionMask { OptionMask(rawValue: options ?? 0) }
    /// The request row the job was made from, as a number (0 when it has none).
    public var rownumber: Int { rownum.flatMap { Int($0) } ?? 0 }

    /// The IPP column names.
    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", reqID = "req_id", rownum, state, jobType, fault, expID = "exp_id", outputBase, options
        case depID = "dep_id", faultCount = "fault_count", parentID = "parent_id", isParent = "is_parent"
        case retryAfter = "job_retry_after"
    }

    public var metadataRow: MetadataRow {
        MetadataRow([
            MetadataItem("job_id", .s64(jobID)),
            MetadataItem("req_id", .s64(reqID)),
            MetadataItem("rownum", .str(rownum)),
            MetadataItem("state", .str(state?.rawValue)),
            MetadataItem("jobType", .str(jobType?.rawValue)),
            MetadataItem("fault", .s16(fault.map { Int16(clamping: $0.rawValue) })),
            MetadataItem("exp_id", .s64(expID)),
            MetadataItem("outputBase", .str(outputBase)),
            MetadataItem("options", .s64(options)),
            MetadataItem("dep_id", .s64(depID)),
            MetadataItem("fault_count", .s32(faultCount.map { Int32(clamping: $0) })),
            MetadataItem("parent_id", .s64(parentID)),
            MetadataItem("is_parent", .bool(isParent)),
        ])
    }

    static let columns =
        "pstampJob.job_id, pstampJob.req_id, pstampJob.rownum, pstampJob.state, pstampJob.jobType, "
        + "pstampJob.fault, pstampJob.exp_id, pstampJob.outputBase, pstampJob.options, pstampJob.dep_id, "
        + "pstampJob.fault_count, pstampJob.parent_id, pstampJob.is_parent, pstampJob.retry_after AS job_retry_after"
}

/// A new job (`pstamptool -addjob`).
public struct NewJob: Sendable, Hashable {
    public var reqID: Int64
    public var rownum: String
    public var jobType: JobType = .stamp
    public var outputBase: String?
    public var state: JobState = .run
    public var fault: PStampCode = .success
    public var expID: Int64?
    public var options: Int64?
    public var depID: Int64?
    public var parentID: Int64?
    public var isParent = false

    public init(
        reqID: Int64, rownum: String, jobType: JobType = .stamp, outputBase: String? = nil,
        state: JobState = .run, fault: PStampCode = .success
    ) {
        self.reqID = reqID
        self.rownum = rownum
        self.jobType = jobType
        self.outputBase = outputBase
        self.state = state
        self.fault = fault
    }
}

/// A job as `-listjob` prints it: the job columns, then the request's name and outProduct.
public struct ListedJob: Sendable, Hashable, Codable, FetchableRecord {
    /// Decoded from the job columns of the row.
    public var job: JobRecord
    public var name: String?
    public var outProduct: String?

    public var metadataRow: MetadataRow {
        var row = job.metadataRow
        row.append("name", .str(name))
        row.append("outProduct", .str(outProduct))
        return row
    }
}

/// A job ready to run (`-pendingjob`), with its label priority. For parent jobs myParent and
/// runningChildren are NULL, as in the IPP's query.
public struct PendingJob: Sendable, Hashable, Codable, FetchableRecord {
    /// Decoded from the job columns of the row.
    public var job: JobRecord
    public var priority: Int64
    public var myParent: Int64?
    public var runningChildren: Int64?

    public var metadataRow: MetadataRow {
        var row = job.metadataRow
        row.append("priority", .s64(priority))
        row.append("myParent", .s64(myParent))
        row.append("runningChildren", .s64(runningChildren))
        return row
    }
}

/// `-listjob` selectors (at least one required).
public struct JobListFilter: Sendable, Hashable {
    public var jobID: Int64?
    public var reqID: Int64?
    public var depID: Int64?
    public var state: JobState?
    public var jobType: JobType?
    public var fault: PStampCode?
    /// Every job with a fault (`fault != 0`), whatever its code.
    public var faulted = false
    public var limit: Int?
    public init() {}
}

/// `-updatejob` selectors.
public struct JobSelector: Sendable, Hashable {
    public var jobID: Int64?
    public var reqID: Int64?
    public var depID: Int64?
    public var fault: PStampCode?
    /// Only jobs with a system fault (1–9), whatever its code.
    public var systemFaulted = false
    public var state: JobState?
    /// fault_count >= this.
    public var faultCount: Int?
    public var labels = LabelFilter.any
    public init() {}
}

/// `-revertjob` selectors.
public struct JobRevertSelector: Sendable, Hashable {
    public var jobID: Int64?
    /// Any of these jobs (a revert task's due jobs, in one transaction).
    public var jobIDs: [Int64] = []
    public var reqID: Int64?
    public var reqIDMin: Int64?
    /// An explicit fault also allows reverting reported faults (>= 10).
    public var fault: PStampCode?
    public var labels = LabelFilter.any
    public var clearFaultCount = false
    public var all = false
    /// Only jobs with fewer faults than this (default `JobStore.maxRevertFaults`).
    public var maxFaultCount: Int?
    public init() {}
}

/// `-stopdependentjob` selectors.
public struct DependentJobSelector: Sendable, Hashable {
    public var reqID: Int64?
    public var jobID: Int64?
    public var depID: Int64?
    public var stageID: Int64?
    public var component: String?
    /// The dependent's fault.
    public var fault: PStampCode?
    /// The dependent's fault_count >= this.
    public var faultCount: Int?
    public var labels = LabelFilter.any
    public init() {}
}
