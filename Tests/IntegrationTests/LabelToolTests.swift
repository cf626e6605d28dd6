import Foundation
import Testing

@Suite(.serialized) struct LabelToolTests {
    @Test func everyModeWorks() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        let missing = try tools.labeltool("-listlabel")
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("pstamptool -create"))
        _ = try tools.pstamptool("-create")

        #expect(try tools.labeltool("-definelabel", "-set_label", "WEB.UP", "-set_priority", "200").status == 0)
        let second = try tools.labeltool(
            "-definelabel", "-set_label", "ps_ud_QUB", "-set_priority", "50", "-set_inactive",
            "-set_comment", "run elsewhere", "-simple")
        #expect(second.stdout == "ps_ud_QUB 50 F run_elsewhere\n")
        #expect(try tools.labeltool("-definelabel", "-set_label", "WEB.UP", "-set_priority", "1").status == 1)
        #expect(try tools.labeltool("-listlabel", "-simple").stdout == "WEB.UP 200 T \nps_ud_QUB 50 F run_elsewhere\n")
        #expect(try tools.labeltool("-listlabel", "-lowtohigh", "-simple").stdout.hasPrefix("ps_ud_QUB"))
        #expect(try tools.labeltool("-listlabel", "-inactive", "-simple").stdout == "ps_ud_QUB 50 F run_elsewhere\n")
        #expect(
            try tools.labeltool("-listlabel", "-label", "WEB%", "-json").stdout
                == "[\n  {\"label\": \"WEB.UP\", \"priority\": 200, \"active\": true, \"comment\": null}\n]\n")

        // The seed's command: change a label's priority.
        #expect(try tools.labeltool("-updatelabel", "-label", "ps_ud_QUB", "-set_priority", "900", "-set_active").status == 0)
        #expect(try tools.labeltool("-listlabel", "-hightolow", "-simple").stdout == "ps_ud_QUB 900 T run_elsewhere\nWEB.UP 200 T \n")
        let absent = try tools.labeltool("-updatelabel", "-label", "XXXX", "-set_priority", "5")
        #expect(absent.status == 0)
        #expect(absent.stderr.contains("no label XXXX"))
        #expect(try tools.labeltool("-updatelabel", "-label", "WEB.UP").status == 1)
        #expect(try tools.labeltool("-updatelabel", "-label", "WEB.UP", "-set_active", "-set_inactive").status == 1)
        #expect(try tools.labeltool("-updatelabel", "-label", "WEB.UP", "-set_priority", "99999999999").status == 3)
        #expect(try tools.labeltool("-updatelabel", "-lable", "WEB.UP").status == 2)

        #expect(try tools.labeltool("-deletelabel", "-label", "ps_ud_QUB").status == 0)
        #expect(try tools.labeltool("-listlabel", "-simple").stdout == "WEB.UP 200 T \n")
        #expect(try tools.labeltool("-listlabel", "-active", "-inactive").status == 1)
    }

    /// An inactive label holds back its requests; a missing label does not.
    @Test func labelsSteerThePendingQueries() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        _ = try tools.pstamptool("-create")
        _ = try tools.pstamptool("-addreq", "-uri", "/a", "-label", "SLOW")
        _ = try tools.pstamptool("-addreq", "-uri", "/b", "-label", "NOROW")
        _ = try tools.labeltool("-definelabel", "-set_label", "SLOW", "-set_priority", "20000")
        #expect(try tools.pstamptool("-pendingreq", "-simple").stdout.split(separator: "\n").map { $0.prefix(1) } == ["1", "2"])
        _ = try tools.labeltool("-updatelabel", "-label", "SLOW", "-set_priority", "10")
        #expect(try tools.pstamptool("-pendingreq", "-simple").stdout.split(separator: "\n").map { $0.prefix(1) } == ["2", "1"])
        _ = try tools.labeltool("-updatelabel", "-label", "SLOW", "-set_inactive")
        #expect(try tools.pstamptool("-pendingreq", "-simple").stdout.split(separator: "\n").map { $0.prefix(1) } == ["2"])
    }
}
