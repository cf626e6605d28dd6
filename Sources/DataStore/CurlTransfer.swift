import CCurl
import Foundation
import PStampCore

/// What went wrong with one HTTP transfer.
public enum HTTPTransferError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with a status outside 200–299.
    case status(Int, url: String, body: String)
    /// libcurl failed before a status arrived (refused, unresolvable, timed out, …).
    case transport(code: Int, message: String, url: String)

    /// The fault the IPP records for it: HTTP status − 300 (500 → 200, 404 → 104); a transfer that
    /// timed out is PS_EXIT_TIMEOUT_ERROR (6), any other transport failure PS_EXIT_SYS_ERROR (2).
    public var fault: PStampCode {
        switch self {
        case .status(let status, _, _): return .dataStoreFault(httpStatus: status)
        case .transport(let code, _, _):
            return code == Int(CURLE_OPERATION_TIMEDOUT.rawValue) ? .timeoutError : .sysError
        }
    }

    public var httpStatus: Int? { if case .status(let s, _, _) = self { return s } else { return nil } }
    public var isTimeout: Bool { fault == .timeoutError }

    public var description: String {
        switch self {
        case .status(let s, let url, _): return "HTTP \(s) from \(url)"
        case .transport(_, let message, let url): return "\(message) (\(url))"
        }
    }
}

/// One libcurl easy transfer (GET), run on a thread of its own so callers can await it.
/// Redirects are followed; `timeout` bounds the whole transfer, connecting included.
public enum CurlTransfer {
    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// GETs `url` into memory.
    /// `headers`: extra request header lines (`Authorization: Bearer …`).
    public static func get(_ url: String, timeout: TimeInterval, headers: [String] = []) async throws -> Data {
        let sink = MemorySink()
        try await perform(url, timeout: timeout, sink: sink, headers: headers)
        return sink.data
    }

    /// GETs `url` into `file` (created or truncated), returning the bytes written and their md5.
    /// On failure the partial file is removed.
    public static func download(
        _ url: String, to file: URL, timeout: TimeInterval,
        headers: [String] = []
    ) async throws -> (bytes: Int64, md5: String) {
        let (handle, sink) = try openSink(file)
        do {
            try await perform(url, timeout: timeout, sink: sink, headers: headers)
        } catch {
            try? closeSink(handle, sink, file, failed: true)
            throw error
        }
        return try closeSink(handle, sink, file, failed: false)
    }

