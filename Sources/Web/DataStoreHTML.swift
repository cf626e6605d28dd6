import Foundation
import PStampCore

/// The HTML views of the data store, made from the index text as the IPP's CGI did: one table row
/// per line, header lines (`#`) as header cells, the first field of every other line a link one
/// level down.
enum DataStoreHTML {
    enum Level { case root, product(String), fileset(String, String) }

    /// The URL path of one name below `base` (names are from the data-store character set).
    private static func link(_ base: String, _ name: String) -> String {
        base + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
    }

    static func page(_ text: String, level: Level) -> String {
        let title: String
        let base: String
        let up: String?
        switch level {
        case .root: title = "IPP Data Store"; base = "/ds/"; up = nil
        case .product(let p): title = "IPP Data Store \(p)"; base = "/ds/\(p)/"; up = "/ds/"
        case .fileset(let p, let f): title = "IPP Data Store \(f)"; base = "/ds/\(p)/\(f)/"; up = "/ds/\(p)/"
        }
        var html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(Markup.escape(title))</title></head><body>\n"
        html += "<h1>\(Markup.escape(title))</h1>\n<p><a href=\"\(Markup.escape(base))index.txt\">Text Version</a>"
        if let up { html += " &nbsp; <a href=\"\(Markup.escape(up))\">Up</a>" }
        html += "</p>\n<table cellpadding=\"3\">\n"
        for line in text.split(separator: "\n") {
            var fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.last == "" { fields.removeLast() }
            guard let first = fields.first else { continue }
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                html += "<tr>" + fields.map { "<th>\(Markup.escape($0))</th>" }.joined() + "</tr>\n"
                continue
            }
            let isFile: Bool
            if case .fileset = level { isFile = true } else { isFile = false }
            let target = link(base, first) + (isFile ? "" : "/")
            var row = "<tr><td><a href=\"\(Markup.escape(target))\">\(Markup.escape(first))</a></td>"
            for (i, value) in fields.dropFirst().enumerated() {
                if case .root = level, i == 0, value != "none" {
                    row += "<td><a href=\"\(Markup.escape(link(base, first) + "/" + value + "/"))\">\(Markup.escape(value))</a></td>"
                } else {
                    row += "<td>\(Markup.escape(value))</td>"
                }
            }
            html += row + "</tr>\n"
        }
        html += "</table>\n</body></html>\n"
        return html
    }
}
