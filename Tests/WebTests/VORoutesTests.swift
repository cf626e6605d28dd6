import DataStore
import FITS
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImageDB
import PStampCore
import PStampTestSupport
import RequestDB
import Testing
import Web

/// The VO face (SIA 2, DataLink, SODA sync and async, VOSI) through Hummingbird's test client, on the
/// fixture image database. No pipeline runs here: cut-outs are checked as the requests they become
/// (the served site's VOClientTests cut them for real, through pyvo).
@Suite struct VORoutesTests {
    static let fixtureImages = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/gpc1.sqlite")
    static let warp501 = "ivo://pstamp.local/pstamp?gpc1/warp/501/skycell.1405.044"
    static let warp502 = "ivo://pstamp.local/pstamp?gpc1/warp/502/skycell.1405.044"
    static let here = "CIRCLE 150.02 1.98 0.004"

    struct Fixture {
        let temporary: TemporaryDirectory
        let database: RequestDatabase
        let registry: DataStoreRegistry
        let images: SQLiteImageDatabase
        var workdir: URL { temporary.url.appendingPathComponent("work") }

        init() throws {
            temporary = try TemporaryDirectory("pstamp-vo")
            database = try temporary.requestDatabase()
            registry = DataStoreRegistry(root: temporary.url.appendingPathComponent("ds"), store: OutgoingDataStoreStore(database.pool))
            images = try SQLiteImageDatabase(path: VORoutesTests.fixtureImages.path, readonly: true)
            _ = try database.projects.add(name: "gpc1", imagedb: "gpc1", camera: "GPC1", telescope: "PS1")
        }

        func test(syncLimit: Double = 1, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            let web = WebApplication(authentication: WebAuthentication(tokens: database.tokens))
            let images = images
            let site = VOSite(
                publicURL: "http://vo.test", defaultAccessLevel: 1, syncLimit: syncLimit,
                images: { $0 == "gpc1" ? images : nil })
            web.addVO(database: database, registry: registry, workdir: workdir, site: site)
            try await web.application().test(.router) { client in try await body(client) }
        }
    }

