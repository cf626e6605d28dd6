import PStampCore

/// pstamptool's modes and options, spelled as the IPP's pstamptool (server-internals.md §4.2).
enum PStampToolModes {
    static func s(_ name: String, required: Bool = false, _ help: String = "") -> IPPOption {
        IPPOption(name, .string, required: required, help)
    }
    static func i(_ name: String, required: Bool = false, _ help: String = "") -> IPPOption {
        IPPOption(name, .integer, required: required, help)
    }
    static func f(_ name: String, _ help: String = "") -> IPPOption { IPPOption(name, .flag, help) }
    static let labels = IPPOption("-label", .string, repeatable: true, "label (repeatable; values are OR-ed)")
    static let limit = i("-limit", "at most this many rows (0: no limit)")
    static let ignoredLimit = i("-limit", "accepted and ignored (update modes)")
    static let output = [f("-simple", "one line per row"), f("-json", "JSON for scripts")]

    static let modes: [IPPMode] = [
        IPPMode("-create", "create the request database, or migrate it to this binary's version", []),
        IPPMode(
            "-backup", "copy the request database to FILE, consistently, while the server runs (checked before it is kept)",
            [], value: "FILE"),
        // incoming data stores
        IPPMode(
            "-adddatastore", "add an incoming data store to poll",
            [
                s("-set_uri", required: true), s("-set_out_product", required: true), s("-set_last_fileset"),
                s("-set_state", "enabled (default) or disabled"), s("-set_label"), i("-set_poll_interval", "seconds (60)"),
            ]),
        IPPMode("-datastore", "list the enabled incoming data stores", [i("-ds_id"), f("-ready", "only those due a poll")] + output),
        IPPMode(
            "-moddatastore", "change an incoming data store (always sets its timestamp)",
            [
                i("-ds_id", required: true), s("-set_last_fileset"), s("-set_uri"), s("-set_state"), s("-set_label"),
                i("-set_poll_interval"), f("-update_timestamp"), s("-state", "accepted and ignored"),
            ]),
        // requests
        IPPMode(
            "-addreq", "add a request (state new); prints its req_id",
            [
                s("-uri", required: true), i("-ds_id"), i("-proj_id"), s("-name"), s("-username"), s("-label"),
            ]),
        IPPMode("-pendingreq", "requests waiting to be parsed", [i("-req_id"), labels, limit] + output),
        IPPMode(
            "-listreq", "list requests (a selector is required; none found exits 3)",
            [
                i("-req_id"), i("-not_req_id"), s("-name", "LIKE"), s("-username"), s("-state"), s("-label", "LIKE"), limit,
            ] + output),
        IPPMode("-completedreq", "requests whose jobs are all done (ready to finish)", [labels, limit] + output),
        IPPMode(
            "-updatereq", "change requests (>= 1 selector and >= 1 setter)",
            [
                i("-req_id"), i("-req_id_max"), i("-fault"), s("-state"), s("-reqType"), s("-name", "LIKE"), s("-username"),
                labels, IPPOption("-timestamp_begin", .time), IPPOption("-timestamp_end", .time),
                s(
                    "-set_state",
                    "new run parsed stop hold goto_cleaned cleaned; run on a parsed (PREVIEW) request promotes it and its parsed jobs"),
                s("-set_label"), s("-set_outProduct"),
                s("-set_outdir"), i("-set_fault"), s("-set_uri"), s("-set_name"), s("-set_username"), s("-set_reqType"),
                f("-clearfault"), ignoredLimit,
            ]),
        IPPMode(
            "-revertreq", "clear request faults (and drop jobs of half-parsed requests)",
            [
                i("-req_id"), i("-fault"), s("-state"), labels, ignoredLimit,
            ]),
        IPPMode("-pendingcleanup", "requests waiting to be cleaned", [i("-req_id"), i("-ds_id"), labels, limit] + output),
        // jobs
        IPPMode(
            "-addjob", "add a job; prints its job_id",
            [
                i("-req_id", required: true), s("-rownum", required: true),
                s("-job_type", "stamp (default) get_image detect_query none child mosaic"), s("-outputBase"),
                s("-state", "run (default) parsed stop"), i("-exp_id"), i("-options", "OPTION_MASK"), i("-dep_id"),
                i("-parent_id"), f("-is_parent"), i("-fault"),
            ]),
        IPPMode(
            "-listjob", "list jobs (a selector is required)",
            [
                i("-job_id"), i("-req_id"), i("-dep_id"), s("-state"), s("-jobType"), i("-fault"),
                f("-faulted", "every job with a fault (fault != 0); not an IPP option"), limit,
            ] + output),
        IPPMode("-pendingjob", "jobs ready to run", [i("-job_id"), i("-req_id"), labels, limit] + output),
        IPPMode(
            "-updatejob", "change jobs (-set_fault also counts the fault)",
            [
                i("-job_id"), i("-req_id"), i("-dep_id"), s("-state"), i("-fault"), i("-fault_count", ">="), labels,
                s("-set_state"), i("-set_fault"), ignoredLimit,
            ]),
        IPPMode(
            "-stopdependentjob", "stop the running jobs of faulted dependents",
            [
                i("-set_fault", required: true), s("-set_state", "dependent state (new)"), i("-req_id"), i("-job_id"),
                i("-dep_id"), i("-stage_id"), s("-component"), i("-fault"), i("-fault_count", ">="), labels, ignoredLimit,
            ]),
        IPPMode(
            "-revertjob", "clear job faults",
            [
                i("-job_id"), i("-req_id"), i("-req_id_min"), i("-fault"), labels, f("-clear_fault_count"), f("-all"),
                ignoredLimit,
            ]),
        // dependents
        IPPMode(
            "-getdependent", "find or create the open dependent of an image component; prints its dep_id",
            [
                s("-stage", required: true), i("-stage_id", required: true), s("-component", required: true),
                s("-imagedb", required: true), s("-outdir", required: true),
                s("-rlabel", "optional (the IPP required it, yet its parser omitted it for unlabelled requests)"),
                f("-need_magic"), f("-hold"), f("-no_create"),
            ]),
        IPPMode(
            "-pendingdependent", "dependents waiting for their image component",
            [
                s("-stage"), s("-imagedb"), i("-stage_id"), s("-component"), i("-dep_id"), i("-job_id"), i("-req_id"),
                s("-rlabel"), IPPOption("-label", .string, repeatable: true, "request label (=, repeatable)"),
                f("-includefaulted"), limit,
            ] + output),
        IPPMode(
            "-updatedependent", "change a dependent (-set_fault also counts the fault)",
            [
                i("-dep_id", required: true), s("-set_state"), i("-set_fault"),
            ]),
        IPPMode(
            "-revertdependent", "clear dependent faults",
            [
                i("-dep_id"), i("-job_id"), i("-req_id"), IPPOption("-label", .string, repeatable: true, "(=)"), i("-fault"),
                f("-clear_fault_count"), ignoredLimit,
            ]),
        // projects
        IPPMode(
            "-addproject", "add a project",
            [
                s("-name", required: true), s("-state", "enabled (default)"), s("-imagedb", required: true), s("-dvodb"),
                s("-inst", required: true), s("-telescope", required: true), f("-need_magic"),
            ]),
        IPPMode("-project", "list projects", [s("-name")] + output),
        IPPMode(
            "-modproject", "change a project's state",
            [
                i("-proj_id", required: true), s("-state", required: true), s("-imagedb", "ignored"), s("-dvodb", "ignored"),
                s("-camera", "ignored"), s("-telescope", "ignored"), f("-need_magic"),
            ]),
        IPPMode("-getwebrequestnum", "a new number for naming a web upload", []),
        // files
        IPPMode(
            "-addfile", "record a file written outside the workdir; prints its file_id",
            [
                i("-job_id", required: true), s("-path", required: true),
            ]),
        IPPMode("-listfile", "list recorded files (a selector is required)", [i("-file_id"), i("-job_id"), i("-req_id"), limit] + output),
        IPPMode("-deletefile", "forget the files of a job", [i("-job_id", required: true)]),
        // access control
        IPPMode(
            "-adddomain", "add a user domain",
            [
                s("-set_domain", required: true), i("-set_accessLevel", required: true), s("-set_defaultProduct"),
                s("-set_defaultLabel"),
            ]),
        IPPMode(
            "-updatedomain", "change a user domain",
            [
                s("-domain", required: true), i("-set_accessLevel"), s("-set_defaultProduct"), s("-set_defaultLabel"),
            ]),
        IPPMode("-listdomain", "list user domains", [s("-domain"), i("-accessLevel"), limit] + output),
        IPPMode(
            "-adduser", "add a user; prints the user's API token (shown once, only its hash is kept)",
            [
                s("-set_user", required: true), s("-set_domain", required: true), i("-set_accessLevel"),
                s("-set_defaultProduct"), s("-set_defaultLabel"), f("-no_token", "issue no token"),
            ] + output),
        IPPMode(
            "-addtoken", "issue another API token for a user; prints it (shown once)",
            [
                s("-user", required: true), s("-domain", required: true),
            ] + output),
        IPPMode("-listtoken", "list API tokens (ids and owners, never the tokens)", [s("-user"), s("-domain"), limit] + output),
        IPPMode(
            "-deltoken", "revoke API tokens: one (-token_id) or all of a user (-user -domain)",
            [
                i("-token_id"), s("-user"), s("-domain"),
            ]),
        IPPMode("-deluser", "remove a user and revoke its tokens", [s("-user", required: true), s("-domain", required: true)]),
        IPPMode(
            "-updateuser", "change a user",
            [
                s("-user", required: true), s("-domain", required: true), i("-set_accessLevel"), s("-set_defaultProduct"),
                s("-set_defaultLabel"),
            ]),
        IPPMode("-listuser", "list users (a selector is required)", [s("-user"), s("-domain"), i("-accessLevel"), limit] + output),
        IPPMode(
            "-addaccesslevel", "add a project access level",
            [
                i("-set_proj_id"), s("-set_project_name"), i("-set_accessLevel", required: true),
                IPPOption("-set_mjd_min", .number), IPPOption("-set_mjd_max", .number, "0: unlimited; negative: no access"),
            ]),
        IPPMode("-listaccesslevel", "list access levels", [s("-project_name"), i("-proj_id"), i("-accessLevel"), limit] + output),
    ]

    static let common = [
        s("-dbname", "database: a path, or a name in $PSTAMP_DATA_DIR (default ./var) as NAME.sqlite"),
        s("-dbserver", "accepted for habit and ignored"),
    ]

    static let parser = IPPArgumentParser(
        tool: "pstamptool",
        summary: "The postage-stamp server's operator tool: requests, jobs, dependents and their settings.",
        modes: modes, common: common)
}
