import Testing

@testable import PStampCore

@Suite struct IPPArgumentsTests {
    let parser = IPPArgumentParser(
        tool: "tool", summary: "test",
        modes: [
            IPPMode(
                "-updatereq", "",
                [
                    IPPOption("-req_id", .integer), IPPOption("-set_state", .string),
                    IPPOption("-label", .string, repeatable: true), IPPOption("-clearfault", .flag),
                    IPPOption("-timestamp_end", .time),
                ]),
            IPPMode("-addreq", "", [IPPOption("-uri", .string, required: true)]),
        ], common: [IPPOption("-dbname", .string)])

    @Test func readsTheSeedsCommandLine() throws {
        let line = try parser.parse(["-dbname", "ippRequestServer", "-updatereq", "-req_id", "182918", "-set_state", "hold"])
        #expect(line.mode == "-updatereq")
        #expect(line.int("-req_id") == 182918)
        #expect(line.string("-set_state") == "hold")
        #expect(line.string("-dbname") == "ippRequestServer")
        #expect(!line.flag("-clearfault"))
    }

    @Test func repeatedLabelsAreKept() throws {
        let line = try parser.parse(["-updatereq", "-label", "A", "-label", "B", "-clearfault"])
        #expect(line.strings("-label") == ["A", "B"])
        #expect(line.flag("-clearfault"))
    }

    @Test func usageErrors() {
        #expect(throws: IPPUsageError.self) { try parser.parse([]) }
        #expect(throws: IPPUsageError.self) { try parser.parse(["-updatereqq"]) }
        #expect(throws: IPPUsageError.self) { try parser.parse(["-updatereq", "-addreq", "-uri", "x"]) }
        #expect(throws: IPPUsageError.self) { try parser.parse(["-updatereq", "-req", "1"]) }
        #expect(throws: IPPUsageError.self) { try parser.parse(["-updatereq", "-req_id", "x1"]) }
        #expect(throws: IPPUsageError.self) { try parser.parse(["-updatereq", "-req_id"]) }
        #expect(throws: IPPUsageError.self) { try parser.parse(["-updatereq", "-req_id", "1", "-req_id", "2"]) }
        #expect(throws: IPPUsageError.self) { try parser.parse(["-addreq"]) }
        #expect(throws: IPPUsageError.self) { try parser.parse(["-updatereq", "-timestamp_end", "soon"]) }
        #expect(throws: IPPUsageError.self) { try parser.parse(["-addreq", "-uri", "x", "-req_id", "1"]) }
    }

    @Test func usageNamesTheBadOptionAndListsTheModesOptions() {
        do {
            _ = try parser.parse(["-updatereq", "-set_stat", "hold"])
            Issue.record("should not parse")
        } catch {
            #expect(error.message.contains("-set_stat"))
            #expect(error.usage.contains("-set_state"))
        }
    }
}