    static func query(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }.joined(separator: "&")
    }

    static func rows(_ votable: String) -> [String] {
        votable.components(separatedBy: "<TR>").dropFirst().map { $0.components(separatedBy: "</TR>")[0] }
    }

    @Test func siaFindsTheImagesAtAPositionWithObsCoreColumnsAndServiceDescriptors() async throws {
        let f = try Fixture()
        try await f.test { client in
            let r = try await client.execute(uri: "/sia/query?" + Self.query([("POS", Self.here), ("COLLECTION", "warp")]), method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/x-votable+xml")
            let text = String(buffer: r.body)
            let rows = Self.rows(text)
            #expect(rows.count == 3, "\(rows)")
            #expect(rows.allSatisfy { $0.contains("<TD>warp</TD>") })
            #expect(rows.contains { $0.contains(Self.warp502) && $0.contains("<TD>cleaned</TD>") }, "cleaned warps are listed and marked")
            #expect(rows.contains { $0.contains(Self.warp501) && $0.contains("<TD>full</TD>") })
            #expect(text.contains("<INFO name=\"QUERY_STATUS\" value=\"OK\"/>"))
            #expect(text.contains("value=\"ivo://ivoa.net/std/SODA#sync-1.0\""))
            #expect(text.contains("value=\"http://vo.test/soda/sync\""))
            #expect(text.contains("value=\"ivo://ivoa.net/std/DataLink#links-1.1\""))
            #expect(text.contains("ref=\"obs_publisher_did\""))

            // Repeated POS are OR-ed; MAXREC cuts with OVERFLOW; a position off the fixture sky finds nothing.
            let far = "CIRCLE 10 -40 0.01"
            let both = try await client.execute(
                uri: "/sia/query?" + Self.query([("POS", Self.here), ("POS", far), ("MAXREC", "2")]), method: .get)
            #expect(Self.rows(String(buffer: both.body)).count == 2)
            #expect(String(buffer: both.body).contains("value=\"OVERFLOW\""))
            let none = try await client.execute(uri: "/sia/query?" + Self.query([("POS", far)]), method: .get)
            #expect(Self.rows(String(buffer: none.body)).isEmpty)
            // TIME and BAND: the r-band warps of MJD 54983 are 500 and 501; 502 is i band, a day later.
            let timed = try await client.execute(
                uri: "/sia/query?" + Self.query([("POS", Self.here), ("COLLECTION", "warp"), ("TIME", "54983 54983.9")]), method: .get)
            #expect(Self.rows(String(buffer: timed.body)).count == 2)
            let iBand = try await client.execute(
                uri: "/sia/query?" + Self.query([("POS", Self.here), ("COLLECTION", "warp"), ("BAND", "7.1e-7 8.2e-7")]), method: .get)
            #expect(Self.rows(String(buffer: iBand.body)).count == 1)
            // ID alone names one image.
            let byID = try await client.execute(uri: "/sia/query?" + Self.query([("ID", Self.warp501)]), method: .get)
            #expect(Self.rows(String(buffer: byID.body)).count == 1)
        }
    }

    @Test func siaRefusesBadParametersWithADALIErrorDocument() async throws {
        let f = try Fixture()
        try await f.test { client in
            for (params, message) in [
                ([("POS", "CIRCLE 150 2")], "UsageError: POS CIRCLE needs 3 numbers"),
                ([("POS", "BOX 1 2 3")], "UsageError: POS shape 'BOX' is not CIRCLE, RANGE or POLYGON"),
                ([("COLLECTION", "mosaic")], "UsageError: COLLECTION 'mosaic'"),
                ([("MAXREC", "-1")], "UsageError: MAXREC '-1'"),
                ([("ID", "ivo://elsewhere.org/x?y")], "UsageError: ID 'ivo://elsewhere.org/x?y' is not an image of this service"),
            ] {
                let r = try await client.execute(uri: "/sia/query?" + Self.query(params), method: .get)
                #expect(r.status == .badRequest, "\(params)")
                let text = String(buffer: r.body)
                #expect(text.contains("<INFO name=\"QUERY_STATUS\" value=\"ERROR\">\(Markup.escape(message))"), "\(text)")
            }
        }
    }

    @Test func accessLevelsApplyToSIAResultsAndSODACutOuts() async throws {
        let f = try Fixture()
        // Anonymous VO senders are `anonymous@<authority>`: their level is the site's default (1), whose
        // date cap hides data taken after MJD 54984.
        try f.database.access.addAccessLevel(projID: nil, projectName: "gpc1", accessLevel: 1, mjdMax: 54984)
        try await f.test { client in
            let r = try await client.execute(uri: "/sia/query?" + Self.query([("POS", Self.here), ("COLLECTION", "warp")]), method: .get)
            let rows = Self.rows(String(buffer: r.body))
            #expect(rows.count == 2 && !rows.contains { $0.contains(Self.warp502) }, "\(rows)")
            let cut = try await client.execute(
                uri: "/soda/sync?" + Self.query([("ID", Self.warp502), ("CIRCLE", "150.02 1.98 0.004")]), method: .get)
            #expect(cut.status == .notFound, "the capped image is not there for this sender")
        }
        // A refused domain is refused outright.
        try f.database.access.addDomain("pstamp.local", AccessStore.Defaults(accessLevel: -1))
        try await f.test { client in
            let r = try await client.execute(uri: "/sia/query?" + Self.query([("POS", Self.here)]), method: .get)
            #expect(r.status == .forbidden)
            #expect(String(buffer: r.body).contains("AuthorizationError"))
            let cut = try await client.execute(
                uri: "/soda/sync?" + Self.query([("ID", Self.warp501), ("CIRCLE", "150.02 1.98 0.004")]), method: .get)
            #expect(cut.status == .forbidden)
        }
    }

    @Test func dataLinkGivesEachImageItsFileItsCutOutServiceAndItsCompanions() async throws {
        let f = try Fixture()
        try await f.test { client in
            let r = try await client.execute(
                uri: "/datalink/links?" + Self.query([("ID", Self.warp501), ("ID", "ivo://pstamp.local/pstamp?gpc1/warp/999/skycell.1")]),
                method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == DataLinkDocument.contentType)
            let rows = Self.rows(String(buffer: r.body))
            let mine = rows.filter { $0.contains(Self.warp501) }
            #expect(mine.contains { $0.contains("<TD>#this</TD>") && $0.contains("/vo/files?ID=") })
            #expect(mine.contains { $0.contains("<TD>#cutout</TD>") && $0.contains("<TD>soda-sync</TD>") })
            #expect(mine.contains { $0.contains("<TD>#auxiliary</TD>") && $0.contains("FILE=mask") })
            #expect(mine.contains { $0.contains("<TD>#error</TD>") && $0.contains("FILE=variance") })
            #expect(rows.contains { $0.contains("warp/999") && $0.contains("NotFound: no image gpc1/warp/999/skycell.1") })
            let missing = try await client.execute(uri: "/datalink/links", method: .get)
            #expect(missing.status == .badRequest)
            // The file of a cleaned image is not there: SODA restores it.
            let cleaned = try await client.execute(uri: "/vo/files?" + Self.query([("ID", Self.warp502), ("FILE", "image")]), method: .get)
            #expect(cleaned.status == .notFound)
            #expect(String(buffer: cleaned.body).hasPrefix("NotFound: gpc1/warp/502/skycell.1405.044 was cleaned from disk"))
        }
    }

    @Test func sodaSyncMakesOneSODARequestOfTheCutsAndSaysWhenNothingOverlaps() async throws {
        let f = try Fixture()
        try await f.test(syncLimit: 0.5) { client in
            // Nothing of the image lies in the region: 204, and no request.
            let away = try await client.execute(
                uri: "/soda/sync?" + Self.query([("ID", Self.warp501), ("CIRCLE", "152 1.98 0.01")]), method: .get)
            #expect(away.status == .noContent)
            #expect(try f.database.requests.get(reqID: 1) == nil)
            // A cut-out becomes a request labelled SODA; without a pipeline it is still unfinished when the
            // wait ends: 503 ServiceUnavailable with Retry-After.
            let r = try await client.execute(
                uri: "/soda/sync?" + Self.query([("ID", Self.warp501), ("CIRCLE", "150.02 1.98 0.004"), ("OPTIONS", "mask,variance")]),
                method: .get)
            #expect(r.status == .serviceUnavailable)
            #expect(r.headers[.retryAfter] != nil)
            #expect(String(buffer: r.body).hasPrefix("ServiceUnavailable: request 1 soda_1 is still being worked on"))
            let request = try #require(try f.database.requests.get(reqID: 1))
            #expect(request.label == "SODA")
            let file = try RequestFile.read(try #require(request.uri))
            #expect(file.header.action == "PROCESS")
            let row = try #require(try file.validatedRows().first?.get())
            #expect(row.reqType == .byid && row.imgType == .warp && row.id == "501" && row.component == "skycell.1405.044")
            #expect(abs(row.centerX - 150.02) < 1e-9 && abs(row.centerY - 1.98) < 1e-9)
            #expect(abs(row.width - 28.8) < 1e-6 && row.width == row.height, "the circle's diameter in arcsec")
            #expect(row.optionMask.contains(.mask) && row.optionMask.contains(.variance))
            // PIXELS: a box in the image's own pixels.
            _ = try await client.execute(uri: "/soda/sync?" + Self.query([("ID", Self.warp501), ("PIXELS", "50 60 20 10")]), method: .get)
            let pixels = try RequestFile.read(try #require(try f.database.requests.get(reqID: 2)?.uri))
            let box = try #require(try pixels.validatedRows().first?.get())
            #expect(box.coordMask == [.centerInPixels, .rangeInPixels] && box.centerX == 50 && box.width == 20 && box.height == 10)
            // POS without ID cuts every warp the region meets (a bycoord search).
            _ = try await client.execute(uri: "/soda/sync?" + Self.query([("POS", Self.here)]), method: .get)
            let search = try RequestFile.read(try #require(try f.database.requests.get(reqID: 3)?.uri))
            #expect(search.rows.count == 3)
        }
    }

    @Test func sodaSyncRefusesWhatItCannotCut() async throws {
        let f = try Fixture()
        try await f.test { client in
            for (params, status, prefix) in [
                ([("ID", Self.warp501)], HTTPResponse.Status.badRequest, "UsageError: a cut-out needs a region"),
                ([("ID", Self.warp501), ("CIRCLE", "150 2 0.1"), ("BAND", "1 2")], .badRequest, "UsageError: BAND is not supported"),
                ([("PIXELS", "1 2 3 4")], .badRequest, "UsageError: PIXELS needs ID"),
                ([("ID", "ivo://pstamp.local/pstamp?gpc1/warp/999/skycell.1"), ("CIRCLE", "150 2 0.1")], .notFound, "NotFound: no image"),
                (
                    [("ID", Self.warp501), ("CIRCLE", "150 2 0.1"), ("OPTIONS", "everything")], .badRequest,
                    "UsageError: OPTIONS 'everything'"
                ),
            ] {
                let r = try await client.execute(uri: "/soda/sync?" + Self.query(params), method: .get)
                #expect(r.status == status, "\(params)")
                #expect(String(buffer: r.body).hasPrefix(prefix), "\(String(buffer: r.body))")
                #expect(r.headers[.contentType] == "text/plain; charset=utf-8")
            }
            #expect(try f.database.requests.get(reqID: 1) == nil, "no refused query became a request")
        }
    }

    @Test func uwsJobsAreSODARequestsWithTheirPhasesLimitsAndList() async throws {
        let f = try Fixture()
        try await f.test { client in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let body = Self.query([("ID", Self.warp501), ("ID", Self.warp502), ("CIRCLE", "150.02 1.98 0.004"), ("RUNID", "night 1")])
            let created = try await client.execute(uri: "/soda/async", method: .post, headers: form, body: ByteBuffer(string: body))
            #expect(created.status == .seeOther)
            #expect(created.headers[.location] == "http://vo.test/soda/async/1")
            let request = try #require(try f.database.requests.get(reqID: 1))
            #expect(request.label == "SODA" && request.state == .new)
            let file = try RequestFile.read(try #require(request.uri))
            #expect(file.header.action == "PREVIEW", "not cut until it is run")
            #expect(file.rows.count == 2, "one row per (ID, region)")

            var job = String(buffer: try await client.execute(uri: "/soda/async/1", method: .get).body)
            #expect(job.contains("<uws:phase>PENDING</uws:phase>"))
            #expect(job.contains("<uws:runId>night 1</uws:runId>"))
            #expect(job.contains("<uws:parameter id=\"ID\">\(Self.warp502)</uws:parameter>"))
            #expect(String(buffer: try await client.execute(uri: "/soda/async/1/phase", method: .get).body) == "PENDING")
            // A blocking WAIT on a pending job that nothing moves returns after its time with the same phase.
            let waited = try await client.execute(uri: "/soda/async/1?WAIT=1", method: .get)
            #expect(String(buffer: waited.body).contains("<uws:phase>PENDING</uws:phase>"))

            // Limits: EXECUTIONDURATION and DESTRUCTION are kept and shown.
            var r = try await client.execute(
                uri: "/soda/async/1/executionduration", method: .post, headers: form, body: ByteBuffer(string: "EXECUTIONDURATION=600"))
            #expect(r.status == .seeOther)
            #expect(String(buffer: try await client.execute(uri: "/soda/async/1/executionduration", method: .get).body) == "600")
            let tenDays = MetadataTime(Date().addingTimeInterval(10 * 86_400))
            r = try await client.execute(
                uri: "/soda/async/1/destruction", method: .post, headers: form, body: ByteBuffer(string: "DESTRUCTION=\(tenDays.iso)Z"))
            #expect(r.status == .seeOther)
            var destruction = String(buffer: try await client.execute(uri: "/soda/async/1/destruction", method: .get).body)
            #expect(destruction == UWSJob.time(tenDays), "\(destruction)")
            // Later than the longest lifetime (30 days) is held to it.
            r = try await client.execute(
                uri: "/soda/async/1/destruction", method: .post, headers: form, body: ByteBuffer(string: "DESTRUCTION=2099-01-01T00:00:00"))
            destruction = String(buffer: try await client.execute(uri: "/soda/async/1/destruction", method: .get).body)
            let held = try #require(MetadataTime(destruction)?.date)
            #expect(abs(held.timeIntervalSinceNow - 30 * 86_400) < 60, "\(destruction)")
            r = try await client.execute(
                uri: "/soda/async/1/phase", method: .post, headers: form, body: ByteBuffer(string: "PHASE=SUSPEND"))
            #expect(r.status == .badRequest)

            // A second job, then the list and its filters.
            _ = try await client.execute(
                uri: "/soda/async", method: .post, headers: form,
                body: ByteBuffer(string: Self.query([("ID", Self.warp501), ("CIRCLE", "150.02 1.98 0.002")])))
            var list = String(buffer: try await client.execute(uri: "/soda/async", method: .get).body)
            #expect(list.components(separatedBy: "<uws:jobref").count == 3)
            list = String(buffer: try await client.execute(uri: "/soda/async?PHASE=EXECUTING", method: .get).body)
            #expect(list.components(separatedBy: "<uws:jobref").count == 1)
            list = String(buffer: try await client.execute(uri: "/soda/async?LAST=1", method: .get).body)
            #expect(list.contains("id=\"2\"") && !list.contains("id=\"1\""))

            // ABORT before it was ever cut; DELETE sends the request to cleanup (ARCHIVED, out of the list).
            r = try await client.execute(uri: "/soda/async/2/phase", method: .post, headers: form, body: ByteBuffer(string: "PHASE=ABORT"))
            #expect(r.status == .seeOther)
            #expect(String(buffer: try await client.execute(uri: "/soda/async/2/phase", method: .get).body) == "ABORTED")
            r = try await client.execute(uri: "/soda/async/1", method: .delete)
            #expect(r.status == .seeOther)
            #expect(try f.database.requests.get(reqID: 1)?.state == .gotoCleaned)
            job = String(buffer: try await client.execute(uri: "/soda/async/1", method: .get).body)
            #expect(job.contains("<uws:phase>ARCHIVED</uws:phase>"))
            list = String(buffer: try await client.execute(uri: "/soda/async", method: .get).body)
            #expect(!list.contains("id=\"1\""), "archived jobs leave the default list")
            #expect((try await client.execute(uri: "/soda/async/77", method: .get)).status == .notFound)
        }
    }

    @Test func vosiCapabilitiesAvailabilityAndTheRegistryRecord() async throws {
        let f = try Fixture()
        try await f.test { client in
            for prefix in ["vo", "sia", "soda", "datalink"] {
                let caps = String(buffer: try await client.execute(uri: "/\(prefix)/capabilities", method: .get).body)
                #expect(caps.contains("standardID=\"ivo://ivoa.net/std/SIA#query-2.0\""))
                #expect(caps.contains("<accessURL use=\"full\">http://vo.test/soda/async</accessURL>"))
                let available = String(buffer: try await client.execute(uri: "/\(prefix)/availability", method: .get).body)
                #expect(available.contains("<vosi:available>true</vosi:available>"))
            }
            let record = String(buffer: try await client.execute(uri: "/vo/registry", method: .get).body)
            #expect(record.contains("<identifier>ivo://pstamp.local/pstamp</identifier>"))
            #expect(record.contains("xsi:type=\"vs:DataService\""))
        }
    }
}
