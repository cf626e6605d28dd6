import Foundation
import PStampCore
import RequestDB

/// The site settings the pipeline tasks read (the IPP's site-config keys, server-internals §8.5).
public struct PipelineSettings: Sendable {
    /// PSTAMP_WORKDIR: requests work in `<workdir>/YYYY/MM/DD/<req_id>` (UTC).
    public var workdir: URL
    /// The work directory and where things live in it.
    public var work: WorkDirectory { WorkDirectory(workdir) }
    /// PSTAMP_PRESERVE_DAYS: a stopped request's results stay this long before cleanup (IPP default 14).
    public var preserveDays: Int
    /// PSTAMP_MAX_FAULT_COUNT: attempts before faulted jobs and dependents are given up (pantasks: 3).
    public var maxFaultCount: Int
    /// The labels served (pantasks `add.label`); empty = every label.
    public var labels: LabelFilter
    /// When a faulted request (e.g. 200: its data store answered HTTP 500) is reverted: about 10 s after
    /// its fault, doubling with each fault, at most the IPP's 1200 s.
    public var requestRetry = RetryBackoff.request
    /// When a job with a system fault (1–9) is reverted: from about 10 s up to the IPP's 300 s.
    public var jobRetry = RetryBackoff.job
    /// When a faulted dependent is reverted: from about 10 s up to the IPP's 900 s.
    public var dependentRetry = RetryBackoff.dependent
    /// PSTAMP_DATA_STORE_PRODUCT: the output product of requests that name none.
    public var dataStoreProduct = "pstampresults"
    /// PSTAMP_DEFAULT_ACCESS_LEVEL: the access level of a requester whose user and domain are unknown
    /// (the IPP's PSNC policy: unknown domains get level 1).
    public var defaultAccessLevel = PipelineSettings.unknownRequesterLevel
    /// The IPP's default of `defaultAccessLevel`.
    public static let unknownRequesterLevel = 1
    /// How many times a faulted request is reverted (retried) before it stops with PSTAMP_SYSTEM_ERROR (10).
    public var maxRequestRetries = 10
    /// Poison protection: a request, job or dependent whose work was under way when the process died this
    /// many times in a row is set aside (stopped with PSTAMP_SYSTEM_ERROR, 10) instead of started again.
    public var maxCrashes = 2
    /// max_stamp_pixels: the largest stamp side in pixels after conversion from arcseconds; larger
    /// stamps are refused with 21 (8000: ppstamp's cap on pixel sizes, now for every unit).
    public var maxStampPixels = 8000
    /// max_request_rows: a request file with more rows is refused as a whole with 21.
    public var maxRequestRows = 10_000
    /// max_request_jobs: a request whose rows make more jobs (bycoord rows over many exposures) is refused
    /// as a whole with 21.
    public var maxRequestJobs = 50_000

    public init(
        workdir: URL, preserveDays: Int = 14, maxFaultCount: Int = 3, labels: LabelFilter = .any
    ) {
        self.workdir = workdir
        self.preserveDays = max(0, preserveDays)
        self.maxFaultCount = maxFaultCount
        self.labels = labels
    }
}
