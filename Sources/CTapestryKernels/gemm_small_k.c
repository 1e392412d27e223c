// C = A · B for a short inner dimension (k ≤ TK_SMALL_K): the weight gradient of a Dense layer,
// Xᵀ · dY over one batch. A general GEMM streams C through memory several times for it (OpenBLAS
// first scales C by beta, then packs A and reads and writes C); here each block of C is summed in
// registers over all of k and written once.
#include <string.h>
#include "tapestry_kernels.h"
#include "clones.h"

typedef float vec_t __attribute__((vector_size(TK_LANES * sizeof(float))));

/// One block of C: `rows` (≤ 4) rows × TK_LANES columns starting at (i0, j0).
TK_INLINE void block(long k, const float *a, long a_row_stride, long a_k_stride, const float *b, long ldb,
                     float *c, long ldc, long i0, long j0, long rows) {
    vec_t acc0 = {0}, acc1 = {0}, acc2 = {0}, acc3 = {0};
    const float *a0 = a + i0 * a_row_stride;
    // Missing rows of a partial block repeat row 0 and are not stored.
    const float *a1 = rows > 1 ? a0 + a_row_stride : a0, *a2 = rows > 2 ? a0 + 2 * a_row_stride : a0;
    const float *a3 = rows > 3 ? a0 + 3 * a_row_stride : a0;
    for (long kk = 0; kk < k; kk++) {
        vec_t row;
        memcpy(&row, b + kk * ldb + j0, sizeof row);
        const long o = kk * a_k_stride;
        acc0 += row * a0[o];
        acc1 += row * a1[o];
        acc2 += row * a2[o];
        acc3 += row * a3[o];
    }
    float *dst = c + i0 * ldc + j0;
    memcpy(dst, &acc0, sizeof acc0);
    if (rows > 1) memcpy(dst + ldc, &acc1, sizeof acc1);
    if (rows > 2) memcpy(dst + 2 * ldc, &acc2, sizeof acc2);
    if (rows > 3) memcpy(dst + 3 * ldc, &acc3, sizeof acc3);
}

TK_CLONES
void tk_gemm_small_k(long n, long k, const float *a, long a_row_stride, long a_k_stride,
                     const float *b, long ldb, float *c, long ldc, long first_row, long row_count) {
    const long full = n / TK_LANES * TK_LANES;
    for (long i0 = first_row; i0 < first_row + row_count; i0 += 4) {
        const long rows = first_row + row_count - i0 < 4 ? first_row + row_count - i0 : 4;
        for (long j0 = 0; j0 < full; j0 += TK_LANES) block(k, a, a_row_stride, a_k_stride, b, ldb, c, ldc, i0, j0, rows);
        // The last, partial block of columns one value at a time.
        for (long r = 0; r < rows; r++)
            for (long j = full; j < n; j++) {
                float sum = 0;
                for (long kk = 0; kk < k; kk++) sum += a[(i0 + r) * a_row_stride + kk * a_k_stride] * b[kk * ldb + j];
                c[(i0 + r) * ldc + j] = sum;
            }
    }
}
