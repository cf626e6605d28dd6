import DataStore
import Foundation
import PStampCore
import PStampTestSupport
import Testing

/// The libcurl client against a real HTTP server on loopback.
@Suite struct DataStoreClientTests {
    static let t0 = DataStoreTime.parse("2026-11-25T10:00:00Z")!

    static func store() async -> LoopbackDataStore {
        let store = LoopbackDataStore()
        await store.addProduct("mops")
        for (i, name) in ["fs1", "fs2", "fs3"].enumerated() {
            await store.addFileset(
                "mops",
                .init(
                    name: name, type: "PSREQUEST", registered: t0.addingTimeInterval(Double(i)),
                    files: [.init(name: "\(name).fits", data: Data("request \(name)".utf8), type: "psrequest")]))
        }
        return store
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-ds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func listsFilesetsAfterTheCursor() async throws {
        let store = await Self.store()
        try await store.serve { base in
            let client = DataStoreClient()
            let all = try await client.filesets(productURI: "\(base)/ds/mops")
            #expect(all.map(\.name) == ["fs1", "fs2", "fs3"])
            #expect(all[0].uri == "\(base)/ds/mops/fs1")
            let later = try await client.filesets(productURI: "\(base)/ds/mops/", after: "fs1")
            #expect(later.map(\.name) == ["fs2", "fs3"])
            let none = try await client.filesets(productURI: "\(base)/ds/mops", after: "fs3")
            #expect(none.isEmpty)
            // A store entered with its index.txt works the same.
            #expect(try await client.filesets(productURI: "\(base)/ds/mops/index.txt").map(\.uri).first == "\(base)/ds/mops/fs1")
        }
        #expect(await store.requests.contains("/ds/mops/index.txt?fs1"))
    }

    @Test func unknownCursorIs404AndFault104() async throws {
        let store = await Self.store()
        try await store.serve { base in
            let error = await #expect(throws: HTTPTransferError.self) {
                try await DataStoreClient().filesets(productURI: "\(base)/ds/mops", after: "gone")
            }
            #expect(error?.httpStatus == 404)
            #expect(error?.fault == PStampCode(104))
        }
    }

