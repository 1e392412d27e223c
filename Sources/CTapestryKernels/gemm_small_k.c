// C = A · B for a short inner dimension (k ≤ 32): the weight gradient of a Dense layer, Xᵀ · dY
// over one batch. A general GEMM streams C through memory several times for it (OpenBLAS first
// scales C by beta, then packs A and reads and writes C); here each block of C is summed in
// registers over all of k and written once.
#include "tapestry_kernels.h"
#include "gemm_block.h"

/// Rows per register block: 6 × 4 vectors = 24 accumulators, the fastest shape measured on Zen 5
/// for the tutorial's 8192 × 256 gradient (3× the 4 × 1 blocks first used).
#define ROWS TK_SMALL_K_ROWS
_Static_assert(ROWS <= TK_BLOCK_MAX_ROWS, "the register block holds at most TK_BLOCK_MAX_ROWS rows");

TK_CLONES
void tk_gemm_small_k(long n, long k, const float *a, long a_row_stride, long a_k_stride,
                     const float *b, long ldb, float *c, long ldc, long first_row, long row_count) {
    const long end = first_row + row_count;
    for (long i0 = first_row; i0 < end; i0 += ROWS) {
        const long rows = end - i0 < ROWS ? end - i0 : ROWS;
        const float *a_i = a + i0 * a_row_stride;
        float *c_i = c + i0 * ldc;
        long j0 = 0;
        for (; j0 + TK_BLOCK_VECTORS * TK_LANES <= n; j0 += TK_BLOCK_VECTORS * TK_LANES)
            tk_gemm_block(ROWS, k, a_i, a_row_stride, a_k_stride, b + j0, ldb, c_i + j0, ldc, rows, TK_BLOCK_VECTORS, 0, 0);
        for (; j0 + TK_LANES <= n; j0 += TK_LANES)
            tk_gemm_block(ROWS, k, a_i, a_row_stride, a_k_stride, b + j0, ldb, c_i + j0, ldc, rows, 1, 0, 0);
        // The last columns, fewer than one vector, one value at a time.
        for (long r = 0; r < rows; r++)
            for (long j = j0; j < n; j++) {
                float sum = 0;
                for (long kk = 0; kk < k; kk++) sum += a_i[r * a_row_stride + kk * a_k_stride] * b[kk * ldb + j];
                c_i[r * ldc + j] = sum;
            }
    }
}
