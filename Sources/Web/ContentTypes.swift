/// Content types of data-store files, by name. FITS gets `application/fits` (RFC 4047).
enum ContentTypes {
    static func forFile(_ name: String) -> String {
        let lower = name.lowercased()
        if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") { return "application/gzip" }
        if lower.hasSuffix(".fits.fz") || lower.hasSuffix(".fz") { return "application/fits" }
        guard let dot = lower.lastIndex(of: ".") else { return "application/octet-stream" }
        switch lower[lower.index(after: dot)...] {
        case "fits", "fit", "fts", "cmf", "smf", "psf": return "application/fits"
        case "jpg", "jpeg": return "image/jpeg"
        case "png": return "image/png"
        case "txt", "mdc", "log", "text": return "text/plain; charset=utf-8"
        case "html", "htm": return "text/html; charset=utf-8"
        case "xml": return "application/xml"
        case "json": return "application/json"
        case "gz": return "application/gzip"
        default: return "application/octet-stream"
        }
    }
}
