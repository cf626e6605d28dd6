/// The DataLink 1.1 `{links}` answer for images: for each ID its own file (`#this`), its cut-out service
/// (`#cutout`, through a service descriptor), and its mask, variance and catalogue files when it has them.
///
/// MIME type `application/x-votable+xml;content=datalink`; all rows of one ID are consecutive.
public enum DataLinkDocument {
    public static let contentType = "application/x-votable+xml;content=datalink"

    /// One row: exactly one of `accessURL`, `serviceDef` and `errorMessage` is set.
    public struct Link: Sendable, Equatable {
        public var id: String
        public var accessURL: String?
        public var serviceDef: String?
        public var errorMessage: String?
        public var description: String
        /// A term of http://www.ivoa.net/rdf/datalink/core, written `#this`, `#cutout`, …
        public var semantics: String
        public var contentType: String?
        public var contentLength: Int64?

        public static func file(
            id: String, url: String, semantics: String, description: String, contentType: String = "image/fits", length: Int64? = nil
        ) -> Link {
            Link(
                id: id, accessURL: url, description: description, semantics: semantics, contentType: contentType,
                contentLength: length)
        }

        public static func service(id: String, serviceDef: String, semantics: String = "#cutout", description: String) -> Link {
            Link(id: id, serviceDef: serviceDef, description: description, semantics: semantics)
        }

        public static func error(id: String, _ error: DALIError) -> Link {
            Link(id: id, errorMessage: error.description, description: "no links", semantics: "#this")
        }

        public init(
            id: String, accessURL: String? = nil, serviceDef: String? = nil, errorMessage: String? = nil, description: String,
            semantics: String, contentType: String? = nil, contentLength: Int64? = nil
        ) {
            self.id = id
            self.accessURL = accessURL
            self.serviceDef = serviceDef
            self.errorMessage = errorMessage
            self.description = description
            self.semantics = semantics
            self.contentType = contentType
            self.contentLength = contentLength
        }
    }

    public static let fields: [VOTable.Field] = [
        .text("ID", ucd: "meta.id;meta.main"),
        .text("access_url", ucd: "meta.ref.url"),
        .text("service_def", ucd: "meta.ref"),
        .text("error_message", ucd: "meta.code.error"),
        .text("description", ucd: "meta.note"),
        .text("semantics", ucd: "meta.code"),
        .text("content_type", ucd: "meta.code.mime"),
        VOTable.Field("content_length", "long", unit: "byte", ucd: "phys.size;meta.file"),
    ]

    /// The links of one image as PStamp serves them: the image, the SODA cut-out, then the companions.
    /// `companions` are (semantics, description, url) of the mask (`#auxiliary`), variance, catalogue.
    public static func links(
        for id: VOImageID, authority: String, imageURL: String, companions: [(semantics: String, description: String, url: String)]
    ) -> [Link] {
        let uri = id.uri(authority: authority)
        var links = [
            Link.file(id: uri, url: imageURL, semantics: "#this", description: "the whole \(id.stage.rawValue) image"),
            Link.service(id: uri, serviceDef: "soda-sync", description: "cut-outs of this image (SODA sync)"),
        ]
        for c in companions {
            let type = c.url.hasSuffix(".cmf") || c.url.hasSuffix(".fits") ? "application/fits" : "application/octet-stream"
            links.append(Link.file(id: uri, url: c.url, semantics: c.semantics, description: c.description, contentType: type))
        }
        return links
    }

    /// The `{links}` VOTable: the links table (IDs kept together in the given order) and the service
    /// descriptor the `#cutout` rows name.
    public static func votable(_ links: [Link], sodaSyncURL: String, overflow: Bool = false) -> String {
        var order: [String] = []
        for l in links where !order.contains(l.id) { order.append(l.id) }
        let sorted = order.flatMap { id in links.filter { $0.id == id } }
        let rows: [[String?]] = sorted.map {
            [
                $0.id, $0.accessURL, $0.serviceDef, $0.errorMessage, $0.description, $0.semantics, $0.contentType,
                $0.contentLength.map(String.init),
            ]
        }
        let infos = [VOTable.queryStatus(overflow: overflow), (name: "standardID", value: VOSI.StandardID.dataLink)]
        let inputs = [VOTable.Param("ID", ucd: "meta.ref.url;meta.curation", ref: "ID")] + SIAResults.sodaInputs.dropFirst()
        return VOTable.document([
            VOTable.resultsResource(infos: infos, fields: fields, rows: rows),
            VOTable.serviceDescriptor(id: "soda-sync", standardID: VOSI.StandardID.sodaSync, accessURL: sodaSyncURL, inputs: inputs),
        ])
    }
}
