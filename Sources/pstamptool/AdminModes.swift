import PStampCore
import RequestDB

extension ModeContext {
    func dataStoreMode() throws {
        let stores = db.incomingDataStores
        switch line.mode {
        case "-adddatastore":
            _ = try stores.add(
                uri: line.string("-set_uri")!, outProduct: line.string("-set_out_product")!,
                lastFileset: line.string("-set_last_fileset"),
                state: try line.string("-set_state").map { try DataStoreState.parse($0) } ?? .enabled,
                label: line.string("-set_label"), pollInterval: int("-set_poll_interval") ?? 60)
        case "-datastore":
            print(
                try stores.list(dsID: line.int("-ds_id"), ready: line.flag("-ready")).map(\.metadataRow),
                "pstampDataStore")
        case "-moddatastore":
            var change = IncomingDataStoreChange()
            change.lastFileset = line.string("-set_last_fileset")
            change.uri = line.string("-set_uri")
            change.state = try line.string("-set_state").map { try DataStoreState.parse($0) }
            change.label = line.string("-set_label")
            change.pollInterval = int("-set_poll_interval")
            change.updateTimestamp = line.flag("-update_timestamp")
            try stores.modify(dsID: line.int("-ds_id")!, change)
        default:
            fatalError("unreachable mode \(line.mode)")
        }
    }

    func projectMode() throws {
        let projects = db.projects
        switch line.mode {
        case "-addproject":
            _ = try projects.add(
                name: line.string("-name")!, state: line.string("-state") ?? "enabled",
                imagedb: line.string("-imagedb")!, dvodb: line.string("-dvodb"),
                camera: line.string("-inst")!, telescope: line.string("-telescope")!,
                needMagic: line.flag("-need_magic"))
        case "-project":
            print(try projects.list(name: line.string("-name")).map(\.metadataRow), "pstampProject")
        case "-modproject":
            for ignored in ["-imagedb", "-dvodb", "-camera", "-telescope", "-need_magic"] where line.has(ignored) {
                note("\(ignored) is ignored by -modproject (only the state changes)")
            }
            try projects.modify(projID: line.int("-proj_id")!, state: line.string("-state")!)
        default:
            fatalError("unreachable mode \(line.mode)")
        }
    }

    func fileMode() throws {
        let files = db.files
        switch line.mode {
        case "-addfile":
            OperatorTool.printID(
                try files.add(jobID: line.int("-job_id")!, path: line.string("-path")!),
                name: "file_id", style: style)
        case "-listfile":
            print(
                try files.list(
                    jobID: line.int("-job_id"), reqID: line.int("-req_id"), fileID: line.int("-file_id"),
                    limit: limit), "pstampFile")
        case "-deletefile":
            let deleted = try files.delete(jobID: line.int("-job_id")!)
            note("deleted \(deleted) rows from pstampFile")
        default:
            fatalError("unreachable mode \(line.mode)")
        }
    }

    func accessMode() throws {
        let access = db.access
        func defaults() -> AccessStore.Defaults {
            AccessStore.Defaults(
                accessLevel: int("-set_accessLevel"), defaultProduct: line.string("-set_defaultProduct"),
                defaultLabel: line.string("-set_defaultLabel"))
        }
        switch line.mode {
        case "-adddomain":
            try access.addDomain(line.string("-set_domain")!, defaults())
        case "-updatedomain":
            if try access.updateDomain(line.string("-domain")!, defaults()) == 0 { note("no such domain (nothing changed)") }
        case "-listdomain":
            print(
                try access.listDomains(domain: line.string("-domain"), accessLevel: int("-accessLevel"), limit: limit),
                "pstampUserDomain")
        case "-adduser":
            let user = line.string("-set_user")!, domain = line.string("-set_domain")!
            try access.addUser(user, domain: domain, defaults())
            if !line.flag("-no_token") { try printToken(try db.tokens.issue(user: user, domain: domain), user: user, domain: domain) }
        case "-addtoken":
            let user = line.string("-user")!, domain = line.string("-domain")!
            try printToken(try db.tokens.issue(user: user, domain: domain), user: user, domain: domain)
        case "-listtoken":
            print(try db.tokens.list(user: line.string("-user"), domain: line.string("-domain"), limit: limit), "pstampUserToken")
        case "-deltoken":
            let revoked = try db.tokens.revoke(tokenID: line.int("-token_id"), user: line.string("-user"), domain: line.string("-domain"))
            note("revoked \(revoked) token(s)")
            if revoked == 0 { throw OperatorTool.NotFound("no such token") }
        case "-deluser":
            let removed = try access.deleteUser(line.string("-user")!, domain: line.string("-domain")!)
            if removed == 0 { throw OperatorTool.NotFound("no such user") }
            note("removed the user and revoked its tokens")
        case "-updateuser":
            if try access.updateUser(line.string("-user")!, domain: line.string("-domain")!, defaults()) == 0 {
                note("no such user (nothing changed)")
            }
        case "-listuser":
            print(
                try access.listUsers(
                    user: line.string("-user"), domain: line.string("-domain"),
                    accessLevel: int("-accessLevel"), limit: limit), "pstampUser")
        case "-addaccesslevel":
            try access.addAccessLevel(
                projID: line.int("-set_proj_id"), projectName: line.string("-set_project_name"),
                accessLevel: int("-set_accessLevel")!, mjdMin: line.number("-set_mjd_min") ?? 0,
                mjdMax: line.number("-set_mjd_max") ?? 0)
        case "-listaccesslevel":
            print(
                try access.listAccessLevels(
                    projectName: line.string("-project_name"), projID: line.int("-proj_id"),
                    accessLevel: int("-accessLevel"), limit: limit), "pstampAccessLevel")
        default:
            fatalError("unreachable mode \(line.mode)")
        }
    }

    /// A token as it is issued: shown this once (only its hash is kept).
    func printToken(_ issued: UserTokenStore.Issued, user: String, domain: String) throws {
        print(
            [
                MetadataRow([
                    MetadataItem("token_id", .s64(issued.tokenID)),
                    MetadataItem("userName", .str(user)),
                    MetadataItem("domainName", .str(domain)),
                    MetadataItem("token", .str(issued.token)),
                ])
            ], "pstampUserToken")
        note(
            "the token is shown only now (the database keeps a hash of it): give it to \(user)@\(domain), "
                + "who sends it as 'Authorization: Bearer TOKEN'")
    }
}
