import GRDB
import PStampCore

/// A dependent (an image being regenerated) as the read models show it: what it is, its state and
/// fault, and the dependency checker's log.
public struct DependentSummary: Codable, Sendable, Equatable {
    public var depID: Int64
    public var state: DependentState
    /// chip, warp or diff.
    public var stage: UpdateStage?
    public var stageID: Int64?
    /// class_id (chip) or skycell_id (warp, diff).
    public var component: String?
    public var fault: PStampCode
    /// `<outdir>/checkdep.<dep_id>.log`, when the dependent has an outdir.
    public var logfile: String?

    /// From a `pstampDependent` row (all its columns).
    init(row: Row) throws {
        let record = try DependentRecord(row: row)
        guard let state = record.state else { throw PStampError(.configError, "dependent \(record.depID) has no state") }
        depID = record.depID
        self.state = state
        stage = record.stage
        stageID = record.stageID
        component = record.component
        fault = record.fault ?? .success
        logfile = record.logfile
    }
}
