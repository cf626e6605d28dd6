import Testing

@testable import PStampCore

@Suite struct StateTransitionTests {
    /// Every edge of every table is legal, and so is staying in the same state.
    @Test func everyListedTransitionIsLegal() throws {
        for edge in StateTransitions.request.edges { try StateTransitions.request.check(from: edge.from, to: edge.to) }
        for edge in StateTransitions.job.edges { try StateTransitions.job.check(from: edge.from, to: edge.to) }
        for edge in StateTransitions.dependent.edges { try StateTransitions.dependent.check(from: edge.from, to: edge.to) }
        for edge in StateTransitions.dataStore.edges { try StateTransitions.dataStore.check(from: edge.from, to: edge.to) }
        for state in RequestState.allCases { #expect(StateTransitions.request.isLegal(from: state, to: state)) }
    }

    /// The request life cycle of server-internals §2.1, plus hold.
    @Test func requestLifeCycle() {
        let t = StateTransitions.request
        #expect(t.isLegal(from: .new, to: .run))
        #expect(t.isLegal(from: .new, to: .parsed))
        #expect(t.isLegal(from: .run, to: .stop))
        #expect(t.isLegal(from: .stop, to: .gotoCleaned))
        #expect(t.isLegal(from: .gotoCleaned, to: .cleaned))
        #expect(t.isLegal(from: .run, to: .hold))
        #expect(t.isLegal(from: .hold, to: .run))
        #expect(t.isLegal(from: .run, to: .gotoCleaned))
        #expect(t.initial == [.new])
    }

    @Test func illegalChangesAreRefusedNamingBothStates() {
        let illegal: [(RequestState, RequestState)] = [
            (.cleaned, .run), (.cleaned, .new), (.stop, .run), (.stop, .new), (.gotoCleaned, .run), (.run, .new),
            (.new, .cleaned), (.run, .cleaned), (.hold, .cleaned), (.new, .stop),
        ]
        for (from, to) in illegal {
            #expect(!StateTransitions.request.isLegal(from: from, to: to), "\(from) -> \(to)")
            #expect(throws: PStampError.self) { try StateTransitions.request.check(from: from, to: to) }
            do {
                try StateTransitions.request.check(from: from, to: to)
            } catch {
                #expect(error.message.contains("'\(from.rawValue)'"))
                #expect(error.message.contains("'\(to.rawValue)'"))
                #expect(error.message.contains("request"))
            }
        }
        #expect(!StateTransitions.job.isLegal(from: .stop, to: .run))
        #expect(!StateTransitions.job.isLegal(from: .cancel, to: .stop))
        #expect(!StateTransitions.dependent.isLegal(from: .full, to: .new))
        #expect(!StateTransitions.dependent.isLegal(from: .full, to: .hold))
    }

    @Test func rowsStartOnlyInInitialStates() {
        #expect(throws: PStampError.self) { try StateTransitions.request.checkInitial(.run) }
        #expect(throws: PStampError.self) { try StateTransitions.dependent.checkInitial(.full) }
        #expect(throws: Never.self) { try StateTransitions.dependent.checkInitial(.hold) }
        #expect(throws: Never.self) { try StateTransitions.job.checkInitial(.stop) }
    }

    /// The guard of an UPDATE: every state from which the target is reachable.
    @Test func sourcesOfATarget() {
        #expect(Set(StateTransitions.request.sources(to: .cleaned)) == [.gotoCleaned, .cleaned])
        #expect(Set(StateTransitions.request.sources(to: .run)) == [.new, .parsed, .hold, .run])
        #expect(Set(StateTransitions.dependent.sources(to: .full)) == [.new, .full])
    }

    @Test func statesParseAsOperatorsTypeThem() throws {
        #expect(try RequestState.parse("goto_cleaned") == .gotoCleaned)
        #expect(try RequestState.parse("hold") == .hold)
        #expect(throws: PStampError.self) { try RequestState.parse("held") }
    }

    @Test func masks() {
        #expect(OptionMask.noWaitForUpdate.rawValue == 32768)
        #expect(OptionMask(rawValue: 1 | 2 | 4).contains(.variance))
        #expect(CoordMask(rawValue: 3) == [.centerInPixels, .rangeInPixels])
        #expect(OptionMask.numJPEG.rawValue == 0x20000)
    }
}
