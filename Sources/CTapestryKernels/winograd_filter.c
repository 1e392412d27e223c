// Winograd F(4×4, 3×3) filter transforms: `G g Gᵀ` of a 3×3 filter (forward and input-gradient
// convolutions) and its adjoint `Gᵀ ū G`, which turns a gradient in the transform domain into
// the gradient of the 3×3 filter. Each runs on TK_LANES filters at once, in vector registers:
// a vector type rather than loops over lanes, so that the ~50 intermediate values of one
// filter stay in registers instead of going through the stack.
#include <stdlib.h>
#include <string.h>
#include "tapestry_kernels.h"
#include "clones.h"

/// How far ahead (in floats) the transforms prefetch each of their streams.
#define PREFETCH_AHEAD 64

typedef float vec_t __attribute__((vector_size(TK_LANES * sizeof(float))));

/// Loads `lanes` values (zeros after them).
/// (Vectors go by pointer: by value they would change the calling convention between the
/// AVX-512, AVX2 and baseline clones.)
TK_INLINE void load(vec_t *v, const float *src, long lanes) {
    if (lanes == TK_LANES) {
        memcpy(v, src, sizeof *v);
    } else {
        *v = (vec_t){0};
        memcpy(v, src, (size_t)lanes * sizeof(float));
    }
}

TK_INLINE void store(float *dst, const vec_t *v, long lanes) {
    if (lanes == TK_LANES) {
        memcpy(dst, v, sizeof *v);   // a constant size: vector moves, not a call
    } else {
        memcpy(dst, v, (size_t)lanes * sizeof(float));
    }
}

/// G on three values: the six transform-domain values of one row or column of a filter.
TK_INLINE void filter_1d(const vec_t *a, const vec_t *b, const vec_t *c, vec_t *u, int step) {
    const vec_t g0 = *a, g1 = *b, g2 = *c;
    const vec_t p = g0 + g2, s = g0 * (1.0f / 24) + g2 * (1.0f / 6), q = g1 * (1.0f / 12);
    u[0] = g0 * 0.25f;
    u[step] = (p + g1) * (-1.0f / 6);
    u[2 * step] = (p - g1) * (-1.0f / 6);
    u[3 * step] = s + q;
    u[4 * step] = s - q;
    u[5 * step] = g2;
}

/// Gᵀ on six values (the adjoint of filter_1d): the three filter gradients of one row or column.
TK_INLINE void filter_gradient_1d(const vec_t *u, int step, vec_t *g0, vec_t *g1, vec_t *g2) {
    const vec_t p = u[step] + u[2 * step], q = u[2 * step] - u[step];
    const vec_t r = u[3 * step] + u[4 * step], s = u[3 * step] - u[4 * step];
    *g0 = u[0] * 0.25f - p * (1.0f / 6) + r * (1.0f / 24);
    *g1 = q * (1.0f / 6) + s * (1.0f / 12);
    *g2 = (r - p) * (1.0f / 6) + u[5 * step];
}

/// `G g Gᵀ` of the filters in g[9] (row-major 3×3), each row of six written as soon as it is
/// ready to dst + (6·a + b)·xi_stride.
TK_INLINE void transform(const vec_t *g, float *dst, long xi_stride, long lanes) {
    vec_t t[18];
    for (int j = 0; j < 3; j++) filter_1d(&g[j], &g[3 + j], &g[6 + j], t + j, 3);   // columns: t[3·a + j]
    for (int a = 0; a < 6; a++) {                                                   // rows: u[6·a + b]
        vec_t u[6];
        filter_1d(&t[3 * a], &t[3 * a + 1], &t[3 * a + 2], u, 1);
        for (int b = 0; b < 6; b++) store(dst + (6 * a + b) * xi_stride, &u[b], lanes);
    }
}

