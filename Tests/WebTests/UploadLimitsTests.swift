import FITS
import Foundation
import Hummingbird
import HummingbirdTesting
import PStampCore
import PStampTestSupport
import RequestDB
import Testing
import Web

/// Uploads stream to disk under a size limit (413), a cap on how many run at
/// once (503 with Retry-After), and a full disk answers 507 with a reason. Through real loopback HTTP.
@Suite(.serialized) struct UploadLimitsTests {
    typealias Fixture = UploadRoutesTests.Fixture

    static func live(
        _ f: Fixture, workdir: URL? = nil, limits: UploadLimits,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let web = WebApplication()
        web.addUploadPage(database: f.database, workdir: workdir ?? f.workdir, limits: limits)
        try await web.application(port: 0).test(.live) { client in try await body(client) }
    }

    @Test func aFileOverTheLimitIs413AndNothingIsKept() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let big = Data(repeating: 0x20, count: 30000)  // a request file is 2 × 2880 bytes
        try await Self.live(f, limits: UploadLimits(maxBytes: 20000)) { client in
            let r = try await UploadRoutesTests.post(client, big)
            #expect(r.status == .contentTooLarge)
            #expect(String(buffer: r.body) == "the request file is larger than 20000 bytes\n")
            // A file within the limit still goes in.
            #expect(try await UploadRoutesTests.post(client, try f.requestFile()).status == .ok)
        }
        let kept =
            FileManager.default.enumerator(atPath: f.workdir.path)?.compactMap { $0 as? String }.filter { $0.contains(".upload-") } ?? []
        #expect(kept.isEmpty, "\(kept)")
    }

    @Test func aChunkedUploadOverTheLimitIs413Too() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).fits")
        try Data(repeating: 0x20, count: 30000).write(to: big)
        defer { try? FileManager.default.removeItem(at: big) }
        try await Self.live(f, limits: UploadLimits(maxBytes: 20000)) { client in
            let port = try #require(client.port)
            // No Content-Length: the limit can only be found while the body streams in.
            let (status, output) = try runProcess(
                "/usr/bin/curl",
                [
                    "-sS", "-o", "-", "-w", "\n%{http_code}", "-H", "Content-Type: application/fits", "-H",
                    "Transfer-Encoding: chunked", "--data-binary", "@\(big.path)", "http://127.0.0.1:\(port)/upload",
                ])
            #expect(status == 0, "\(output)")
            #expect(output.hasSuffix("\n413"), "\(output)")
            #expect(output.contains("the request file is larger than 20000 bytes"), "\(output)")
        }
        let kept =
            FileManager.default.enumerator(atPath: f.workdir.path)?.compactMap { $0 as? String }.filter { $0.contains(".upload-") } ?? []
        #expect(kept.isEmpty, "\(kept)")
    }

    /// A raw client that sends the headers of an upload and half its body, then waits: the upload holds
    /// its place under the cap.
    static func halfUpload(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw PStampError(.sysError, "connect failed") }
        let head =
            "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/fits\r\nContent-Length: 100000\r\n\r\n"
            + String(repeating: " ", count: 1000)
        _ = head.withCString { send(fd, $0, strlen($0), 0) }
        return fd
    }

    @Test func uploadsOverTheCapAre503WithRetryAfterAndAReason() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try await Self.live(f, limits: UploadLimits(maxConcurrent: 1, retryAfter: 7)) { client in
            let port = try #require(client.port)
            let held = try Self.halfUpload(port: port)
            defer { close(held) }
            // Let the held upload reach the handler first (it is on a connection of its own).
            try await Task.sleep(for: .milliseconds(300))
            // The held upload reaches the handler (and takes the one place) shortly after its headers.
            var refused: TestResponse? = nil
            var seen: [String] = []
            for i in 0..<50 {
                let r = try await UploadRoutesTests.post(client, try f.requestFile(reqName: "try\(i)"))
                seen.append("\(r.status.code)")
                if r.status == .serviceUnavailable { refused = r; break }
                try await Task.sleep(for: .milliseconds(100))
            }
            if refused == nil {
                var buffer = [UInt8](repeating: 0, count: 2000)
                let n = recv(held, &buffer, 2000, Int32(MSG_DONTWAIT))
                Issue.record("the held upload got: \(n > 0 ? String(decoding: buffer.prefix(n), as: UTF8.self) : "nothing (\(n))")")
            }
            let r = try #require(refused, "a second upload was never refused: \(seen)")
            #expect(r.headers[.retryAfter] == "7")
            #expect(String(buffer: r.body).contains("1 uploads are under way"))
            close(held)
            // The place is free again once the held upload is gone.
            var accepted = false
            for _ in 0..<50 where !accepted {
                let again = try await UploadRoutesTests.post(client, try f.requestFile(reqName: "after"))
                accepted = again.status == .ok
                if !accepted { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(accepted)
        }
    }

    /// A real small file system: a 2 MB tmpfs holds the work directory (root only; skipped otherwise).
    @Test(.enabled(if: getuid() == 0)) func aFullDiskIs507WithAReasonAndLeavesNothing() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let small = f.directory.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = arguments
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        try #require(try run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", small.path]) == 0, "mount tmpfs")
        defer { _ = try? run("/bin/umount", [small.path]) }
        let tooBig = Data(repeating: 0x20, count: 3 << 20)
        try await Self.live(f, workdir: small, limits: UploadLimits()) { client in
            let r = try await UploadRoutesTests.post(client, tooBig)
            #expect(r.status.code == 507, "\(r.status)")
            #expect(String(buffer: r.body) == "the server's disk is full, so the request was not stored: try again later\n")
            // The partial file was removed: a request that fits goes in.
            #expect(try await UploadRoutesTests.post(client, try f.requestFile()).status == .ok)
        }
        let partial =
            FileManager.default.enumerator(atPath: small.path)?.compactMap { $0 as? String }.filter { $0.contains(".upload-") } ?? []
        #expect(partial.isEmpty, "\(partial)")
    }
}
