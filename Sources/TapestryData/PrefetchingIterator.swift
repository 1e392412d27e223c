import Foundation
import TapestryTraining

/// Produces batches `0..<count` on a background thread, at most `depth` ahead of the consumer,
/// and hands them out in order. Dropping the iterator stops the producer.
final class PrefetchingIterator: BatchIterator {
    private let count: Int
    private let load: (Int) throws -> Batch
    private let lock = NSCondition()
    private var ready: [Int: Result<Batch, Error>] = [:]
    private var position = 0
    private var cancelled = false
    private let slots: DispatchSemaphore

    init(count: Int, depth: Int, load: @escaping (Int) throws -> Batch) {
        self.count = count
        self.load = load
        slots = DispatchSemaphore(value: max(depth, 1))
        let producer = Thread { [weak self] in self?.produce() }
        producer.stackSize = 1 << 20
        producer.start()
    }

    private func produce() {
        for i in 0..<count {
            slots.wait()
            lock.lock()
            let stop = cancelled
            lock.unlock()
            if stop { return }
            let result = Result { try load(i) }
            lock.lock()
            ready[i] = result
            lock.broadcast()
            lock.unlock()
            if case .failure = result { return }
        }
    }

    func next() throws -> Batch? {
        guard position < count else { return nil }
        lock.lock()
        while ready[position] == nil { lock.wait() }
        let result = ready.removeValue(forKey: position)!
        lock.unlock()
        position += 1
        slots.signal()
        return try result.get()
    }

    deinit {
        lock.lock()
        cancelled = true
        lock.unlock()
        for _ in 0..<count { slots.signal() }
    }
}
