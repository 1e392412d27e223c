import XCTest
@testable import TapestryTensor

/// The Winograd F(4×4, 3×3) path against im2col + GEMM (itself checked against a direct loop
/// in ConvolutionTests), on shapes that exercise partial edge tiles, odd channel counts and both paddings.
final class WinogradTests: XCTestCase {
    override func tearDown() { Conv2DKernels.algorithm = .automatic }

    /// Runs `body` once with each algorithm and returns (Winograd, im2col).
    func bothAlgorithms(_ body: () -> Tensor<Float>) -> (Tensor<Float>, Tensor<Float>) {
        Conv2DKernels.algorithm = .automatic
        let fast = body()
        Conv2DKernels.algorithm = .im2col
        let reference = body()
        Conv2DKernels.algorithm = .automatic
        return (fast, reference)
    }

    /// The largest difference relative to the largest reference magnitude.
    func relativeError(_ a: Tensor<Float>, _ b: Tensor<Float>) -> Double {
        XCTAssertEqual(a.shape, b.shape)
        let scale = b.scalars.map { Double(Swift.abs($0)) }.max() ?? 1
        let worst = zip(a.scalars, b.scalars).map { Double(Swift.abs($0 - $1)) }.max() ?? 0
        return worst / Swift.max(scale, 1e-30)
    }

    let shapes: [(n: Int, h: Int, w: Int, c: Int, k: Int, padding: Padding)] = [
        (2, 16, 16, 16, 16, .same),    // whole tiles
        (4, 9, 9, 24, 20, .same),      // VGG16 block5's 9×9: partial tiles; channels not a multiple of 8
        (3, 11, 13, 17, 19, .same),    // uneven sides, tails of 1 and 3 lanes
        (16, 10, 6, 16, 32, .valid),   // valid: output 8×4
        (32, 3, 3, 16, 16, .valid),    // a single output pixel per image
        (2, 37, 37, 32, 16, .same),    // many tiles over several chunks
        (4, 9, 9, 256, 260, .same),    // a large filter and 36 tiles: the 36 GEMMs shared out by position
    ]

    /// Float32 rounding grows with the number of products summed per output; the bound for
    /// VGG16's activations is 1e-4 (testVGG16…), the small cases stay within 1e-5.
    func tolerance(_ s: (n: Int, h: Int, w: Int, c: Int, k: Int, padding: Padding)) -> Double {
        s.c * s.k >= 1 << 16 ? 5e-5 : 1e-5
    }

    func testForwardMatchesIm2col() {
        for (i, s) in shapes.enumerated() {
            let x: Tensor<Float> = seededTensor([s.n, s.h, s.w, s.c], seed: UInt64(10 + i))
            let w: Tensor<Float> = seededTensor([3, 3, s.c, s.k], seed: UInt64(20 + i))
            let g = Conv2DGeometry(inputShape: x.shape, filterShape: w.shape, strides: (1, 1), padding: s.padding)
            XCTAssertTrue(Winograd.applies(g), "case \(i) should take the Winograd path")
            if s.c * s.k >= 1 << 16, kernelThreadCount > 1 {
                XCTAssertTrue(Winograd.sharesOutByPosition(tiles: Winograd.tiles(g), inChannels: s.c, outChannels: s.k))
            }
            let (fast, reference) = bothAlgorithms { Conv2DKernels.forward(x, w, padding: s.padding) }
            XCTAssertLessThan(relativeError(fast, reference), tolerance(s), "forward case \(i): \(s)")
        }
    }

