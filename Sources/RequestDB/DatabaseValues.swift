import GRDB
import PStampCore

// The domain's states, types and codes as database values: stored as their IPP text or number. A column
// holding text that is none of an enum's cases does not decode: the record fetch fails naming the column
// and the value, it never becomes a default.

extension RequestState: DatabaseValueConvertible {}
extension JobState: DatabaseValueConvertible {}
extension DependentState: DatabaseValueConvertible {}
extension DataStoreState: DatabaseValueConvertible {}
extension JobType: DatabaseValueConvertible {}
extension ImageType: DatabaseValueConvertible {}
extension UpdateStage: DatabaseValueConvertible {}
extension RequestFileType: DatabaseValueConvertible {}
extension PStampCode: DatabaseValueConvertible {}

/// Times are stored as UTC text `YYYY-MM-DD HH:MM:SS`, as MySQL DATETIME shows them.
extension MetadataTime: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { sqlText.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> MetadataTime? {
        String.fromDatabaseValue(dbValue).flatMap { MetadataTime($0) }
    }
}
