// Results files (formats-and-cutouts.md §3): `results.fits` (the `PS1_PS_RESULTS` table) and
// `results.mdc` (its text dump), written as the IPP's finish step writes them, and read back.
//
//   try ResultsFile.write(reqName: "myreq", reqID: 42, rows: rows, to: "/work/42/results.fits")
//   try ResultsFile.writeMetadataDump(rows: rows, to: "/work/42/results.mdc")
//   let back = try ResultsFile.read("/work/42/results.fits")      // (reqName, reqID, rows)
//
// Layout: empty primary (BITPIX 16, NAXIS 0); a BINTABLE named PS1_PS_RESULTS with REQ_NAME (string)
// and REQ_ID (integer) in that order, no EXTVER; the 31 columns of `ResultsFileFormat.columns`, ROWNUM and
// ERROR_CODE unsigned 32-bit (TFORM V, stored as J with TZERO 2147483648).
import PStampCore

public enum ResultsFile {
    public struct Contents: Sendable, Equatable {
        public var reqName: String
        public var reqID: Int64
        public var rows: [ResultRow]
    }

    public static func write(reqName: String, reqID: Int64, rows: [ResultRow], to path: String) throws {
        let out = try FITSFile.create(path, overwrite: true)
        do {
            try out.appendEmptyPrimary()
            try out.appendBinaryTable(
                extname: ResultsFileFormat.extname,
                columns: ResultsFileFormat.columns.map { TableColumn($0.name, $0.tform) },
                rows: rows.count)
            try out.write("REQ_NAME", reqName.replacingAll("'", with: ""), comment: ResultsFileFormat.reqNameComment)
            try out.write("REQ_ID", Int(reqID), comment: ResultsFileFormat.reqIDComment)
            if !rows.isEmpty {
                for (name, _) in ResultsFileFormat.columns {
                    switch column(name, of: rows) {
                    case .integers(let v): try out.writeColumn(name, v)
                    case .reals(let v): try out.writeColumn(name, v)
                    case .strings(let v): try out.writeColumn(name, v)
                    }
                }
            }
            try out.close()
        } catch {
            out.closeQuietly()
            throw error
        }
    }

    /// Writes `results.mdc`, the `ROW_n METADATA` dump of the rows.
    public static func writeMetadataDump(rows: [ResultRow], to path: String) throws {
        let text = ResultsMetadataDump.format(rows)
        guard let f = fopen(path, "w") else {
            throw FITSError(status: 105, operation: "create \(path)", message: String(cString: strerror(errno)))
        }
        let written = text.utf8CString.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count - 1, f) }
        let closed = fclose(f)
        guard written == text.utf8.count, closed == 0 else {
            throw FITSError(status: 106, operation: "write \(path)", message: String(cString: strerror(errno)))
        }
    }

    public static func read(_ path: String) throws -> Contents {
        try FITSFile.withOpen(path) { f in
            try f.moveTo(extname: ResultsFileFormat.extname)
            let reqName = try f.readString("REQ_NAME") ?? ""
            let reqID = Int64(try f.readInt("REQ_ID") ?? 0)
            let n = try f.rowCount()
            var raw = [RawRequestRow](repeating: RawRequestRow(), count: n)
            for (name, tform) in ResultsFileFormat.columns {
                if tform.hasSuffix("A") {
                    for (i, v) in try f.readStrings(name).enumerated() { raw[i][name] = .text(v) }
                } else if tform == "D" {
                    for (i, v) in try f.readDoubles(name).enumerated() { raw[i][name] = .real(v) }
                } else {
                    for (i, v) in try f.readIntegers(name).enumerated() { raw[i][name] = v.map(RequestValue.integer) ?? .missing }
                }
            }
            let rows = raw.map { r -> ResultRow in
                func d(_ c: String) -> Double { if case .real(let v) = r[c] { return v }; return 0 }
                func s(_ c: String) -> String { r[c].text ?? "" }
                var row = ResultRow(
                    request: r, errorCode: PStampCode(Int(r["ERROR_CODE"].digits ?? 0)),
                    imgName: s("IMG_NAME"),
                    jobID: {
                        if case .integer(let v) = r["JOB_ID"] { return v }; return 0
                    }(),
                    raDeg: d("RA_DEG"), decDeg: d("DEC_DEG"), mjdObs: d("MJD_OBS"),
                    raObs: d("RA_OBS"), decObs: d("DEC_OBS"), filter: s("FILTER"),
                    exptime: d("EXPTIME"), fpaID: s("FPA_ID"))
                // Copied request values are stored as written: keep them, NaN included.
                row.mjdMin = d("MJD_MIN"); row.mjdMax = d("MJD_MAX")
                row.centerX = d("CENTER_X"); row.centerY = d("CENTER_Y")
                row.width = d("WIDTH"); row.height = d("HEIGHT")
                return row
            }
            return Contents(reqName: reqName, reqID: reqID, rows: rows)
        }
    }

    enum ColumnData { case integers([Int64]), reals([Double]), strings([String]) }

    static func column(_ name: String, of rows: [ResultRow]) -> ColumnData {
        switch name {
        case "ROWNUM": return .integers(rows.map(\.rownum))
        case "ERROR_CODE": return .integers(rows.map { Int64($0.errorCode.rawValue) })
        case "ERROR_STR": return .strings(rows.map(\.errorString))
        case "IMG_NAME": return .strings(rows.map(\.imgName))
        case "JOB_ID": return .integers(rows.map(\.jobID))
        case "RA_DEG": return .reals(rows.map(\.raDeg))
        case "DEC_DEG": return .reals(rows.map(\.decDeg))
        case "MJD_OBS": return .reals(rows.map(\.mjdObs))
        case "RA_OBS": return .reals(rows.map(\.raObs))
        case "DEC_OBS": return .reals(rows.map(\.decObs))
        case "FILTER": return .strings(rows.map(\.filter))
        case "EXPTIME": return .reals(rows.map(\.exptime))
        case "FPA_ID": return .strings(rows.map(\.fpaID))
        case "PROJECT": return .strings(rows.map(\.project))
        case "JOB_TYPE": return .strings(rows.map(\.jobType))
        case "REQ_TYPE": return .strings(rows.map(\.reqType))
        case "IMG_TYPE": return .strings(rows.map(\.imgType))
        case "ID": return .strings(rows.map(\.id))
        case "TESS_ID": return .strings(rows.map(\.tessID))
        case "COMPONENT": return .strings(rows.map(\.component))
        case "DATA_GROUP": return .strings(rows.map(\.dataGroup))
        case "OPTION_MASK": return .integers(rows.map(\.optionMask))
        case "MJD_MIN": return .reals(rows.map(\.mjdMin))
        case "MJD_MAX": return .reals(rows.map(\.mjdMax))
        case "REQFILT": return .strings(rows.map(\.reqfilt))
        case "COORD_MASK": return .integers(rows.map(\.coordMask))
        case "CENTER_X": return .reals(rows.map(\.centerX))
        case "CENTER_Y": return .reals(rows.map(\.centerY))
        case "WIDTH": return .reals(rows.map(\.width))
        case "HEIGHT": return .reals(rows.map(\.height))
        default: return .strings(rows.map(\.comment))  // COMMENT
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
