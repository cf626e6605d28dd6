/// VOTable 1.4 documents (namespace `http://www.ivoa.net/xml/VOTable/v1.3`, which 1.4 keeps), written
/// as TABLEDATA: the results of SIA 2 and DataLink and the DALI error document.
public enum VOTable {
    public static let namespace = "http://www.ivoa.net/xml/VOTable/v1.3"

    /// One column: its name and type, with the UCD, unit, utype and xtype that give it meaning.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var datatype: String
        public var arraysize: String?
        public var unit: String?
        public var ucd: String?
        public var utype: String?
        public var xtype: String?
        public var description: String?

        public init(
            _ name: String, _ datatype: String, arraysize: String? = nil, unit: String? = nil, ucd: String? = nil,
            utype: String? = nil, xtype: String? = nil, description: String? = nil
        ) {
            self.name = name
            self.datatype = datatype
            self.arraysize = arraysize
            self.unit = unit
            self.ucd = ucd
            self.utype = utype
            self.xtype = xtype
            self.description = description
        }

        /// A text column (`char`, any length).
        public static func text(_ name: String, ucd: String? = nil, utype: String? = nil, description: String? = nil) -> Field {
            Field(name, "char", arraysize: "*", ucd: ucd, utype: utype, description: description)
        }

        /// The `<FIELD>` element; the field's name is also its `ID`, so a service descriptor can `ref` it.
        var xml: String {
            let attrs: [(String, String?)] = [
                ("name", name), ("ID", name), ("datatype", datatype), ("arraysize", arraysize), ("unit", unit), ("ucd", ucd),
                ("utype", utype), ("xtype", xtype),
            ]
            guard let description else { return VOXML.empty("FIELD", attrs) }
            return "<FIELD\(VOXML.attributes(attrs))>\(VOXML.element("DESCRIPTION", text: description))</FIELD>"
        }
    }

    /// A `<PARAM>`: a named constant of a resource, or an input of a service descriptor.
    public struct Param: Sendable, Equatable {
        public var name: String
        public var datatype: String
        public var arraysize: String?
        public var value: String
        public var unit: String?
        public var ucd: String?
        public var xtype: String?
        /// The ID of a results column whose values the parameter takes (DataLink §4.1).
        public var ref: String?
        public var description: String?

        public init(
            _ name: String, datatype: String = "char", arraysize: String? = "*", value: String = "", unit: String? = nil,
            ucd: String? = nil, xtype: String? = nil, ref: String? = nil, description: String? = nil
        ) {
            self.name = name
            self.datatype = datatype
            self.arraysize = arraysize
            self.value = value
            self.unit = unit
            self.ucd = ucd
            self.xtype = xtype
            self.ref = ref
            self.description = description
        }

        var xml: String {
            let attrs: [(String, String?)] = [
                ("name", name), ("datatype", datatype), ("arraysize", arraysize), ("value", value), ("unit", unit),
                ("ucd", ucd), ("xtype", xtype), ("ref", ref),
            ]
            guard let description else { return VOXML.empty("PARAM", attrs) }
            return "<PARAM\(VOXML.attributes(attrs))>\(VOXML.element("DESCRIPTION", text: description))</PARAM>"
        }
    }

    /// A results `<RESOURCE>` holding one table: `infos` first (`QUERY_STATUS`, `standardID` …), then the
    /// fields and the rows (nil cells are empty, VOTable's null).
    public static func resultsResource(infos: [(name: String, value: String)], fields: [Field], rows: [[String?]]) -> String {
        var lines = ["<RESOURCE type=\"results\">"]
        for info in infos { lines.append("  " + VOXML.empty("INFO", [("name", info.name), ("value", info.value)])) }
        lines.append("  <TABLE>")
        for f in fields { lines.append("    " + f.xml) }
        lines.append("    <DATA><TABLEDATA>")
        for row in rows {
            lines.append("      <TR>" + row.map { $0.map { "<TD>\(Markup.escape($0))</TD>" } ?? "<TD/>" }.joined() + "</TR>")
        }
        lines.append("    </TABLEDATA></DATA>")
        lines.append("  </TABLE>")
        lines.append("</RESOURCE>")
        return lines.joined(separator: "\n")
    }

    /// A DataLink service descriptor (`RESOURCE type="meta" utype="adhoc:service"`): where the service
    /// is, which standard it speaks, and its input parameters.
    public static func serviceDescriptor(id: String, standardID: String, accessURL: String, inputs: [Param]) -> String {
        var lines = ["<RESOURCE\(VOXML.attributes([("type", "meta"), ("utype", "adhoc:service"), ("ID", id)]))>"]
        lines.append("  " + Param("standardID", value: standardID).xml)
        lines.append("  " + Param("accessURL", value: accessURL).xml)
        lines.append("  <GROUP name=\"inputParams\">")
        for p in inputs { lines.append("    " + p.xml) }
        lines.append("  </GROUP>")
        lines.append("</RESOURCE>")
        return lines.joined(separator: "\n")
    }

    /// A whole document from its resources.
    public static func document(_ resources: [String]) -> String {
        var lines = [VOXML.declaration, "<VOTABLE version=\"1.4\" xmlns=\"\(namespace)\">"]
        lines += resources
        lines.append("</VOTABLE>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The DALI error document (DALI 1.1 §4.2): a results resource whose `QUERY_STATUS` is ERROR, the
    /// label and message as the INFO's text.
    public static func error(_ error: DALIError) -> String {
        let info = "<INFO name=\"QUERY_STATUS\" value=\"ERROR\">\(Markup.escape(error.description))</INFO>"
        return document(["<RESOURCE type=\"results\">", "  " + info, "</RESOURCE>"])
    }

    /// The `QUERY_STATUS` INFO of a successful answer: `OK`, or `OVERFLOW` when MAXREC cut the rows.
    public static func queryStatus(overflow: Bool) -> (name: String, value: String) {
        ("QUERY_STATUS", overflow ? "OVERFLOW" : "OK")
    }
}
