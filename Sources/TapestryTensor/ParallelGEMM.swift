import CTapestryKernels
import Dispatch

extension TensorScalar {
    /// Row-major `C = alpha · op(A) · op(B) + beta · C`, split over the cores: by rows of C when
    /// it has more rows than columns, by columns otherwise, each part one single-threaded BLAS call.
    /// The two shapes a Dense layer's training step is made of, X · W on a small batch and the
    /// weight gradient Xᵀ · dY, take CTapestryKernels' own kernels (``FewRowsGEMM``, ``SmallInnerGEMM``).
    ///
    /// Why not OpenBLAS's own threads: between calls they spin (sched_yield) for a while before
    /// sleeping, so a training step, which alternates GEMMs with Tapestry's own parallel loops
    /// (optimizer updates, Winograd transforms, pooling), had OpenBLAS's idle thread competing
    /// with those loops for the second core. Tapestry sets OpenBLAS to one thread (see
    /// ``BLAS/prepareKernels()``) and parallelises every GEMM here, on the same Dispatch workers
    /// as everything else.
    static func parallelGEMM(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                             alpha: Self, a: UnsafePointer<Self>, lda: Int,
                             b: UnsafePointer<Self>, ldb: Int,
                             beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int) {
        if Self.self == Float.self, SmallInnerGEMM.applies(transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, beta: beta) {
            SmallInnerGEMM.run(transposeA: transposeA, m: m, n: n, k: k, a: a.float, lda: lda, b: b.float, ldb: ldb,
                               c: c.float, ldc: ldc)
            return
        }
        if Self.self == Float.self,
           FewRowsGEMM.applies(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, beta: beta) {
            FewRowsGEMM.run(m: m, n: n, k: k, a: a.float, lda: lda, b: b.float, ldb: ldb, c: c.float, ldc: ldc)
            return
        }
        // Below about a million multiply-adds the fork/join costs more than the second core gives.
        let parts = kernelThreadCount, minimumSide = 32
        let byRows = m >= n
        let side = byRows ? m : n
        guard parts > 1, m * n * k >= 1 << 20, side >= parts * minimumSide else {
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                 b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        // Part boundaries on multiples of 16 keep every part's edge aligned with the kernels' blocks.
        let step = (side + parts - 1) / parts
        let share = (step + 15) / 16 * 16
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            let start = p * share, end = Swift.min(side, start + share)
            guard start < end else { return }
            if byRows {
                // Rows of op(A): rows of A, or columns of A when it is transposed.
                gemm(transposeA: transposeA, transposeB: transposeB, m: end - start, n: n, k: k, alpha: alpha,
                     a: a + (transposeA ? start : start * lda), lda: lda, b: b, ldb: ldb,
                     beta: beta, c: c + start * ldc, ldc: ldc)
            } else {
                // Columns of op(B): columns of B, or rows of B when it is transposed.
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: end - start, k: k, alpha: alpha,
                     a: a, lda: lda, b: b + (transposeB ? start * ldb : start), ldb: ldb,
                     beta: beta, c: c + start, ldc: ldc)
            }
        }
    }
}

/// `C = op(A) · B` for a short inner dimension — a Dense layer's weight gradient `Xᵀ · dY`, whose
/// inner dimension is the batch — with CTapestryKernels' `tk_gemm_small_k`, which writes each
/// element of C once; a blocked GEMM first scales all of C by beta and then reads and writes it
/// again, three passes over an 8 MB gradient for the tutorial's Dense(256) on 8192 features.
enum SmallInnerGEMM {
    static func applies<S: TensorScalar>(transposeB: Bool, m: Int, n: Int, k: Int, alpha: S, beta: S) -> Bool {
        !transposeB && alpha == 1 && beta == 0 && k <= 32 && m >= 256 && n >= 16 && m * n >= 1 << 18
    }

    static func run(transposeA: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                    b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        // op(A)'s element (i, kk): A[kk][i] when transposed (A is k × m), else A[i][kk].
        let (rowStride, kStride) = transposeA ? (1, lda) : (lda, 1)
        // Parts of whole register blocks of rows, so that only the last part has a partial block.
        let rows = Int(TK_SMALL_K_ROWS)
        parallelChunks((m + rows - 1) / rows, cost: m * n * k) { blocks in
            let first = blocks.lowerBound * rows, last = Swift.min(m, blocks.upperBound * rows)
            tk_gemm_small_k(n, k, a, rowStride, kStride, b, ldb, c, ldc, first, last - first)
        }
    }
}

/// `C = A · B` for a few rows of A — a Dense layer's forward pass on one batch, X · W — with
/// CTapestryKernels' `tk_gemm_small_m`, which reads B in place: a blocked GEMM copies all of B
/// into its packed layout on every call, as many bytes again as the 20-row multiply itself reads
/// for the tutorial's 8192 × 256 kernel.
enum FewRowsGEMM {
    static func applies<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: S,
                                         beta: S) -> Bool {
        !transposeA && !transposeB && alpha == 1 && beta == 0 && m <= Int(TK_SMALL_M) && n >= 32 && k * n >= 1 << 18
    }

    static func run(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                    c: UnsafeMutablePointer<Float>, ldc: Int) {
        // Parts of whole register-block strips, so that only the last part has a partial block.
        let strip = Int(TK_SMALL_M_STRIP)
        parallelChunks((n + strip - 1) / strip, cost: m * n * k) { strips in
            let first = strips.lowerBound * strip, last = Swift.min(n, strips.upperBound * strip)
            tk_gemm_small_m(m, k, a, lda, b, ldb, c, ldc, first, last - first)
        }
    }
}
