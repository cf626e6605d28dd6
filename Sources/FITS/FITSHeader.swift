// Header keywords of the current HDU.
//
//   try f.readString("REQ_NAME")        -> String?   (nil when absent; long CONTINUE strings allowed)
//   try f.readInt("NAXIS1")             -> Int?      (a quoted numeric string such as EXTVER = '1' reads too)
//   try f.readDouble("CRPIX1")          -> Double?
//   try f.readBool("SIMPLE")            -> Bool?
//   try f.readValueText("EXTVER")       -> String?   (the value as text, quotes removed: '1' and 1 give "1")
//   try f.write("REQ_NAME", "abc", comment: "Postage Stamp request name")   // add or update
//   try f.write("REQ_ID", 42) / write("CRPIX1", 10.5) / write("DVOCALIB", true)
//   try f.deleteKey("CD1_1")            // absent key: no error
//   try f.writeHistory("…"), writeComment("…")
//   try f.headerCards()                 -> [String]  (every 80-char card, END excluded)
//   try f.headerText()                  -> String    (cards concatenated; what wcslib parses)
//   try f.copyUserKeywords(from: other) // all but structural/compression/checksum cards
import CFITSIO

extension FITSFile {
    /// The value of a keyword as text, string quotes removed and trailing blanks trimmed; nil if absent.
    public func readValueText(_ key: String) throws -> String? {
        var value = [CChar](repeating: 0, count: Int(FLEN_VALUE) + 1)
        var status: Int32 = 0
        ffgkey(try fptr(), key, &value, nil, &status)
        if status == FITSError.keyNotFound { ffcmsg(); return nil }
        try checkStatus(status, "read keyword \(key) in \(path)")
        let raw = String(fitsChars: value).fitsTrimmed
        return FITSFile.unquote(raw)
    }

    /// A FITS value text without its string quotes ('it''s' gives it's); non-strings are returned as they are.
    static func unquote(_ raw: String) -> String {
        guard raw.hasPrefix("'") else { return raw }
        var out = ""
        var chars = raw.dropFirst()[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "'" {
                if chars.first == "'" { out.append("'"); chars = chars.dropFirst() } else { break }
            } else {
                out.append(c)
            }
        }
        return out.fitsTrimmedTrailing
    }

