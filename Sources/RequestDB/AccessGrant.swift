import GRDB
import PStampCore

/// What a requester may see, as the parser decides it from EMAIL (pstampparse.pl `getUsersAccessLevel`):
/// the access level and the output product and label that replace the request's defaults.
public struct AccessGrant: Sendable, Equatable {
    /// Negative: no access at all (29 NOT_AUTHORIZED).
    public var level: Int
    public var product: String?
    public var label: String?
    /// Where the level came from: `user`, `domain`, `default`, or `refused` (no user@domain form).
    public var source: String

    public init(level: Int, product: String? = nil, label: String? = nil, source: String) {
        self.level = level; self.product = product; self.label = label; self.source = source
    }
}

/// A project's date cap for one access level (`pstampAccessLevel`).
public struct AccessDateCap: Sendable, Equatable {
    public var mjdMin: Double
    /// 0: unlimited; negative: the level may see nothing of the project.
    public var mjdMax: Double
    public init(mjdMin: Double, mjdMax: Double) { self.mjdMin = mjdMin; self.mjdMax = mjdMax }
}

extension AccessStore {
    /// The grant for a request: `AccessRules` decide whose address counts (a logged-in user's own, else
    /// the EMAIL) and whether its rows may raise the level above `defaultLevel` (only with an
    /// authenticated identity). An anonymous request gets at most the default level, with no product
    /// or label of the EMAIL's; an EMAIL without user@domain is refused as before.
    public func grant(identity: RequestIdentity, email: String?, defaultLevel: Int) throws -> AccessGrant {
        let address = AccessRules.address(identity: identity, email: email)
        let found = try grant(email: address, defaultLevel: defaultLevel)
        if found.level < 0 || AccessRules.vouchesForAddress(identity) { return found }
        let level = AccessRules.level(found: found.level, defaultLevel: defaultLevel, identity: identity)
        return AccessGrant(level: level, source: found.source == "default" ? "default" : "default (EMAIL not authenticated)")
    }

    /// The grant for `user@domain`: the pstampUser row (its level; its product and label, else its
    /// domain's), else the pstampUserDomain row, else `defaultLevel` with no product or label.
    /// An address without both parts is refused (level −1), as the IPP does for EMAIL `null`.
    public func grant(email: String?, defaultLevel: Int) throws -> AccessGrant {
        guard let email, let at = email.firstIndex(of: "@") else { return AccessGrant(level: -1, source: "refused") }
        let user = String(email[..<at]), domain = String(email[email.index(after: at)...])
        guard !user.isEmpty, !domain.isEmpty, !domain.contains("@") else { return AccessGrant(level: -1, source: "refused") }
        return try writer.read { db in
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT pstampUser.accessLevel AS level, pstampUserDomain.accessLevel AS domainLevel,
                        pstampUser.defaultProduct AS userProduct, pstampUser.defaultLabel AS userLabel,
                        pstampUserDomain.defaultProduct AS domainProduct, pstampUserDomain.defaultLabel AS domainLabel
                    FROM pstampUser LEFT JOIN pstampUserDomain ON pstampUserDomain.domainName = pstampUser.domainName
                    WHERE pstampUser.userName = ? AND pstampUser.domainName = ?
                    """, arguments: [user, domain])
            {
                // A user row without its own level takes its domain's, then the default.
                let level: Int = (row["level"] as Int?) ?? (row["domainLevel"] as Int?) ?? defaultLevel
                return AccessGrant(
                    level: level,
                    product: nonEmpty(row["userProduct"]) ?? nonEmpty(row["domainProduct"]),
                    label: nonEmpty(row["userLabel"]) ?? nonEmpty(row["domainLabel"]), source: "user")
            }
            if let row = try Row.fetchOne(
                db, sql: "SELECT accessLevel, defaultProduct, defaultLabel FROM pstampUserDomain WHERE domainName = ?",
                arguments: [domain])
            {
                return AccessGrant(
                    level: (row["accessLevel"] as Int?) ?? defaultLevel,
                    product: nonEmpty(row["defaultProduct"]), label: nonEmpty(row["defaultLabel"]),
                    source: "domain")
            }
            return AccessGrant(level: defaultLevel, source: "default")
        }
    }

    /// The date cap of `level` in the project named `project`, or nil when pstampAccessLevel has no row.
    public func dateCap(project: String, level: Int) throws -> AccessDateCap? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT pstampAccessLevel.mjd_min, pstampAccessLevel.mjd_max FROM pstampAccessLevel
                    JOIN pstampProject ON pstampProject.proj_id = pstampAccessLevel.proj_id
                    WHERE pstampProject.name = ? AND pstampAccessLevel.accessLevel = ?
                    """, arguments: [project, level]
            ).map {
                AccessDateCap(mjdMin: ($0["mjd_min"] as Double?) ?? 0, mjdMax: ($0["mjd_max"] as Double?) ?? 0)
            }
        }
    }
}
