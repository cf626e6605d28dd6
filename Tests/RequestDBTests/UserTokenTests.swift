import Foundation
import GRDB
import PStampCore
import Testing

@testable import RequestDB

/// The users' API tokens and the identity stored with each request.
@Suite struct UserTokenTests {
    @Test func aTokenIsKeptOnlyAsItsHashAndFindsItsUser() throws {
        let t = try TestDatabase()
        try t.db.access.addUser("vip", domain: "example.org", AccessStore.Defaults(accessLevel: 2))
        let issued = try t.db.tokens.issue(user: "vip", domain: "example.org")
        #expect(issued.token.hasPrefix("pst_") && issued.token.count == 68)
        let stored = try t.db.pool.read { try String.fetchAll($0, sql: "SELECT tokenHash FROM pstampUserToken") }
        #expect(stored == [UserTokenStore.hash(issued.token)])
        #expect(!stored.contains(issued.token))
        #expect(try t.db.tokens.user(forToken: issued.token)?.user == "vip@example.org")
        #expect(try t.db.tokens.user(forToken: issued.token + "x") == nil)
        // SHA-256 of "abc", the FIPS 180-2 example.
        #expect(UserTokenStore.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func tokensAreRevokedOneByOneOrWithTheirUser() throws {
        let t = try TestDatabase()
        try t.db.access.addUser("vip", domain: "example.org", AccessStore.Defaults(accessLevel: 2))
        let a = try t.db.tokens.issue(user: "vip", domain: "example.org")
        let b = try t.db.tokens.issue(user: "vip", domain: "example.org")
        #expect(try t.db.tokens.list(user: "vip").count == 2)
        #expect(try t.db.tokens.revoke(tokenID: a.tokenID) == 1)
        #expect(try t.db.tokens.user(forToken: a.token) == nil)
        #expect(try t.db.tokens.user(forToken: b.token) != nil)
        #expect(try t.db.access.deleteUser("vip", domain: "example.org") == 1)
        #expect(try t.db.tokens.user(forToken: b.token) == nil)
        #expect(throws: PStampError.self) { try t.db.tokens.issue(user: "nobody", domain: "example.org") }
    }

    @Test func eachWayInStoresItsIdentityWithTheRequest() throws {
        let t = try TestDatabase()
        let anonymous = try t.db.requests.add(NewRequest(uri: "/tmp/a.fits"))
        let user = try t.db.requests.add(NewRequest(uri: "/tmp/b.fits", identity: .user("u@d", source: .proxy)))
        let dsID = try t.db.incomingDataStores.add(uri: "http://x/ds/p", outProduct: "p")
        let polled = try #require(
            try t.db.incomingDataStores.recordFileset(dsID: dsID, previous: nil, fileset: "fs", requestURIs: ["u"], label: nil))
        #expect(try t.db.identities.get(reqID: anonymous) == .anonymous)
        #expect(try t.db.identities.get(reqID: user) == .user("u@d", source: .proxy))
        #expect(try t.db.identities.get(reqID: polled[0]) == .dataStore)
    }

    @Test func aProductInUseIsNeverClaimedButAFreshOneIs() throws {
        let t = try TestDatabase()
        let access = t.db.productAccess
        #expect(try access.access(product: "fresh") == .public)
        #expect(try access.claim(product: "fresh", owner: "a@b"))
        #expect(try access.claim(product: "fresh", owner: "A@B"), "the owner again")
        #expect(try !access.claim(product: "fresh", owner: "c@d"))
        try t.db.pool.write { db in
            try db.execute(sql: "INSERT INTO dsProduct (prod_name, type) VALUES ('busy', 'psresults')")
            try db.execute(sql: "INSERT INTO dsFileset (prod_id, fileset_name, reg_time) VALUES (1, 'fs', '2026-01-01 00:00:00')")
        }
        #expect(try !access.claim(product: "busy", owner: "a@b"))
        #expect(try access.access(product: "busy") == .public)
    }
}
