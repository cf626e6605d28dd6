import DataStore
import FITS
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import PStampCore
import RequestDB
import Testing
import Web

/// The pages: the home page, the request form, a request's page, the workload page, the upload page.
@Suite struct PagesTests {
    typealias Fixture = StampRoutesTests.Fixture

    static func form(_ client: any TestClientProtocol, _ fields: String, accept: String = "text/html") async throws -> TestResponse {
        try await client.execute(
            uri: "/request", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .accept: accept],
            body: ByteBuffer(string: fields))
    }

    @Test func theHomePageSaysWhatThisIsLinksEveryPageAndCounts() async throws {
        let f = try Fixture()
        defer { f.remove() }
        _ = try f.parsedRequest(name: "counted", jobs: [(1, .run, 0)], outdir: f.directory)
        try await f.pages { client in
            let r = try await client.execute(uri: "/", method: .get)
            #expect(r.status == .ok)
            let page = String(buffer: r.body)
            #expect(page.contains("<meta name=\"viewport\""))
            #expect(page.contains("postage stamps"))
            for link in ["/request", "/upload", "/workload", "/ds/"] { #expect(page.contains("href=\"\(link)\""), "\(link)") }
            #expect(page.contains("<b>1</b>requests run"))
            #expect(page.contains("<b>1</b>jobs pending"))
            #expect(page.contains("<form method=\"post\" action=\"/request\">"))
            let css = try await client.execute(uri: "/static/pstamp.css", method: .get)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(String(buffer: css.body).contains("@media"))
        }
    }

    @Test func theFormHasJPEGOnByDefaultAndTakesSexagesimal() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try await f.pages { client in
            let page = String(buffer: try await client.execute(uri: "/request", method: .get).body)
            #expect(page.contains("name=\"jpeg\" value=\"1\" checked"))
            #expect(!page.contains("name=\"mask\" value=\"1\" checked"))
            let r = try await Self.form(
                client, "ra=10%3A00%3A27.9&dec=-00+30+00&size=40&unit=pixels&type=stack&filter=r&jpeg=1&email=me%40example.org")
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/requests/1")
        }
        let file = try RequestFile.read(try #require(try f.database.requests.get(reqID: 1)?.uri))
        let row = try #require(try file.validatedRows().first?.get())
        #expect(abs(row.centerX - 150.11625) < 1e-9)
        #expect(row.centerY == -0.5)
        #expect(row.width == 40)
        #expect(file.rows.first?["OPTION_MASK"].text == String(OptionMask([.image, .jpeg]).rawValue))
        #expect(file.rows.first?["REQFILT"].text == "r")
    }

    @Test func aRefusedFormComesBackWithTheValuesAndTheMessageBesideTheField() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try await f.pages { client in
            let r = try await Self.form(
                client, "ra=12%3A99%3A00&dec=2&size=40&mask=1&email=me%40example.org&comment=%3Cscript%3Ex%3C%2Fscript%3E")
            #expect(r.status == .badRequest)
            let page = String(buffer: r.body)
            #expect(page.contains("value=\"12:99:00\""))
            #expect(page.contains("<span class=\"error\" id=\"error-ra\">ra &#39;12:99:00&#39; is not a number</span>"))
            #expect(!page.contains("id=\"error-dec\""))
            // The user's text is escaped, the boxes keep their state (JPEG was not ticked this time).
            #expect(page.contains("value=\"&lt;script&gt;x&lt;/script&gt;\""))
            #expect(!page.contains("<script>"))
            #expect(page.contains("name=\"mask\" value=\"1\" checked"))
            #expect(!page.contains("name=\"jpeg\" value=\"1\" checked"))
            let noEmail = String(buffer: try await Self.form(client, "ra=1&dec=2&size=40").body)
            #expect(noEmail.contains("id=\"error-email\">email is required"))
            let big = String(buffer: try await Self.form(client, "ra=1&dec=2&size=9000&unit=pixels&email=a%40b.org").body)
            #expect(big.contains("id=\"error-size\">width 9000.0 must be above 0 and at most 8000 pixels"))
        }
        #expect(try f.database.requests.get(reqID: 1) == nil)
    }

    @Test func aRequestPageShowsProgressJobsFilesParseErrorsAndDependents() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let outdir = f.directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: outdir, withIntermediateDirectories: true)
        let reqID = try f.parsedRequest(
            name: "my<req>", jobs: [(1, .stop, 0), (1, .stop, 28), (2, .run, 0), (3, .run, 2)], outdir: outdir)
        try Data("row 4: no image matches\n".utf8).write(to: outdir.appendingPathComponent("parse_error.txt"))
        try await f.database.pool.write { db in
            try db.execute(
                sql:
                    "INSERT INTO pstampDependent (state, stage, stage_id, component, outdir, fault) VALUES ('new', 'warp', 77, 'skycell.1', ?, 0)",
                arguments: [outdir.path])
            try db.execute(sql: "UPDATE pstampJob SET dep_id = 1 WHERE rownum = '2'")
        }
        try Data("pass 1: warp 77 skycell.1 is being updated\n".utf8).write(to: outdir.appendingPathComponent("checkdep.1.log"))
        try await f.pages { client in
            for uri in ["/requests/\(reqID)", "/requests/my%3Creq%3E", "/requests/by-name/my%3Creq%3E"] {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.status == .ok, "\(uri)")
                let page = String(buffer: r.body)
                #expect(page.contains("<span id=\"name\">my&lt;req&gt;</span>"), "\(uri)")
                #expect(page.contains("<meta http-equiv=\"refresh\" content=\"5\">"))
                #expect(page.contains("aria-valuenow=\"2\""))
                #expect(page.contains("2 of 4 jobs done (50 %)"))
                #expect(page.contains("PSTAMP_NO_OVERLAP") || page.contains(PStampCode.noOverlap.errorString))
                #expect(page.contains(PStampCode.sysError.errorString))
                #expect(page.contains("row 4: no image matches"))
                #expect(page.contains("pass 1: warp 77 skycell.1 is being updated"))
            }
            let missing = try await client.execute(uri: "/requests/999", method: .get)
            #expect(missing.status == .notFound)
            let unknownName = try await client.execute(uri: "/requests/nobody", method: .get)
            #expect(unknownName.status == .notFound)
        }
    }

    @Test func aFinishedRequestLinksItsFilesetAndShowsThumbnailsAndStopsRefreshing() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let outdir = f.directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: outdir, withIntermediateDirectories: true)
        let reqID = try f.parsedRequest(name: "done1", jobs: [(1, .stop, 0)], outdir: outdir)
        try Data([0xFF, 0xD8, 0xFF, 0xD9]).write(to: outdir.appendingPathComponent("done1_1.jpg"))
        try Data(repeating: 0, count: 2880).write(to: outdir.appendingPathComponent("done1_1.fits"))
        try Data("mdc".utf8).write(to: outdir.appendingPathComponent("results.mdc"))
        try f.registry.register(
            product: "pstampresults", fileset: "done1", type: "PSRESULTS",
            files: [
                .init(path: "results.mdc", type: "text"), .init(path: "done1_1.fits", type: "pstamp"),
                .init(path: "done1_1.jpg", type: "pstamp"),
            ],
            dataPath: outdir, createProduct: true)
        var select = RequestSelector()
        select.reqID = reqID
        _ = try f.database.requests.update(select, RequestChange(state: .stop))
        try await f.pages { client in
            let page = String(buffer: try await client.execute(uri: "/requests/\(reqID)", method: .get).body)
            #expect(!page.contains("http-equiv=\"refresh\""))
            #expect(page.contains("href=\"/ds/pstampresults/done1/\" id=\"fileset\""))
            #expect(page.contains("<img src=\"/ds/pstampresults/done1/done1_1.jpg\""))
            #expect(page.contains("<a href=\"/ds/pstampresults/done1/done1_1.fits\">done1_1.fits</a>"))
            let jpeg = try await client.execute(uri: "/ds/pstampresults/done1/done1_1.jpg", method: .get)
            #expect(jpeg.status == .ok)
            #expect(jpeg.headers[.contentType] == "image/jpeg")
        }
    }

    @Test func theWorkloadPageShowsStatesLabelsFaultsDependentsAndThePlot() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let reqID = try f.parsedRequest(name: "busy", jobs: [(1, .run, 0), (2, .run, 5)], outdir: f.directory)
        try await f.database.pool.write { db in
            try db.execute(sql: "INSERT INTO Label (label, priority, active) VALUES ('WEB', 250, 1)")
            try db.execute(
                sql: "INSERT INTO pstampDependent (state, stage, stage_id, component, fault) VALUES ('new', 'chip', 9, 'XY01', 0)")
            try db.execute(sql: "UPDATE pstampJob SET dep_id = 1 WHERE rownum = '1'")
            try db.execute(
                sql: "INSERT INTO pstampDependent (state, stage, stage_id, component, fault) VALUES ('full', 'chip', 9, 'XY02', 0)")
            try db.execute(sql: "UPDATE pstampJob SET dep_id = 2 WHERE rownum = '2'")
            try db.execute(
                sql:
                    "INSERT INTO pstampDataStore (state, label, uri, timestamp) VALUES ('enabled', 'MOPS', 'http://store.example/ds/<x>', '2026-12-01 10:00:00')"
            )
        }
        let summary = try f.database.workload()
        #expect(summary.count(.run) == 1)
        #expect(summary.labels.map(\.label) == ["WEB"] && summary.labels.first?.priority == 250)
        #expect(summary.labels.first?.requests == 1 && summary.labels.first?.unfinishedJobs == 2)
        #expect(summary.faultedJobs.map(\.fault) == [.dataError] && summary.faultedJobs.first?.jobs == 1)
        #expect(summary.pendingJobs == 1)
        #expect(summary.running.first?.imageUpdates == 1)
        #expect(summary.waitingDependents.map(\.dependent.depID) == [1] && summary.waitingDependents.first?.jobs == 1)
        #expect(summary.history.count == 24 && summary.history.last?.queue == 1)
        try await f.pages { client in
            let r = try await client.execute(uri: "/workload", method: .get)
            #expect(r.status == .ok)
            let page = String(buffer: r.body)
            #expect(page.contains("<svg class=\"plot\""))
            #expect(page.contains("<a href=\"/requests/\(reqID)\">busy</a>"))
            #expect(page.contains("<td>WEB</td><td class=\"num\">250</td>"))
            #expect(page.contains(PStampCode.dataError.errorString))
            #expect(page.contains("<td>XY01</td>"))
            #expect(page.contains("http://store.example/ds/&lt;x&gt;"))
            #expect(page.contains("2026-12-01 10:00:00"))
            #expect(page.range(of: #"Work directory: [0-9]+ % full, [0-9.]+ GB free of [0-9.]+ GB"#, options: .regularExpression) != nil)
        }
    }

    /// A multipart body around `file` in a part named `name`.
    static func multipart(_ file: Data, name: String = "file") -> ByteBuffer {
        var body = ByteBuffer(string: "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n")
        body.writeString("--XyZ\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"r.fits\"\r\n")
        body.writeString("Content-Type: application/fits\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--XyZ--\r\n")
        return body
    }

    /// The form's file part streams to disk under the same limit as a raw body, over real loopback HTTP.
    @Test func theUploadFormKeepsTheLimitAndNeedsItsFilePart() async throws {
        let f = try UploadRoutesTests.Fixture()
        defer { f.remove() }
        let file = try f.requestFile(reqName: "formlimit")
        try await UploadLimitsTests.live(f, limits: UploadLimits(maxBytes: 20000)) { client in
            let headers: HTTPFields = [.contentType: "multipart/form-data; boundary=XyZ", .accept: "text/html"]
            var r = try await client.execute(
                uri: "/upload", method: .post, headers: headers, body: Self.multipart(Data(repeating: 0x20, count: 30000)))
            #expect(r.status == .contentTooLarge)
            r = try await client.execute(uri: "/upload", method: .post, headers: headers, body: Self.multipart(file, name: "other"))
            #expect(r.status == .unsupportedMediaType)
            r = try await client.execute(uri: "/upload", method: .post, headers: headers, body: Self.multipart(file))
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/requests/1")
        }
        #expect(try f.database.requests.get(reqID: 1)?.name == "formlimit")
        #expect(try f.database.requests.get(reqID: 2) == nil)
    }

    @Test func theUploadPageIsAPlainFormThatGoesToTheRequestPage() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let file = try UploadRoutesTests.Fixture().requestFile(reqName: "uploaded1")
        try await f.pages { client in
            let page = String(buffer: try await client.execute(uri: "/upload", method: .get).body)
            #expect(page.contains("enctype=\"multipart/form-data\""))
            #expect(!page.contains("<script"))
            let body = Self.multipart(file)
            let r = try await client.execute(
                uri: "/upload", method: .post, headers: [.contentType: "multipart/form-data; boundary=XyZ", .accept: "text/html,*/*"],
                body: body)
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/requests/1")
            let followed = String(buffer: try await client.execute(uri: "/requests/1", method: .get).body)
            #expect(followed.contains("<span id=\"name\">uploaded1</span>"))
        }
        #expect(try f.database.requests.get(reqID: 1)?.label == "WEB.UP")
    }
}

