import Foundation
import Hummingbird
import Mustache

/// The pages' mustache templates (`Pages/Templates/*.mustache`, shipped as resources of the Web target)
/// and the one stylesheet. Every page template extends `layout` (the head, the navigation, the
/// stylesheet link); `{{ }}` escapes user text for HTML.
struct PageTemplates: Sendable {
    let library: MustacheLibrary
    let stylesheet: String

    /// The templates shipped with the server.
    static let shipped: Result<PageTemplates, any Error> = Result { try PageTemplates(bundle: .module) }

    init(bundle: Bundle) throws {
        guard let templates = bundle.url(forResource: "Templates", withExtension: nil),
            let css = bundle.url(forResource: "Static", withExtension: nil)?.appendingPathComponent("pstamp.css")
        else { throw HTTPError(.internalServerError, message: "the page templates are missing from the build") }
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: templates.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: templates.appendingPathComponent(file), encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        self.library = library
        stylesheet = try String(contentsOf: css, encoding: .utf8)
    }

    /// `page` rendered with `template` as an HTML response.
    static func render(_ page: Any, _ template: String, status: HTTPResponse.Status = .ok) throws -> Response {
        let templates = try shipped.get()
        guard let html = templates.library.render(page, withTemplate: template) else {
            throw HTTPError(.internalServerError, message: "no page template \(template)")
        }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
