/// The text request format of the IPP's `pstamp_request_file` (formats-and-cutouts.md §2), parsed into a
/// header and typed rows ready to be written as a `PS1_PS_REQUEST` table. Pure: text in, values out.
///
///   let doc = try RequestTextFormat.parse(text, reqName: nil, email: nil)
///   doc.header     // REQ_NAME EXTVER [ACTION EMAIL] from the first non-comment line
///   doc.rows       // [RawRequestRow], every column of the version present, typed (J → integer, D → real, A → text)
///   doc.warnings   // "line 7: '#' removed from comment", …
///
/// Rules: blank lines and lines beginning with `#` are skipped; a row's fields come before the first `|`,
/// split on blanks; the text after it (up to a second `|`) is COMMENT, leading blanks trimmed, its first `#`
/// replaced by a blank, cut to 63 characters, `null` when empty. v2 rows have 23 fields, v1 rows 18; a row
/// of at least 6 fields inherits the missing trailing fields from the row above. ROWNUM 0 is numbered
/// automatically (1, 2, … counting automatic rows only); a repeated ROWNUM is an error. Integers are digits
/// only, reals signed decimals with optional exponent. Every error names its line.
///
/// Where the IPP tool silently did something odd, PStamp reports an error instead: more fields than the
/// version has, a string longer than its column (cfitsio would cut it), a non-ASCII character (FITS strings
/// are ASCII), an EXTVER other than 1 or 2. Rows indented by blanks are accepted (the IPP tool shifted
/// every field by one).
public enum RequestTextFormat {
    /// The result of parsing.
    public struct Document: Sendable, Equatable {
        public var header: RequestHeader
        public var rows: [RawRequestRow]
        public var warnings: [String]
    }

    /// A text-format error, with the 1-based line it was found on (0 when it concerns the whole input).
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { line > 0 ? "line \(line): \(message)" : message }
        /// The same as a coded PStamp error (21 INVALID_REQUEST).
        public var pstampError: PStampError { PStampError(.invalidRequest, description) }
    }

    public static let minimumFields = 6
    public static let commentLimit = 63

    public static func parse(_ text: String, reqName: String? = nil, email: String? = nil) throws -> Document {
        var header: RequestHeader?
        var rows: [RawRequestRow] = []
        var warnings: [String] = []
        var previous: [String] = []
        var usedRownums: [Int64: Int] = [:]
        var autoRownum: Int64 = 0
        var lineNumber = 0

        // "\r\n" is one Character in Swift: split on it as well as on "\n".
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.last == "\r" { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.first == "#" { continue }
            guard line.unicodeScalars.allSatisfy({ $0.isASCII }) else {
                throw ParseError(line: lineNumber, message: "only ASCII characters can be stored in a request file")
            }

            if header == nil {
                let values = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                    .map { String($0).replacingAll("'", with: "") }
                guard values.count >= 2 else {
                    throw ParseError(
                        line: lineNumber, message: "the header line needs at least REQ_NAME and EXTVER (found \(values.count) fields)")
                }
                guard let version = Int(values[1]), version == 1 || version == 2 else {
                    throw ParseError(line: lineNumber, message: "EXTVER '\(values[1])' is not 1 or 2")
                }
                if version > 1 && values.count != 4 {
                    throw ParseError(
                        line: lineNumber,
                        message: "a version \(version) header needs 4 fields: REQ_NAME EXTVER ACTION EMAIL (found \(values.count))")
                }
                if values.count > 4 {
                    throw ParseError(
                        line: lineNumber, message: "the header line has \(values.count) fields; at most 4: REQ_NAME EXTVER ACTION EMAIL")
                }
                header = RequestHeader(
                    reqName: values[0], version: version,
                    action: values.count > 2 ? values[2] : nil,
                    email: values.count > 3 ? values[3] : nil)
                continue
            }
            let h = header!

            let columns = RequestFileFormat.columns(version: h.version)
            let fieldCount = columns.count - 1  // COMMENT comes from after the '|'
            let pieces = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
            let spec = pieces[0]
            var fields = spec.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !fields.isEmpty else {
                throw ParseError(line: lineNumber, message: "improper format: no values before '|'")
            }
            var comment = pieces.count > 1 ? String(pieces[1]) : ""
            while let c = comment.first, c == " " || c == "\t" { comment.removeFirst() }
            if let hash = comment.firstIndex(of: "#") {
                comment.replaceSubrange(hash...hash, with: " ")
                warnings.append("line \(lineNumber): '#' character removed from comment")
            }
            if comment.count > commentLimit {
                comment = String(comment.prefix(commentLimit))
                warnings.append("line \(lineNumber): comment too long, cut to \(commentLimit) characters")
            }
            if comment.isEmpty { comment = "null" }

            if fields.count < minimumFields {
                throw ParseError(
                    line: lineNumber,
                    message:
                        "too few values (\(fields.count)); each row needs at least \(minimumFields): ROWNUM CENTER_X CENTER_Y WIDTH HEIGHT COORD_MASK"
                )
            }
            if fields.count > fieldCount {
                throw ParseError(
                    line: lineNumber,
                    message: "too many values (\(fields.count)); a version \(h.version) row has \(fieldCount) before the '|'")
            }
            if fields.count < fieldCount {
                guard !previous.isEmpty else {
                    throw ParseError(line: lineNumber, message: "too few values (\(fields.count)); the first row needs all \(fieldCount)")
                }
                fields += previous[fields.count..<fieldCount]
            }
            previous = fields

            var row = RawRequestRow()
            for (i, column) in columns.enumerated() {
                let text = i < fieldCount ? fields[i] : comment
                if column.isInteger {
                    guard RequestValue.isDigits(text), let v = Int64(text) else {
                        throw ParseError(line: lineNumber, message: "\(column.name) '\(text)' is not a valid integer (digits only)")
                    }
                    // The column is 32-bit (J): a larger value would be clamped by cfitsio, silently.
                    guard v <= Int64(Int32.max) else {
                        throw ParseError(
                            line: lineNumber,
                            message: "\(column.name) \(text) does not fit the request file's 32-bit column (at most \(Int32.max))")
                    }
                    row[column.name] = .integer(v)
                } else if column.isReal {
                    guard RequestValue.isValidNumber(text), let v = Double(text) else {
                        throw ParseError(line: lineNumber, message: "\(column.name) '\(text)' is not a valid number")
                    }
                    row[column.name] = .real(v)
                } else {
                    guard text.utf8.count <= column.width else {
                        throw ParseError(line: lineNumber, message: "\(column.name) '\(text)' is longer than \(column.width) characters")
                    }
                    row[column.name] = .text(text)
                }
            }
            if case .integer(0) = row["ROWNUM"] {
                autoRownum += 1
                row["ROWNUM"] = .integer(autoRownum)
            }
            guard case .integer(let rownum) = row["ROWNUM"] else { continue }
            if let earlier = usedRownums[rownum] {
                throw ParseError(line: lineNumber, message: "ROWNUM \(rownum) has already been used at line \(earlier)")
            }
            usedRownums[rownum] = lineNumber
            rows.append(row)
        }

        guard var finalHeader = header else { throw ParseError(line: 0, message: "no header line found in the input") }
        guard !rows.isEmpty else { throw ParseError(line: 0, message: "no data rows in the input") }
        if let reqName, !reqName.isEmpty { finalHeader.reqName = reqName.replacingAll("'", with: "") }
        if let email, !email.isEmpty {
            finalHeader.email = email.replacingAll("'", with: "")
        }
        return Document(header: finalHeader, rows: rows, warnings: warnings)
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