    /// A string keyword (long strings continued with CONTINUE are joined); nil if absent.
    public func readString(_ key: String) throws -> String? {
        var status: Int32 = 0
        var value: UnsafeMutablePointer<CChar>?
        ffgkls(try fptr(), key, &value, nil, &status)
        defer { if let value { var s: Int32 = 0; fffree(value, &s) } }
        if status == FITSError.keyNotFound { ffcmsg(); return nil }
        try checkStatus(status, "read keyword \(key) in \(path)")
        guard let value else { return nil }
        var text = String(cString: value)
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// An integer keyword; a quoted numeric string ('2') is accepted. nil if absent.
    public func readInt(_ key: String) throws -> Int? {
        guard let text = try readValueText(key) else { return nil }
        if let v = Int(text) { return v }
        if let d = Double(FITSFile.fortranExponent(text)), let whole = Int(exactly: d) { return whole }
        throw FITSError(
            status: 407, operation: "read keyword \(key) in \(path) as an integer",
            message: "bad formatted integer value", details: [text])
    }

    static func fortranExponent(_ text: String) -> String {
        String(text.map { $0 == "D" || $0 == "d" ? "E" : $0 })
    }

    /// A real keyword; nil if absent.
    public func readDouble(_ key: String) throws -> Double? {
        guard let text = try readValueText(key) else { return nil }
        if let v = Double(FITSFile.fortranExponent(text)) { return v }
        throw FITSError(
            status: 409, operation: "read keyword \(key) in \(path) as a real",
            message: "bad formatted floating-point value", details: [text])
    }

    /// A logical keyword; nil if absent.
    public func readBool(_ key: String) throws -> Bool? {
        guard let text = try readValueText(key) else { return nil }
        switch text.uppercased() {
        case "T": return true
        case "F": return false
        default:
            throw FITSError(
                status: 404, operation: "read keyword \(key) in \(path) as a logical",
                message: "bad logical keyword value", details: [text])
        }
    }

    /// Whether a keyword is present.
    public func hasKey(_ key: String) throws -> Bool {
        var card = [CChar](repeating: 0, count: Int(FLEN_CARD) + 1)
        var status: Int32 = 0
        ffgcrd(try fptr(), key, &card, &status)
        if status == FITSError.keyNotFound { ffcmsg(); return false }
        try checkStatus(status, "look for keyword \(key) in \(path)")
        return true
    }

    // MARK: writing (update if present, else append)

    public func write(_ key: String, _ value: String, comment: String? = nil) throws {
        var status: Int32 = 0
        if value.utf8.count > 68 {
            try deleteKey(key)
            if try !hasKey("LONGSTRN") { ffplsw(try fptr(), &status) }  // announces the CONTINUE convention
            ffpkls(try fptr(), key, value, comment, &status)  // long-string convention (CONTINUE)
        } else {
            var v = Array(value.utf8CString)
            ffuky(try fptr(), TSTRING, key, &v, comment, &status)
        }
        try checkStatus(status, "write keyword \(key) in \(path)")
    }

    public func write(_ key: String, _ value: Int, comment: String? = nil) throws {
        var status: Int32 = 0
        var v = Int64(value)
        ffuky(try fptr(), TLONGLONG, key, &v, comment, &status)
        try checkStatus(status, "write keyword \(key) in \(path)")
    }

    public func write(_ key: String, _ value: Double, comment: String? = nil) throws {
        var status: Int32 = 0
        if value.isFinite {
            ffukyd(try fptr(), key, value, -15, comment, &status)
        } else {
            ffukyu(try fptr(), key, comment, &status)  // FITS has no NaN keyword value: undefined
        }
        try checkStatus(status, "write keyword \(key) in \(path)")
    }

    public func write(_ key: String, _ value: Bool, comment: String? = nil) throws {
        var status: Int32 = 0
        ffukyl(try fptr(), key, value ? 1 : 0, comment, &status)
        try checkStatus(status, "write keyword \(key) in \(path)")
    }

    /// Deletes a keyword; an absent keyword is not an error.
    public func deleteKey(_ key: String) throws {
        var status: Int32 = 0
        ffdkey(try fptr(), key, &status)
        if status == FITSError.keyNotFound { ffcmsg(); return }
        try checkStatus(status, "delete keyword \(key) in \(path)")
    }

    public func writeHistory(_ text: String) throws {
        var status: Int32 = 0
        ffphis(try fptr(), text, &status)
        try checkStatus(status, "write HISTORY in \(path)")
    }

    public func writeComment(_ text: String) throws {
        var status: Int32 = 0
        ffpcom(try fptr(), text, &status)
        try checkStatus(status, "write COMMENT in \(path)")
    }

    /// Appends one 80-character card as given (must be a valid card).
    public func appendCard(_ card: String) throws {
        var status: Int32 = 0
        ffprec(try fptr(), card, &status)
        try checkStatus(status, "write card in \(path)")
    }

    /// Every card of the current header (END excluded), in order.
    public func headerCards() throws -> [String] {
        let f = try fptr()
        var count: Int32 = 0, more: Int32 = 0, status: Int32 = 0
        ffghsp(f, &count, &more, &status)
        try checkStatus(status, "read header size in \(path)")
        var cards: [String] = []
        cards.reserveCapacity(Int(count))
        var card = [CChar](repeating: 0, count: Int(FLEN_CARD) + 1)
        for i in 0..<count {
            ffgrec(f, i + 1, &card, &status)
            try checkStatus(status, "read card \(i + 1) in \(path)")
            cards.append(String(fitsChars: card))
        }
        return cards
    }

    /// The current header as one string of 80-character cards (as `fits_hdr2str` gives it), for wcslib.
    /// For a compressed image this is the header of the image, not of the table holding it.
    public func headerText() throws -> String {
        var status: Int32 = 0
        var text: UnsafeMutablePointer<CChar>?
        var nkeys: Int32 = 0
        ffhdr2str(try fptr(), 0, nil, 0, &text, &nkeys, &status)
        defer { if let text { var s: Int32 = 0; fffree(text, &s) } }
        try checkStatus(status, "read header of \(path)")
        return text.map { String(cString: $0) } ?? ""
    }

    /// Copies every keyword of `other`'s current HDU that describes content rather than structure:
    /// structural, compression, scaling, null, checksum and EXTNAME cards are left out.
    public func copyUserKeywords(from other: FITSFile, excluding excluded: Set<String> = []) throws {
        for card in try other.headerCards() {
            var status: Int32 = 0
            var cardChars = Array(card.utf8CString)
            let cls = ffgkcl(&cardChars)
            let key = String(card.prefix(8)).fitsTrimmed
            if cls == TYP_STRUC_KEY || cls == TYP_CMPRS_KEY || cls == TYP_SCAL_KEY || cls == TYP_NULL_KEY
                || cls == TYP_CKSUM_KEY || key == "EXTNAME" || key == "EXTVER" || excluded.contains(key)
            {
                continue
            }
            ffprec(try fptr(), card, &status)
            try checkStatus(status, "copy card \(key) into \(path)")
        }
    }
}
