import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

/// Through `pstamp serve` on loopback: an EMAIL typed into a request is not an
/// identity; a token from `pstamptool -adduser` is. Elevated results go to a product only the token's
/// user can list and read under /ds.
@Suite(.serialized) struct TrustTests {
    /// Raw exposures 101 (MJD 54983) and 104 (MJD 55557) of the fixture sky, claiming to be `email`.
    static func request(_ name: String, email: String) -> String {
        """
        \(name) 2 PROCESS \(email)
        1 150.021054 1.978958 100 100 2 stamp 1 gpc1 null null byid raw 101 null null null null 0 0 null 0 0 | exp 101
        2 150.021054 1.978958 100 100 2 stamp 1 gpc1 null null byid raw 104 null null null null 0 0 null 0 0 | exp 104

        """
    }

    /// A site where level 1 (the default) sees nothing after MJD 55000 and vip@example.org has level 2;
    /// returns vip's token as pstamptool printed it.
    static func vipSite() async throws -> (ServedSite, String) {
        let site = try ServedSite()
        try await site.start()
        var r = try site.run(
            "pstamptool", ["-addaccesslevel", "-set_project_name", "gpc1", "-set_accessLevel", "1", "-set_mjd_max", "55000"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try site.run("pstamptool", ["-adduser", "-set_user", "vip", "-set_domain", "example.org", "-set_accessLevel", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("shown only now"))
        let range = try #require(r.stdout.range(of: #"pst_[0-9a-f]{64}"#, options: .regularExpression), "\(r.stdout)")
        return (site, String(r.stdout[range]))
    }

    /// Submits the text request with `pstamp submit --text` (and `--token`); returns its answer.
    static func submit(_ site: ServedSite, _ name: String, email: String, token: String? = nil) throws -> String {
        let path = site.root.appendingPathComponent("\(name).txt")
        try Data(request(name, email: email).utf8).write(to: path)
        let r = try site.run("pstamp", ["submit", path.path, "--text", "--server", site.base] + (token.map { ["--token", $0] } ?? []))
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    /// The error codes of results.fits, fetched with `pstamp fetch` (with the token when given).
    static func codes(_ site: ServedSite, _ name: String, product: String, token: String? = nil) throws -> [Int64: [PStampCode]] {
        let out = site.root.appendingPathComponent("fetched-\(name)")
        let r = try site.run(
            "pstamp",
            ["fetch", name, "--server", site.base, "--product", product, "--outdir", out.path]
                + (token.map { ["--token", $0] } ?? []))
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try ResultsFile.read(out.appendingPathComponent("results.fits").path).rows
        return Dictionary(grouping: rows, by: \.rownum).mapValues { $0.map(\.errorCode) }
    }

    @Test("a typed privileged EMAIL from an anonymous client gets the default level (29), and the answer says why")
    func anonymousClaimGetsTheDefault() async throws {
        let (site, _) = try await Self.vipSite()
        defer { site.stop() }
        let answer = try Self.submit(site, "trust.anon", email: "vip@example.org")
        #expect(answer.contains("the EMAIL vip@example.org was not taken as your identity"), "\(answer)")
        let request = try #require(try await site.waitForStop(name: "trust.anon"), "\(site.log.text)")
        #expect(request.outProduct == "pstampresults")
        let codes = try Self.codes(site, "trust.anon", product: "pstampresults")
        #expect(codes[1] == [.success])
        #expect(codes[2] == [.notAuthorized])
        // The parameter interface says the same.
        let stamp = try site.http("/stamp?ra=150.02&dec=1.98&size=20&unit=pixels&type=raw&email=vip%40example.org")
        #expect(stamp.status == 200)
        #expect(stamp.text.contains("was not taken as your identity"), "\(stamp.text)")
    }

    @Test("a token user is elevated; the results are in a product only that token lists and reads; a revoked token is refused")
    func tokenUserAndPrivateResults() async throws {
        let (site, token) = try await Self.vipSite()
        defer { site.stop() }
        let answer = try Self.submit(site, "trust.vip", email: "vip@example.org", token: token)
        #expect(answer.contains("identity: token user vip@example.org"), "\(answer)")
        let request = try #require(try await site.waitForStop(name: "trust.vip"), "\(site.log.text)")
        let product = "private.vip:example.org"
        #expect(request.outProduct == product)
        #expect(request.fault == .success)
        let codes = try Self.codes(site, "trust.vip", product: product, token: token)
        #expect(codes[1] == [.success])
        #expect(codes[2] == [.success], "level 2 sees the newer exposure")

        // Nobody else sees it.
        let bearer = ["Authorization: Bearer \(token)"]
        let publicRoot = try site.http("/ds/index.txt")
        #expect(publicRoot.status == 200)
        #expect(!publicRoot.text.contains(product), "\(publicRoot.text)")
        #expect(!(try site.http("/ds/")).text.contains(product))
        let anonymous = try site.http("/ds/\(product)/index.txt")
        #expect(anonymous.status == 401, "\(anonymous.text)")
        #expect(anonymous.text.contains("readable only by its owner"))
        #expect(try site.http("/ds/\(product)/trust.vip/results.fits").status == 401)
        #expect(try site.http("/ds/\(product)/trust.vip/index.txt").status == 401)
        // Another user's token is not the owner's.
        let other = try site.run("pstamptool", ["-adduser", "-set_user", "other", "-set_domain", "example.org"])
        let otherToken = String(other.stdout[try #require(other.stdout.range(of: #"pst_[0-9a-f]{64}"#, options: .regularExpression))])
        #expect(try site.http("/ds/\(product)/index.txt", headers: ["Authorization: Bearer \(otherToken)"]).status == 403)
        // The owner does.
        #expect(try site.http("/ds/index.txt", headers: bearer).text.contains(product))
        let own = try site.http("/ds/\(product)/index.txt", headers: bearer)
        #expect(own.status == 200)
        #expect(own.text.contains("trust.vip"))

        // Revoked: the token is refused with a reason, nothing is added.
        let revoke = try site.run("pstamptool", ["-deltoken", "-user", "vip", "-domain", "example.org"])
        #expect(revoke.status == 0, "\(revoke.stderr)")
        let refused = try site.http("/ds/\(product)/index.txt", headers: bearer)
        #expect(refused.status == 401)
        #expect(refused.text.contains("token is not known"))
        let path = site.root.appendingPathComponent("again.txt")
        try Data(Self.request("trust.again", email: "vip@example.org").utf8).write(to: path)
        let again = try site.run("pstamp", ["submit", path.path, "--text", "--server", site.base, "--token", token])
        #expect(again.status == 29, "\(again.stdout) \(again.stderr)")
        var filter = RequestListFilter()
        filter.name = "trust.again"
        #expect(try site.requests().list(filter).isEmpty)
    }

    @Test("pstamptool -listtoken shows ids and owners, never a token")
    func listTokens() async throws {
        let (site, token) = try await Self.vipSite()
        defer { site.stop() }
        let list = try site.run("pstamptool", ["-listtoken", "-user", "vip"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("vip"))
        #expect(!list.stdout.contains(token))
        #expect(!list.stdout.contains("pst_"))
        let database = try String(contentsOfFile: site.databasePath, encoding: .isoLatin1)
        #expect(!database.contains(token), "the database keeps only a hash")
    }
}
