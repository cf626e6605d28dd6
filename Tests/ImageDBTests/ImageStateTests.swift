import PStampCore
import Testing

@testable import ImageDB

@Suite("Image state: the one classification of a component")
struct ImageStateTests {
    func availability(_ run: String, _ data: String, fault: Int = 0) -> ImageAvailability {
        ImageState(runState: run, dataState: data, fault: fault).availability
    }

    @Test("full data of a run that is not being cleaned is full; goto_cleaned and cleaned runs are updatable")
    func fullAndUpdatable() {
        #expect(availability("full", "full") == .full)
        #expect(availability("update", "full") == .full)
        #expect(availability("goto_cleaned", "full") == .updatable)
        #expect(availability("cleaned", "cleaned") == .updatable)
        #expect(availability("update", "update") == .updatable)
        #expect(availability("new", "new") == .pending)
    }

    @Test("purged, scrubbed, dropped or faulted 26 is gone; a failed cleaning is errorCleaned")
    func goneAndErrorCleaned() {
        for run in ["purged", "goto_purged", "error_scrubbed", "scrubbed", "drop"] {
            #expect(availability(run, "cleaned") == .gone, "\(run)")
        }
        #expect(availability("cleaned", "cleaned", fault: PStampCode.gone.rawValue) == .gone)
        #expect(availability("error_cleaned", "full") == .errorCleaned)
        #expect(availability("cleaned", "error_cleaned") == .errorCleaned)
    }

    @Test("the dependency check's done test is checkdependent's: run full or update with data full, before any fault")
    func dependentDoneIsTheIPPs() {
        func dependent(_ run: String, _ data: String, fault: Int = 0) -> ImageAvailability {
            ImageState(runState: run, dataState: data, fault: fault).dependentAvailability
        }
        #expect(dependent("full", "full") == .full)
        #expect(dependent("update", "full") == .full)
        // Case A comes first: a full component of a full run is done even when faulted 26.
        #expect(dependent("full", "full", fault: PStampCode.gone.rawValue) == .full)
        // The parser takes full data of a run the IPP is still working on; the dependency check waits.
        for run in ["reg", "wait", "keep"] {
            #expect(availability(run, "full") == .full, "\(run)")
            #expect(dependent(run, "full") == .pending, "\(run)")
        }
        #expect(dependent("cleaned", "full") == .updatable)
        #expect(dependent("goto_cleaned", "full") == .updatable)
        #expect(dependent("cleaned", "cleaned", fault: PStampCode.gone.rawValue) == .gone)
        #expect(dependent("cleaned", "error_cleaned") == .errorCleaned)
    }

    @Test("a state the IPP does not know is refused with 21 naming the states")
    func unknownState() {
        #expect(throws: PStampError.self) { try GPC1State.parse("halfway") }
        #expect(GPC1State.allCases.count == 17)
        #expect(GPC1State(rawValue: "goto_cleaned") == .gotoCleaned)
    }
}
