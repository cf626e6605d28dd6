import Foundation
import GRDB
import PStampCore

/// What pstamptool and labeltool share: opening the database named by -dbname, printing rows in the
/// chosen style, and turning errors into the IPP's exit statuses.
public enum OperatorTool {
    /// The IPP's exit statuses (PS_EXIT_*), plus 2 for a command line that does not parse.
    public enum ExitStatus {
        public static let success: Int32 = 0
        public static let unknownError: Int32 = 1
        public static let usage: Int32 = 2
        public static let configError: Int32 = 3
        public static let dataError: Int32 = 5
    }

    /// A listing found nothing where the caller needs a row (`-listreq`): exit 3, as the IPP.
    public struct NotFound: Error, CustomStringConvertible {
        public let message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// An error that ends the tool with a given status (e.g. `-getdependent` exits with a dependent's fault).
    public struct Exit: Error {
        public let status: Int32
        public let message: String?
        public init(_ status: Int32, _ message: String? = nil) {
            self.status = status
            self.message = message
        }
    }

    /// The output style chosen with -simple / -json (MDC by default).
    public static func style(_ line: IPPCommandLine) -> MetadataConfig.Style {
        if line.flag("-json") { return .json }
        if line.flag("-simple") { return .simple }
        return .mdc
    }

    /// Prints rows; nothing when there are none (except `[]` for -json).
    public static func printRows(_ rows: [MetadataRow], blockName: String, style: MetadataConfig.Style) {
        let text = MetadataConfig.render(rows, blockName: blockName, style: style)
        if !text.isEmpty { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    /// Prints a new id as the IPP insert modes do (or `{"name": id}` with -json).
    public static func printID(_ id: Int64, name: String, style: MetadataConfig.Style) {
        print(style == .json ? "{\"\(name)\": \(id)}" : "\(id)")
    }

    public static func warn(_ tool: String, _ message: String) {
        FileHandle.standardError.write(Data("\(tool): \(message)\n".utf8))
    }

    /// Opens the database named by -dbname (a note on stderr for -dbserver, which has no meaning here).
    public static func openDatabase(
        _ tool: String, _ line: IPPCommandLine,
        mode: RequestDatabase.OpenMode = .requireCurrent
    ) throws -> RequestDatabase {
        let path = DatabaseLocation.path(dbname: line.string("-dbname"))
        if let server = line.string("-dbserver") {
            warn(tool, "-dbserver \(server) ignored: the request database is the SQLite file \(path)")
        }
        return try RequestDatabase.open(path: path, mode: mode)
    }

    /// Runs a tool body and exits with the IPP status for whatever it threw.
    public static func run(
        _ tool: String, _ parser: IPPArgumentParser, _ arguments: [String],
        _ body: (IPPCommandLine) throws -> Void
    ) -> Never {
        let status: Int32
        do {
            let line = try parser.parse(arguments)
            try body(line)
            status = ExitStatus.success
        } catch let error as IPPUsageError {
            FileHandle.standardError.write(Data("\(error.message)\n\n\(error.usage)".utf8))
            status = ExitStatus.usage
        } catch let error as Exit {
            if let message = error.message { warn(tool, message) }
            status = error.status
        } catch let error as NotFound {
            warn(tool, error.message)
            status = ExitStatus.configError
        } catch let error as SchemaError {
            warn(tool, error.description)
            status = ExitStatus.configError
        } catch let error as PStampError {
            warn(tool, error.message)
            status = (1...6).contains(error.code.rawValue) ? Int32(error.code.rawValue) : ExitStatus.unknownError
        } catch let error as RowCountError {
            warn(tool, error.message)
            status = ExitStatus.unknownError
        } catch let error as DatabaseError {
            warn(tool, "database error: \(error.message ?? error.description)")
            status = ExitStatus.unknownError
        } catch {
            warn(tool, "\(error)")
            status = ExitStatus.unknownError
        }
        exit(status)
    }
}
