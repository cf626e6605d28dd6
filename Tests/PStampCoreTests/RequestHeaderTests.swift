import Testing

@testable import PStampCore

@Suite("Request header checks (§1.2)")
struct RequestHeaderTests {
    @Test("a v2 header with PROCESS or PREVIEW (any case) and an email passes")
    func good() throws {
        try RequestHeader(reqName: "CHANGEME", version: 2, action: "PROCESS", email: "me@inst.edu").validate()
        let preview = RequestHeader(reqName: "x.y_z-1:2", version: 2, action: "preview", email: "a@b")
        try preview.validate()
        #expect(preview.effectiveAction == .preview)
        #expect(RequestHeader(reqName: "test1", version: 1).effectiveAction == .process)
        try RequestHeader(reqName: "test1", version: 1).validate()
    }

    static func structureCode(_ h: RequestHeader) -> PStampCode? {
        do { try h.validateStructure(); return nil } catch { return error.code }
    }

    static func code(_ h: RequestHeader) -> PStampCode? {
        do { try h.validate(); return nil } catch { return error.code }
    }

    @Test("missing or malformed REQ_NAME, bad EXTVER, bad ACTION, v2 without EMAIL: 21")
    func invalid() {
        #expect(Self.code(RequestHeader(reqName: "", version: 2, action: "PROCESS", email: "a@b")) == .invalidRequest)
        #expect(Self.code(RequestHeader(reqName: "two words", version: 2, action: "PROCESS", email: "a@b")) == .invalidRequest)
        #expect(
            Self.code(RequestHeader(reqName: String(repeating: "n", count: 65), version: 2, action: "PROCESS", email: "a@b"))
                == .invalidRequest)
        #expect(Self.code(RequestHeader(reqName: String(repeating: "n", count: 64), version: 2, action: "PROCESS", email: "a@b")) == nil)
        #expect(Self.code(RequestHeader(reqName: "r", version: 3, action: "PROCESS", email: "a@b")) == .invalidRequest)
        #expect(Self.code(RequestHeader(reqName: "r", version: 2, action: "LIST", email: "a@b")) == .invalidRequest)
        #expect(Self.code(RequestHeader(reqName: "r", version: 2, action: nil, email: "a@b")) == .invalidRequest)
        #expect(Self.code(RequestHeader(reqName: "r", version: 2, action: "PROCESS", email: nil)) == .invalidRequest)
    }

    @Test("an EMAIL without user@domain (e.g. the literal null): 29 NOT_AUTHORIZED")
    func email() {
        for bad in ["null", "me@", "@inst.edu", "a@b@c"] {
            #expect(Self.code(RequestHeader(reqName: "r", version: 2, action: "PROCESS", email: bad)) == .notAuthorized, "\(bad)")
            #expect(Self.structureCode(RequestHeader(reqName: "r", version: 2, action: "PROCESS", email: bad)) == nil)
        }
        let parts = RequestHeader(reqName: "r", version: 2, email: "me@inst.edu").emailParts
        #expect(parts?.user == "me" && parts?.domain == "inst.edu")
    }
}
