// C = A · B for a few rows of A (m ≤ TK_SMALL_M): a Dense layer's forward pass on one batch, X · W,
// when W is large (8192 × 256 in the tutorial's head). A general GEMM first copies ("packs") all
// of W into its own layout, on every call; with 20 rows that copy moves as many bytes as the
// multiply itself reads. Here W is read in place, once, one block of k at a time, while that
// block's few rows of A stay in the L1 cache.
#include "tapestry_kernels.h"
#include "gemm_block.h"

/// Rows per register block: 5 × 4 vectors = 20 accumulators (a 20-row batch in four blocks).
#define ROWS 5
/// Depth of one block of k: its slice of A and a strip of B fit in L1 together.
#define KC 128

_Static_assert(ROWS <= TK_BLOCK_MAX_ROWS, "the register block holds at most TK_BLOCK_MAX_ROWS rows");
_Static_assert(TK_BLOCK_VECTORS * TK_LANES == TK_SMALL_M_STRIP, "the strip Swift splits C on is the register block");

TK_CLONES
void tk_gemm_small_m(long m, long k, const float *a, long lda, const float *b, long ldb, float *c, long ldc,
                     long first_column, long column_count) {
    const long end = first_column + column_count, strip = TK_SMALL_M_STRIP;
    for (long k0 = 0; k0 < k; k0 += KC) {
        const long kc = k - k0 < KC ? k - k0 : KC;
        const int accumulate = k0 > 0;
        const float *a_k = a + k0, *b_k = b + k0 * ldb;
        // B is read in strips whose rows lie ldb apart, a pattern the hardware prefetchers follow
        // poorly: the first row block of each strip asks for the next block of k's rows ahead of use.
        const float *next = k0 + 2 * KC <= k ? b_k + KC * ldb : 0;
        long j0 = first_column;
        for (; j0 + strip <= end; j0 += strip)
            for (long i0 = 0; i0 < m; i0 += ROWS)
                tk_gemm_block(ROWS, kc, a_k + i0 * lda, lda, 1, b_k + j0, ldb, c + i0 * ldc + j0, ldc,
                              m - i0 < ROWS ? m - i0 : ROWS, TK_BLOCK_VECTORS, accumulate,
                              i0 == 0 && next ? next + j0 : 0);
        for (; j0 + TK_LANES <= end; j0 += TK_LANES)
            for (long i0 = 0; i0 < m; i0 += ROWS)
                tk_gemm_block(ROWS, kc, a_k + i0 * lda, lda, 1, b_k + j0, ldb, c + i0 * ldc + j0, ldc,
                              m - i0 < ROWS ? m - i0 : ROWS, 1, accumulate, 0);
        // The last columns, fewer than one vector, one value at a time.
        for (long i = 0; i < m; i++)
            for (long j = j0; j < end; j++) {
                float sum = accumulate ? c[i * ldc + j] : 0;
                for (long kk = 0; kk < kc; kk++) sum += a_k[i * lda + kk] * b_k[kk * ldb + j];
                c[i * ldc + j] = sum;
            }
    }
}
