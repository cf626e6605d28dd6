/// The VOResource 1.1 record an observatory publishes to an IVOA registry so that PStamp's services are
/// found without TAP: one `vs:DataService` resource naming the site, its curation and every capability
/// of `VOSI.capabilities` (RegistryInterface 1.0 `ri:Resource`, VODataService 1.1).
public struct VORegistryRecord: Sendable, Equatable {
    /// The resource's own identifier, `ivo://<authority>/pstamp`.
    public var identifier: String
    public var title: String
    public var shortName: String?
    public var publisher: String
    public var contactName: String
    public var contactEmail: String
    public var description: String
    public var referenceURL: String
    public var subjects: [String]
    public var created: MetadataTime
    public var updated: MetadataTime
    public var capabilities: [VOSI.Capability]

    public init(
        authority: String, title: String, shortName: String? = nil, publisher: String, contactName: String, contactEmail: String,
        description: String, referenceURL: String, subjects: [String] = ["surveys", "astronomical images"],
        created: MetadataTime, updated: MetadataTime, capabilities: [VOSI.Capability]
    ) {
        self.identifier = "ivo://\(authority)/pstamp"
        self.title = title
        self.shortName = shortName
        self.publisher = publisher
        self.contactName = contactName
        self.contactEmail = contactEmail
        self.description = description
        self.referenceURL = referenceURL
        self.subjects = subjects
        self.created = created
        self.updated = updated
        self.capabilities = capabilities
    }

    /// VOResource dates: ISO 8601 UTC without a fraction.
    static func date(_ t: MetadataTime) -> String {
        String(UWSJob.time(t).prefix(19)) + "Z"
    }

    /// The record, children in VOResource's order (title, shortName, identifier, curation, content,
    /// then the capabilities).
    public var xml: String {
        var lines = [
            VOXML.declaration,
            "<ri:Resource xmlns:ri=\"http://www.ivoa.net/xml/RegistryInterface/v1.0\""
                + " xmlns:vr=\"http://www.ivoa.net/xml/VOResource/v1.0\" xmlns:vs=\"http://www.ivoa.net/xml/VODataService/v1.1\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"vs:DataService\""
                + VOXML.attributes([("created", Self.date(created)), ("updated", Self.date(updated)), ("status", "active")]) + ">",
        ]
        lines.append("  " + VOXML.element("title", text: title))
        if let shortName { lines.append("  " + VOXML.element("shortName", text: String(shortName.prefix(16)))) }
        lines.append("  " + VOXML.element("identifier", text: identifier))
        lines.append("  <curation>")
        lines.append("    " + VOXML.element("publisher", text: publisher))
        lines.append("    <contact>")
        lines.append("      " + VOXML.element("name", text: contactName))
        lines.append("      " + VOXML.element("email", text: contactEmail))
        lines.append("    </contact>")
        lines.append("  </curation>")
        lines.append("  <content>")
        for s in subjects { lines.append("    " + VOXML.element("subject", text: s)) }
        lines.append("    " + VOXML.element("description", text: description))
        lines.append("    " + VOXML.element("referenceURL", text: referenceURL))
        lines.append("    " + VOXML.element("type", text: "Archive"))
        lines.append("    " + VOXML.element("contentLevel", text: "Research"))
        lines.append("  </content>")
        lines += capabilities.map { $0.xml(indent: "  ") }
        lines.append("</ri:Resource>")
        return lines.joined(separator: "\n") + "\n"
    }
}
