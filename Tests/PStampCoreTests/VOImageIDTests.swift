import Foundation
import PStampCore
import Testing

/// The image identifiers SIA 2 lists and SODA takes: formatted, parsed back, and refused when foreign.
@Suite struct VOImageIDTests {
    @Test(arguments: [
        (VOImageID(stage: .warp, id: 1001, component: "skycell.1234.056"), "ivo://example.org/pstamp?gpc1/warp/1001/skycell.1234.056"),
        (VOImageID(stage: .chip, id: 2002, component: "XY33"), "ivo://example.org/pstamp?gpc1/chip/2002/XY33"),
        (VOImageID(stage: .raw, id: 3003, component: "XY01"), "ivo://example.org/pstamp?gpc1/raw/3003/XY01"),
        (VOImageID(stage: .diff, id: 4004, component: "skycell.1234.056"), "ivo://example.org/pstamp?gpc1/diff/4004/skycell.1234.056"),
        (VOImageID(stage: .stack, id: 5005), "ivo://example.org/pstamp?gpc1/stack/5005"),
        (VOImageID(project: "ps2", stage: .stackSummary, id: 6), "ivo://example.org/pstamp?ps2/stack_summary/6"),
    ])
    func roundTrips(id: VOImageID, text: String) throws {
        #expect(id.uri(authority: "example.org") == text)
        #expect(try VOImageID.parse(text, authority: "example.org") == id)
        #expect(try VOImageID.parse(text.replacingOccurrences(of: "example.org", with: "EXAMPLE.org"), authority: "example.org") == id)
    }

    @Test func columnsOfEachStage() {
        #expect(VOImageID.idColumn(of: .warp) == "warp_id")
        #expect(VOImageID.idColumn(of: .raw) == "exp_id")
        #expect(VOImageID.componentColumn(of: .chip) == "class_id")
        #expect(VOImageID.componentColumn(of: .diff) == "skycell_id")
        #expect(VOImageID.componentColumn(of: .stack) == nil)
    }

    @Test(arguments: [
        ("ivo://other.org/pstamp?gpc1/warp/1/s", "is not an image of this service"),
        ("ivo://example.org/pstamp?gpc1/mosaic/1/s", "stage 'mosaic' is not one of"),
        ("ivo://example.org/pstamp?gpc1/warp/0/s", "'0' is not a positive warp_id"),
        ("ivo://example.org/pstamp?gpc1/warp/x/s", "'x' is not a positive warp_id"),
        ("ivo://example.org/pstamp?gpc1/stack/5/s", "a stack has no component"),
        ("ivo://example.org/pstamp?gpc1/warp/1/a b", "component 'a b' is not a name"),
        ("ivo://example.org/pstamp?gpc1/warp", "must name <project>/<stage>/<id>"),
        ("ivo://example.org/pstamp?", "is not an image of this service"),
    ])
    func foreignOrMalformedIDsAreUsageErrors(text: String, message: String) {
        #expect {
            _ = try VOImageID.parse(text, authority: "example.org")
        } throws: { error in
            (error as? DALIError).map { $0.label == .usageError && $0.message.contains(message) } ?? false
        }
    }
}
