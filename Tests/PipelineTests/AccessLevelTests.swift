import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

extension EndToEndTests.Site {
    /// Submits a request written in the pstamp_request_file text format (header line first).
    /// `identity`: who sent it (the operator by default, who vouches for the EMAIL as the IPP's data stores did).
    func submitText(
        _ text: String, label: String? = "WEB", action: String? = nil,
        identity: RequestIdentity = .operator
    ) throws -> Int64 {
        var document = try RequestTextFormat.parse(text)
        if let action { document.header.action = action }
        let path = f.root.appendingPathComponent("\(document.header.reqName).fits").path
        try RequestFile.write(header: document.header, rows: document.rows, to: path)
        return try f.database.requests.add(NewRequest(uri: path, label: label, identity: identity))
    }

    func results(_ reqID: Int64) throws -> [ResultRow] {
        let request = try f.request(reqID)
        return try ResultsFile.read(try #require(request.outdir) + "/results.fits").rows
    }

    func parseErrors(_ reqID: Int64) throws -> String {
        let outdir = try #require(try f.request(reqID).outdir)
        return (try? String(contentsOfFile: outdir + "/parse_error.txt", encoding: .utf8)) ?? ""
    }
}

/// Access levels in the parser (formats-and-cutouts §6; pstampparse.pl getUsersAccessLevel and
/// adjustDateCuts) on the fixture sky: who may see what, and what a refused user sees in the results.
@Suite("Access levels on the fixture")
struct AccessLevelTests {
    /// Raw exposure 101 (2009-06-01, MJD 54983) and 104 (2010-12-27, MJD 55557), one row each.
    static func twoExposures(_ name: String, email: String) -> String {
        """
        \(name) 2 PROCESS \(email)
        1 150.021054 1.978958 100 100 2 stamp 1 gpc1 null null byid raw 101 null null null null 0 0 null 0 0 | exp 101
        2 150.021054 1.978958 100 100 2 stamp 1 gpc1 null null byid raw 104 null null null null 0 0 null 0 0 | exp 104
        """
    }

    @Test("a domain with a negative level is NOT_AUTHORIZED: the request stops with one 29 row and says why")
    func forbiddenDomain() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        try s.f.database.access.addDomain("banned.example", AccessStore.Defaults(accessLevel: -1))
        let reqID = try s.submitText(Self.twoExposures("acc.banned", email: "someone@banned.example"))
        try await s.drain()
        #expect(try s.f.request(reqID).state == .stop)
        let rows = try s.results(reqID)
        #expect(rows.map(\.errorCode) == [.notAuthorized])
        #expect(rows.map(\.errorString) == ["PSTAMP_NOT_AUTHORIZED"])
        #expect(try s.parseErrors(reqID).contains("Data access is forbidden for someone@banned.example"))
    }