    func testBackwardInputMatchesIm2col() {
        for (i, s) in shapes.enumerated() {
            let x: Tensor<Float> = seededTensor([s.n, s.h, s.w, s.c], seed: UInt64(30 + i))
            let w: Tensor<Float> = seededTensor([3, 3, s.c, s.k], seed: UInt64(40 + i))
            let g = Conv2DGeometry(inputShape: x.shape, filterShape: w.shape, strides: (1, 1), padding: s.padding)
            let dy: Tensor<Float> = seededTensor(g.outputShape, seed: UInt64(50 + i))
            let (fast, reference) = bothAlgorithms {
                Conv2DKernels.backwardInput(dy, filter: w, inputShape: x.shape, padding: s.padding)
            }
            XCTAssertLessThan(relativeError(fast, reference), tolerance(s), "backward-input case \(i): \(s)")
        }
    }

    func testBackwardFilterMatchesIm2col() {
        for (i, s) in shapes.enumerated() {
            let x: Tensor<Float> = seededTensor([s.n, s.h, s.w, s.c], seed: UInt64(60 + i))
            let g = Conv2DGeometry(inputShape: x.shape, filterShape: [3, 3, s.c, s.k], strides: (1, 1), padding: s.padding)
            let dy: Tensor<Float> = seededTensor(g.outputShape, seed: UInt64(70 + i))
            let (fast, reference) = bothAlgorithms {
                Conv2DKernels.backwardFilter(dy, input: x, filterShape: [3, 3, s.c, s.k], padding: s.padding)
            }
            XCTAssertLessThan(relativeError(fast, reference), tolerance(s), "backward-filter case \(i): \(s)")
        }
    }

    /// VGG16's block5 at batch 20 (180 tiles in one chunk) and block3's 37×37 (several chunks), on
    /// ReLU-like non-negative inputs: within 1e-4 of im2col, the bound the forward pass keeps.
    func testBackwardFilterOnVGG16Shapes() {
        for (i, s) in [(20, 9, 9, 512, 512), (2, 37, 37, 256, 256)].enumerated() {
            let x = Tensor<Float>(shape: [s.0, s.1, s.2, s.3],
                                  scalars: seededTensor([s.0, s.1, s.2, s.3], seed: UInt64(80 + i)).scalars.map { Swift.max($0, 0) })
            let dy: Tensor<Float> = seededTensor([s.0, s.1, s.2, s.4], seed: UInt64(90 + i))
            let (fast, reference) = bothAlgorithms {
                Conv2DKernels.backwardFilter(dy, input: x, filterShape: [3, 3, s.3, s.4], padding: .same)
            }
            XCTAssertLessThan(relativeError(fast, reference), 1e-4, "backward-filter \(s)")
        }
    }

    /// Strided and transposed views go through `contiguous()` first, like every conv input.
    func testForwardOnATransposedView() {
        let base: Tensor<Float> = seededTensor([4, 16, 12, 12], seed: 7)
        let x = base.permuted([0, 2, 3, 1])   // [4, 12, 12, 16], not contiguous
        let w: Tensor<Float> = seededTensor([3, 3, 16, 16], seed: 8)
        let (fast, reference) = bothAlgorithms { Conv2DKernels.forward(x, w, padding: .same) }
        XCTAssertLessThan(relativeError(fast, reference), 1e-5)
    }

    /// Activations the size of VGG16's with ReLU-like non-negative inputs of a few hundred, as
    /// after caffe preprocessing: the error stays far inside the 1e-4 of the largest output
    /// the performance issue allows.
    func testErrorOnLargeNonNegativeActivations() {
        var generator = SeededGenerator(seed: 99)
        let x = Tensor<Float>.randomUniform([2, 20, 20, 64], low: 0, high: 300, using: &generator)
        let w = Tensor<Float>.randomNormal([3, 3, 64, 64], mean: 0, standardDeviation: 0.05, using: &generator)
        let (fast, reference) = bothAlgorithms { Conv2DKernels.forward(x, w, padding: .same) }
        XCTAssertLessThan(relativeError(fast, reference), 1e-5)
    }