extension StampRoutesTests.Fixture {
    /// Every part a browser meets: the data store, the upload page, the parameter interface and the pages.
    func pages(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let web = WebApplication(authentication: WebAuthentication(tokens: database.tokens))
        web.addDataStore(registry)
        web.addUploadPage(database: database, workdir: workdir)
        web.addStampRequests(database: database, registry: registry, workdir: workdir)
        web.addPages(database: database, registry: registry, workdir: workdir)
        try await web.application().test(.router) { client in try await body(client) }
    }

    /// A request as the parser leaves it: state run, in `outdir`, with jobs.
    func parsedRequest(name: String, jobs: [(rownum: Int, state: JobState, fault: Int)], outdir: URL) throws -> Int64 {
        let reqID = try database.requests.add(NewRequest(uri: "/dev/null", dsID: 0, name: name, label: "WEB", identity: .anonymous))
        try database.pool.write { db in
            try db.execute(
                sql: "UPDATE pstampRequest SET state = ?, outdir = ?, outProduct = ? WHERE req_id = ?",
                arguments: [RequestState.run.rawValue, outdir.path, "pstampresults", reqID])
            for job in jobs {
                try db.execute(
                    sql: """
                        INSERT INTO pstampJob (req_id, rownum, state, jobType, fault, outputBase, options, dep_id, fault_count)
                        VALUES (?, ?, ?, 'stamp', ?, ?, 1, 0, 0)
                        """,
                    arguments: [
                        reqID, String(job.rownum), job.state.rawValue, job.fault,
                        outdir.appendingPathComponent("\(name)_\(job.rownum)").path,
                    ])
            }
        }
        return reqID
    }
}
