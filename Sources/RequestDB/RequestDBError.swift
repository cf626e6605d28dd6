import GRDB

/// What the request database refuses, by intent rather than by SQLite's message.
public enum RequestDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another request already has this name (REQ_NAME names the results fileset, so it is unique).
    case duplicateName(String)

    public var description: String {
        switch self {
        case .duplicateName(let name): "Request Name \(name) has already been used"
        }
    }

    /// Runs a write that sets a request's name; the unique index on the name refusing it becomes
    /// `duplicateName`. (The only UNIQUE index of pstampRequest is its name; req_id is the primary key.)
    static func naming<T>(_ name: String?, _ write: () throws -> T) throws -> T {
        do {
            return try write()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            guard let name, error.message?.contains("pstampRequest.name") == true else { throw error }
            throw RequestDBError.duplicateName(name)
        }
    }
}
