import FITS
import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

/// Mutated request files (numbers at the edges, lying header cards, control
/// characters) uploaded to a live `pstamp serve`, each through upload → parse → jobs → finish. The
/// server must never die, every request it accepted must end `stop` with its results, and nothing may
/// stay `new` or `run`. The seed is fixed, so a failure replays exactly; the count is printed.
@Suite(.serialized) struct RequestFuzzTests {
    /// The mutations are picked by the fixture sky's SplitMix64, started from `seed` as it is.
    typealias Random = FixtureRandom

    static let seed: UInt64 = 20_261_202
    static let inputs = 300

    static let realColumns = ["CENTER_X", "CENTER_Y", "WIDTH", "HEIGHT", "MJD_MIN", "MJD_MAX", "FWHM_MIN", "FWHM_MAX"]
    static let integerColumns = ["ROWNUM", "COORD_MASK", "OPTION_MASK"]
    static let stringColumns = [
        "JOB_TYPE", "PROJECT", "REQ_TYPE", "IMG_TYPE", "ID", "COMPONENT", "DATA_GROUP",
        "REQFILT", "TESS_ID", "SURVEY_NAME", "RUN_TYPE", "COMMENT",
    ]
    static let edgeReals: [Double] = [.nan, .infinity, -.infinity, 1e308, -1e308, 9.3e18, 0x1p63, -1, 0, 1e15, 5e-324, 2e9, 16000]
    static let edgeIntegers: [Int64] = [0, -1, Int64(Int32.max), Int64(Int32.min), 1 << 31, 3_000_000_007, 1 << 62, .max, .min, 8192, 4096]
    static let edgeStrings = [
        "", "\u{01}\u{02}\t", "a\nb", "'", "%", "../../etc", "null", "ALL", "  stamp  ", "é",
        String(repeating: "x", count: 64), "byid\u{7f}", "stack_summary",
    ]

    /// One input: the rows, the TFORM of each column, keywords to add, and byte edits of header cards.
    struct Input {
        var header: RequestHeader
        var rows: [RawRequestRow]
        var tforms: [String: String] = [:]
        var keywords: [(String, Double)] = []
        var cardEdits: [(key: String, value: String)] = []
        var description: [String] = []
    }

    static func base(name: String) throws -> Input {
        var rows: [RawRequestRow] = []
        for (i, sample) in ["fixture.chip.byid", "fixture.stack.byid", "fixture.chip.bycoord"].enumerated() {
            let text = try String(contentsOf: ServedSite.fixtures.appendingPathComponent("requests/\(sample).txt"), encoding: .utf8)
            var row = try #require(try RequestTextFormat.parse(text).rows.first)
            row["ROWNUM"] = .integer(Int64(i + 1))
            rows.append(row)
        }
        return Input(header: RequestHeader(reqName: name, version: 2, action: "PROCESS", email: "fuzz@example.org"), rows: rows)
    }

    static func mutate(_ input: inout Input, _ rng: inout Random) {
        let row = rng.below(input.rows.count)
        switch rng.below(8) {
        case 7:
            // A pixel centre at an edge value on the chip row (COORD_MASK bit 1, its COMPONENT given).
            input.rows[0]["COORD_MASK"] = .integer(3)
            input.rows[0]["COMPONENT"] = .text("XY33")
            let value = rng.pick(edgeReals)
            input.rows[0][rng.pick(["CENTER_X", "CENTER_Y"])] = .real(value)
            if rng.below(2) == 0 { input.rows[0]["OPTION_MASK"] = .integer(8192 | 1) }
            input.description.append("row 1 pixel centre \(value)")
        case 0, 1:
            let column = rng.pick(realColumns), value = rng.pick(edgeReals)
            input.rows[row][column] = .real(value)
            input.description.append("row \(row + 1) \(column)=\(value)")
        case 2:
            let column = rng.pick(integerColumns), value = rng.pick(edgeIntegers)
            input.rows[row][column] = .integer(value)
            if Int32(exactly: value) == nil { input.tforms[column] = "K" }
            input.description.append("row \(row + 1) \(column)=\(value)")
        case 3:
            let column = rng.pick(stringColumns), value = rng.pick(edgeStrings)
            input.rows[row][column] = .text(value)
            input.description.append("row \(row + 1) \(column)=\(value.debugDescription)")
        case 4:
            // TSCAL, TZERO or TNULL of a column, written by cfitsio after the data.
            let number = rng.below(RequestFileFormat.columnsV2.count) + 1
            let key = rng.pick(["TSCAL", "TZERO", "TNULL"]) + "\(number)"
            let value = rng.pick([0, 1e300, -1e300, 2147483648, 1, -1, 0.5])
            input.keywords.append((key, value))
            input.description.append("\(key)=\(value)")
        case 5:
            let value = rng.pick(["0", "-1", "3", "99999", "2147483647", "9223372036854775807", "1.5", "'2'"])
            input.cardEdits.append(("NAXIS2", value))
            input.description.append("NAXIS2=\(value)")
        default:
            let number = rng.below(RequestFileFormat.columnsV2.count) + 1
            let value = rng.pick(["'K'", "'1000000A'", "'Q'", "'X'", "'0J'", "'2D'", "'E'", "'I'", "'-1A'", "7"])
            input.cardEdits.append(("TFORM\(number)", value))
            input.description.append("TFORM\(number)=\(value)")
        }
    }

