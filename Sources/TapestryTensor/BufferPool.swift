import Dispatch

/// Large buffers kept after their tensors die, for the next tensors that fit in them.
///
/// A training or inference step allocates the same large activations, gradients and scratch
/// buffers every time. Fresh large allocations come straight from the kernel (glibc maps
/// anything over 32 MB itself), so each one pays page faults and zeroing on first touch and an
/// unmap on free — several per cent of a VGG16 step. Keeping the buffers of the last step and
/// handing them out again removes that; at most ``byteLimit`` bytes are kept, the most recently
/// released first.
///
/// A request takes an idle buffer of exactly its size if there is one, else the smallest idle
/// buffer up to ``fitRatio`` times its size: a chain of layers whose activations shrink (VGG16's
/// blocks halve theirs) then runs in the buffers of its largest layers instead of keeping a
/// buffer of every size idle beside them, which is what set the process's peak memory.
public final class BufferPool: @unchecked Sendable {
    public static let shared = BufferPool()

    /// Buffers smaller than this go straight to `malloc`, which already reuses them well.
    public let minimumBytes = 1 << 20
    /// The least ``byteLimit`` can be.
    public var minimumByteLimit = 384 << 20
    /// Most bytes kept idle, beyond which released buffers are freed: the largest of
    /// ``minimumByteLimit``, the most bytes the pool has had lent out at once, and three times the
    /// largest buffer lent. A training step asks again for what it used in the step before, so
    /// keeping that much lets it run in the previous step's buffers (VGG16's block5 fine-tuning
    /// step mapped two fresh 109 MB activations a step under a fixed 384 MB); and a chain of
    /// layers runs in its largest input, output and scratch buffers (at 224×224, batch 20,
    /// block1's activations are 257 MB each). Peak memory does not grow with it: the buffers kept
    /// are the ones the next step takes.
    public var byteLimit: Int { queue.sync { limit } }
    private var limit: Int { Swift.max(minimumByteLimit, peakLentBytes, 3 * largestLent) }
    /// The largest buffer ``allocate(bytes:)`` has handed out.
    private var largestLent = 0
    /// Bytes of the pooled-size buffers out now, and the most there have been.
    private var lentBytes = 0, peakLentBytes = 0
    /// A request may take an idle buffer up to this many times its size. Only the pages a
    /// tensor writes count towards memory use, and those of a reused buffer already do.
    public var fitRatio = 4

    /// Idle buffers, oldest release first: a few dozen at most, so a linear search is cheap.
    private var idle: [(bytes: Int, pointer: UnsafeMutableRawPointer)] = []
    private var idleBytes = 0
    /// The capacity of every pooled-size buffer handed out, by address: a request may have been
    /// given a larger buffer than it asked for, and that is what goes back to the pool.
    private var lent: [UnsafeMutableRawPointer: Int] = [:]
    private let queue = DispatchQueue(label: "tapestry.buffer-pool")

    /// At least `bytes` of memory, 64-byte aligned, not initialised.
    func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        guard bytes >= minimumBytes else { return .allocate(byteCount: Swift.max(bytes, 1), alignment: 64) }
        return queue.sync {
            let fit = idle.lastIndex(where: { $0.bytes == bytes })
                ?? idle.indices.filter { idle[$0].bytes > bytes && idle[$0].bytes / fitRatio <= bytes }
                    .min(by: { idle[$0].bytes < idle[$1].bytes })
            let buffer: (bytes: Int, pointer: UnsafeMutableRawPointer)
            if let fit {
                buffer = idle.remove(at: fit)
                idleBytes -= buffer.bytes
            } else {
                buffer = (bytes, .allocate(byteCount: bytes, alignment: 64))
            }
            lent[buffer.pointer] = buffer.bytes
            largestLent = Swift.max(largestLent, buffer.bytes)
            lentBytes += buffer.bytes
            peakLentBytes = Swift.max(peakLentBytes, lentBytes)
            return buffer.pointer
        }
    }

    /// Takes back a buffer from ``allocate(bytes:)`` asked for with the same size. When the pool
    /// is full the oldest idle buffers make room: sizes the current work no longer asks for
    /// (another image size, a finished phase) must not keep out the ones it asks for on every step.
    func release(_ p: UnsafeMutableRawPointer, bytes requested: Int) {
        guard requested >= minimumBytes else { p.deallocate(); return }
        let freed = queue.sync { () -> [UnsafeMutableRawPointer] in
            var bytes = requested
            if let capacity = lent.removeValue(forKey: p) {
                bytes = capacity
                lentBytes -= capacity
            }
            guard bytes <= limit else { return [p] }
            var evicted: [UnsafeMutableRawPointer] = []
            while idleBytes + bytes > limit, !idle.isEmpty {
                let oldest = idle.removeFirst()
                idleBytes -= oldest.bytes
                evicted.append(oldest.pointer)
            }
            idle.append((bytes, p))
            idleBytes += bytes
            return evicted
        }
        for old in freed { old.deallocate() }
    }

    /// Frees every idle buffer.
    public func drain() {
        let buffers = queue.sync { () -> [UnsafeMutableRawPointer] in
            defer { idle.removeAll(); idleBytes = 0 }
            return idle.map(\.pointer)
        }
        for p in buffers { p.deallocate() }
    }

    /// Bytes currently kept idle.
    public var idleByteCount: Int { queue.sync { idleBytes } }
}
