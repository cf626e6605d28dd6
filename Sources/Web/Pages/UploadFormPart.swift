import Foundation
import Hummingbird
import MultipartKit

/// The upload page's plain HTML form (`multipart/form-data`, no JavaScript): the request file is the
/// part named `file`. Decoded by MultipartKit; the body is held in memory up to the upload limit.
enum UploadFormPart {
    /// The multipart body has no part named `file`.
    struct Missing: Error {}

    struct Form: Decodable {
        var file: Data
    }

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

    /// The `file` part of the body. Throws `LimitedBody.BodyTooLarge` past `limit` bytes (the file plus
    /// room for the form's other parts), `Missing` when there is no file part.
    static func file(_ body: RequestBody, boundary: String, limit: Int) async throws -> ByteBuffer {
        let slack = 64 * 1024
        var buffer = ByteBuffer()
        for try await chunk in body {
            guard buffer.readableBytes + chunk.readableBytes <= limit + slack else { throw LimitedBody<RequestBody>.BodyTooLarge() }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        guard let form = try? FormDataDecoder().decode(Form.self, from: buffer, boundary: boundary) else { throw Missing() }
        guard form.file.count <= limit else { throw LimitedBody<RequestBody>.BodyTooLarge() }
        return ByteBuffer(bytes: form.file)
    }
}