    @Test func serverErrorIsFault200() async throws {
        let store = await Self.store()
        await store.misbehave("/ds/mops/index.txt", .status(500))
        try await store.serve { base in
            let error = await #expect(throws: HTTPTransferError.self) {
                try await DataStoreClient().filesets(productURI: "\(base)/ds/mops")
            }
            #expect(error?.fault == .dataStoreServerError)
            #expect(error?.fault.rawValue == 200)
        }
    }

    @Test func aSlowServerTimesOut() async throws {
        let store = await Self.store()
        await store.misbehave("/ds/mops/index.txt", .slow(seconds: 3))
        try await store.serve { base in
            let error = await #expect(throws: HTTPTransferError.self) {
                try await DataStoreClient(indexTimeout: 0.5).filesets(productURI: "\(base)/ds/mops")
            }
            #expect(error?.isTimeout == true)
            #expect(error?.fault == .timeoutError)
        }
    }

    @Test func downloadsAFilesetCheckingSizesAndMD5() async throws {
        let store = await Self.store()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await store.serve { base in
            let files = try await DataStoreClient().fetchFileset(filesetURI: "\(base)/ds/mops/fs2", into: dir)
            #expect(files.map(\.name) == ["fs2.fits"])
            #expect(files[0].entry.md5 == MD5.hex(Data("request fs2".utf8)))
            #expect(try Data(contentsOf: dir.appendingPathComponent("fs2.fits")) == Data("request fs2".utf8))
        }
    }

    @Test func aWrongMD5LeavesNoFileBehind() async throws {
        let store = await Self.store()
        await store.addFileset(
            "mops",
            .init(
                name: "bad", type: "PSREQUEST", registered: Self.t0,
                files: [
                    .init(name: "bad.fits", data: Data("payload".utf8), type: "psrequest", listedMD5: String(repeating: "0", count: 32))
                ]))
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await store.serve { base in
            let error = await #expect(throws: PStampError.self) {
                try await DataStoreClient().fetchFileset(filesetURI: "\(base)/ds/mops/bad", into: dir)
            }
            #expect(error?.code == .dataError)
            #expect(error?.message.contains("md5") == true)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func aWrongSizeIsRefused() async throws {
        let store = await Self.store()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await store.serve { base in
            let error = await #expect(throws: PStampError.self) {
                try await DataStoreClient().download("\(base)/ds/mops/fs1/fs1.fits", to: dir.appendingPathComponent("x"), bytes: 99)
            }
            #expect(error?.message.contains("99") == true)
        }
    }

    @Test func aFileAnswering500IsFault200AndNothingIsWritten() async throws {
        let store = await Self.store()
        await store.misbehave("/ds/mops/fs1/fs1.fits", .status(500))
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await store.serve { base in
            do {
                try await DataStoreClient().download("\(base)/ds/mops/fs1/fs1.fits", to: dir.appendingPathComponent("fs1.fits"))
                Issue.record("expected a failure")
            } catch {
                #expect(DataStoreClient.fault(of: error).rawValue == 200)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func aRefusedConnectionIsASystemFault() async throws {
        // Port 9 on loopback: nothing listens there.
        do {
            _ = try await DataStoreClient(indexTimeout: 2).filesets(productURI: "http://127.0.0.1:9/ds/x")
            Issue.record("expected a failure")
        } catch let error as HTTPTransferError {
            #expect(error.httpStatus == nil)
            #expect(error.fault == .sysError)
        }
    }
}

/// The parser's download of a request file named by its data-store URI.
@Suite struct RequestFileDownloadTests {
    @Test func checksSizeAndMD5FromTheFilesetIndex() async throws {
        let store = await DataStoreClientTests.store()
        await store.addFileset(
            "mops",
            .init(
                name: "liar", type: "PSREQUEST", registered: DataStoreClientTests.t0,
                files: [
                    .init(name: "req.fits", data: Data("payload".utf8), type: "psrequest", listedMD5: String(repeating: "a", count: 32))
                ]))
        let dir = try DataStoreClientTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await store.serve { base in
            let got = try await DataStoreClient().downloadListedFile(
                "\(base)/ds/mops/fs1/fs1.fits", to: dir.appendingPathComponent("a.fits"))
            #expect(got.md5 == MD5.hex(Data("request fs1".utf8)))
            let error = await #expect(throws: PStampError.self) {
                try await DataStoreClient().downloadListedFile("\(base)/ds/mops/liar/req.fits", to: dir.appendingPathComponent("b.fits"))
            }
            #expect(error?.code == .dataError)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("b.fits").path))
        }
    }

    @Test func http500OnTheRequestFileIsFault200() async throws {
        let store = await DataStoreClientTests.store()
        await store.misbehave("/ds/mops/fs1/fs1.fits", .status(500))
        let dir = try DataStoreClientTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await store.serve { base in
            do {
                try await DataStoreClient().downloadListedFile("\(base)/ds/mops/fs1/fs1.fits", to: dir.appendingPathComponent("a.fits"))
                Issue.record("expected HTTP 500")
            } catch {
                #expect(DataStoreClient.fault(of: error) == .dataStoreServerError)
            }
        }
    }

    @Test func aSlowRequestFileTimesOut() async throws {
        let store = await DataStoreClientTests.store()
        await store.misbehave("/ds/mops/fs1/fs1.fits", .slow(seconds: 3))
        let dir = try DataStoreClientTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await store.serve { base in
            do {
                try await DataStoreClient(downloadTimeout: 0.5).downloadListedFile(
                    "\(base)/ds/mops/fs1/fs1.fits", to: dir.appendingPathComponent("a.fits"))
                Issue.record("expected a timeout")
            } catch {
                #expect(DataStoreClient.fault(of: error) == .timeoutError)
            }
        }
    }

    @Test func aURIOutsideTheLayoutIsDownloadedWithoutChecks() async throws {
        let store = await DataStoreClientTests.store()
        let dir = try DataStoreClientTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await store.serve { base in
            // /ds/mops/fs1/index.txt exists but does not list "other.fits": a 404 on the file itself.
            do {
                try await DataStoreClient().downloadListedFile("\(base)/ds/mops/fs1/other.fits", to: dir.appendingPathComponent("o"))
                Issue.record("expected 404")
            } catch {
                #expect(DataStoreClient.fault(of: error).rawValue == 104)
            }
        }
    }
}
