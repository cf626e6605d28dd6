import PStampCore
import Testing

@Suite("Retry back-off (faults that heal in seconds)")
struct RetryBackoffTests {
    @Test("about 10 s after the first fault, doubling, capped at the IPP's period of each kind")
    func doublesUpToTheCap() {
        let job = RetryBackoff.job
        #expect([1, 2, 3, 4, 5, 6, 7, 50].map { job.delay(faults: $0, unit: 0.5) } == [10, 20, 40, 80, 160, 300, 300, 300])
        #expect(RetryBackoff.request.delay(faults: 20, unit: 0.5) == 1200)
        #expect(RetryBackoff.dependent.delay(faults: 20, unit: 0.5) == 900)
        #expect(job.delay(faults: 0, unit: 0.5) == 10, "a row with no fault counted yet waits the first delay")
        #expect(job.delay(faults: Int.max, unit: 0.5) == 300)
    }

    @Test("the jitter spreads each wait by ±20 % and never passes the cap")
    func jitterSpreads() {
        let job = RetryBackoff.job
        #expect(job.delay(faults: 1, unit: 0) == 8)
        #expect(job.delay(faults: 1, unit: 0.999_999) > 11.99)
        #expect(job.delay(faults: 1, unit: 0.999_999) < 12)
        #expect(job.delay(faults: 9, unit: 0.999_999) == 300, "the spread stays under the cap")
        #expect(job.delay(faults: 9, unit: 0) == 240)
        #expect(job.delay(faults: 1, unit: .nan) == 10, "a broken random source gives the middle")
    }

    @Test("a first delay of 0 (or a broken setting) retries at once")
    func zeroRetriesAtOnce() {
        #expect(RetryBackoff(firstWait: 0, cap: 300).delay(faults: 3, unit: 0.9) == 0)
        #expect(RetryBackoff(firstWait: .infinity, cap: 300).delay(faults: 1, unit: 0.5) == 0)
        #expect(RetryBackoff(firstWait: 500, cap: 300).delay(faults: 1, unit: 0.5) == 300)
    }
}
