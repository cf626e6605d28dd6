/// Command lines as the IPP tools read them: one mode flag (`-pendingreq`), then single-dash long
/// options (`-req_id 182918 -set_state hold`), each valid only for the modes that declare it.
/// A misspelt mode or option is a usage error (the tools print usage and exit 2).
public struct IPPOption: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case flag
        case string
        case integer
        case number
        case time
    }

    public let name: String
    public let kind: Kind
    public let required: Bool
    /// `-label` may be given several times; the values are OR-ed.
    public let repeatable: Bool
    public let help: String

    public init(_ name: String, _ kind: Kind, required: Bool = false, repeatable: Bool = false, _ help: String = "") {
        self.name = name
        self.kind = kind
        self.required = required
        self.repeatable = repeatable
        self.help = help
    }
}

/// One mode of a tool with the options it accepts.
public struct IPPMode: Sendable {
    public let name: String
    public let help: String
    public let options: [IPPOption]
    /// The name of the value the mode itself takes (`-backup FILE`), or nil for a bare mode flag.
    /// The value is read with `IPPCommandLine.string(mode)`.
    public let value: String?
    public init(_ name: String, _ help: String, _ options: [IPPOption], value: String? = nil) {
        self.name = name
        self.help = help
        self.options = options
        self.value = value
    }
}

/// A command line that did not parse: the message and the usage text to print; exit status 2.
public struct IPPUsageError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let usage: String
    public var description: String { message }
}

/// A parsed command line: the mode and the options given.
public struct IPPCommandLine: Sendable {
    public let mode: String
    let values: [String: [String]]

    public func has(_ name: String) -> Bool { values[name] != nil }
    public func string(_ name: String) -> String? { values[name]?.last }
    public func strings(_ name: String) -> [String] { values[name] ?? [] }
    public func flag(_ name: String) -> Bool { values[name] != nil }
    /// Integer options were checked when parsing, so this cannot fail for a declared integer option.
    public func int(_ name: String) -> Int64? { values[name]?.last.flatMap { Int64($0) } }
    public func number(_ name: String) -> Double? { values[name]?.last.flatMap { Double($0) } }
    public func time(_ name: String) -> MetadataTime? { values[name]?.last.flatMap { MetadataTime($0) } }
}

/// The parser of one tool: its modes and the options every mode accepts.
public struct IPPArgumentParser: Sendable {
    public let tool: String
    public let summary: String
    public let modes: [IPPMode]
    public let common: [IPPOption]

    public init(tool: String, summary: String, modes: [IPPMode], common: [IPPOption]) {
        self.tool = tool
        self.summary = summary
        self.modes = modes
        self.common = common
    }

    public func parse(_ arguments: [String]) throws(IPPUsageError) -> IPPCommandLine {
        let modeNames = Set(modes.map(\.name))
        let given = arguments.filter { modeNames.contains($0) }
        guard !given.isEmpty else {
            if let first = arguments.first(where: { $0.hasPrefix("-") && !isCommon($0) }) {
                throw usageError("unknown mode or option \(first)")
            }
            throw usageError("a mode is required")
        }
        guard given.count == 1 else {
            throw usageError("only one mode may be given (got \(given.joined(separator: " ")))")
        }
        let mode = modes.first { $0.name == given[0] }!
        let options = Dictionary((mode.options + common).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var values: [String: [String]] = [:]
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if arg == mode.name {
                if let valueName = mode.value {
                    guard i < arguments.count, !arguments[i].hasPrefix("-") else {
                        throw usageError("\(mode.name) needs \(valueName)", mode: mode)
                    }
                    values[arg] = [arguments[i]]
                    i += 1
                }
                continue
            }
            guard let option = options[arg] else {
                if modeNames.contains(arg) || arg.hasPrefix("-") {
                    throw usageError("option \(arg) is not valid for \(mode.name)", mode: mode)
                }
                throw usageError("unexpected argument '\(arg)'", mode: mode)
            }
            if option.kind == .flag {
                values[arg, default: []].append("T")
                continue
            }
            guard i < arguments.count else { throw usageError("option \(arg) needs a value", mode: mode) }
            let value = arguments[i]
            i += 1
            switch option.kind {
            case .integer:
                guard Int64(value) != nil else { throw usageError("option \(arg) needs an integer, not '\(value)'", mode: mode) }
            case .number:
                guard Double(value) != nil else { throw usageError("option \(arg) needs a number, not '\(value)'", mode: mode) }
            case .time:
                guard MetadataTime(value) != nil else {
                    throw usageError("option \(arg) needs a time (YYYY-MM-DDThh:mm:ss), not '\(value)'", mode: mode)
                }
            case .flag, .string:
                break
            }
            if values[arg] != nil && !option.repeatable {
                throw usageError("option \(arg) may be given only once", mode: mode)
            }
            values[arg, default: []].append(value)
        }
        for option in mode.options where option.required && values[option.name] == nil {
            throw usageError("\(mode.name) needs \(option.name)", mode: mode)
        }
        return IPPCommandLine(mode: mode.name, values: values)
    }

    func isCommon(_ name: String) -> Bool { common.contains { $0.name == name } }

    func usageError(_ message: String, mode: IPPMode? = nil) -> IPPUsageError {
        IPPUsageError(message: "\(tool): \(message)", usage: usage(mode: mode))
    }

    /// The usage text: every mode, or one mode with its options.
    public func usage(mode: IPPMode? = nil) -> String {
        func describe(_ o: IPPOption) -> String {
            let arg: String =
                switch o.kind {
                case .flag: ""
                case .string: " <str>"
                case .integer: " <int>"
                case .number: " <num>"
                case .time: " <time>"
                }
            var line = "      \(o.name)\(arg)"
            if o.required { line += " (required)" }
            if o.repeatable { line += " (repeatable)" }
            if !o.help.isEmpty { line += "  " + o.help }
            return line
        }
        var lines = ["usage: \(tool) <mode> [options]", summary, ""]
        if let mode {
            lines.append("  \(mode.name)\(mode.value.map { " " + $0 } ?? ""): \(mode.help)")
            lines += mode.options.map(describe)
        } else {
            lines.append("modes:")
            for m in modes { lines.append("  \(m.name)\(m.value.map { " " + $0 } ?? "")  \(m.help)") }
        }
        lines.append("")
        lines.append("options of every mode:")
        lines += common.map(describe)
        return lines.joined(separator: "\n") + "\n"
    }
}