/// The transform of the filters in w[r][row − w_first][width] (9 planes of `w_rows` rows) into
/// u[ξ · xi_stride + row · width], for rows [first, first + count).
TK_INLINE void transform_rows(const float *w, long w_rows, long w_first, long xi_stride, long width,
                              long first, long count, float *u) {
    vec_t g[9];
    for (long row = first; row < first + count; row++) {
        const float *src = w + (row - w_first) * width;
        for (long x0 = 0; x0 < width; x0 += TK_LANES) {
            const long lanes = width - x0 < TK_LANES ? width - x0 : TK_LANES;
            for (int r = 0; r < 9; r++) load(&g[r], src + r * w_rows * width + x0, lanes);
            // 45 streams are more than the hardware prefetcher follows: ask for each a few lines ahead.
            for (int r = 0; r < 9; r++) __builtin_prefetch(src + r * w_rows * width + x0 + PREFETCH_AHEAD);
            for (int xi = 0; xi < 36; xi++) __builtin_prefetch(u + xi * xi_stride + row * width + x0 + PREFETCH_AHEAD, 1);
            transform(g, u + row * width + x0, xi_stride, lanes);
        }
    }
}

TK_CLONES
void tk_winograd_filter(const float *w, long in_channels, long out_channels, int adjoint,
                        long first, long count, long xi_stride, float *u) {
    const long c = in_channels, k = out_channels;
    if (!adjoint) {
        // u[ξ][ci][ko] from w[r][ci][ko]: the lanes run along ko.
        transform_rows(w, c, 0, xi_stride, k, first, count, u);
        return;
    }
    // The adjoint filter w'[r][ko][ci] = w[8 − r][ci][ko] (rotated 180°, channel axes swapped),
    // built for rows ko in [first, first + count) by blocked transposes, then transformed as above
    // into u[ξ][ko][ci].
    float *t = malloc((size_t)(9 * count * c) * sizeof(float));
    if (!t) abort();
    for (int r = 0; r < 9; r++) {
        const float *src = w + (8 - r) * c * k;
        float *dst = t + r * count * c;
        for (long k0 = first; k0 < first + count; k0 += TK_LANES) {
            const long k1 = k0 + TK_LANES < first + count ? k0 + TK_LANES : first + count;
            for (long c0 = 0; c0 < c; c0 += TK_LANES) {
                const long c1 = c0 + TK_LANES < c ? c0 + TK_LANES : c;
                for (long ci = c0; ci < c1; ci++)
                    for (long ko = k0; ko < k1; ko++) dst[(ko - first) * c + ci] = src[ci * k + ko];
            }
        }
    }
    transform_rows(t, count, first, xi_stride, c, first, count, u);
    free(t);
}

TK_CLONES
void tk_winograd_filter_gradient(const float *du, long in_channels, long out_channels, long xi_stride,
                                 long first, long count, float *dw) {
    const long c = in_channels, k = out_channels;
    for (long ci = first; ci < first + count; ci++) {
        for (long k0 = 0; k0 < k; k0 += TK_LANES) {
            const long lanes = k - k0 < TK_LANES ? k - k0 : TK_LANES;
            const float *src = du + ci * k + k0;
            for (int xi = 0; xi < 36; xi++) __builtin_prefetch(src + xi * xi_stride + PREFETCH_AHEAD);
            vec_t t[18];
            for (int a = 0; a < 6; a++) {      // rows: t[3·a + j] = Σ_b G[b][j] ū[6·a + b]
                vec_t row[6];
                for (int b = 0; b < 6; b++) load(&row[b], src + (6 * a + b) * xi_stride, lanes);
                filter_gradient_1d(row, 1, &t[3 * a], &t[3 * a + 1], &t[3 * a + 2]);
            }
            for (int j = 0; j < 3; j++) {      // columns: g[3·i + j] = Σ_a G[a][i] t[3·a + j]
                vec_t g[3];
                filter_gradient_1d(t + j, 3, &g[0], &g[1], &g[2]);
                for (int i = 0; i < 3; i++) store(dw + ((3 * i + j) * c + ci) * k + k0, &g[i], lanes);
            }
        }
    }
}
