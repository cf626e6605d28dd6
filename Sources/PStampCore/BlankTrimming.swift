extension StringProtocol {
    /// Without blanks (spaces, tabs) at either end: how request values and dsreg list fields are read.
    public var trimmedBlanks: String {
        var s = self[...]
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