    /// Writes the input with cfitsio (the table, its values, the added keywords), then edits header
    /// cards in place where a lie must be told that cfitsio would not write.
    static func write(_ input: Input, to path: String) throws {
        let f = try FITSFile.create(path, overwrite: true)
        do {
            try f.appendEmptyPrimary()
            let columns = RequestFileFormat.columnsV2.map { TableColumn($0.name, input.tforms[$0.name] ?? $0.tform) }
            try f.appendBinaryTable(extname: RequestFileFormat.extname, columns: columns, rows: input.rows.count)
            try f.write("REQ_NAME", input.header.reqName)
            try f.write("EXTVER", 2)
            try f.write("ACTION", input.header.action ?? "PROCESS")
            try f.write("EMAIL", input.header.email ?? "null")
            for column in RequestFileFormat.columnsV2 {
                let values = input.rows.map { $0[column.name] }
                if column.isInteger {
                    try f.writeColumn(
                        column.name,
                        values.map { v -> Int64 in
                            if case .integer(let i) = v { return i }; return v.digits ?? 0
                        })
                } else if column.isReal {
                    try f.writeColumn(
                        column.name,
                        values.map { v -> Double in
                            if case .real(let d) = v { return d }; return v.number ?? 0
                        })
                } else {
                    try f.writeColumn(column.name, values.map { $0.text ?? "null" })
                }
            }
            for (key, value) in input.keywords { try f.write(key, value) }
            try f.close()
        } catch {
            f.closeQuietly()
            throw error
        }
        guard !input.cardEdits.isEmpty else { return }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for edit in input.cardEdits {
            let key = Array(edit.key.padding(toLength: 8, withPad: " ", startingAt: 0).utf8)
            // The card in the table's header (the second HDU: past the 2880-byte primary).
            var at = 2880
            while at + 80 <= bytes.count, Array(bytes[at..<at + 8]) != key { at += 80 }
            guard at + 80 <= bytes.count else { continue }
            let card = Array(
                (edit.key.padding(toLength: 8, withPad: " ", startingAt: 0) + "= "
                    + String(repeating: " ", count: max(0, 20 - edit.value.count)) + edit.value)
                    .padding(toLength: 80, withPad: " ", startingAt: 0).utf8)
            bytes.replaceSubrange(at..<at + 80, with: card)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("mutated request files never kill the server; every accepted request ends stop with its results")
    func fuzzedRequests() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        var rng = Random(state: Self.seed)
        var accepted: [String] = [], refused = 0, unwritable = 0
        let dir = site.root.appendingPathComponent("fuzz")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var described: [String: String] = [:]
        for i in 0..<Self.inputs {
            let name = "fuzz.\(i)"
            var input = try Self.base(name: name)
            for _ in 0...rng.below(3) { Self.mutate(&input, &rng) }
            let path = dir.appendingPathComponent("\(name).fits").path
            do { try Self.write(input, to: path) } catch {
                unwritable += 1  // cfitsio itself refused to write it (a value its column cannot take)
                continue
            }
            let answer = try site.http(
                "/upload", post: try Data(contentsOf: URL(fileURLWithPath: path)),
                contentType: "application/fits")
            described[name] = input.description.joined(separator: ", ")
            if answer.status == 200 {
                accepted.append(name)
            } else {
                #expect((400..<500).contains(answer.status), "\(name) (\(described[name]!)): HTTP \(answer.status) \(answer.text)")
                refused += 1
            }
            #expect(site.isRunning, "the server died on \(name): \(described[name]!)\n\(site.log.text.suffix(4000))")
            if !site.isRunning { return }
        }
        // Every accepted request ends stop; nothing stays new or run.
        let deadline = Date().addingTimeInterval(300)
        var requests: [RequestRecord] = []
        var all = RequestListFilter()
        all.name = "%"
        repeat {
            requests = try site.requests().list(all)
            if requests.allSatisfy({ $0.state == .stop }) && requests.count == accepted.count { break }
            #expect(site.isRunning, "the server died:\n\(site.log.text.suffix(4000))")
            if !site.isRunning { return }
            try await Task.sleep(for: .milliseconds(500))
        } while Date() < deadline
        #expect(site.isRunning)
        #expect(!site.log.text.contains("Fatal error"), "\(site.log.text.suffix(4000))")
        #expect(requests.count == accepted.count)
        var jobsLeft = 0
        for r in requests {
            #expect(
                r.state == .stop,
                "request \(r.reqID) \(r.name ?? "") is \(r.state?.rawValue ?? "?") fault \((r.fault ?? .success).rawValue): \(described[r.name ?? ""] ?? "")"
            )
            let files = try site.filesetFiles(product: "pstampresults", fileset: r.name ?? "")
            #expect(files?.contains("results.fits") == true, "request \(r.reqID) \(r.name ?? "") has no results fileset")
            var filter = JobListFilter()
            filter.reqID = r.reqID
            jobsLeft += try RequestDatabase.open(path: site.databasePath).jobs.list(filter).filter { $0.job.state != .stop }.count
        }
        #expect(jobsLeft == 0, "jobs not stopped: \(jobsLeft)")
        print(
            "request fuzz (seed \(Self.seed)): \(Self.inputs) inputs tried, \(unwritable) not writable by cfitsio, \(refused) refused at upload, \(accepted.count) requests parsed and finished (\(requests.filter { $0.fault == PStampCode(21) }.count) ended 21), 0 process deaths"
        )
    }
}
