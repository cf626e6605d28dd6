// Request files (`PS1_PS_REQUEST`, formats-and-cutouts.md §1): read by column name, written as the IPP's
// `pstamp_request_file` writes them.
//
//   let file = try RequestFile.read("/work/req.fits")   // throws RequestFileError (code 21, 29, 2 …)
//   file.header                                          // REQ_NAME, version, ACTION, EMAIL (checked: 21)
//   try file.header.checkEmail()                         // 29 for a v2 EMAIL without user@domain
//   file.rows                                            // [RawRequestRow], as the table holds them
//   for outcome in file.validatedRows() { … }           // Result<RequestRow, RequestRowRejection> per row
//   try RequestFile.write(header: h, rows: rows, to: "/tmp/r.fits")
//
// Every problem with the file gives a RequestFileError carrying a PStamp code and, when the header could be
// read, the header (so the results can still be named after REQ_NAME). Nothing in a file can crash the
// reader: string columns wider than 1024 characters, more than 100 000 rows, vector or logical columns
// are refused before any data is read.
import PStampCore

/// A request file that cannot be processed as a whole.
public struct RequestFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: PStampCode
    public let message: String
    /// The header, when it could be read (the request is then answered under its REQ_NAME).
    public let header: RequestHeader?
    public init(_ code: PStampCode, _ message: String, header: RequestHeader? = nil) {
        self.code = code; self.message = message; self.header = header
    }
    public var pstampError: PStampError { PStampError(code, message) }
    public var description: String { pstampError.description }
}

public struct RequestFile: Sendable, Equatable {
    public var header: RequestHeader
    public var rows: [RawRequestRow]
    /// The table's column names, trimmed, in order.
    public var columnNames: [String]

    public init(header: RequestHeader, rows: [RawRequestRow], columnNames: [String] = []) {
        self.header = header; self.rows = rows; self.columnNames = columnNames
    }

    /// Each row checked and normalised as the parser does (§1.6).
    public func validatedRows() -> [Result<RequestRow, RequestRowRejection>] {
        rows.map { RequestRow.validate($0) }
    }

    // MARK: reading

    public static func read(_ path: String) throws(RequestFileError) -> RequestFile {
        guard access(path, R_OK) == 0 else {
            throw RequestFileError(.sysError, "cannot read request file \(path)")
        }
        let file: FITSFile
        do { file = try FITSFile.open(path, extendedSyntax: false) } catch {
            throw RequestFileError(.invalidRequest, "\(path) is not a FITS file (\(fitsMessage(error)))")
        }
        defer { file.closeQuietly() }
        var header: RequestHeader?
        do {
            guard try file.hduCount() >= 2 else {
                throw RequestFileError(.invalidRequest, "\(path) has no table extension")
            }
            guard try file.moveTo(hdu: 2) == .binaryTable, !(try file.isCompressedImage()) else {
                throw RequestFileError(.invalidRequest, "the first extension of \(path) is not a binary table")
            }
            let extname = try file.readString("EXTNAME")?.fitsTrimmed ?? ""
            guard extname == RequestFileFormat.extname else {
                throw RequestFileError(
                    .invalidRequest,
                    extname.isEmpty
                        ? "\(path) has no EXTNAME"
                        : "EXTNAME '\(extname.prefix(80))' is not \(RequestFileFormat.extname)")
            }
            header = try readHeader(file)
            do { try header!.validateStructure() } catch {
                throw RequestFileError(error.code, error.message, header: header)
            }
            let (rows, names) = try readRows(file, version: header!.version, header: header!)
            return RequestFile(header: header!, rows: rows, columnNames: names)
        } catch let e as RequestFileError {
            throw e
        } catch {
            throw RequestFileError(
                .invalidRequest, "cannot read the request table of \(path): \(fitsMessage(error))",
                header: header)
        }
    }

    static func readHeader(_ file: FITSFile) throws -> RequestHeader {
        let reqName = try file.readString("REQ_NAME")?.fitsTrimmed ?? ""
        let extver = try file.readValueText("EXTVER") ?? ""
        guard let version = Int(extver) else {
            throw RequestFileError(
                .invalidRequest,
                extver.isEmpty
                    ? "EXTVER is missing from the request header"
                    : "EXTVER '\(extver.prefix(20))' is not a request file version (1 or 2)")
        }
        func optional(_ key: String) throws -> String? {
            guard let v = try file.readString(key)?.fitsTrimmed, !v.isEmpty else { return nil }
            return v
        }
        return RequestHeader(reqName: reqName, version: version, action: try optional("ACTION"), email: try optional("EMAIL"))
    }

