import FITS
import Foundation
import PStampCore
import RequestDB

/// The one intake of a request file sent over HTTP (the upload page and the JSON API): the file,
/// already stored under `<workdir>/webreq/YYYY/MM/DD/`, has its header checked as the IPP's
/// `pstamp_insert_request.pl` does, is renamed `web_<num>.fits` and becomes a request labelled
/// `WEB.UP` with the sender's identity. A refused file is removed.
struct RequestIntake: Sendable {
    let database: RequestDatabase
    let workdir: URL

    /// The label of requests sent as files.
    static let label = "WEB.UP"

    /// Why a file was not taken.
    enum Refusal: Error {
        /// Not a request file (400).
        case notARequestFile(String)
        /// A request file whose REQ_NAME cannot name a results fileset (422).
        case badName(String)
        /// The name is already used (409).
        case duplicateName(String)
    }

    /// What was added.
    struct Added: Sendable {
        var reqID: Int64
        var name: String
        /// Which identity the request came with (`AccessRules.intakeNotice`).
        var notice: String
    }

    /// Today's folder for request files, created if needed.
    func dayDirectory() throws -> URL {
        let directory = WorkDirectory(workdir).uploads(on: Date())
        try Self.makeDirectory(directory)
        return directory
    }

    /// Creates `directory` (and its parents); another upload creating it at the same moment is no failure
    /// (Foundation's createDirectory may then throw "file exists").
    static func makeDirectory(_ directory: URL) throws {
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw error
            }
        }
    }

    /// Writes a request file made by a web face (the parameter interface, SODA) under today's folder,
    /// named `<prefix>_<num>` from the web request counter; returns the name and the file's path.
    func writeRequestFile(prefix: String, action: String, email: String, rows: [RawRequestRow]) throws -> (name: String, path: String) {
        let name = "\(prefix)_\(try database.webRequests.next())"
        let path = try dayDirectory().appendingPathComponent("\(name).fits").path
        try RequestFile.write(header: RequestHeader(reqName: name, version: 2, action: action, email: email), rows: rows, to: path)
        return (name, path)
    }

    /// Adds the request file at `temporary` (in `dayDirectory()`), which is moved or removed.
    func add(fileAt temporary: URL, identity: RequestIdentity) throws -> Added {
        var keep = false
        defer { if !keep { try? FileManager.default.removeItem(at: temporary) } }
        let header: RequestHeader
        do { header = try RequestFile.readIntakeHeader(temporary.path) } catch {
            throw Refusal.notARequestFile("not a request file: \(error.message)")
        }
        // REQ_NAME names the results fileset: a name no data store can hold (a path, a space…) is
        // refused here, before it costs a parse and a failed finish.
        do { try DataStoreName.validate(header.reqName, as: .fileset) } catch let error as PStampError {
            throw Refusal.badName("REQ_NAME '\(header.reqName)' cannot name a results fileset: \(error.message)")
        }
        let num = try database.webRequests.next()
        let destination = temporary.deletingLastPathComponent().appendingPathComponent("web_\(num).fits")
        try FileManager.default.moveItem(at: temporary, to: destination)
        keep = true
        do {
            let reqID = try database.requests.add(
                NewRequest(uri: destination.path, dsID: 0, name: header.reqName, label: Self.label, identity: identity))
            return Added(reqID: reqID, name: header.reqName, notice: AccessRules.intakeNotice(identity: identity, email: header.email))
        } catch let error as RequestDBError {
            try? FileManager.default.removeItem(at: destination)
            switch error {
            case .duplicateName: throw Refusal.duplicateName(error.description)
            }
        } catch {
            try? FileManager.default.removeItem(at: destination)
            throw error
        }
    }
}
