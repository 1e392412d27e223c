import Dispatch

/// Work smaller than this many element-operations runs on the calling thread: spreading it
/// over threads would cost more than it saves.
let parallelThreshold = 1 << 15

/// The number of worker threads kernels split their loops over (the machine's cores).
public let kernelThreadCount: Int = Swift.max(1, sysconfThreads())

private func sysconfThreads() -> Int {
    #if canImport(Glibc)
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return 2
    #endif
}

/// Runs `body` over `0..<count` in contiguous chunks, on all cores when `cost` (an estimate of
/// the scalar operations involved) makes that worthwhile.

public func parallelChunks(_ count: Int, cost: Int, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let workers = Swift.min(kernelThreadCount, count)
    if cost < parallelThreshold || workers < 2 {
        body(0..<count)
        return
    }
    // A few chunks per worker evens out uneven rows without measurable scheduling cost.
    let chunks = Swift.min(count, workers * 4)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let start = count * chunk / chunks
        let end = count * (chunk + 1) / chunks
        if start < end { body(start..<end) }
    }
}
#if canImport(Glibc)
import Glibc
#endif
