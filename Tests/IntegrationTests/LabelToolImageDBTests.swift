import Foundation
import Testing

/// labeltool on the image database's Label table (`-dbname gpc1`), as the seed's operator used it.
@Suite struct LabelToolImageDBTests {
    @Test func labeltoolChangesAnUpdateLabelPriorityInTheImageDatabase() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/gpc1.sqlite")
        try FileManager.default.copyItem(at: fixture, to: tools.dataDirectory.appendingPathComponent("gpc1.sqlite"))
        let set = try tools.labeltool("-dbname", "gpc1", "-updatelabel", "-label", "ps_ud_WEB", "-set_priority", "900")
        #expect(set.status == 0, "\(set.stderr)")
        let list = try tools.labeltool("-dbname", "gpc1", "-listlabel", "-label", "ps_ud%", "-hightolow", "-simple")
        #expect(list.stdout == "ps_ud_WEB 900 T updates_for_WEB_requests\nps_ud_TEST 100 F inactive_test_updates\n")
        // The request database is untouched and still missing.
        #expect(try tools.labeltool("-listlabel").status == 3)
    }
}
