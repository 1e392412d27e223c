import Dispatch

/// Large buffers kept after their tensors die, for the next tensor of the same size.
///
/// A training or inference step allocates the same large activations, gradients and scratch
/// buffers every time. Fresh large allocations come straight from the kernel (glibc maps
/// anything over 32 MB itself), so each one pays page faults and zeroing on first touch and an
/// unmap on free — several per cent of a VGG16 step. Keeping the buffers of the last step and
/// handing them out again by exact size removes that; at most ``byteLimit`` bytes are kept, the
/// most recently released first.
public final class BufferPool: @unchecked Sendable {
    public static let shared = BufferPool()

    /// Buffers smaller than this go straight to `malloc`, which already reuses them well.
    public let minimumBytes = 1 << 20
    /// Most bytes kept idle; beyond it, released buffers are freed.
    public var byteLimit = 384 << 20

    /// Idle buffers, oldest release first: a few dozen at most, so a linear search is cheap.
    private var idle: [(bytes: Int, pointer: UnsafeMutableRawPointer)] = []
    private var idleBytes = 0
    private let queue = DispatchQueue(label: "tapestry.buffer-pool")

    /// `bytes` of memory, 64-byte aligned, not initialised.
    func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        if bytes >= minimumBytes, let reused = queue.sync(execute: { () -> UnsafeMutableRawPointer? in
            guard let i = idle.lastIndex(where: { $0.bytes == bytes }) else { return nil }
            idleBytes -= bytes
            return idle.remove(at: i).pointer
        }) {
            return reused
        }
        return .allocate(byteCount: Swift.max(bytes, 1), alignment: 64)
    }

    /// Takes back a buffer from ``allocate(bytes:)`` of the same size. When the pool is full the
    /// oldest idle buffers make room: sizes the current work no longer asks for (another image
    /// size, a finished phase) must not keep out the ones it asks for on every step.
    func release(_ p: UnsafeMutableRawPointer, bytes: Int) {
        guard bytes >= minimumBytes, bytes <= byteLimit else { p.deallocate(); return }
        let evicted = queue.sync { () -> [UnsafeMutableRawPointer] in
            var evicted: [UnsafeMutableRawPointer] = []
            while idleBytes + bytes > byteLimit, !idle.isEmpty {
                let oldest = idle.removeFirst()
                idleBytes -= oldest.bytes
                evicted.append(oldest.pointer)
            }
            idle.append((bytes, p))
            idleBytes += bytes
            return evicted
        }
        for old in evicted { old.deallocate() }
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
