import ImageDB
import PStampCore
import RequestDB

/// labeltool: the `Label` table of the request database (and, through `LabelCatalog`, of an image
/// database), with the IPP's modes, options and output.
@main
struct LabelTool {
    static func main() {
        OperatorTool.run("labeltool", LabelToolModes.parser, Array(CommandLine.arguments.dropFirst())) { line in
            try run(line, catalog: try openCatalog(line))
        }
    }

    /// The Label table `-dbname` names: an image database (e.g. `-dbname gpc1`, for the `ps_ud_*`
    /// update labels) when the name is an SQLite file holding the gpc1 tables or, with no such file,
    /// when the site configuration names a MySQL server (DBSERVER or DBSOCKET, or -dbserver);
    /// otherwise the request database.
    static func openCatalog(_ line: IPPCommandLine) throws -> any LabelCatalog {
        if let name = line.string("-dbname"),
            let imageDB = try ImageDatabaseLocation.open(
                dbname: name, sqlitePath: DatabaseLocation.path(dbname: name),
                server: line.string("-dbserver"))
        {
            return ImageLabelCatalog(imageDB)
        }
        return try OperatorTool.openDatabase("labeltool", line).labels
    }

    static func run(_ line: IPPCommandLine, catalog: any LabelCatalog) throws {
        let style = OperatorTool.style(line)
        switch line.mode {
        case "-definelabel":
            let entry = LabelEntry(
                label: line.string("-set_label")!, priority: try priority(line)!,
                active: !line.flag("-set_inactive"), comment: line.string("-set_comment"))
            try catalog.define(entry)
            OperatorTool.printRows([entry.metadataRow], blockName: "Label", style: style)
        case "-updatelabel":
            if line.flag("-set_active") && line.flag("-set_inactive") {
                throw PStampError(.unknownError, "only one of -set_active and -set_inactive may be supplied")
            }
            let change = LabelChange(
                priority: try priority(line),
                active: line.flag("-set_active") ? true : line.flag("-set_inactive") ? false : nil,
                comment: line.string("-set_comment"))
            let label = line.string("-label")!
            if try catalog.update(label: label, change) == 0 {
                OperatorTool.warn("labeltool", "no label \(label): nothing changed (define it with -definelabel)")
            }
        case "-deletelabel":
            let label = line.string("-label")!
            if try catalog.delete(label: label) == 0 {
                OperatorTool.warn("labeltool", "no label \(label): nothing deleted")
            }
        case "-listlabel":
            if line.flag("-active") && line.flag("-inactive") {
                throw PStampError(.unknownError, "only one of -active and -inactive may be supplied")
            }
            if line.flag("-hightolow") && line.flag("-lowtohigh") {
                throw PStampError(.unknownError, "only one of -lowtohigh and -hightolow may be supplied")
            }
            let query = LabelQuery(
                pattern: line.string("-label"),
                active: line.flag("-active") ? true : line.flag("-inactive") ? false : nil,
                order: line.flag("-hightolow") ? .highToLow : line.flag("-lowtohigh") ? .lowToHigh : nil,
                limit: line.int("-limit").map { Int(clamping: $0) })
            OperatorTool.printRows(try catalog.list(query).map(\.metadataRow), blockName: "Label", style: style)
        default:
            fatalError("unreachable mode \(line.mode)")
        }
    }

    /// -set_priority, which must fit the 32-bit column (QUIRK fixed: the IPP declared it 64-bit and read 32).
    static func priority(_ line: IPPCommandLine) throws -> Int32? {
        guard let value = line.int("-set_priority") else { return nil }
        guard let p = Int32(exactly: value) else {
            throw PStampError(.configError, "-set_priority \(value) does not fit a 32-bit priority")
        }
        return p
    }
}
