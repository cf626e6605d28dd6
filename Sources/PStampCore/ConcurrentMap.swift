import Dispatch
import Foundation

extension Array {
    /// The elements transformed on all cores, in their order (`DispatchQueue.concurrentPerform`, so the
    /// calling thread works too and nothing runs on Swift's cooperative pool). For blocking work on many
    /// small items: the headers of a request's stamps, the files of a fileset, a batch's md5s.
    public func concurrentMap<T>(_ transform: (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let slots = Slots<T>(count: count)
        let workers = Swift.min(ProcessInfo.processInfo.activeProcessorCount, count)
        withoutActuallyEscaping(transform) { transform in
            let shared = UncheckedBox((elements: self, transform: transform))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let (elements, transform) = shared.value
                for i in stride(from: w, to: elements.count, by: workers) { slots.set(i, transform(elements[i])) }
            }
        }
        return slots.values.map { $0! }
    }

    /// The same for a transform that throws: every element is tried, then the first error in the
    /// elements' order is thrown.
    public func concurrentMap<T>(_ transform: (Element) throws -> T) throws -> [T] {
        let results: [Result<T, any Error>] = concurrentMap { element in Result { try transform(element) } }
        return try results.map { try $0.get() }
    }
}

/// Results filled in by several threads, each slot by one.
private final class Slots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.withLock { slots[i] = value } }
    var values: [T?] { lock.withLock { slots } }
}

/// Hands the array and the transform to the worker threads: each element is read by one thread, the
/// transform is called concurrently as `concurrentMap` documents.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