    /// An empty `file` to receive a transfer, and the sink that writes it and sums its MD5.
    private static func openSink(_ file: URL) throws -> (FileHandle, FileSink) {
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: file)
        else {
            throw PStampError(.sysError, "cannot write \(file.path)")
        }
        return (handle, FileSink(handle: handle))
    }

    /// Closes a received file: its size and MD5, or (after a failed transfer, or a failed write) the
    /// file removed and the sink's error thrown.
    private static func closeSink(_ handle: FileHandle, _ sink: FileSink, _ file: URL, failed: Bool) throws -> (bytes: Int64, md5: String) {
        do {
            try handle.close()
            if let error = sink.error { throw error }
            if failed { throw PStampError(.sysError, "the transfer to \(file.path) failed") }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        return (sink.bytes, sink.md5.hexDigest)
    }

    /// POSTs `body` to `url` with `contentType`; returns the HTTP status and the answer (an answer
    /// outside 2xx throws `HTTPTransferError.status` with the answer's start as its body).
    public static func post(
        _ url: String, body: Data, contentType: String, timeout: TimeInterval,
        headers: [String] = []
    ) async throws -> Data {
        let sink = MemorySink()
        try await perform(url, timeout: timeout, sink: sink, post: (body, contentType), headers: headers)
        return sink.data
    }

    private static func perform(
        _ url: String, timeout: TimeInterval, sink: Sink,
        post: (Data, String)? = nil, headers extra: [String] = []
    ) async throws {
        _ = globalInit
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try performBlocking(url, timeout: timeout, sink: sink, post: post, headers: extra) })
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// GETs every URL into its file on `parallel` threads, each keeping one connection alive across its
    /// transfers (one libcurl handle per thread, reset between transfers); returns each file's bytes and
    /// md5 in the items' order. The first failure ends the batch (files already written stay).
    public static func download(
        _ items: [(url: String, file: URL)], parallel: Int, timeout: TimeInterval, headers: [String] = []
    ) async throws -> [(bytes: Int64, md5: String)] {
        _ = globalInit
        let results = TransferSlots(count: items.count)
        let workers = max(1, min(parallel, items.count))
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let thread = Thread {
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    guard let curl = curl_easy_init() else {
                        results.fail(PStampError(.sysError, "curl_easy_init failed"))
                        return
                    }
                    defer { curl_easy_cleanup(curl) }
                    while let i = results.next() {
                        do {
                            results.set(
                                i, try downloadBlocking(items[i].url, to: items[i].file, timeout: timeout, headers: headers, curl: curl))
                        } catch {
                            results.fail(error)
                        }
                    }
                }
                continuation.resume(with: Result { try results.all() })
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        return try results.all()
    }

    private static func downloadBlocking(
        _ url: String, to file: URL, timeout: TimeInterval, headers: [String], curl: UnsafeMutableRawPointer
    ) throws -> (bytes: Int64, md5: String) {
        let (handle, sink) = try openSink(file)
        do {
            curl_easy_reset(curl)
            try performBlocking(url, timeout: timeout, sink: sink, post: nil, headers: headers, reusing: curl)
        } catch {
            try? closeSink(handle, sink, file, failed: true)
            throw error
        }
        return try closeSink(handle, sink, file, failed: false)
    }

    private static func performBlocking(
        _ url: String, timeout: TimeInterval, sink: Sink, post: (Data, String)?,
        headers extra: [String], reusing handle: UnsafeMutableRawPointer? = nil
    ) throws {
        guard let curl = handle ?? curl_easy_init() else { throw PStampError(.sysError, "curl_easy_init failed") }
        defer { if handle == nil { curl_easy_cleanup(curl) } }
        var headers: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headers) }
        let postBody = post.map { [UInt8]($0.0) } ?? []
        if let post {
            headers = curl_slist_append(headers, "Content-Type: \(post.1)")
            headers = curl_slist_append(headers, "Expect:")
        }
        for line in extra { headers = curl_slist_append(headers, line) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        // A timeout from an option or a setting: NaN, negative or beyond a day is held to 1 ms … 1 day.
        let milliseconds = timeout.isNaN ? 1 : Int(exactly: (min(max(timeout, 0.001), 86_400) * 1000).rounded(.up)) ?? 1
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            _ = pstamp_curl_setopt_string(curl, CURLOPT_URL, url)
            _ = pstamp_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 1)
            _ = pstamp_curl_setopt_long(curl, CURLOPT_MAXREDIRS, 5)
            _ = pstamp_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
            _ = pstamp_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, milliseconds)
            _ = pstamp_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
            _ = pstamp_curl_setopt_string(curl, CURLOPT_USERAGENT, "pstamp")
            _ = pstamp_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            _ = pstamp_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, context.toOpaque())
            if post != nil {
                _ = pstamp_curl_setopt_long(curl, CURLOPT_POST, 1)
                _ = pstamp_curl_setopt_long(curl, CURLOPT_POSTFIELDSIZE, postBody.count)
                _ = postBody.withUnsafeBytes {
                    pstamp_curl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
                }
            }
            if headers != nil { _ = pstamp_curl_setopt_pointer(curl, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers)) }
            _ = pstamp_curl_setopt_write_function(curl) { pointer, size, count, userdata in
                guard let pointer, let userdata else { return 0 }
                let sink = Unmanaged<Sink>.fromOpaque(userdata).takeUnretainedValue()
                let length = size * count
                return sink.write(UnsafeRawBufferPointer(start: pointer, count: length)) ? length : 0
            }
            return curl_easy_perform(curl)
        }
        if code != CURLE_OK {
            if code == CURLE_WRITE_ERROR, let error = sink.error { throw error }
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw HTTPTransferError.transport(code: Int(code.rawValue), message: message, url: url)
        }
        var status = 0
        _ = pstamp_curl_response_code(curl, &status)
        // file:// and similar answer 0; anything else outside 2xx is a failure.
        if status != 0 && !(200...299).contains(status) {
            throw HTTPTransferError.status(status, url: url, body: sink.errorBody)
        }
    }
}

/// The results of a batch of transfers, filled by several threads; the first failure stops the others.
final class TransferSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [(bytes: Int64, md5: String)?]
    private var taken = 0
    private var failure: Error?
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    /// The next item to transfer, nil when all are taken or one failed.
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil, taken < slots.count else { return nil }
        taken += 1
        return taken - 1
    }
    func set(_ i: Int, _ result: (bytes: Int64, md5: String)) { lock.lock(); slots[i] = result; lock.unlock() }
    func fail(_ error: Error) { lock.lock(); if failure == nil { failure = error }; lock.unlock() }
    func all() throws -> [(bytes: Int64, md5: String)] {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        return try slots.map { try $0 ?? { throw PStampError(.sysError, "a transfer was not made") }() }
    }
}

/// Where the bytes of a transfer go. Used from the transfer's thread only.
class Sink: @unchecked Sendable {
    var error: Error?
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool { true }
    /// The start of the body, for error reports.
    var errorBody: String { "" }
}

final class MemorySink: Sink, @unchecked Sendable {
    var data = Data()
    override func write(_ bytes: UnsafeRawBufferPointer) -> Bool { data.append(contentsOf: bytes); return true }
    override var errorBody: String { String(decoding: data.prefix(1000), as: UTF8.self) }
}

final class FileSink: Sink, @unchecked Sendable {
    let handle: FileHandle
    var bytes: Int64 = 0
    let md5 = MD5()
    private var head = Data()
    init(handle: FileHandle) { self.handle = handle }
    override func write(_ chunk: UnsafeRawBufferPointer) -> Bool {
        let data = Data(chunk)
        do { try handle.write(contentsOf: data) } catch { self.error = error; return false }
        bytes += Int64(chunk.count)
        md5.update(chunk)
        if head.count < 1000 { head.append(data.prefix(1000 - head.count)) }
        return true
    }
    override var errorBody: String { String(decoding: head, as: UTF8.self) }
}
