/// The VOSI 1.1 documents every VO service answers: `/capabilities` (one `capability` per interface,
/// with its standardID) and `/availability`.
public enum VOSI {
    /// The IVOA standard identifiers PStamp's services speak.
    public enum StandardID {
        public static let siaQuery = "ivo://ivoa.net/std/SIA#query-2.0"
        public static let sodaSync = "ivo://ivoa.net/std/SODA#sync-1.0"
        public static let sodaAsync = "ivo://ivoa.net/std/SODA#async-1.0"
        public static let dataLink = "ivo://ivoa.net/std/DataLink#links-1.1"
        public static let capabilities = "ivo://ivoa.net/std/VOSI#capabilities"
        public static let availability = "ivo://ivoa.net/std/VOSI#availability"
        public static let uws = "ivo://ivoa.net/std/UWS#rest-1.1"
    }

    /// One interface: its standard and where it is.
    public struct Capability: Sendable, Equatable {
        public var standardID: String
        public var accessURL: String
        public init(standardID: String, accessURL: String) {
            self.standardID = standardID
            self.accessURL = accessURL
        }

        /// The `<capability>` element with its one ParamHTTP interface (the namespaces `xsi` and `vs`
        /// are declared by the enclosing document).
        func xml(indent: String) -> String {
            [
                "<capability\(VOXML.attributes([("standardID", standardID)]))>",
                "  <interface xsi:type=\"vs:ParamHTTP\" role=\"std\">",
                "    " + VOXML.element("accessURL", [("use", "full")], text: accessURL),
                "  </interface>",
                "</capability>",
            ].map { indent + $0 }.joined(separator: "\n")
        }
    }

    /// The capabilities of a PStamp site whose VO face lives under `baseURL` (no trailing slash):
    /// SIA at `/sia/query`, SODA at `/soda/sync` and `/soda/async`, DataLink at `/datalink/links`,
    /// and the VOSI resources at `/vo/capabilities` and `/vo/availability`.
    public static func capabilities(baseURL: String) -> [Capability] {
        [
            Capability(standardID: StandardID.siaQuery, accessURL: baseURL + "/sia/query"),
            Capability(standardID: StandardID.sodaSync, accessURL: baseURL + "/soda/sync"),
            Capability(standardID: StandardID.sodaAsync, accessURL: baseURL + "/soda/async"),
            Capability(standardID: StandardID.dataLink, accessURL: baseURL + "/datalink/links"),
            Capability(standardID: StandardID.capabilities, accessURL: baseURL + "/vo/capabilities"),
            Capability(standardID: StandardID.availability, accessURL: baseURL + "/vo/availability"),
        ]
    }

    /// The `<vosi:capabilities>` document (`text/xml`).
    public static func capabilitiesXML(_ capabilities: [Capability]) -> String {
        var lines = [
            VOXML.declaration,
            "<vosi:capabilities xmlns:vosi=\"http://www.ivoa.net/xml/VOSICapabilities/v1.0\""
                + " xmlns:vr=\"http://www.ivoa.net/xml/VOResource/v1.0\" xmlns:vs=\"http://www.ivoa.net/xml/VODataService/v1.1\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
        ]
        lines += capabilities.map { $0.xml(indent: "  ") }
        lines.append("</vosi:capabilities>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `<vosi:availability>` document: whether the service answers, since when, and notes.
    public static func availabilityXML(available: Bool, upSince: MetadataTime? = nil, notes: [String] = []) -> String {
        var lines = [VOXML.declaration, "<vosi:availability xmlns:vosi=\"http://www.ivoa.net/xml/VOSIAvailability/v1.0\">"]
        lines.append("  " + VOXML.element("vosi:available", text: available ? "true" : "false"))
        if let upSince { lines.append("  " + VOXML.element("vosi:upSince", text: UWSJob.time(upSince))) }
        for n in notes { lines.append("  " + VOXML.element("vosi:note", text: n)) }
        lines.append("</vosi:availability>")
        return lines.joined(separator: "\n") + "\n"
    }
}