    @Test("an EMAIL without user@domain is refused with 29")
    func badEmail() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        let reqID = try s.submitText(Self.twoExposures("acc.null", email: "null"))
        try await s.drain()
        #expect(try s.results(reqID).map(\.errorCode) == [.notAuthorized])
    }

    @Test("an exposure newer than the default level's cap answers 29 with its exp_id; older ones are stamped")
    func dateCap() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        try s.f.database.access.addAccessLevel(projID: nil, projectName: "gpc1", accessLevel: 1, mjdMax: 55000)
        let reqID = try s.submitText(Self.twoExposures("acc.capped", email: "anyone@unknown.example"))
        try await s.drain()
        #expect(try s.f.request(reqID).state == .stop)
        let rows = try s.results(reqID)
        #expect(rows.first { $0.rownum == 1 }?.errorCode == .success)
        #expect(rows.filter { $0.rownum == 2 }.map(\.errorCode) == [.notAuthorized])
        var filter = JobSelectorHelper.jobs(reqID)
        filter.fault = .notAuthorized
        let refused = try s.f.database.jobs.list(filter)
        #expect(refused.map(\.job.expID) == [104])
        #expect(try s.parseErrors(reqID).contains("exp_id 104"))
    }

    @Test("a user's own level beats the domain's cap, and the user's label and product replace WEB and the default")
    func userBeatsDomain() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        try s.f.database.access.addAccessLevel(projID: nil, projectName: "gpc1", accessLevel: 1, mjdMax: 55000)
        try s.f.database.access.addDomain("uni.example", AccessStore.Defaults(accessLevel: 1))
        try s.f.database.access.addUser(
            "astro", domain: "uni.example",
            AccessStore.Defaults(accessLevel: 2, defaultProduct: "astroproduct", defaultLabel: "ASTRO"))
        let reqID = try s.submitText(Self.twoExposures("acc.user", email: "astro@uni.example"))
        try await s.drain()
        let request = try s.f.request(reqID)
        #expect(request.label == "ASTRO")
        #expect(request.outProduct == "astroproduct")
        #expect(request.state == .stop)
        #expect(try s.results(reqID).allSatisfy { $0.errorCode == .success })
        // A colleague in the same domain without a user row is capped.
        let other = try s.submitText(Self.twoExposures("acc.colleague", email: "other@uni.example"))
        try await s.drain()
        #expect(try s.results(other).filter { $0.rownum == 2 }.map(\.errorCode) == [.notAuthorized])
    }

    @Test("bycoord rows are cut at the cap before the lookup, and a larger MJD_MAX is noted in parse_error.txt")
    func bycoordClamped() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        try s.f.database.access.addAccessLevel(projID: nil, projectName: "gpc1", accessLevel: 1, mjdMax: 55000)
        let reqID = try s.submitText(
            """
            acc.bycoord 2 PROCESS anyone@unknown.example
            1 150.021054 1.978958 100 100 2 stamp 1 gpc1 null null bycoord raw null null null null null 0 56000 null 0 0 | raw at the point
            """)
        try await s.drain()
        var filter = JobSelectorHelper.jobs(reqID)
        filter.fault = nil
        let jobs = try s.f.database.jobs.list(filter)
        #expect(!jobs.isEmpty)
        #expect(jobs.allSatisfy { [101, 102].contains($0.job.expID ?? 0) }, "\(jobs.map(\.job.expID))")
        #expect(try s.parseErrors(reqID).contains("access rights limit MJD_MAX to 55000"))
    }

    @Test("a negative cap refuses every row of the project with 29")
    func projectForbidden() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        try s.f.database.access.addAccessLevel(projID: nil, projectName: "gpc1", accessLevel: 1, mjdMax: -1)
        let reqID = try s.submitText(Self.twoExposures("acc.noproject", email: "anyone@unknown.example"))
        try await s.drain()
        #expect(try s.results(reqID).map(\.errorCode) == [.notAuthorized, .notAuthorized])
    }
}

/// An EMAIL is a claim; only an authenticated identity lets its rows raise the level.
@Suite("Access decided by the stored identity")
struct IdentityAccessTests {
    static func vipSite() throws -> EndToEndTests.Site {
        let s = try EndToEndTests.Site()
        try s.f.database.access.addAccessLevel(projID: nil, projectName: "gpc1", accessLevel: 1, mjdMax: 55000)
        try s.f.database.access.addUser("vip", domain: "example.org", AccessStore.Defaults(accessLevel: 2))
        return s
    }

    @Test("an anonymous request typing a privileged EMAIL gets the default level: the newer exposure answers 29")
    func anonymousClaimIsCapped() async throws {
        let s = try Self.vipSite()
        defer { s.f.cleanup() }
        let reqID = try s.submitText(AccessLevelTests.twoExposures("id.anon", email: "vip@example.org"), identity: .anonymous)
        try await s.drain()
        let rows = try s.results(reqID)
        #expect(rows.first { $0.rownum == 1 }?.errorCode == .success)
        #expect(rows.filter { $0.rownum == 2 }.map(\.errorCode) == [.notAuthorized])
        #expect(try s.f.request(reqID).outProduct == s.f.settings.dataStoreProduct)
    }

    @Test("a token user's own level applies whatever the EMAIL says; the results go to the user's private product")
    func tokenUserIsElevated() async throws {
        let s = try Self.vipSite()
        defer { s.f.cleanup() }
        let reqID = try s.submitText(
            AccessLevelTests.twoExposures("id.token", email: "anon@example.org"),
            identity: .user("vip@example.org", source: .token))
        try await s.drain()
        #expect(try s.results(reqID).allSatisfy { $0.errorCode == .success })
        let request = try s.f.request(reqID)
        #expect(request.username == "vip@example.org")
        #expect(request.outProduct == "private.vip:example.org")
        #expect(try s.f.database.productAccess.access(product: "private.vip:example.org") == .owner("vip@example.org"))
    }

    @Test("an anonymous claim may lower the level: a refused domain stays refused")
    func anonymousClaimOfABannedDomain() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        try s.f.database.access.addDomain("banned.example", AccessStore.Defaults(accessLevel: -1))
        let reqID = try s.submitText(AccessLevelTests.twoExposures("id.banned", email: "x@banned.example"), identity: .anonymous)
        try await s.drain()
        #expect(try s.results(reqID).map(\.errorCode) == [.notAuthorized])
    }
}

enum JobSelectorHelper {
    static func jobs(_ reqID: Int64) -> JobListFilter {
        var filter = JobListFilter()
        filter.reqID = reqID
        return filter
    }
}
