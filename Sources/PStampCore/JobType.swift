/// pstampJob.jobType. A request row's JOB_TYPE names one of the first two; the others are the server's.
public enum JobType: String, Sendable, CaseIterable, Codable {
    /// Cuts a stamp.
    case stamp
    /// Bundles the whole component.
    case getImage = "get_image"
    case detectQuery = "detect_query"
    /// A stand-in job carrying a row's error to the results.
    case none
    /// Only resolves a dependent; needs dep_id.
    case child
    /// A parent job: runs once no child runs.
    case mosaic

    /// The job types a request row's JOB_TYPE may name.
    public static let requestable: [JobType] = [.stamp, .getImage]
}
