import Dispatch

/// Large buffers kept after their tensors die, for the next tensor of the same size.
///
/// A training or inference step allocates the same large activations, gradients and scratch
/// buffers every time. Fresh large allocations come straight from the kernel (glibc maps
/// anything over 32 MB itself), so each one pays page faults and zeroing on first touch and an
/// unmap on free — several per cent of a VGG16 step. Keeping the buffers of the last step and
/// handing them out again by exact size removes that; at most ``byteLimit`` bytes are kept.
public final class BufferPool: @unchecked Sendable {
    public static let shared = BufferPool()

    /// Buffers smaller than this go straight to `malloc`, which already reuses them well.
    public let minimumBytes = 1 << 20
    /// Most bytes kept idle; beyond it, released buffers are freed.
    public var byteLimit = 512 << 20

    private var idle: [Int: [UnsafeMutableRawPointer]] = [:]
    private var idleBytes = 0
    private let queue = DispatchQueue(label: "tapestry.buffer-pool")

    /// `bytes` of memory, 64-byte aligned, not initialised.
    func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        if bytes >= minimumBytes, let reused = queue.sync(execute: { () -> UnsafeMutableRawPointer? in
            guard let p = idle[bytes]?.popLast() else { return nil }
            idleBytes -= bytes
            return p
        }) {
            return reused
        }
        return .allocate(byteCount: Swift.max(bytes, 1), alignment: 64)
    }

    /// Takes back a buffer from ``allocate(bytes:)`` of the same size.
    func release(_ p: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= minimumBytes {
            let kept = queue.sync { () -> Bool in
                guard idleBytes + bytes <= byteLimit else { return false }
                idle[bytes, default: []].append(p)
                idleBytes += bytes
                return true
            }
            if kept { return }
        }
        p.deallocate()
    }

    /// Frees every idle buffer.
    public func drain() {
        let buffers = queue.sync { () -> [UnsafeMutableRawPointer] in
            defer { idle.removeAll(); idleBytes = 0 }
            return idle.values.flatMap { $0 }
        }
        for p in buffers { p.deallocate() }
    }

    /// Bytes currently kept idle.
    public var idleByteCount: Int { queue.sync { idleBytes } }
}
