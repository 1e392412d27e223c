import XCTest
@testable import TapestryTensor

final class MatMulTests: XCTestCase {
    func naive(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Tensor<Double> {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { out[i * n + j] += a[i, p] * b[p, j] } } }
        return Tensor(shape: [m, n], scalars: out)
    }

    func testMatchesNaiveIncludingTransposedViews() {
        let a: Tensor<Double> = seededTensor([5, 7], seed: 1), b: Tensor<Double> = seededTensor([7, 3], seed: 2)
        assertClose(a.matmul(b), naive(a, b), tolerance: 1e-12)
        let at: Tensor<Double> = seededTensor([7, 5], seed: 3), bt: Tensor<Double> = seededTensor([3, 7], seed: 4)
        assertClose(at.transposed().matmul(bt.transposed()), naive(at.transposed().contiguous(), bt.transposed().contiguous()), tolerance: 1e-12)
        let sliced: Tensor<Double> = seededTensor([5, 14], seed: 5)
        let s = sliced.slice(axis: 1, from: 0, to: 14, step: 2)
        assertClose(s.matmul(b), naive(s.contiguous(), b), tolerance: 1e-12)
        let f: Tensor<Float> = seededTensor([4, 6], seed: 6), g: Tensor<Float> = seededTensor([6, 2], seed: 7)
        let ref = naive(Tensor(shape: f.shape, scalars: f.scalars.map(Double.init)), Tensor(shape: g.shape, scalars: g.scalars.map(Double.init)))
        assertClose(Tensor<Double>(shape: [4, 2], scalars: f.matmul(g).scalars.map(Double.init)), ref, tolerance: 1e-6)
    }

    func testBatchedWithBroadcastBatch() {
        let a: Tensor<Double> = seededTensor([3, 4, 5], seed: 8), b: Tensor<Double> = seededTensor([5, 2], seed: 9)
        let c = a.matmul(b)
        XCTAssertEqual(c.shape, [3, 4, 2])
        for i in 0..<3 {
            let ai = a.slice(axis: 0, from: i, to: i + 1).squeezed(axes: [0])
            assertClose(c.slice(axis: 0, from: i, to: i + 1).squeezed(axes: [0]), naive(ai.contiguous(), b), tolerance: 1e-12)
        }
    }

    /// The split over cores covers every row or column exactly once, for all four transpose
    /// combinations, tall and wide results, and beta = 1 accumulation.
    func testParallelGEMMMatchesOneCall() {
        for (m, n, k) in [(200, 40, 300), (24, 520, 200), (130, 130, 70)] {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a: [Double] = (0..<(m * k)).map { Double(($0 * 7) % 13) - 6 }
                let b: [Double] = (0..<(k * n)).map { Double(($0 * 5) % 11) - 5 }
                let start: [Double] = (0..<(m * n)).map { Double($0 % 3) }
                var whole = start, split = start
                let (lda, ldb) = (ta ? m : k, tb ? k : n)
                for beta in [0.0, 1.0] {
                    whole = start; split = start
                    Double.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
                                beta: beta, c: &whole, ldc: n)
                    Double.parallelGEMM(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b,
                                        ldb: ldb, beta: beta, c: &split, ldc: n)
                    XCTAssertEqual(split, whole, "m \(m) n \(n) k \(k) transposes \(ta) \(tb) beta \(beta)")
                }
            }
        }
    }

    /// Float GEMMs with a short inner dimension (a Dense layer's weight gradient Xᵀ · dY) take
    /// tk_gemm_small_k: the same products as BLAS, for both layouts of A, partial blocks of rows
    /// and columns, and a leading dimension wider than the row.
    func testSmallInnerDimensionMatchesBLAS() {
        for (m, n, k) in [(8192, 256, 20), (1027, 300, 3), (300, 1000, 32)] {
            for ta in [true, false] {
                let ldc = n + 5
                XCTAssertTrue(SmallInnerGEMM.applies(transposeB: false, m: m, n: n, k: k, alpha: Float(1), beta: Float(0)))
                let a: [Float] = (0..<(m * k)).map { Float(($0 * 7) % 13) / 8 - 0.75 }
                let b: [Float] = (0..<(k * n)).map { Float(($0 * 5) % 11) / 4 - 1.25 }
                var reference = [Float](repeating: -1, count: m * ldc), fast = reference
                Float.gemm(transposeA: ta, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: ta ? m : k, b: b, ldb: n,
                           beta: 0, c: &reference, ldc: ldc)
                Float.parallelGEMM(transposeA: ta, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: ta ? m : k,
                                   b: b, ldb: n, beta: 0, c: &fast, ldc: ldc)
                // Products of multiples of 1/8 and 1/4 summed over ≤ 32 terms are exact in Float either way.
                XCTAssertEqual(fast, reference, "m \(m) n \(n) k \(k) transposeA \(ta)")
            }
        }
        XCTAssertFalse(SmallInnerGEMM.applies(transposeB: false, m: 8192, n: 256, k: 20, alpha: Float(1), beta: Float(1)))
        XCTAssertFalse(SmallInnerGEMM.applies(transposeB: false, m: 8192, n: 256, k: 200, alpha: Float(1), beta: Float(0)))
    }

    /// Float GEMMs with few rows and a large B (a Dense layer's forward pass on one batch) take
    /// tk_gemm_small_m: the same products as BLAS for whole 64-column strips, 16-column blocks and
    /// a scalar tail, several blocks of k, partial row blocks, and leading dimensions wider than a row.
    func testFewRowsMatchesBLAS() {
        for (m, n, k) in [(20, 256, 8192), (7, 300, 1000), (32, 48, 6000), (1, 1000, 300)] {
            let (lda, ldb, ldc) = (k + 3, n + 1, n + 5)
            XCTAssertTrue(FewRowsGEMM.applies(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: Float(1),
                                              beta: Float(0)), "m \(m) n \(n) k \(k)")
            let a: [Float] = (0..<(m * lda)).map { Float(($0 * 7) % 13) / 8 - 0.75 }
            let b: [Float] = (0..<(k * ldb)).map { Float(($0 * 5) % 11) / 4 - 1.25 }
            var reference = [Float](repeating: -1, count: m * ldc), fast = reference
            Float.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
                       beta: 0, c: &reference, ldc: ldc)
            Float.parallelGEMM(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b,
                               ldb: ldb, beta: 0, c: &fast, ldc: ldc)
            // Multiples of 1/32 below 2^19 in magnitude: every partial sum is exact in Float, in any order.
            XCTAssertEqual(fast, reference, "m \(m) n \(n) k \(k)")
        }
        XCTAssertFalse(FewRowsGEMM.applies(transposeA: false, transposeB: false, m: 33, n: 256, k: 8192, alpha: Float(1),
                                           beta: Float(0)))
        XCTAssertFalse(FewRowsGEMM.applies(transposeA: false, transposeB: true, m: 20, n: 256, k: 8192, alpha: Float(1),
                                           beta: Float(0)))
        XCTAssertFalse(FewRowsGEMM.applies(transposeA: false, transposeB: false, m: 20, n: 256, k: 8192, alpha: Float(1),
                                           beta: Float(1)))
    }
}
