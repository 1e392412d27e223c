import XCTest
@testable import TapestryTensor

final class TensorTests: XCTestCase {
    func testConstructionAndScalars() {
        let t = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(t.strides, [3, 1])
        XCTAssertEqual(t[1, 2], 6)
        XCTAssertEqual(Tensor<Double>.zeros([2, 2]).scalars, [0, 0, 0, 0])
        XCTAssertEqual(Tensor<Double>.ones([3]).scalars, [1, 1, 1])
        XCTAssertEqual(Tensor<Float>(7).scalar, 7)
    }

    func testDescriptionShowsShapeAndValues() {
        let t = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        XCTAssertTrue(t.description.contains("shape: [2, 2]"))
        XCTAssertTrue(t.description.contains("[1.0, 2.0]"))
    }

    func testViewsShareStorage() {
        let t = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let views = [t.reshaped([3, 2]), t.transposed(), t.slice(axis: 1, from: 0, to: 3, step: 2),
                     t.unsqueezed(axis: 0), t.reshaped([1, 6]).squeezed(), t.slice(axis: 0, from: 0, to: 1).expanded(to: [4, 3])]
        for v in views { XCTAssertTrue(v.storage === t.storage, "view \(v.shape) copied") }
    }

    func testTransposeAndPermute() {
        let t = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.transposed().scalars, [1, 4, 2, 5, 3, 6])
        XCTAssertFalse(t.transposed().isContiguous)
        let p = Tensor<Float>(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6]).permuted([2, 0, 1])
        XCTAssertEqual(p.shape, [3, 2, 1])
        XCTAssertEqual(p.scalars, [1, 4, 2, 5, 3, 6])
    }

    func testSliceWithStepAndRanges() {
        let t = Tensor<Float>(shape: [4, 5], scalars: (0..<20).map(Float.init))
        XCTAssertEqual(t.slice(axis: 1, from: 1, to: 5, step: 2).scalars, [1, 3, 6, 8, 11, 13, 16, 18])
        XCTAssertEqual(t.slice([1..<3, 2..<4]).scalars, [7, 8, 12, 13])
        XCTAssertEqual(t.slice([0..<4, 0..<5], steps: [3, 4]).scalars, [0, 4, 15, 19])
    }

    func testBroadcastViewHasZeroStride() {
        let row = Tensor<Float>(shape: [1, 3], scalars: [1, 2, 3])
        let e = row.expanded(to: [2, 3])
        XCTAssertEqual(e.strides[0], 0)
        XCTAssertEqual(e.scalars, [1, 2, 3, 1, 2, 3])
    }

    func testReshapeInfersDimensionAndCopiesNonContiguous() {
        let t = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.reshaped([-1, 2]).shape, [3, 2])
        let r = t.transposed().reshaped([6])
        XCTAssertEqual(r.scalars, [1, 4, 2, 5, 3, 6])
    }

    func testCopyOnWrite() {
        let a = Tensor<Float>(shape: [2], scalars: [1, 2])
        var b = a
        b[0] = 9
        XCTAssertEqual(a.scalars, [1, 2])
        XCTAssertEqual(b.scalars, [9, 2])
        var view = a.slice(axis: 0, from: 0, to: 2)
        view[1] = 5
        XCTAssertEqual(a.scalars, [1, 2])
    }

    func testAssignSliceWritesOnlyTheView() {
        var t = Tensor<Float>.zeros([3, 4])
        t.assignSlice(axis: 1, from: 0, to: 4, step: 2, Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(t.scalars, [1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0])
    }

    func testConcatenateStackSplit() {
        let a = Tensor<Float>(shape: [2, 1], scalars: [1, 2]), b = Tensor<Float>(shape: [2, 2], scalars: [3, 4, 5, 6])
        let c = Tensor.concatenate([a, b], axis: 1)
        XCTAssertEqual(c.scalars, [1, 3, 4, 2, 5, 6])
        let parts = c.split(sizes: [1, 2], axis: 1)
        XCTAssertEqual(parts[0], a)
        XCTAssertEqual(parts[1], b)
        let s = Tensor.stack([a, a], axis: 0)
        XCTAssertEqual(s.shape, [2, 2, 1])
    }

    func testSeededRandomIsReproducibleAcrossRuns() {
        var g1 = SeededGenerator(seed: 42), g2 = SeededGenerator(seed: 42)
        let a = Tensor<Float>.randomNormal([100], using: &g1), b = Tensor<Float>.randomNormal([100], using: &g2)
        XCTAssertEqual(a, b)
        // Pinned values: the generator is integer arithmetic only, so these hold on every machine.
        var g = SeededGenerator(seed: 0)
        XCTAssertEqual(g.next(), 0x99EC_5F36_CB75_F2B4)
        let u = Tensor<Double>.randomUniform([1000], using: &g).scalars
        XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(u.reduce(0, +) / 1000, 0.5, accuracy: 0.05)
        var h = SeededGenerator(seed: 7, stream: 1, index: 3), k = SeededGenerator(seed: 7, stream: 2, index: 3)
        XCTAssertNotEqual(h.next(), k.next())
    }

    func testGlobalSeedReproducible() {
        setRandomSeed(3)
        let a = Tensor<Float>.randomUniform([10])
        setRandomSeed(3)
        XCTAssertEqual(a, Tensor<Float>.randomUniform([10]))
    }
}

