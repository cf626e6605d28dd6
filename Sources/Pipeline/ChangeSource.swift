import RequestDB

/// A table of the request database whose changes wake pipeline tasks (the IPP table names).
public enum RequestDBTable: String, Sendable, Hashable, CaseIterable {
    case request = "pstampRequest"
    case job = "pstampJob"
    case dependent = "pstampDependent"
    case label = "Label"
    case dataStore = "pstampDataStore"
    case uwsJob = "pstampUWSJob"
}

/// Where the scheduler learns that new work was written: a stream that yields after every committed
/// change to any of `tables`. The request database offers it (`RequestDatabase.changes(of:)`).
public protocol ChangeSource: Sendable {
    func changes(of tables: [String]) -> AsyncStream<Void>
}

extension RequestDatabase: ChangeSource {}
