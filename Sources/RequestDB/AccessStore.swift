import GRDB
import PStampCore

/// Access control: `pstampUserDomain`, `pstampUser`, `pstampAccessLevel`.
public struct AccessStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// The defaults a user or domain carries; nil leaves a column alone (or NULL on insert).
    public struct Defaults: Sendable, Hashable {
        public var accessLevel: Int?
        public var defaultProduct: String?
        public var defaultLabel: String?
        public init(accessLevel: Int? = nil, defaultProduct: String? = nil, defaultLabel: String? = nil) {
            self.accessLevel = accessLevel
            self.defaultProduct = defaultProduct
            self.defaultLabel = defaultLabel
        }
        var isEmpty: Bool { accessLevel == nil && defaultProduct == nil && defaultLabel == nil }
    }

    // MARK: domains

    public func addDomain(_ domain: String, _ defaults: Defaults) throws {
        try writer.immediateTransaction { db in
            try db.execute(
                sql: "INSERT INTO pstampUserDomain (domainName, accessLevel, defaultProduct, defaultLabel) VALUES (?, ?, ?, ?)",
                arguments: [domain, defaults.accessLevel, nonEmpty(defaults.defaultProduct), nonEmpty(defaults.defaultLabel)])
        }
    }

    public func updateDomain(_ domain: String, _ defaults: Defaults) throws -> Int {
        try update(table: "pstampUserDomain", where: "domainName = ?", [domain], defaults)
    }

    /// `-listdomain` rows: domainName STR, accessLevel S32, defaultProduct STR, defaultLabel STR.
    public func listDomains(domain: String? = nil, accessLevel: Int? = nil, limit: Int? = nil) throws -> [MetadataRow] {
        var c = SQLConditions()
        c.add("domainName", "=", domain)
        c.add("accessLevel", "=", accessLevel)
        return try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM pstampUserDomain WHERE \(c.sql) ORDER BY rowid" + limitSQL(limit),
                arguments: c.arguments
            ).map { row in
                MetadataRow([
                    MetadataItem("domainName", .str(row["domainName"])),
                    MetadataItem("accessLevel", .s32(row["accessLevel"])),
                    MetadataItem("defaultProduct", .str(row["defaultProduct"])),
                    MetadataItem("defaultLabel", .str(row["defaultLabel"])),
                ])
            }
        }
    }

    // MARK: users

    public func addUser(_ user: String, domain: String, _ defaults: Defaults) throws {
        try writer.immediateTransaction { db in
            try db.execute(
                sql: """
                    INSERT INTO pstampUser (userName, domainName, accessLevel, defaultProduct, defaultLabel) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [user, domain, defaults.accessLevel, nonEmpty(defaults.defaultProduct), nonEmpty(defaults.defaultLabel)])
        }
    }

    /// `-deluser`: removes a user and revokes its tokens (they go with it); returns the rows removed.
    public func deleteUser(_ user: String, domain: String) throws -> Int {
        try writer.immediateTransaction { db in
            try db.execute(sql: "DELETE FROM pstampUserToken WHERE userName = ? AND domainName = ?", arguments: [user, domain])
            try db.execute(sql: "DELETE FROM pstampUser WHERE userName = ? AND domainName = ?", arguments: [user, domain])
            return db.changesCount
        }
    }

    public func updateUser(_ user: String, domain: String, _ defaults: Defaults) throws -> Int {
        try update(table: "pstampUser", where: "userName = ? AND domainName = ?", [user, domain], defaults)
    }

    /// `-listuser` rows (a selector is required): userName, domainName, accessLevel (the user's),
    /// domainAccessLevel (the domain's, 0 if none), userProduct, userLabel, domainProduct, domainLabel.
    public func listUsers(
        user: String? = nil, domain: String? = nil, accessLevel: Int? = nil,
        limit: Int? = nil
    ) throws -> [MetadataRow] {
        var c = SQLConditions()
        c.add("pstampUser.userName", "=", user)
        c.add("pstampUser.domainName", "=", domain)
        c.add("pstampUser.accessLevel", "=", accessLevel)
        guard !c.isEmpty else { throw PStampError(.unknownError, "search parameters are required") }
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT pstampUser.userName, pstampUser.domainName, pstampUser.accessLevel,
                        IFNULL(pstampUserDomain.accessLevel, 0) AS domainAccessLevel,
                        pstampUser.defaultProduct AS userProduct, pstampUser.defaultLabel AS userLabel,
                        pstampUserDomain.defaultProduct AS domainProduct, pstampUserDomain.defaultLabel AS domainLabel
                    FROM pstampUser LEFT JOIN pstampUserDomain ON pstampUserDomain.domainName = pstampUser.domainName
                    WHERE \(c.sql) ORDER BY pstampUser.rowid
                    """ + limitSQL(limit), arguments: c.arguments
            ).map { row in
                MetadataRow([
                    MetadataItem("userName", .str(row["userName"])),
                    MetadataItem("domainName", .str(row["domainName"])),
                    MetadataItem("accessLevel", .s32(row["accessLevel"])),
                    MetadataItem("domainAccessLevel", .s64(row["domainAccessLevel"])),
                    MetadataItem("userProduct", .str(row["userProduct"])),
                    MetadataItem("userLabel", .str(row["userLabel"])),
                    MetadataItem("domainProduct", .str(row["domainProduct"])),
                    MetadataItem("domainLabel", .str(row["domainLabel"])),
                ])
            }
        }
    }

    // MARK: access levels

    /// `-addaccesslevel` by project id or project name. mjd_max 0 = unlimited, negative = no access.
    public func addAccessLevel(
        projID: Int64?, projectName: String?, accessLevel: Int, mjdMin: Double = 0,
        mjdMax: Double = 0
    ) throws {
        try writer.immediateTransaction { db in
            let id: Int64
            if let projID {
                id = projID
            } else if let projectName {
                guard
                    let found = try Int64.fetchOne(
                        db, sql: "SELECT proj_id FROM pstampProject WHERE name = ?",
                        arguments: [projectName])
                else {
                    throw PStampError(.unknownError, "no project named \(projectName)")
                }
                id = found
            } else {
                throw PStampError(.unknownError, "proj_id or project_name is required")
            }
            try db.execute(
                sql: "INSERT INTO pstampAccessLevel (proj_id, accessLevel, mjd_min, mjd_max) VALUES (?, ?, ?, ?)",
                arguments: [id, accessLevel, mjdMin, mjdMax])
        }
    }

    /// `-listaccesslevel` rows: the access level joined with its project (proj_id, accessLevel, mjd_min,
    /// mjd_max, then the project's other columns).
    public func listAccessLevels(
        projectName: String? = nil, projID: Int64? = nil, accessLevel: Int? = nil,
        limit: Int? = nil
    ) throws -> [MetadataRow] {
        var c = SQLConditions()
        c.add("pstampProject.name", "=", projectName)
        c.add("pstampAccessLevel.proj_id", "=", projID)
        c.add("pstampAccessLevel.accessLevel", "=", accessLevel)
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT pstampAccessLevel.proj_id, pstampAccessLevel.accessLevel, pstampAccessLevel.mjd_min,
                        pstampAccessLevel.mjd_max, pstampProject.name, pstampProject.state, pstampProject.dbname,
                        pstampProject.dvodb, pstampProject.camera, pstampProject.telescope, pstampProject.need_magic
                    FROM pstampAccessLevel JOIN pstampProject ON pstampProject.proj_id = pstampAccessLevel.proj_id
                    WHERE \(c.sql) ORDER BY pstampAccessLevel.proj_id, pstampAccessLevel.accessLevel
                    """ + limitSQL(limit), arguments: c.arguments
            ).map { row in
                MetadataRow([
                    MetadataItem("proj_id", .s64(row["proj_id"])),
                    MetadataItem("accessLevel", .s32(row["accessLevel"])),
                    MetadataItem("mjd_min", .f32((row["mjd_min"] as Double?).map(Float.init))),
                    MetadataItem("mjd_max", .f32((row["mjd_max"] as Double?).map(Float.init))),
                    MetadataItem("name", .str(row["name"])),
                    MetadataItem("state", .str(row["state"])),
                    MetadataItem("dbname", .str(row["dbname"])),
                    MetadataItem("dvodb", .str(row["dvodb"])),
                    MetadataItem("camera", .str(row["camera"])),
                    MetadataItem("telescope", .str(row["telescope"])),
                    MetadataItem("need_magic", .bool(row["need_magic"])),
                ])
            }
        }
    }

    private func update(table: String, where condition: String, _ keys: [String], _ defaults: Defaults) throws -> Int {
        guard !defaults.isEmpty else { throw PStampError(.unknownError, "at least one set option is required") }
        var sets: [String] = []
        var args = StatementArguments()
        if let v = defaults.accessLevel { sets.append("accessLevel = ?"); args += [v] }
        if let v = defaults.defaultProduct { sets.append("defaultProduct = ?"); args += [nonEmpty(v)] }
        if let v = defaults.defaultLabel { sets.append("defaultLabel = ?"); args += [nonEmpty(v)] }
        args += StatementArguments(keys)
        return try writer.immediateTransaction { db in
            try db.execute(sql: "UPDATE \(table) SET \(sets.joined(separator: ", ")) WHERE \(condition)", arguments: args)
            return db.changesCount
        }
    }
}
