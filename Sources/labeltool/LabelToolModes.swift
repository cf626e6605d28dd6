import PStampCore

/// labeltool's modes and options, spelled as the IPP's labeltool (server-internals.md §4.3).
enum LabelToolModes {
    static let output = [IPPOption("-simple", .flag, "one line per row"), IPPOption("-json", .flag, "JSON for scripts")]

    static let modes: [IPPMode] = [
        IPPMode(
            "-definelabel", "define a label (active unless -set_inactive) and print it",
            [
                IPPOption("-set_label", .string, required: true), IPPOption("-set_priority", .integer, required: true),
                IPPOption("-set_inactive", .flag), IPPOption("-set_comment", .string),
            ] + output),
        IPPMode(
            "-updatelabel", "change a label (at least one -set option)",
            [
                IPPOption("-label", .string, required: true), IPPOption("-set_priority", .integer),
                IPPOption("-set_active", .flag), IPPOption("-set_inactive", .flag), IPPOption("-set_comment", .string),
            ]),
        IPPMode("-deletelabel", "delete a label", [IPPOption("-label", .string, required: true)]),
        IPPMode(
            "-listlabel", "list labels",
            [
                IPPOption("-label", .string, "LIKE pattern"), IPPOption("-active", .flag), IPPOption("-inactive", .flag),
                IPPOption("-hightolow", .flag), IPPOption("-lowtohigh", .flag), IPPOption("-limit", .integer),
            ] + output),
    ]

    static let common = [
        IPPOption("-dbname", .string, "database: a path, or a name in $PSTAMP_DATA_DIR (default ./var) as NAME.sqlite"),
        IPPOption("-dbserver", .string, "MySQL server of an image database (-dbname gpc1); ignored for the request database"),
    ]

    static let parser = IPPArgumentParser(
        tool: "labeltool",
        summary: "Label priorities: work with a higher priority is served first; an inactive label's work waits.",
        modes: modes, common: common)
}