/// Large tensors hand their memory back to the pool, and the next tensor of that size gets it.
final class BufferPoolTests: XCTestCase {
    func testLargeBuffersAreReusedBySize() {
        let pool = BufferPool.shared
        pool.drain()
        let count = (pool.minimumBytes / 4) * 2
        var address: UnsafeMutablePointer<Float>?
        do {
            let t = Tensor<Float>(shape: [count], repeating: 1)
            address = t.storage.pointer
        }
        XCTAssertEqual(pool.idleByteCount, count * 4)
        let again = Tensor<Float>(shape: [count], repeating: 2)
        XCTAssertEqual(again.storage.pointer, address)
        XCTAssertEqual(pool.idleByteCount, 0)
        XCTAssertTrue(again.scalars.allSatisfy { $0 == 2 })
        let small = Tensor<Float>(shape: [16], repeating: 0)
        XCTAssertEqual(small.count, 16)
        XCTAssertEqual(pool.idleByteCount, 0)   // small buffers never enter the pool
    }

    /// A full pool drops its oldest idle buffers for the one just released, so the sizes the
    /// current work uses stay reusable when earlier work (another image size) filled it.
    func testAFullPoolMakesRoomForTheNewestBuffers() {
        let pool = BufferPool()
        let mb = 1 << 20
        pool.minimumByteLimit = 10 * mb
        let old = (0..<4).map { _ in pool.allocate(bytes: 2 * mb) }
        for p in old { pool.release(p, bytes: 2 * mb) }
        XCTAssertEqual(pool.idleByteCount, 8 * mb)
        let current = pool.allocate(bytes: 3 * mb)
        pool.release(current, bytes: 3 * mb)
        XCTAssertEqual(pool.byteLimit, 10 * mb, "three times 3 MB is below the minimum")
        XCTAssertEqual(pool.idleByteCount, 9 * mb, "the oldest 2 MB buffer made room; the newer ones stayed")
        XCTAssertEqual(pool.allocate(bytes: 3 * mb), current)
        XCTAssertEqual(pool.allocate(bytes: 2 * mb), old[3], "the most recently released of a size comes first")
        pool.drain()
    }

    /// The limit grows to three times the largest buffer lent — a layer's input, output and
    /// scratch — even when only one was ever out at a time, so a chain of layers larger than the
    /// minimum still runs in the buffers of the previous pass instead of mapping new ones.
    func testTheLimitKeepsThreeOfTheLargestBuffers() {
        let pool = BufferPool()
        let mb = 1 << 20
        pool.minimumByteLimit = 4 * mb
        pool.release(pool.allocate(bytes: 5 * mb), bytes: 5 * mb)
        XCTAssertEqual(pool.byteLimit, 15 * mb, "one 5 MB buffer was out at a time")
        pool.drain()
    }

    /// The limit is also at least the most bytes lent at once: the next training step, which asks
    /// for the same buffers, finds all of them idle.
    func testTheLimitKeepsWhatWasLentAtOnce() {
        let pool = BufferPool()
        let mb = 1 << 20
        pool.minimumByteLimit = 4 * mb
        let step = (0..<5).map { _ in pool.allocate(bytes: 2 * mb) }
        XCTAssertEqual(pool.byteLimit, 10 * mb, "five 2 MB buffers were out at once")
        for p in step { pool.release(p, bytes: 2 * mb) }
        XCTAssertEqual(pool.idleByteCount, 10 * mb)
        let again = (0..<5).map { _ in pool.allocate(bytes: 2 * mb) }
        XCTAssertEqual(Set(again), Set(step), "the second step ran in the first step's buffers")
        for p in again { pool.release(p, bytes: 2 * mb) }
        pool.drain()
    }

    /// Without an idle buffer of its size, a request takes the smallest idle buffer at most
    /// `fitRatio` times larger, and the whole buffer comes back when it is released.
    func testASmallerRequestTakesTheSmallestLargerBufferThatFits() {
        let pool = BufferPool()
        let mb = 1 << 20
        pool.fitRatio = 4
        let sizes = [16 * mb, 6 * mb, 9 * mb]
        let buffers = sizes.map { pool.allocate(bytes: $0) }
        for (p, bytes) in zip(buffers, sizes) { pool.release(p, bytes: bytes) }
        XCTAssertEqual(pool.idleByteCount, 31 * mb)

        let p = pool.allocate(bytes: 5 * mb)
        XCTAssertEqual(p, buffers[1], "6 MB is the smallest idle buffer of at least 5 MB")
        XCTAssertEqual(pool.idleByteCount, 25 * mb)
        pool.release(p, bytes: 5 * mb)
        XCTAssertEqual(pool.idleByteCount, 31 * mb, "the buffer's 6 MB went back, not the 5 MB asked for")

        XCTAssertEqual(pool.allocate(bytes: 9 * mb), buffers[2], "an exact size comes first")
        let tooSmall = pool.allocate(bytes: 3 * mb)   // 6 MB is within 4×, 16 MB is not
        XCTAssertEqual(tooSmall, buffers[1])
        let fresh = pool.allocate(bytes: 3 * mb)
        XCTAssertFalse(buffers.contains(fresh), "16 MB is more than 4 × 3 MB: a new buffer")
        XCTAssertEqual(pool.idleByteCount, 16 * mb)
        for q in [tooSmall, fresh] { pool.release(q, bytes: 3 * mb) }
        XCTAssertEqual(pool.idleByteCount, 25 * mb)
        pool.drain()
    }
}
