import Dispatch
import Foundation

extension Array {
    /// The elements transformed on all cores, in their order (`DispatchQueue.concurrentPerform`, so the
    /// calling thread works too and nothing runs on Swift's cooperative pool). The first error in the
    /// elements' order is thrown, after every element was tried. For blocking work on many small
    /// items: the headers of a request's stamps, the files of a fileset.
    public func concurrentMap<T>(_ transform: (Element) throws -> T) throws -> [T] {
        guard count > 1 else { return try map(transform) }
        let slots = Slots<Result<T, any Error>>(count: count)
        let workers = Swift.min(ProcessInfo.processInfo.activeProcessorCount, count)
        withoutActuallyEscaping(transform) { transform in
            let shared = UncheckedBox((elements: self, transform: transform))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let (elements, transform) = shared.value
                for i in stride(from: w, to: elements.count, by: workers) {
                    slots.set(i, Result { try transform(elements[i]) })
                }
            }
        }
        return try slots.values.map { try $0!.get() }
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