    /// Unchanged weights reuse their transform; weights changed in place (as an optimizer
    /// does) are transformed again, so results always follow the current values.
    func testFilterCacheFollowsTheWeights() {
        WinogradFilterCache.shared.removeAll()
        let x: Tensor<Float> = seededTensor([4, 12, 12, 16], seed: 1)
        let w: Tensor<Float> = seededTensor([3, 3, 16, 16], seed: 2)
        let first = Conv2DKernels.forward(x, w, padding: .same)
        XCTAssertEqual(WinogradFilterCache.shared.count, 1)
        XCTAssertEqual(Conv2DKernels.forward(x, w, padding: .same).scalars, first.scalars)
        XCTAssertEqual(WinogradFilterCache.shared.count, 1)
        w.storage.pointer[5] += 1   // in place, same address
        let (fast, reference) = bothAlgorithms { Conv2DKernels.forward(x, w, padding: .same) }
        XCTAssertNotEqual(fast.scalars, first.scalars)
        XCTAssertLessThan(relativeError(fast, reference), 1e-5)
        XCTAssertEqual(WinogradFilterCache.shared.count, 0)   // seen changing: no longer kept
    }

    /// The 16 → 16 filter `w` in the transform domain, through `cache`.
    func transformed(_ w: Tensor<Float>, in cache: WinogradFilterCache) -> TransformedFilter {
        cache.transformed(w.storage.pointer, inChannels: 16, outChannels: 16, adjoint: false) {
            Winograd.transformFilter(w.storage.pointer, inChannels: 16, outChannels: 16, into: $0)
        }
    }

    /// A changed filter gets a transform of its own: a convolution still running with the old
    /// transform keeps seeing the old values.
    func testFilterCacheNeverOverwritesATransformInUse() {
        let cache = WinogradFilterCache()
        let w: Tensor<Float> = seededTensor([3, 3, 16, 16], seed: 3)
        func transform() -> TransformedFilter { transformed(w, in: cache) }
        let held = transform()
        let before = Array(UnsafeBufferPointer(start: held.pointer, count: held.count))
        w.storage.pointer[0] += 1
        let fresh = transform()
        XCTAssertFalse(fresh === held)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: held.pointer, count: held.count)), before)
        XCTAssertNotEqual(Array(UnsafeBufferPointer(start: fresh.pointer, count: fresh.count)), before)
    }

    /// Weights being trained change on every step: once seen changing they are not kept (their
    /// transform's memory goes back to the pool), until two calls in a row find the same values.
    func testFilterCacheStopsKeepingChangingWeightsUntilTheySettle() {
        let cache = WinogradFilterCache()
        let w: Tensor<Float> = seededTensor([3, 3, 16, 16], seed: 4)
        func transform() -> TransformedFilter { transformed(w, in: cache) }
        let first = transform()
        XCTAssertEqual(cache.count, 1)
        XCTAssertTrue(transform() === first)          // unchanged: the cached transform
        for step in 0..<3 {                            // an optimizer step between calls
            w.storage.pointer[step] -= 0.01
            _ = transform()
            XCTAssertEqual(cache.count, 0, "step \(step)")
        }
        let settled = transform()                      // same values as the last call
        XCTAssertEqual(cache.count, 1)
        XCTAssertTrue(transform() === settled)
    }

    /// A single changed value always changes the fingerprint, wherever it is (the last, odd float included).
    func testFingerprintSeesEverySingleChange() {
        let w: Tensor<Float> = seededTensor([3, 3, 3, 7], seed: 5)   // 189 floats: an odd tail
        let base = WinogradFilterCache.fingerprint(w.storage.pointer, count: w.count)
        for i in [0, 1, 7, 8, 100, 187, 188] {
            let old = w.storage.pointer[i]
            w.storage.pointer[i] = old.nextUp
            XCTAssertNotEqual(WinogradFilterCache.fingerprint(w.storage.pointer, count: w.count), base, "index \(i)")
            w.storage.pointer[i] = old
        }
        XCTAssertEqual(WinogradFilterCache.fingerprint(w.storage.pointer, count: w.count), base)
    }

    func testFilterCacheStaysWithinItsBudget() {
        let cache = WinogradFilterCache()
        cache.byteBudget = 3 * Winograd.transformedCount(inChannels: 16, outChannels: 16) * 4   // room for three 16→16 filters
        let filters: [Tensor<Float>] = (0..<5).map { seededTensor([3, 3, 16, 16], seed: UInt64(100 + $0)) }
        for f in filters {
            _ = cache.transformed(f.storage.pointer, inChannels: 16, outChannels: 16, adjoint: false) {
                Winograd.transformFilter(f.storage.pointer, inChannels: 16, outChannels: 16, into: $0)
            }
        }
        XCTAssertEqual(cache.count, 3)
    }

    func testFewTilesKeepIm2col() {
        let g = Conv2DGeometry(inputShape: [1, 9, 9, 512], filterShape: [3, 3, 512, 512], strides: (1, 1), padding: .same)
        XCTAssertFalse(Winograd.applies(g))   // 9 tiles
        let g8 = Conv2DGeometry(inputShape: [8, 9, 9, 512], filterShape: [3, 3, 512, 512], strides: (1, 1), padding: .same)
        XCTAssertTrue(Winograd.applies(g8))   // 72 tiles
    }

    func testSmallChannelCountsAndStridesKeepIm2col() {
        let g3 = Conv2DGeometry(inputShape: [1, 8, 8, 3], filterShape: [3, 3, 3, 64], strides: (1, 1), padding: .same)
        XCTAssertFalse(Winograd.applies(g3))
        let g2 = Conv2DGeometry(inputShape: [1, 8, 8, 32], filterShape: [3, 3, 32, 32], strides: (2, 2), padding: .same)
        XCTAssertFalse(Winograd.applies(g2))
        let g5 = Conv2DGeometry(inputShape: [1, 8, 8, 32], filterShape: [5, 5, 32, 32], strides: (1, 1), padding: .same)
        XCTAssertFalse(Winograd.applies(g5))
    }
}