    static func readRows(_ file: FITSFile, version: Int, header: RequestHeader) throws -> ([RawRequestRow], [String]) {
        let names = try file.columnNames()
        let present = Set(names.map { $0.uppercased() })
        for required in RequestFileFormat.requiredColumns where !present.contains(required) {
            throw RequestFileError(.invalidRequest, "the request table has no \(required) column", header: header)
        }
        let count = try file.rowCount()
        guard count > 0 else { throw RequestFileError(.invalidRequest, "the request table is empty", header: header) }
        guard count <= RequestFileFormat.maxRows else {
            throw RequestFileError(
                .invalidRequest,
                "the request table has \(count) rows (at most \(RequestFileFormat.maxRows))", header: header)
        }
        var rows = [RawRequestRow](repeating: RawRequestRow(), count: count)
        let wanted = RequestFileFormat.columnsV2.map(\.name) + ["LABEL"]
        for name in wanted where present.contains(name) {
            let info = try file.columnInfo(name)
            let values: [RequestValue]
            if info.isString {
                guard info.width <= RequestFileFormat.maxStringColumnWidth,
                    info.repeatCount <= RequestFileFormat.maxStringColumnWidth
                else {
                    throw RequestFileError(
                        .invalidRequest,
                        "column \(name) holds strings of \(info.repeatCount) characters (at most \(RequestFileFormat.maxStringColumnWidth))",
                        header: header)
                }
                guard info.repeatCount == info.width || info.width == 0 else {
                    throw RequestFileError(.invalidRequest, "column \(name) holds more than one string per row", header: header)
                }
                values = try file.readStrings(name, maxStringWidth: RequestFileFormat.maxStringColumnWidth)
                    .map { RequestValue.text($0.fitsTrimmed) }
            } else if info.isNumeric {
                guard info.repeatCount == 1 else {
                    throw RequestFileError(
                        .invalidRequest, "column \(name) holds \(info.repeatCount) values per row (one expected)",
                        header: header)
                }
                if info.typecode == 42 || info.typecode == 82 {  // TFLOAT, TDOUBLE
                    values = try file.readDoubles(name).map { RequestValue.real($0) }
                } else {
                    values = try file.readIntegers(name).map { $0.map(RequestValue.integer) ?? .missing }
                }
            } else {
                throw RequestFileError(.invalidRequest, "column \(name) has a type a request cannot hold", header: header)
            }
            for i in 0..<count { rows[i][name] = values[i] }
        }
        return (rows, names)
    }

    // MARK: writing

    /// Writes a request file: empty primary (BITPIX 16, NAXIS 0), then the `PS1_PS_REQUEST` table with the
    /// version's columns and the header keywords REQ_NAME, EXTVER, ACTION, EMAIL (as strings, in that
    /// order, single quotes removed; absent values are not written).
    public static func write(
        header: RequestHeader, rows: [RawRequestRow], to path: String,
        overwrite: Bool = true
    ) throws {
        let columns = RequestFileFormat.columns(version: header.version)
        let out = try FITSFile.create(path, overwrite: overwrite)
        do {
            try out.appendEmptyPrimary()
            try out.appendBinaryTable(
                extname: RequestFileFormat.extname,
                columns: columns.map { TableColumn($0.name, $0.tform) }, rows: rows.count)
            let values: [String: String?] = [
                "REQ_NAME": header.reqName, "ACTION": header.action, "EMAIL": header.email,
            ]
            for (key, comment) in RequestFileFormat.headerComments {
                if key == "EXTVER" {
                    // An integer: the FITS standard requires it (fitsverify flags a string), and the IPP's
                    // readers accept it (pstampdump's MOPS work-around; parse compares the text).
                    try out.write(key, header.version, comment: comment)
                    continue
                }
                guard let value = values[key] ?? nil else { continue }
                try out.write(key, value.replacingAll("'", with: ""), comment: comment)
            }
            for column in columns {
                if column.isInteger {
                    try out.writeColumn(
                        column.name,
                        rows.map { r -> Int64 in
                            if case .integer(let i) = r[column.name] { return i }
                            return r[column.name].digits ?? 0
                        })
                } else if column.isReal {
                    try out.writeColumn(
                        column.name,
                        rows.map { r -> Double in
                            if case .real(let d) = r[column.name] { return d }
                            return r[column.name].number ?? 0
                        })
                } else {
                    try out.writeColumn(column.name, rows.map { $0[column.name].text ?? "null" })
                }
            }
            try out.close()
        } catch {
            // No half-written file is left behind (cfitsio would have flushed a clamped value).
            out.closeQuietly()
            unlink(path)
            throw error
        }
    }
}

func fitsMessage(_ error: Error) -> String {
    if let e = error as? FITSError { return "cfitsio \(e.status): \(e.message)" + (e.details.first.map { "; \($0)" } ?? "") }
    return "\(error)"
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
