// The register block shared by the few-rows and short-inner-dimension GEMMs (gemm_small_m.c,
// gemm_small_k.c): a few rows × up to TK_BLOCK_VECTORS vectors of C summed in registers.
#ifndef TAPESTRY_GEMM_BLOCK_H
#define TAPESTRY_GEMM_BLOCK_H
#include <string.h>
#include "clones.h"

typedef float tk_vec __attribute__((vector_size(TK_LANES * sizeof(float))));

/// Vectors of C per register block: 64 columns of floats.
#define TK_BLOCK_VECTORS 4
/// The most rows a block may have; block_rows × TK_BLOCK_VECTORS accumulators must fit in the
/// 32 AVX-512 registers with the row of B beside them.
#define TK_BLOCK_MAX_ROWS 6

/// C[0..<rows][0..<TK_LANES · vectors] = (accumulate ? C : 0) + op(A) · B over `k`, where op(A)'s
/// element (r, kk) is a[r · a_row_stride + kk · a_k_stride] and B is row-major with leading
/// dimension ldb. `block_rows` must be a constant (it sizes the unrolled loops); rows ≤ block_rows,
/// vectors ≤ TK_BLOCK_VECTORS. Missing rows of a partial block repeat row 0 and are not stored.
/// A non-null `prefetch` is a strip of B laid out like `b` whose rows are fetched into L2 meanwhile.
TK_INLINE void tk_gemm_block(const int block_rows, long k, const float *a, long a_row_stride, long a_k_stride,
                             const float *b, long ldb, float *c, long ldc, long rows, int vectors, int accumulate,
                             const float *prefetch) {
    tk_vec acc[TK_BLOCK_MAX_ROWS][TK_BLOCK_VECTORS];
    const float *ar[TK_BLOCK_MAX_ROWS];
    for (int r = 0; r < block_rows; r++) {
        ar[r] = a + (r < rows ? r : 0) * a_row_stride;
        for (int v = 0; v < TK_BLOCK_VECTORS; v++) {
            acc[r][v] = (tk_vec){0};
            if (accumulate && r < rows && v < vectors) memcpy(&acc[r][v], c + r * ldc + v * TK_LANES, sizeof(tk_vec));
        }
    }
    for (long kk = 0; kk < k; kk++) {
        tk_vec row[TK_BLOCK_VECTORS];
        for (int v = 0; v < TK_BLOCK_VECTORS; v++) {
            row[v] = (tk_vec){0};
            if (v < vectors) memcpy(&row[v], b + kk * ldb + v * TK_LANES, sizeof(tk_vec));
            if (prefetch && v < vectors) __builtin_prefetch(prefetch + kk * ldb + v * TK_LANES, 0, 2);
        }
        for (int r = 0; r < block_rows; r++) {
            const float x = ar[r][kk * a_k_stride];
            for (int v = 0; v < TK_BLOCK_VECTORS; v++)
                if (v < vectors) acc[r][v] += row[v] * x;
        }
    }
    for (int r = 0; r < block_rows; r++)
        for (int v = 0; v < vectors; v++)
            if (r < rows) memcpy(c + r * ldc + v * TK_LANES, &acc[r][v], sizeof(tk_vec));
}

#endif
