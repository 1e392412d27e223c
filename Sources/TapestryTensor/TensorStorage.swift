/// The reference-counted buffer behind one or more ``Tensor`` views.
///
/// Views (reshape, transpose, slices, broadcasts) share one storage; writes go through
/// ``Tensor``'s copy-on-write check, so a shared buffer is never changed under another view.
public final class TensorStorage<Scalar: TensorScalar> {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Scalar>

    /// Uninitialised memory is never exposed: every constructor fills the buffer.
    public init(count: Int, repeating value: Scalar) {
        self.count = count
        pointer = TensorStorage.allocate(count)
        pointer.initialize(repeating: value, count: count)
    }

    /// Storage whose contents the caller promises to write completely before reading.
    init(uninitializedCount count: Int) {
        self.count = count
        pointer = TensorStorage.allocate(count)
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        BufferPool.shared.allocate(bytes: Swift.max(count, 1) * MemoryLayout<Scalar>.stride).bindMemory(to: Scalar.self, capacity: Swift.max(count, 1))
    }

    public convenience init<C: Collection>(_ elements: C) where C.Element == Scalar {
        self.init(uninitializedCount: elements.count)
        _ = UnsafeMutableBufferPointer(start: pointer, count: count).initialize(from: elements)
    }

    deinit { BufferPool.shared.release(UnsafeMutableRawPointer(pointer), bytes: Swift.max(count, 1) * MemoryLayout<Scalar>.stride) }
}
