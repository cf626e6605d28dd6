import Foundation
import PStampCore
import Testing

@testable import FITS

@Suite("Request files (PS1_PS_REQUEST): build, read, validate")
struct RequestFileTests {
    @Test(
        "every §2 sample: text → FITS → read back gives the same rows; fitsverify is clean",
        arguments: RequestSamples.all.map(\.name))
    func roundTrip(name: String) throws {
        let sample = RequestSamples.all.first { $0.name == name }!
        let doc = try RequestTextFormat.parse(sample.text)
        #expect(doc.rows.count == sample.rows)
        let dir = try TemporaryDirectory()
        let path = dir.path("r.fits")
        try RequestFile.write(header: doc.header, rows: doc.rows, to: path)
        try expectFitsverifyClean(path)

        let file = try RequestFile.read(path)
        #expect(file.header == doc.header)
        #expect(file.rows == doc.rows)
        #expect(file.columnNames == RequestFileFormat.columns(version: sample.version).map(\.name))

        // The layout as the IPP writes it, seen through the plain FITS API.
        let f = try FITSFile.open(path)
        #expect(try f.hduCount() == 2)
        #expect(try f.readInt("BITPIX") == 16 && f.readInt("NAXIS") == 0)
        try f.moveTo(hdu: 2)
        #expect(try f.readString("EXTNAME") == "PS1_PS_REQUEST")
        #expect(try f.readValueText("EXTVER") == String(sample.version))
        // EXTVER is written as an integer (the FITS standard's type; fitsverify flags the string the IPP's
        // pstamp_request_file writes). The IPP's parser accepts it: pstampparse.pl and RequestFile.pm read
        // the header with `fields -x 0 EXTNAME EXTVER …`, whose gfits_scan("%s") copies the value without its
        // quotes, so 2 and '2' both give the text "2" that they compare with "1"/"2"; pstampdump -header
        // takes an integer EXTVER too (its MOPS work-around). So the integer stays.
        let extver = try #require(try f.headerCards().first { $0.hasPrefix("EXTVER  =") })
        #expect(extver.hasPrefix("EXTVER  =                    \(sample.version)"))
        let scanned = extver.dropFirst(10).split(separator: "/").first.map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
                .trimmingCharacters(in: .whitespaces)
        }
        #expect(scanned == String(sample.version))
        // Header comments as the IPP's builder writes them (ACTION and EMAIL say more than its
        // "LIST or PROCESS" and "(optional)", which the parser no longer accepts).
        let cards = try f.headerCards()
        #expect(cards.contains { $0.hasPrefix("REQ_NAME") && $0.contains("/ Postage Stamp request name") })
        #expect(extver.contains("/ Extension version"))
        #expect(try f.readValueText("TFORM1") == "J" || f.readValueText("TFORM1") == "1J")
        #expect(try f.columnCount() == (sample.version == 2 ? 24 : 19))
        let keys = try f.headerCards().map { String($0.prefix(8)).trimmingCharacters(in: .whitespaces) }
        let order = ["REQ_NAME", "EXTVER", "ACTION", "EMAIL"].compactMap { keys.firstIndex(of: $0) }
        #expect(order == order.sorted())
    }

    @Test("sample values survive exactly: strings, integers, reals, comments")
    func sampleValues() throws {
        let doc = try RequestTextFormat.parse(RequestSamples.all[2].text)  // stack.byskycell
        let dir = try TemporaryDirectory()
        try RequestFile.write(header: doc.header, rows: doc.rows, to: dir.path("s.fits"))
        let rows = try RequestFile.read(dir.path("s.fits")).validatedRows()
        guard case .success(let row) = rows[0] else { Issue.record("row refused: \(rows[0])"); return }
        #expect(row.optionMask.rawValue == 2113 && row.optionMask.contains(.unconvolved))
        #expect(row.reqType == .byskycell && row.imgType == .stack)
        #expect(row.tessID == "RINGS.V3" && row.component == "skycell.2386.085")
        #expect(row.reqfilt == "r%")
        #expect(row.fwhmMax == 10 && row.centerX == 241.54949 && row.centerY == 55.4273)
        #expect(row.comment == "tadpole galaxy r band")
        #expect(row.surveyName == "3PI" && row.ippRelease == nil)
    }

    @Test("a v1 file with a LABEL column (as MOPS and QUB wrote them) and an integer EXTVER")
    func v1WithLabel() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("v1.fits")
        let out = try FITSFile.create(path)
        try out.appendEmptyPrimary()
        let columns = RequestFileFormat.columnsV1.map {
            $0.name == "DATA_GROUP" ? TableColumn("LABEL", "64A") : TableColumn($0.name, $0.tform)
        }
        try out.appendBinaryTable(extname: "PS1_PS_REQUEST", columns: columns, rows: 1)
        try out.write("REQ_NAME", "qub_test")
        try out.write("EXTVER", 1)  // integer, the MOPS work-around
        try out.writeColumn("ROWNUM", [Int64(5)])
        for c in ["CENTER_X", "CENTER_Y", "WIDTH", "HEIGHT", "MJD_MIN", "MJD_MAX"] {
            try out.writeColumn(c, [c == "WIDTH" || c == "HEIGHT" ? 50.0 : 1.0])
        }
        try out.writeColumn("COORD_MASK", [Int64(2)])
        try out.writeColumn("OPTION_MASK", [Int64(0)])
        for (c, v) in [
            ("JOB_TYPE", "stamp"), ("PROJECT", "gpc1"), ("REQ_TYPE", "byexp"), ("IMG_TYPE", "warp"),
            ("ID", "o6136g0055o"), ("TESS_ID", "null"), ("COMPONENT", "null"), ("LABEL", "QUB.%"),
            ("REQFILT", "i"), ("COMMENT", "x"),
        ] {
            try out.writeColumn(c, [v])
        }
        try out.close()
        let file = try RequestFile.read(path)
        #expect(file.header == RequestHeader(reqName: "qub_test", version: 1))
        #expect(file.header.effectiveAction == .process)
        guard case .success(let row) = file.validatedRows()[0] else { Issue.record("refused"); return }
        #expect(row.dataGroup == "QUB.%")
        #expect(row.optionMask == .image)
        #expect(row.requestedOptionMask == 0)
        #expect(row.reqfilt == "i%")
        try expectFitsverifyClean(path)
    }

    /// Writes a request table with the given changes to the stack.byskycell sample.
    static func writeVariant(_ path: String, header: RequestHeader? = nil, change: (inout RawRequestRow) -> Void = { _ in }) throws {
        let doc = try RequestTextFormat.parse(RequestSamples.all[2].text)
        var row = doc.rows[0]
        change(&row)
        try RequestFile.write(
            header: header ?? RequestHeader(reqName: "variant", version: 2, action: "PROCESS", email: "a@b.edu"),
            rows: [row], to: path)
    }

    @Test("row faults read from a file: NaN centre, negative or > 8000 px size, ROWNUM 0 → 21 per row")
    func rowFaults() throws {
        let dir = try TemporaryDirectory()
        let cases: [(String, (inout RawRequestRow) -> Void)] = [
            ("nan", { $0["CENTER_X"] = .real(.nan) }),
            ("negative", { $0["WIDTH"] = .real(-1500) }),
            ("huge", { $0["HEIGHT"] = .real(8001) }),
            ("rownum0", { $0["ROWNUM"] = .integer(0) }),
        ]
        for (name, change) in cases {
            let path = dir.path("\(name).fits")
            try Self.writeVariant(path, change: change)
            let outcome = try RequestFile.read(path).validatedRows()[0]
            guard case .failure(let rejection) = outcome else { Issue.record("\(name): accepted"); continue }
            #expect(rejection.code == .invalidRequest, "\(name)")
            try expectFitsverifyClean(path)
        }
    }

    static func readError(_ path: String) -> RequestFileError? {
        do { _ = try RequestFile.read(path); return nil } catch { return error }
    }

    @Test("not FITS, garbage, truncated, missing: coded errors, never a crash")
    func badFiles() throws {
        let dir = try TemporaryDirectory()
        try "CHANGEME 2 PROCESS a@b\n".write(toFile: dir.path("text.fits"), atomically: true, encoding: .utf8)
        #expect(Self.readError(dir.path("text.fits"))?.code == .invalidRequest)

        var rng = TestRandom(seed: 11)
        let garbage = Data((0..<20_000).map { _ in UInt8(rng.next() * 255) })
        try garbage.write(to: URL(fileURLWithPath: dir.path("garbage.fits")))
        #expect(Self.readError(dir.path("garbage.fits"))?.code == .invalidRequest)

        try Self.writeVariant(dir.path("good.fits"))
        let good = try Data(contentsOf: URL(fileURLWithPath: dir.path("good.fits")))
        for cut in [100, 2880, 2880 + 1500, good.count - 2880] {
            try good.prefix(cut).write(to: URL(fileURLWithPath: dir.path("cut.fits")))
            let e = Self.readError(dir.path("cut.fits"))
            #expect(e?.code == .invalidRequest, "cut at \(cut): \(String(describing: e))")
        }
        #expect(Self.readError(dir.path("missing.fits"))?.code == .sysError)  // an I/O fault, retried
        // FITS header, hostile content: a header card claiming a huge table.
        var bad = good
        let marker = Array("NAXIS2  =                    1".utf8)
        if let range = bad.firstRange(of: Data(marker)) {
            bad.replaceSubrange(range, with: Data("NAXIS2  =            999999999".utf8))
            try bad.write(to: URL(fileURLWithPath: dir.path("huge.fits")))
            #expect(Self.readError(dir.path("huge.fits"))?.code == .invalidRequest)
        } else {
            Issue.record("NAXIS2 card not found")
        }
    }

    @Test("no table, an image first, wrong EXTNAME, missing column, empty table: 21")
    func wrongStructure() throws {
        let dir = try TemporaryDirectory()
        let primaryOnly = try FITSFile.create(dir.path("primary.fits"))
        try primaryOnly.appendEmptyPrimary(); try primaryOnly.close()
        #expect(Self.readError(dir.path("primary.fits"))?.message.contains("no table") == true)

        let image = try FITSFile.create(dir.path("image.fits"))
        try image.appendEmptyPrimary()
        try image.appendImage([Float](repeating: 0, count: 4), width: 2, height: 2, extname: "PS1_PS_REQUEST")
        try image.close()
        #expect(Self.readError(dir.path("image.fits"))?.code == .invalidRequest)

        let wrong = try FITSFile.create(dir.path("wrong.fits"))
        try wrong.appendBinaryTable(extname: "PS1_PSTAMP_REQUEST", columns: [TableColumn("ROWNUM", "J")], rows: 0)
        try wrong.close()
        let e = Self.readError(dir.path("wrong.fits"))
        #expect(e?.code == .invalidRequest && e?.message.contains("PS1_PSTAMP_REQUEST") == true)

        let missing = try FITSFile.create(dir.path("missing-col.fits"))
        try missing.appendBinaryTable(
            extname: "PS1_PS_REQUEST", columns: [TableColumn("ROWNUM", "J"), TableColumn("JOB_TYPE", "16A")], rows: 1)
        try missing.write("REQ_NAME", "r"); try missing.write("EXTVER", "2")
        try missing.write("ACTION", "PROCESS"); try missing.write("EMAIL", "a@b")
        try missing.close()
        let m = Self.readError(dir.path("missing-col.fits"))
        #expect(m?.code == .invalidRequest && m?.message.contains("REQ_TYPE") == true)
        #expect(m?.header?.reqName == "r")  // the request can still be named

        try RequestFile.write(
            header: RequestHeader(reqName: "empty", version: 2, action: "PROCESS", email: "a@b"),
            rows: [], to: dir.path("empty.fits"))
        let empty = Self.readError(dir.path("empty.fits"))
        #expect(empty?.code == .invalidRequest && empty?.message.contains("empty") == true)
        #expect(empty?.header?.reqName == "empty")
        try expectFitsverifyClean(dir.path("empty.fits"))
    }

    @Test("header faults: bad EXTVER, bad ACTION, missing EMAIL → 21; EMAIL null reads, then 29; REQ_NAME too long → 21")
    func headerFaults() throws {
        let dir = try TemporaryDirectory()
        func code(_ header: RequestHeader) throws -> PStampCode? {
            let path = dir.path("h.fits")
            try Self.writeVariant(path, header: header)
            return Self.readError(path)?.code
        }
        #expect(try code(RequestHeader(reqName: "r", version: 3, action: "PROCESS", email: "a@b")) == .invalidRequest)
        #expect(try code(RequestHeader(reqName: "r", version: 2, action: "LIST", email: "a@b")) == .invalidRequest)
        #expect(try code(RequestHeader(reqName: "r", version: 2, action: "PROCESS", email: nil)) == .invalidRequest)
        #expect(try code(RequestHeader(reqName: "r", version: 2, action: "PROCESS", email: "null")) == nil)
        let nullEmail = try RequestFile.read(dir.path("h.fits")).header
        #expect(throws: PStampError.self) { try nullEmail.checkEmail() }
        do { try nullEmail.checkEmail() } catch { #expect(error.code == .notAuthorized) }
        #expect(try code(RequestHeader(reqName: "r", version: 2, action: "process", email: "a@b")) == nil)
        #expect(
            try code(
                RequestHeader(
                    reqName: String(repeating: "n", count: 1 << 20), version: 2,
                    action: "PROCESS", email: "a@b")) == .invalidRequest)  // a 1 MB REQ_NAME
    }

    @Test("a 10 MB string column is refused before it is read")
    func hugeString() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("big.fits")
        let out = try FITSFile.create(path)
        try out.appendEmptyPrimary()
        let columns = RequestFileFormat.columnsV2.map {
            $0.name == "COMMENT" ? TableColumn("COMMENT", "10000000A") : TableColumn($0.name, $0.tform)
        }
        try out.appendBinaryTable(extname: "PS1_PS_REQUEST", columns: columns, rows: 1)
        for (k, v) in [("REQ_NAME", "big"), ("EXTVER", "2"), ("ACTION", "PROCESS"), ("EMAIL", "a@b")] { try out.write(k, v) }
        try out.writeColumn("ROWNUM", [Int64(1)])  // the 10 MB COMMENT cell stays blank (zero bytes)
        try out.close()
        let e = Self.readError(path)
        #expect(e?.code == .invalidRequest)
        #expect(e?.message.contains("COMMENT") == true)
    }

    @Test("column names are matched trimmed and case-insensitively (the IPP generator wrote 'DATA_GROUP ')")
    func paddedColumnNames() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("padded.fits")
        let out = try FITSFile.create(path)
        try out.appendEmptyPrimary()
        let columns = RequestFileFormat.columnsV2.map { c -> TableColumn in
            c.name == "DATA_GROUP" || c.name == "COMMENT"
                ? TableColumn(c.name + " ", c.tform)
                : TableColumn(c.name == "JOB_TYPE" ? "job_type" : c.name, c.tform)
        }
        try out.appendBinaryTable(extname: "PS1_PS_REQUEST", columns: columns, rows: 1)
        for (k, v) in [("REQ_NAME", "padded"), ("EXTVER", "2"), ("ACTION", "PROCESS"), ("EMAIL", "a@b")] { try out.write(k, v) }
        try out.writeColumn("DATA_GROUP", ["LAP.ThreePi.20120706%"])
        try out.writeColumn("COMMENT", ["hello"])
        try out.writeColumn("JOB_TYPE", ["stamp"])
        try out.close()
        let row = try RequestFile.read(path).rows[0]
        #expect(row["DATA_GROUP"] == .text("LAP.ThreePi.20120706%"))
        #expect(row["COMMENT"] == .text("hello"))
        #expect(row["JOB_TYPE"] == .text("stamp"))
    }

    @Test("odd but readable columns: numbers stored as text, vector and logical columns refused")
    func oddColumns() throws {
        let dir = try TemporaryDirectory()
        func file(_ name: String, _ replace: [String: String], _ fill: (FITSFile) throws -> Void = { _ in }) throws -> String {
            let path = dir.path(name)
            let out = try FITSFile.create(path)
            try out.appendEmptyPrimary()
            let columns = RequestFileFormat.columnsV2.map { TableColumn($0.name, replace[$0.name] ?? $0.tform) }
            try out.appendBinaryTable(extname: "PS1_PS_REQUEST", columns: columns, rows: 1)
            for (k, v) in [("REQ_NAME", "odd"), ("EXTVER", "2"), ("ACTION", "PROCESS"), ("EMAIL", "a@b")] { try out.write(k, v) }
            try fill(out)
            try out.close()
            return path
        }
        let text = try file("text.fits", ["CENTER_X": "16A", "ROWNUM": "8A"]) { f in
            try f.writeColumn("CENTER_X", ["18.876667"]); try f.writeColumn("ROWNUM", ["3"])
        }
        let row = try RequestFile.read(text).rows[0]
        #expect(row["CENTER_X"].number == 18.876667 && row["ROWNUM"].digits == 3)
        #expect(Self.readError(try file("vector.fits", ["WIDTH": "2D"]))?.code == .invalidRequest)
        #expect(Self.readError(try file("logical.fits", ["ROWNUM": "L"]))?.code == .invalidRequest)
    }
}
