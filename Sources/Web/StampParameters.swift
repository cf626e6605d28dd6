import Hummingbird

/// The parameters of `/stamp` and the request form, decoded by Hummingbird's `URLEncodedFormDecoder`
/// from the query string and from an urlencoded body (the body wins). Names are kept as sent, lower-cased
/// (`StampQuery` reads them case-insensitively); a value that is not a plain string (`a[]=…`) is no
/// stamp parameter and is left out.
struct StampParameters: Decodable, Equatable {
    var values: [String: String]

    init(values: [String: String] = [:]) { self.values = values }

    private struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Name.self)
        values = [:]
        for name in container.allKeys {
            if let value = try? container.decode(String.self, forKey: name) { values[name.stringValue.lowercased()] = value }
        }
    }

    /// The largest urlencoded body read.
    static let maxBody = 1 << 20

    /// The request's parameters: its query, then its urlencoded body on top. Text that is no
    /// urlencoded form is a 400 saying why.
    static func decode(_ request: Request) async throws -> StampParameters {
        var parameters = try decode(request.uri.query ?? "")
        let body = try await request.body.collect(upTo: maxBody)
        if body.readableBytes > 0 { parameters.values.merge(try decode(String(buffer: body)).values) { _, posted in posted } }
        return parameters
    }

    static func decode(_ text: String) throws -> StampParameters {
        do { return try URLEncodedFormDecoder().decode(StampParameters.self, from: text) } catch let error as URLEncodedFormError {
            throw PlainTextError(.badRequest, "the parameters cannot be read: \(error.description)\n")
        }
    }
}
