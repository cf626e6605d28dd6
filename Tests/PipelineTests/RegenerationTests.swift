import FITS
import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

extension UpdateProcessorTests.Site {
    func submitText(_ text: String) throws -> Int64 {
        let document = try RequestTextFormat.parse(text)
        let path = f.root.appendingPathComponent("\(document.header.reqName).fits").path
        try RequestFile.write(header: document.header, rows: document.rows, to: path)
        return try f.database.requests.add(NewRequest(uri: path, label: "WEB"))
    }

    /// The dependent's log, all passes.
    func checkdepLog(_ reqID: Int64, depID: Int64 = 1) throws -> String {
        try String(contentsOfFile: try #require(try f.request(reqID).outdir) + "/checkdep.\(depID).log", encoding: .utf8)
    }
}

/// Cleaned images regenerated through their dependents on a standalone site (the site archive), inputs
/// first — chips before the warps built from them, warps before the diffs — then stamped.
@Suite("Regeneration through dependents")
struct RegenerationTests {
    @Test("a cleaned warp whose chips are cleaned too: the chips are restored first, then the warp, then it is stamped")
    func cleanedWarpWithCleanedChips() async throws {
        let s = try UpdateProcessorTests.Site()
        defer { s.f.cleanup() }
        #expect(try s.images.componentState(.warp, id: 502, component: "skycell.1405.044")?.dataState == "cleaned")
        #expect(try s.images.componentState(.chip, id: 212, component: "XY33")?.dataState == "cleaned")
        let reqID = try s.submitText(
            """
            regen.warp 2 PROCESS fixture@example.org
            1 150.021000 1.979000 100 100 2 stamp 7 gpc1 null null byid warp 502 null skycell.1405.044 null null 0 0 null 0 0 | cleaned warp
            """)
        try await Self.expectAllStamped(s, reqID)
        for chip in ["XY33", "XY43"] {
            #expect(try s.images.componentState(.chip, id: 212, component: chip)?.dataState == "full")
        }
        #expect(try s.images.componentState(.warp, id: 502, component: "skycell.1405.044")?.dataState == "full")
        let log = try s.checkdepLog(reqID)
        let chipQueued = try #require(log.range(of: "chip 212 XY33: queue update"), "\(log)")
        let warpQueued = try #require(log.range(of: "warp 502 skycell.1405.044: inputs full, queue update"), "\(log)")
        #expect(chipQueued.lowerBound < warpQueued.lowerBound)
    }

    @Test("a cleaned diff whose template warp and its chips are cleaned: chips, then the warp, then the diff; then stamped")
    func cleanedDiffWithCleanedWarp() async throws {
        let s = try UpdateProcessorTests.Site()
        defer { s.f.cleanup() }
        // The fixture's cleaned diff 30602 (.054) subtracts full warps; in this copy its template is the
        // cleaned warp 502, whose .054 chips (run 212) are cleaned, XY44's fault 26 cleared.
        try s.images.connection.transaction { db in
            try db.execute("UPDATE diffInputSkyfile SET warp2 = 502 WHERE diff_id = 30602", [])
            try db.execute("UPDATE chipProcessedImfile SET fault = 0 WHERE chip_id = 212 AND class_id = 'XY44'", [])
        }
        let reqID = try s.submitText(
            """
            regen.diff 2 PROCESS fixture@example.org
            1 0 0 0 0 2 stamp 1 gpc1 null null byid diff 30602 null skycell.1405.054 null null 0 0 null 0 0 | cleaned diff, whole file
            """)
        try await Self.expectAllStamped(s, reqID)
        #expect(try s.images.componentState(.diff, id: 30602, component: "skycell.1405.054")?.dataState == "full")
        #expect(try s.images.componentState(.warp, id: 502, component: "skycell.1405.054")?.dataState == "full")
        let log = try s.checkdepLog(reqID)
        let chip = try #require(log.range(of: "chip 212 XY33: queue update"), "\(log)")
        let warp = try #require(log.range(of: "warp 502 skycell.1405.054: inputs full, queue update"), "\(log)")
        let diff = try #require(log.range(of: "diff 30602 skycell.1405.054: inputs ready, queue update"), "\(log)")
        #expect(chip.lowerBound < warp.lowerBound && warp.lowerBound < diff.lowerBound)
    }

    /// Drains the site until the request is done; expects it stopped with every results row a success.
    static func expectAllStamped(
        _ s: UpdateProcessorTests.Site, _ reqID: Int64,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await s.drain(reqID, rounds: 20)
        let request = try s.f.request(reqID)
        #expect(request.state == .stop, sourceLocation: sourceLocation)
        let rows = try ResultsFile.read(try #require(request.outdir) + "/results.fits").rows
        #expect(!rows.isEmpty, sourceLocation: sourceLocation)
        #expect(rows.allSatisfy { $0.errorCode == .success }, "\(rows.map(\.errorString))", sourceLocation: sourceLocation)
    }
}
