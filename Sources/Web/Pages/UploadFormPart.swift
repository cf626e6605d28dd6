import Foundation
import Hummingbird
import MultipartKit

/// The upload page's plain HTML form (`multipart/form-data`, no JavaScript): the request file is the
/// part named `file`. The body is parsed as it arrives (MultipartKit's `MultipartParser`) and the
/// file's bytes are handed on chunk by chunk, so the upload is streamed to disk like a raw body. The
/// sequence ends early rather than throwing (a writer wraps what its sequence throws); `progress` then
/// says why: no file part, or a file over `limit`.
struct UploadFormPart<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let boundary: String
    /// The largest file; beyond it `LimitedBody.BodyTooLarge`.
    let limit: Int
    /// What was found, read once the sequence has ended.
    let progress = Progress()

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// What the parser's callbacks have seen so far. Used by the one task that writes the upload, then
    /// read by it when the writing has ended.
    final class Progress: @unchecked Sendable {
        var inFile = false
        /// A part named `file` began.
        var sawFile = false
        /// The file passed the limit (the sequence ended there).
        var tooLarge = false
        /// The body is not multipart with this boundary.
        var malformed = false
        var pending = ByteBuffer()
        var written = 0
        /// The file arrived whole and within the limit.
        var isComplete: Bool { sawFile && !tooLarge && !malformed }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let parser: MultipartParser
        let progress: Progress
        let limit: Int

        mutating func next() async throws -> ByteBuffer? {
            while true {
                if progress.pending.readableBytes > 0 {
                    let out = progress.pending
                    progress.pending = ByteBuffer()
                    progress.written += out.readableBytes
                    if progress.written > limit {
                        progress.tooLarge = true
                        return nil
                    }
                    return out
                }
                guard let chunk = try await base.next() else { return nil }
                do { try parser.execute(chunk) } catch {
                    progress.malformed = true
                    return nil
                }
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        let parser = MultipartParser(boundary: boundary)
        let progress = self.progress
        parser.onHeader = { name, value in
            if name.lowercased() == "content-disposition", value.contains("name=\"file\"") {
                progress.inFile = true
                progress.sawFile = true
            }
        }
        parser.onBody = { buffer in if progress.inFile { progress.pending.writeBuffer(&buffer) } }
        parser.onPartComplete = { progress.inFile = false }
        return AsyncIterator(base: base.makeAsyncIterator(), parser: parser, progress: progress, limit: limit)
    }
}
