// Many stamps from one image, on every core: each worker opens the source once (cfitsio needs one
// handle per thread) and cuts its share. Stamps are sorted by first row and split into contiguous
// bands, so with a tile-compressed image each worker reads its rows through a window and decompresses
// each tile once however many stamps need it (uncompressed rows too: a few large reads instead of one
// small read per stamp row). `reopen` opens the source again for every stamp
// (the IPP's one-process-per-stamp behaviour, and the benchmark's "open per stamp" case).
import Dispatch
import FITS
import Foundation
import PStampCore

public struct BatchCutout: Sendable {
    public var imagePath: String
    public var maskPath: String?
    public var variancePath: String?
    public var options: StampOptions
    /// Worker threads (default: one per core).
    public var threads: Int
    /// Open the source for every stamp instead of once per worker.
    public var reopen: Bool
    /// Read rows through a sliding window (nil: when the batch has 16 stamps or more). Each row, and each
    /// tile of a compressed image, is then read once in large reads instead of once per stamp.
    public var rowWindow: Bool?
    /// The niceness of the worker threads (0: the caller's; a server cuts at +5 so its web handlers stay
    /// ahead). With a niceness the workers are threads of their own, never Dispatch's shared ones.
    public var workerNice: Int32 = 0

    public init(
        imagePath: String, maskPath: String? = nil, variancePath: String? = nil,
        options: StampOptions, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        reopen: Bool = false, rowWindow: Bool? = nil
    ) {
        self.imagePath = imagePath; self.maskPath = maskPath; self.variancePath = variancePath
        self.options = options; self.threads = max(1, threads); self.reopen = reopen; self.rowWindow = rowWindow
    }

    /// Cuts every request; the results come back in the requests' order. Opening the source fails the
    /// whole batch (code 26 or 5); a stamp's own failure (28, 30…) is its result.
    public func run(_ requests: [StampRequest]) throws -> [Result<StampResult, PStampError>] {
        let results = ResultSlots(count: requests.count)
        if requests.isEmpty { return [] }
        if reopen {
            let next = Counter()
            try parallel(threads) { _ in
                let memory = FITSMemoryBuffer()
                while let i = next.take(below: requests.count) {
                    do {
                        let source = try StampSource(image: imagePath, mask: maskPath, variance: variancePath)
                        results.set(i, Self.cut(requests[i], with: StampCutter(source: source, options: options, memory: memory)))
                    } catch let e as PStampError { results.set(i, .failure(e)) }
                }
            }
            return results.all
        }
        // Place every stamp once to sort them by first row; placement failures are results already.
        let first = try StampSource(image: imagePath, mask: maskPath, variance: variancePath)
        let useWindow = rowWindow ?? (requests.count >= 16)
        let planner = StampCutter(source: first, options: options)
        var placed: [(index: Int, placement: StampPlacement)] = []
        for (i, r) in requests.enumerated() {
            do { placed.append((i, try planner.place(r))) } catch let e as PStampError { results.set(i, .failure(e)) }
        }
        placed.sort { ($0.placement.region.startY, $0.index) < ($1.placement.region.startY, $1.index) }
        let order = placed
        let workers = min(threads, max(1, order.count))
        let chunk = (order.count + workers - 1) / workers
        let firstSource = SourceHandOff(first)
        try parallel(workers) { w in
            let lo = w * chunk, hi = min(order.count, lo + chunk)
            guard lo < hi else { return }
            let source = try w == 0 ? firstSource.take() : StampSource(image: imagePath, mask: maskPath, variance: variancePath)
            if useWindow { source.useRowWindows(band: 64) }
            let cutter = StampCutter(source: source, options: options)
            for k in lo..<hi {
                let (i, placement) = order[k]
                results.set(i, Self.cut(requests[i], with: cutter, placement: placement))
            }
        }
        return results.all
    }

    static func cut(
        _ r: StampRequest, with cutter: StampCutter, placement: StampPlacement? = nil
    )
        -> Result<StampResult, PStampError>
    {
        do { return .success(try cutter.cut(r, placement: placement)) } catch let e as PStampError {
            return .failure(e)
        } catch {
            return .failure(PStampError(.unknownError, "\(error)"))
        }
    }

    /// Runs `body(worker)` on `n` threads and rethrows the first PStampError.
    private func parallel(_ n: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let failure = FirstError()
        let work: @Sendable (Int) -> Void = { w in
            do { try body(w) } catch let e as PStampError { failure.record(e) } catch {
                failure.record(PStampError(.unknownError, "\(error)"))
            }
        }
        if workerNice == 0 {
            DispatchQueue.concurrentPerform(iterations: n, execute: work)
        } else {
            let done = DispatchGroup()
            let nice = workerNice
            for w in 0..<n {
                done.enter()
                NicedThread.start(nice: nice) {
                    work(w)
                    done.leave()
                }
            }
            done.wait()
        }
        if let e = failure.error { throw e }
    }
}

/// Result slots filled by several threads.
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<StampResult, PStampError>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<StampResult, PStampError>) { lock.lock(); slots[i] = r; lock.unlock() }
    var all: [Result<StampResult, PStampError>] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0 ?? .failure(PStampError(.unknownError, "stamp not processed")) }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: PStampError?
    func record(_ e: PStampError) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}

/// Hands the source opened for planning to worker 0 (used by that one thread only).
final class SourceHandOff: @unchecked Sendable {
    private var source: StampSource?
    init(_ s: StampSource) { source = s }
    func take() -> StampSource { let s = source!; source = nil; return s }
}
