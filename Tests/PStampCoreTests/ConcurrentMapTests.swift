import Foundation
import Testing

@testable import PStampCore

@Suite struct ConcurrentMapTests {
    struct Refused: Error, Equatable { let element: Int }

    @Test func keepsTheOrderOfTheElements() throws {
        let numbers = Array(0..<1000)
        #expect(try numbers.concurrentMap { $0 * $0 } == numbers.map { $0 * $0 })
        #expect(try [Int]().concurrentMap { $0 } == [])
        #expect(try [7].concurrentMap { $0 + 1 } == [8])
    }

    @Test func throwsTheFirstErrorInOrderAfterTryingEveryElement() {
        let tried = Counter()
        #expect(throws: Refused(element: 10)) {
            try Array(0..<200).concurrentMap { n in
                tried.add()
                if n == 10 || n == 150 { throw Refused(element: n) }
                return n
            }
        }
        #expect(tried.value == 200)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
