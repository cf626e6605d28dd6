// Binary tables by column name.
//
//   try f.appendBinaryTable(extname: "PS1_PS_RESULTS", columns: [.init("ROWNUM", "V"), .init("IMG_NAME", "64A")])
//   try f.writeColumn("ROWNUM", [1, 2, 3] as [Int64])           // integers (J, K, V, I, B …)
//   try f.writeColumn("RA_DEG", [10.5, 11.0])                   // doubles (D, E); NaN stays NaN
//   try f.writeColumn("IMG_NAME", ["a.fits", "b.fits"])         // strings (nA); cut to the column width
//   try f.rowCount(), try f.columnNames()                        // names trimmed
//   try f.columnNumber("DATA_GROUP") -> Int?                    // case-insensitive, trailing blanks ignored
//   try f.columnInfo("ID") -> TableColumnInfo                   // type code, repeat, width
//   try f.readStrings("ID") -> [String]                         // trailing blanks trimmed
//   try f.readIntegers("ROWNUM") -> [Int64?]                    // nil where TNULL marks undefined
//   try f.readDoubles("CENTER_X") -> [Double]                   // NaN where undefined
//
// Reading a numeric column as text, or text as a number, is a FITSError (cfitsio status 312), never a
// crash; so is a string column wider than `maxStringWidth` (status 111).
import CFITSIO

/// A column to create: its name and TFORM (e.g. `J`, `D`, `16A`, `V` for unsigned 32-bit, `K`).
public struct TableColumn: Sendable, Hashable {
    public var name: String
    public var tform: String
    public var unit: String?
    public init(_ name: String, _ tform: String, unit: String? = nil) {
        self.name = name; self.tform = tform; self.unit = unit
    }
}

/// What cfitsio says about a column.
public struct TableColumnInfo: Sendable, Hashable {
    public var number: Int
    public var name: String
    /// cfitsio datatype code of the stored values (TSTRING 16, TINT 31, TLONG 41, TLONGLONG 81, TDOUBLE 82,
    /// TULONG 40/TUINT 30 for unsigned 32-bit …), after TZERO/TSCAL (the "equivalent" type).
    public var typecode: Int32
    public var repeatCount: Int
    /// Characters per string (for `nA` columns), or the byte width of one value.
    public var width: Int
    public var isString: Bool { typecode == TSTRING }
    public var isNumeric: Bool { !isString && typecode != TLOGICAL && typecode != TBIT }
}

extension FITSFile {
    /// Appends a BINTABLE HDU with the given columns (an empty primary is created first if needed).
    public func appendBinaryTable(extname: String?, columns: [TableColumn], rows: Int = 0) throws {
        let f = try fptr()
        var status: Int32 = 0
        var names = columns.map { strdup($0.name) }
        var forms = columns.map { strdup($0.tform) }
        var units = columns.map { strdup($0.unit ?? "") }
        defer { (names + forms + units).forEach { free($0) } }
        ffcrtb(f, BINARY_TBL, Int64(rows), Int32(columns.count), &names, &forms, &units, extname, &status)
        try checkStatus(status, "create table \(extname ?? "") in \(path)")
    }

    public func rowCount() throws -> Int {
        var n: Int = 0, status: Int32 = 0
        ffgnrw(try fptr(), &n, &status)
        try checkStatus(status, "count rows in \(path)")
        return n
    }

    public func columnCount() throws -> Int {
        var n: Int32 = 0, status: Int32 = 0
        ffgncl(try fptr(), &n, &status)
        try checkStatus(status, "count columns in \(path)")
        return Int(n)
    }

    /// Column names in order, trimmed.
    public func columnNames() throws -> [String] {
        let n = try columnCount()
        guard n > 0 else { return [] }
        return try (1...n).map { try readValueText("TTYPE\($0)") ?? "" }
    }

    /// The 1-based number of the column named `name` (case-insensitive; blanks around names ignored).
    public func columnNumber(_ name: String) throws -> Int? {
        let wanted = name.fitsTrimmed.uppercased()
        for (i, n) in try columnNames().enumerated() where n.uppercased() == wanted { return i + 1 }
        return nil
    }

    public func columnInfo(_ name: String) throws -> TableColumnInfo {
        guard let number = try columnNumber(name) else {
            throw FITSError(status: FITSError.columnNotFound, operation: "find column \(name) in \(path)")
        }
        var type: Int32 = 0, rep: Int = 0, width: Int = 0, status: Int32 = 0
        ffeqty(try fptr(), Int32(number), &type, &rep, &width, &status)
        try checkStatus(status, "read the type of column \(name) in \(path)")
        return TableColumnInfo(number: number, name: name, typecode: abs(type), repeatCount: rep, width: width)
    }

    // MARK: reading

