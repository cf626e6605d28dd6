import PStampCore

/// The request form's values as the template shows them: the sender's own values (so a refused form
/// comes back as it was sent) and the message beside each refused field.
struct RequestFormView {
    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }
    struct Product {
        var field: String
        var label: String
        var checked: Bool
    }

    var ra = ""
    var dec = ""
    var size = "60"
    var units: [Choice]
    var types: [Choice]
    var filters: [Choice]
    var mjdMin = "0"
    var mjdMax = "0"
    var products: [Product]
    var email = ""
    var comment = ""
    /// Field name -> message.
    var errors: [String: String] = [:]
    /// A refusal that belongs to no one field.
    var refused: String?
    var signedIn: Bool

    /// The optional products, by form field; JPEG preview is on in an empty form.
    static let productFields: [(field: String, option: String, label: String)] = [
        ("jpeg", "jpeg", "JPEG preview"), ("mask", "mask", "mask"), ("variance", "variance", "variance"),
        ("sources", "sources", "sources"),
    ]
    static let filterNames = ["g", "r", "i", "z", "y", "w"]

    /// The empty form.
    init(signedIn: Bool) {
        self.init(values: ["size": "60", "unit": "arcsec", "type": "warp", "jpeg": "1"], signedIn: signedIn)
    }

    /// The form filled with `values` (the posted fields).
    init(values: [String: String], signedIn: Bool) {
        ra = values["ra"] ?? ""
        dec = values["dec"] ?? ""
        size = values["size"] ?? ""
        let unit = values["unit"] ?? "arcsec"
        units = ["arcsec", "pixels"].map { Choice(value: $0, label: $0, selected: $0 == unit) }
        let type = values["type"] ?? "warp"
        types = StampQuery.imageTypes.map { Choice(value: $0, label: $0, selected: $0 == type) }
        let filter = values["filter"] ?? ""
        filters =
            [Choice(value: "", label: "any", selected: filter.isEmpty)]
            + Self.filterNames.map { Choice(value: $0, label: $0, selected: $0 == filter) }
        if !filter.isEmpty, !Self.filterNames.contains(filter) { filters.append(Choice(value: filter, label: filter, selected: true)) }
        mjdMin = values["mjd_min"] ?? "0"
        mjdMax = values["mjd_max"] ?? "0"
        let listed = (values["options"] ?? "").lowercased().split(separator: ",").map { String($0) }
        products = Self.productFields.map { p in
            Product(field: p.field, label: p.label, checked: values[p.field] != nil || listed.contains(p.option))
        }
        email = values["email"] ?? ""
        comment = values["comment"] ?? ""
        self.signedIn = signedIn
    }

    /// The posted fields as `StampQuery` parameters: the product boxes become `options`.
    static func queryParameters(_ values: [String: String]) -> [String: String] {
        var out = values
        var options = (values["options"] ?? "").split(separator: ",").map { String($0) }
        for p in productFields where values[p.field] != nil {
            out.removeValue(forKey: p.field)
            options.append(p.option)
        }
        if !options.isEmpty { out["options"] = (["image"] + options).joined(separator: ",") }
        return out
    }

    /// The form names a field for each `StampQuery` parameter it has; others are shown above the form.
    static let fields: Set<String> = ["ra", "dec", "size", "type", "filter", "mjd_min", "mjd_max", "options", "email", "comment"]

    mutating func refuse(_ refusal: StampQuery.Refusal) {
        let field = refusal.field == "width" || refusal.field == "height" || refusal.field == "unit" ? "size" : refusal.field
        if Self.fields.contains(field) { errors[field] = refusal.error.message } else { refused = refusal.error.message }
    }
}