/// The direct loop for short receptive fields (VGG16's RGB input layer) against im2col + GEMM.
final class DirectConvTests: XCTestCase {
    override func tearDown() { Conv2DKernels.algorithm = .automatic }

    func testForwardWithBiasAndReLUMatchesIm2col() {
        let cases: [(c: Int, k: Int, size: Int, kernel: Int, stride: Int, padding: Padding)] = [
            (3, 64, 11, 3, 1, .same), (3, 37, 9, 3, 2, .valid), (1, 8, 6, 5, 1, .same), (2, 70, 7, 3, 2, .same),
        ]
        for (i, s) in cases.enumerated() {
            let x: Tensor<Float> = seededTensor([2, s.size, s.size + 2, s.c], seed: UInt64(60 + i))
            let w: Tensor<Float> = seededTensor([s.kernel, s.kernel, s.c, s.k], seed: UInt64(70 + i))
            let b: Tensor<Float> = seededTensor([s.k], seed: UInt64(80 + i))
            let g = Conv2DGeometry(inputShape: x.shape, filterShape: w.shape, strides: (s.stride, s.stride), padding: s.padding)
            XCTAssertTrue(DirectConv.applies(g), "case \(i)")
            for relu in [false, true] {
                Conv2DKernels.algorithm = .automatic
                let fast = Conv2DKernels.forward(x, w, bias: b, relu: relu, strides: (s.stride, s.stride), padding: s.padding)
                Conv2DKernels.algorithm = .im2col
                let reference = Conv2DKernels.forward(x, w, bias: b, relu: relu, strides: (s.stride, s.stride), padding: s.padding)
                assertClose(fast, reference, tolerance: 1e-5)
                if relu { XCTAssertTrue(reference.scalars.contains(0) && reference.scalars.contains { $0 > 0 }) }
            }
        }
    }
}
