import GRDB
import PStampCore

extension DependentStore {
    /// The dependents the jobs of one request wait (or waited) for, in every state, by dep_id.
    public func list(reqID: Int64) throws -> [DependentRecord] {
        try writer.read { db in
            try DependentRecord.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT \(DependentRecord.columns) FROM pstampDependent
                        JOIN pstampJob ON pstampJob.dep_id = pstampDependent.dep_id
                    WHERE pstampJob.req_id = ? ORDER BY pstampDependent.dep_id
                    """, arguments: [reqID])
        }
    }
}
