import Foundation
import Testing

/// `Int(someDouble)` (and Int32(, time_t(, …) traps on NaN, ±infinity and values
/// beyond the type, so one hostile value from a request, a form or a database row takes the server
/// down. This lint scans Sources for unlabelled conversions to an integer type whose argument looks
/// floating (`.rounded`, a Double, a decimal literal, or a name declared `: Double`/`: Float`/
/// `: TimeInterval` anywhere in Sources) and fails on any that is not on the allow-list below. Checked
/// forms pass: `T(exactly:)`, `T(clamping:)`, `T(truncatingIfNeeded:)`, `T(bitPattern:)`, and
/// PStampCore's `WholeNumber`.
@Suite("Numeric conversion lint")
struct NumericConversionLintTests {
    /// "File.swift: conversion" → why it cannot trap. Names collide (an Int `width` beside a Double one),
    /// so some entries are integer conversions the heuristic cannot tell apart.
    static let allowed: [String: String] = [
        "StampCutter.swift: UInt8($0.value)": "a Unicode scalar's UInt32 value, only when isASCII (< 128)",
        "SiteConfig.swift: Int(value)": "DBPORT parsed from the setting's text (Int(String) is checked, nil on junk)",
        "FITSHeader.swift: Int64(value)": "an Int keyword value (write(_:_: Int)); Int → Int64 is exact",
        "FITSFile.swift: Int32(number)": "an HDU number checked to 1…Int32.max just before",
        "BinaryTable.swift: Int32(number)": "a column number (Int, 1…999 by the FITS standard)",
        "BinaryTable.swift: Int32(info.number)": "a column number (Int, 1…999 by the FITS standard)",
        "SQLValue.swift: Int64(value)": "init(_ value: Int): Int → Int64 is exact",
        "FixtureRows.swift: Int64(d.mode)": "fixture builder: a diff mode constant of the fixture sky (Int)",
        "FixtureRows.swift: Int64(s.mjd)": "fixture builder: the fixture sky's own whole-number MJD constants",
        "FixturePixels.swift: Int(cx.rounded())": "fixture builder: star positions of the fixture sky, range-checked on the line before",
        "FixturePixels.swift: Int(cy.rounded())": "fixture builder: star positions of the fixture sky, range-checked on the line before",
        "FixturePixels.swift: Int(rng.uniform() * Double(width - 40))":
            "fixture builder: uniform() is in [0, 1), times the fixture's own size",
        "FixturePixels.swift: Int(rng.uniform() * Double(width - 30))":
            "fixture builder: uniform() is in [0, 1), times the fixture's own size",
        "FixturePixels.swift: Int(rng.uniform() * Double(height - 30))":
            "fixture builder: uniform() is in [0, 1), times the fixture's own size",
        "FixtureBuilder.swift: UInt16(max(0, min(65535, v.rounded())))": "fixture builder: clamped to 0…65535 (NaN gives 65535)",
        "FixtureBuilder.swift: UInt64(d.diffID)": "fixture builder: a positive diff id constant (Int64)",
        "ServeConfig.swift: Int(value)": "parsing text (failable), not a floating conversion",
        "IPPArguments.swift: Int64(value)": "parsing text (failable), not a floating conversion",
    ]

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    static let integerTypes = [
        "Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64",
        "time_t", "off_t", "size_t", "CInt", "CLong", "CLongLong", "CUnsignedInt", "CUnsignedLong",
    ]
    static let checkedLabels = ["exactly", "clamping", "truncatingIfNeeded", "bitPattern", "bigEndian", "littleEndian"]
    static let floatingHints = [
        #"\.rounded\b"#, #"\bDouble\b"#, #"\bFloat\b"#, #"\bTimeInterval\b"#, "timeInterval",
        #"\b(sqrt|floor|ceil|pow|exp|log|log10)\("#, #"\d\.\d"#, #"\d[eE][+-]?\d"#, #"\.squareRoot\b"#,
    ]

    /// Every `T(argument)` conversion in `text` as (line, "T(argument)").
    static func conversions(in text: String) -> [(line: Int, text: String)] {
        let chars = Array(text.unicodeScalars)
        let pattern = try! NSRegularExpression(pattern: #"(?<![\w.])("# + integerTypes.joined(separator: "|") + #")\("#)
        let ns = text as NSString
        var found: [(Int, String)] = []
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            // Walk the balanced parentheses of the argument (on scalars; sources are UTF-8).
            let prefix = ns.substring(to: match.range.location + match.range.length)
            var i = prefix.unicodeScalars.count, depth = 1
            let start = i
            while i < chars.count && depth > 0 {
                if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1 }
                i += 1
            }
            let argument = String(String.UnicodeScalarView(chars[start..<max(start, i - 1)]))
            let line = prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            found.append((line, ns.substring(with: match.range(at: 1)) + "(" + argument + ")"))
        }
        return found
    }

    /// Names declared floating anywhere in Sources (`x: Double`, `timeout: TimeInterval?` …).
    static func floatingNames(_ texts: [String]) -> Set<String> {
        let declaration = try! NSRegularExpression(pattern: #"\b(\w+)\s*:\s*(Double|Float|TimeInterval|CDouble)\b"#)
        var names = Set<String>()
        for text in texts {
            let ns = text as NSString
            for m in declaration.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                names.insert(ns.substring(with: m.range(at: 1)))
            }
        }
        names.remove("_")
        return names
    }

    static func looksFloating(_ conversion: String, names: Set<String>) -> Bool {
        let argument = String(conversion.drop { $0 != "(" }.dropFirst().dropLast())
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        if checkedLabels.contains(where: { trimmed.hasPrefix($0 + ":") }) { return false }
        for hint in floatingHints where argument.range(of: hint, options: .regularExpression) != nil { return true }
        let words = argument.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
        return words.contains { names.contains($0) }
    }

    static func findings() throws -> [String] {
        let files =
            FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        let texts = try files.map { try String(contentsOf: $0, encoding: .utf8) }
        let names = floatingNames(texts)
        var out: [String] = []
        for (url, text) in zip(files, texts) {
            for c in conversions(in: text) where looksFloating(c.text, names: names) {
                let key = "\(url.lastPathComponent): \(c.text)"
                if allowed[key] == nil { out.append("\(url.path):\(c.line): \(c.text)") }
            }
        }
        return out.sorted()
    }

    @Test("no unchecked conversion of a floating value to an integer type in Sources (allow-list with reasons)")
    func noUncheckedConversions() throws {
        #expect(FileManager.default.fileExists(atPath: Self.sources.path))
        let found = try Self.findings()
        #expect(
            found.isEmpty,
            """
            unchecked integer conversion(s) of a floating value: use T(exactly:) or WholeNumber, or add an \
            allow-list entry with the reason it cannot trap:
            \(found.joined(separator: "\n"))
            """)
    }

    @Test("the lint finds the conversions that once trapped")
    func findsTheIssueCases() {
        let names: Set<String> = ["unixSeconds", "x"]
        for bad in ["var time = time_t(unixSeconds.rounded(.down))", "(Int(x.rounded(.down)), 0)", "let n = Int(d * 1.5)"] {
            let c = Self.conversions(in: bad)
            #expect(c.count == 1 && Self.looksFloating(c[0].text, names: names), "\(bad)")
        }
        for good in ["Int(exactly: x.rounded(.down))", "Int32(clamping: x)", "Int(text)", "myInt(x.rounded())"] {
            #expect(Self.conversions(in: good).allSatisfy { !Self.looksFloating($0.text, names: names) }, "\(good)")
        }
    }
}