    /// A string column, trailing blanks trimmed.
    public func readStrings(_ name: String, maxStringWidth: Int = 1 << 20) throws -> [String] {
        let info = try columnInfo(name)
        guard info.isString else {
            throw FITSError(
                status: 312, operation: "read column \(name) of \(path) as text",
                message: "column is not a string column")
        }
        let width = max(info.repeatCount, 1)
        guard width <= maxStringWidth else {
            throw FITSError(
                status: FITSError.arrayTooBig, operation: "read column \(name) of \(path)",
                message: "string column \(width) characters wide (limit \(maxStringWidth))")
        }
        let rows = try rowCount()
        guard rows > 0 else { return [] }
        guard rows.multipliedReportingOverflow(by: width + 1).partialValue <= 1 << 30 else {
            throw FITSError(status: FITSError.arrayTooBig, operation: "read column \(name) of \(path)")
        }
        let f = try fptr()
        var storage = [CChar](repeating: 0, count: rows * (width + 1))
        var result: [String] = []
        result.reserveCapacity(rows)
        var status: Int32 = 0
        storage.withUnsafeMutableBufferPointer { buf in
            var pointers: [UnsafeMutablePointer<CChar>?] = (0..<rows).map { buf.baseAddress! + $0 * (width + 1) }
            var anynul: Int32 = 0
            var nulval: [CChar] = [0]
            ffgcvs(f, Int32(info.number), 1, 1, Int64(rows), &nulval, &pointers, &anynul, &status)
            if status == 0 {
                for p in pointers { result.append(String(cString: p!).fitsTrimmedTrailing) }
            }
        }
        try checkStatus(status, "read column \(name) of \(path)")
        return result
    }

    /// An integer column (first element of each row); nil where the value is undefined (TNULL).
    public func readIntegers(_ name: String) throws -> [Int64?] {
        let info = try columnInfo(name)
        guard info.isNumeric else {
            throw FITSError(
                status: 312, operation: "read column \(name) of \(path) as integers",
                message: "column is not numeric")
        }
        let rows = try rowCount()
        guard rows > 0 else { return [] }
        var values = [Int64](repeating: 0, count: rows)
        var nulls = [CChar](repeating: 0, count: rows)
        var anynul: Int32 = 0, status: Int32 = 0
        let f = try fptr()
        if info.typecode == TFLOAT || info.typecode == TDOUBLE {
            // Real columns read as integers only when every value is integral.
            let d = try readDoubles(name)
            return d.map { Int64(exactly: $0) }
        }
        ffgcfjj(f, Int32(info.number), 1, 1, Int64(rows), &values, &nulls, &anynul, &status)
        try checkStatus(status, "read column \(name) of \(path)")
        return zip(values, nulls).map { $1 != 0 ? nil : $0 }
    }

    /// A real column (first element of each row); NaN where undefined. Integer columns convert.
    public func readDoubles(_ name: String) throws -> [Double] {
        let info = try columnInfo(name)
        guard info.isNumeric else {
            throw FITSError(
                status: 312, operation: "read column \(name) of \(path) as numbers",
                message: "column is not numeric")
        }
        let rows = try rowCount()
        guard rows > 0 else { return [] }
        var values = [Double](repeating: 0, count: rows)
        var nulval = Double.nan
        var anynul: Int32 = 0, status: Int32 = 0
        ffgcvd(try fptr(), Int32(info.number), 1, 1, Int64(rows), nulval, &values, &anynul, &status)
        _ = nulval; nulval = 0
        try checkStatus(status, "read column \(name) of \(path)")
        return values
    }

    // MARK: writing

    public func writeColumn(_ name: String, _ values: [String], firstRow: Int = 1) throws {
        guard !values.isEmpty else { return }
        let info = try columnInfo(name)
        var status: Int32 = 0
        var cStrings = values.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        ffpcls(try fptr(), Int32(info.number), Int64(firstRow), 1, Int64(values.count), &cStrings, &status)
        try checkStatus(status, "write column \(name) of \(path)")
    }

    public func writeColumn(_ name: String, _ values: [Int64], firstRow: Int = 1) throws {
        guard !values.isEmpty else { return }
        let info = try columnInfo(name)
        var status: Int32 = 0
        var data = values
        ffpcljj(try fptr(), Int32(info.number), Int64(firstRow), 1, Int64(values.count), &data, &status)
        try checkStatus(status, "write column \(name) of \(path)")
    }

    public func writeColumn(_ name: String, _ values: [Int], firstRow: Int = 1) throws {
        try writeColumn(name, values.map { Int64($0) }, firstRow: firstRow)
    }

    public func writeColumn(_ name: String, _ values: [Double], firstRow: Int = 1) throws {
        guard !values.isEmpty else { return }
        let info = try columnInfo(name)
        var status: Int32 = 0
        var data = values
        ffpcld(try fptr(), Int32(info.number), Int64(firstRow), 1, Int64(values.count), &data, &status)
        try checkStatus(status, "write column \(name) of \(path)")
    }
}

extension String {
    var fitsTrimmedTrailing: String {
        var s = Substring(self)
        while let c = s.last, c == " " { s.removeLast() }
        return String(s)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
