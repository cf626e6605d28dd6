import Foundation
import Testing

/// `docs/architecture.md` draws the package's module graph; this suite reads that graph and
/// `Package.swift` and fails when the two disagree, so the document stays true as arrows change.
@Suite struct ArchitectureDocumentTests {
    struct Edge: Hashable, Comparable, CustomStringConvertible {
        var from: String
        var to: String
        var description: String { "\(from) --> \(to)" }
        static func < (a: Edge, b: Edge) -> Bool { (a.from, a.to) < (b.from, b.to) }
    }

    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The text from `open` (at `start`) to its matching `close`.
    static func balanced(_ text: Substring, from start: Substring.Index, open: Character, close: Character) -> Substring? {
        var depth = 0
        var i = start
        while i < text.endIndex {
            if text[i] == open {
                depth += 1
            } else if text[i] == close {
                depth -= 1
                if depth == 0 { return text[start...i] }
            }
            i = text.index(after: i)
        }
        return nil
    }

    /// Each `.target` and `.executableTarget` of the manifest with the quoted names in its dependency list.
    static func manifestTargets(_ manifest: String) throws -> [String: [String]] {
        var targets: [String: [String]] = [:]
        let text = Substring(manifest)
        for opening in [".target(", ".executableTarget("] {
            var search = text.startIndex
            while let found = text[search...].range(of: opening) {
                let call = try #require(balanced(text, from: text.index(before: found.upperBound), open: "(", close: ")"))
                search = found.upperBound
                let name = try #require(call.firstMatch(of: /name:\s*"([^"]+)"/)?.output.1)
                var dependencies: [String] = []
                if let list = call.range(of: "dependencies: [") {
                    let bracket = call.index(before: list.upperBound)
                    let items = try #require(balanced(call, from: bracket, open: "[", close: "]"))
                    dependencies = items.matches(of: /"([^"]+)"/).map { String($0.output.1) }
                }
                targets[String(name)] = dependencies
            }
        }
        return targets
    }

    /// The package's arrows between its own Swift targets (system libraries and products left out).
    static func manifestEdges(_ manifest: String) throws -> Set<Edge> {
        let targets = try manifestTargets(manifest)
        return Set(
            targets.flatMap { target, dependencies in dependencies.filter { targets[$0] != nil }.map { Edge(from: target, to: $0) } })
    }

    /// The `A --> B` lines of the document's mermaid block.
    static func documentedEdges(_ document: String) throws -> Set<Edge> {
        let block = try #require(document.firstMatch(of: /```mermaid\n(?<graph>[\s\S]*?)```/)?.output.graph)
        return Set(
            block.split(separator: "\n").compactMap { line in
                line.wholeMatch(of: /\s*(\w+)\s*-->\s*(\w+)\s*/).map { Edge(from: String($0.output.1), to: String($0.output.2)) }
            })
    }

    @Test("docs/architecture.md draws exactly the module dependencies Package.swift declares")
    func documentedGraphMatchesThePackage() throws {
        let manifest = try String(contentsOf: Self.checkout.appendingPathComponent("Package.swift"), encoding: .utf8)
        let document = try String(contentsOf: Self.checkout.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let declared = try Self.manifestEdges(manifest)
        let documented = try Self.documentedEdges(document)
        #expect(declared.count > 20, "the manifest was read: \(declared.sorted())")
        #expect(declared.subtracting(documented).sorted() == [], "in Package.swift but not in docs/architecture.md")
        #expect(documented.subtracting(declared).sorted() == [], "in docs/architecture.md but not in Package.swift")
    }

    @Test("the check sees an arrow that only one side has")
    func driftIsFound() throws {
        let manifest = """
            .target(name: "PStampCore"),
            .target(name: "FITS", dependencies: ["PStampCore", "CFITSIO"]),
            .target(name: "Web", dependencies: ["FITS", .product(name: "Hummingbird", package: "hummingbird")]),
            """
        #expect(try Self.manifestEdges(manifest) == [Edge(from: "FITS", to: "PStampCore"), Edge(from: "Web", to: "FITS")])
        let document = "```mermaid\ngraph TD\n    FITS --> PStampCore\n```\n"
        #expect(try Self.documentedEdges(document) != Self.manifestEdges(manifest))
    }
}
