import Foundation
import PStampCore
import RequestDB

/// pstamptool: the operator's tool for the request database, with the IPP's modes, options, output
/// and exit statuses. See `pstamptool` (no arguments) for the modes.
@main
struct PStampTool {
    static func main() {
        OperatorTool.run("pstamptool", PStampToolModes.parser, Array(CommandLine.arguments.dropFirst())) { line in
            if line.mode == "-create" {
                try create(line)
                return
            }
            let db = try OperatorTool.openDatabase("pstamptool", line)
            if line.mode == "-backup" {
                try backup(db, to: line.string("-backup")!)
                return
            }
            let mode = ModeContext(line: line, db: db, style: OperatorTool.style(line))
            try mode.run()
        }
    }

    /// `-create`: creates or migrates the database and says which version it is at.
    static func create(_ line: IPPCommandLine) throws {
        let db = try OperatorTool.openDatabase("pstamptool", line, mode: .createOrMigrate)
        if db.versionBeforeOpen == db.version {
            print("request database \(db.path) is at schema version \(db.version) (up to date)")
        } else if db.versionBeforeOpen == 0 {
            print("request database \(db.path) created at schema version \(db.version)")
        } else {
            print("request database \(db.path) migrated from schema version \(db.versionBeforeOpen) to \(db.version)")
        }
    }
}

extension PStampTool {
    /// `-backup FILE`: SQLite's online backup of the live database, checked, then renamed into place.
    static func backup(_ db: RequestDatabase, to path: String) throws {
        let copy = try db.backup(to: path)
        print(
            "backed up \(db.path) to \(copy.path): schema version \(copy.version), \(copy.requests) requests, "
                + "\(copy.jobs) jobs, \(copy.bytes) bytes, integrity ok")
    }
}

/// One run of one mode: the command line, the open database and the output style.
struct ModeContext {
    let line: IPPCommandLine
    let db: RequestDatabase
    let style: MetadataConfig.Style

    func run() throws {
        switch line.mode {
        case "-adddatastore", "-datastore", "-moddatastore": try dataStoreMode()
        case "-addreq", "-pendingreq", "-listreq", "-completedreq", "-updatereq", "-revertreq", "-pendingcleanup":
            try requestMode()
        case "-addjob", "-listjob", "-pendingjob", "-updatejob", "-stopdependentjob", "-revertjob": try jobMode()
        case "-getdependent", "-pendingdependent", "-updatedependent", "-revertdependent": try dependentMode()
        case "-addproject", "-project", "-modproject": try projectMode()
        case "-getwebrequestnum":
            OperatorTool.printID(try db.webRequests.next(), name: "num", style: style)
        case "-addfile", "-listfile", "-deletefile": try fileMode()
        default: try accessMode()  // users, domains, tokens, access levels
        }
    }

    // MARK: helpers

    func int(_ name: String) -> Int? { line.int(name).map { Int(clamping: $0) } }
    /// A fault code option (`-fault`, `-set_fault`).
    func code(_ name: String) -> PStampCode? { int(name).map(PStampCode.init(rawValue:)) }
    /// A `-job_type`/`-jobType` option; a type that does not exist is refused.
    func jobType(_ name: String) throws -> JobType? {
        guard let text = line.string(name) else { return nil }
        guard let type = JobType(rawValue: text) else { throw PStampError(.unknownError, "unknown value for \(name): \(text)") }
        return type
    }
    /// A `-stage` option (chip, warp, diff, stack); a stage that does not exist is refused.
    func stage(_ name: String) throws -> UpdateStage? {
        guard let text = line.string(name) else { return nil }
        guard let stage = UpdateStage(rawValue: text) else {
            let known = UpdateStage.allCases.map(\.rawValue).joined(separator: ", ")
            throw PStampError(.unknownError, "unknown value for \(name): \(text) (stages: \(known))")
        }
        return stage
    }
    var limit: Int? { int("-limit") }
    func labels(_ match: LabelFilter.Match = .like) -> LabelFilter { LabelFilter(line.strings("-label"), match: match) }
    func print(_ rows: [MetadataRow], _ blockName: String) {
        OperatorTool.printRows(rows, blockName: blockName, style: style)
    }
    func note(_ message: String) { OperatorTool.warn("pstamptool", message) }
}
