import Foundation
import PStampCore
import PStampTestSupport
import RequestDB
import Testing

/// Load: 50 users upload 100-row requests at once while 200 readers list the data store, over real
/// loopback HTTP. Every upload goes in (a busy server's 503 is waited out by `pstamp submit`), every
/// request finishes, no reader sees an error, and no SQLITE_BUSY reaches anyone.
@Suite(.serialized) struct LoadTests {
    static let uploads = 50
    static let rows = 100
    static let readers = 200

    /// A 100-row request: every 20th row a small stamp of the fixture's stack 30101, the others a stack
    /// that does not exist (answered 23), so the load is in the bookkeeping, not in the cutting.
    static func requestText(name: String) -> String {
        var text = "\(name) 2 PROCESS load@example.org\n"
        for n in 1...rows {
            text += "\(n) 150.021 1.979 8 8 2 stamp 2049 gpc1 null null byid stack \(n % 20 == 0 ? 30101 : 99999) "
            text += "null null null null 0 0 null 0 0 | row \(n)\n"
        }
        return text
    }

    /// Runs `body` for 0..<count on threads of their own (each blocks on a process), all at once.
    static func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            for i in 0..<count {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        Thread.detachNewThread { continuation.resume(returning: (i, body(i))) }
                    }
                }
            }
            var out: [(Int, T)] = []
            for await result in group { out.append(result) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    @Test("50 concurrent uploads of 100-row requests all complete while 200 concurrent /ds readers see no error")
    func uploadsAndReadersUnderLoad() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        // The results product exists from the start, so every listing a reader asks for is there.
        let product = try site.run(
            "pstamp", ["ds", "products", "--add", "pstampresults", "--type", "psresults", "--data-dir", site.data.path])
        try #require(product.status == 0, "\(product.stderr)")
        let tag = UUID().uuidString.prefix(6).lowercased()
        let names = (0..<Self.uploads).map { "load.\(tag).\($0)" }
        for name in names {
            try Data(Self.requestText(name: name).utf8).write(to: site.root.appendingPathComponent("\(name).txt"))
        }
        let started = Date()
        let base = site.base
        let root = site.root
        // The readers: rounds of 200 parallel GETs of data-store listings, until the uploads are done.
        let readersDone = ManagedFlag()
        let reading = Task.detached { () -> (requests: Int, failures: [String]) in
            var requests = 0
            var failures: [String] = []
            repeat {
                let urls = (0..<LoadTests.readers).map { i in
                    ["\(base)/ds/", "\(base)/ds/pstampresults/", "\(base)/ds/pstampresults/index.txt"][i % 3]
                }
                let result = try runProcess(
                    "/usr/bin/curl",
                    ["-sS", "--no-progress-meter", "-Z", "--parallel-max", String(LoadTests.readers), "-w", "%{http_code}\n"]
                        + urls.flatMap { ["-o", "/dev/null", $0] })
                let codes = result.output.split(separator: "\n")
                requests += codes.count
                failures += codes.filter { $0 != "200" }.map(String.init)
                if codes.count != urls.count { failures.append("curl: \(result.output.suffix(300))") }
            } while !readersDone.isSet
            return (requests, failures)
        }
        let submitted = await Self.concurrently(Self.uploads) { i in
            (try? runProcess(
                BuiltTools.binDirectory.appendingPathComponent("pstamp").path,
                ["submit", root.appendingPathComponent("\(names[i]).txt").path, "--text", "--server", base]))
                ?? (status: -1, output: "could not run pstamp submit")
        }
        let uploaded = Date().timeIntervalSince(started)
        for (i, result) in submitted.enumerated() { #expect(result.status == 0, "\(names[i]): \(result.output)") }

        var finished = 0
        for name in names {
            let request = try await site.waitForStop(name: name, seconds: 300)
            #expect(request?.state == .stop && request?.fault == .success, "\(name): \(String(describing: request))")
            if request?.state == .stop { finished += 1 }
        }
        readersDone.set()
        let read = try await reading.value
        let elapsed = Date().timeIntervalSince(started)
        print(
            "LoadTests: \(Self.uploads) uploads of \(Self.rows) rows in \(String(format: "%.1f", uploaded)) s, \(finished) finished "
                + "in \(String(format: "%.1f", elapsed)) s; \(read.requests) /ds reads by \(Self.readers) at once, "
                + "\(read.failures.count) failed")
        #expect(finished == Self.uploads)
        #expect(read.requests >= Self.readers)
        #expect(read.failures.isEmpty, "\(read.failures.prefix(10))")
        #expect(!site.log.text.contains("SQLITE_BUSY") && !site.log.text.contains("database is locked"), "\(site.log.text.suffix(2000))")
    }
}

/// A flag set once by one task and read by another.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
