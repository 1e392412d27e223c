// Winograd F(4×4, 3×3) transforms (Lavin & Gray, 2016; interpolation points 0, ±1, ±2), on
// TK_LANES channels at once. The per-channel arithmetic matches Winograd.swift's filter transform.
#include "tapestry_kernels.h"
#include "clones.h"

typedef float lanes_t[TK_LANES];

/// Bᵀ applied to the six blocks d[base], d[base + step], …, in place.
TK_INLINE void input_1d(lanes_t *d, int base, int step) {
    for (int l = 0; l < TK_LANES; l++) {
        float d0 = d[base][l], d1 = d[base + step][l], d2 = d[base + 2 * step][l];
        float d3 = d[base + 3 * step][l], d4 = d[base + 4 * step][l], d5 = d[base + 5 * step][l];
        float a = d4 - 4 * d2, b = d3 - 4 * d1;      // shared by rows 1 and 2
        float c = d4 - d2, e = 2 * (d3 - d1);        // shared by rows 3 and 4
        d[base][l] = 4 * d0 - 5 * d2 + d4;
        d[base + step][l] = a + b;
        d[base + 2 * step][l] = a - b;
        d[base + 3 * step][l] = c + e;
        d[base + 4 * step][l] = c - e;
        d[base + 5 * step][l] = 4 * d1 - 5 * d3 + d5;
    }
}

TK_CLONES
void tk_winograd_input(const float *x, long height, long width, long channels,
                       long tiles_y, long tiles_x, long pad_top, long pad_left,
                       long first, long count, long xi_stride, float *v) {
    lanes_t d[36] __attribute__((aligned(64)));
    const long per_image = tiles_y * tiles_x;
    for (long local = 0; local < count; local++) {
        const long t = first + local, n = t / per_image, ty = (t / tiles_x) % tiles_y, tx = t % tiles_x;
        const long y0 = ty * 4 - pad_top, x0 = tx * 4 - pad_left;
        const float *image = x + n * height * width * channels;
        // Most tiles lie wholly inside the image: no per-element bounds checks there.
        const int interior = y0 >= 0 && y0 + 6 <= height && x0 >= 0 && x0 + 6 <= width;
        float *dst = v + local * channels;
        for (long c0 = 0; c0 < channels; c0 += TK_LANES) {
            const long lanes = channels - c0 < TK_LANES ? channels - c0 : TK_LANES;
            if (interior && lanes == TK_LANES) {
                for (int i = 0; i < 6; i++) {
                    const float *row = image + ((y0 + i) * width + x0) * channels + c0;
                    for (int j = 0; j < 6; j++)
                        for (int l = 0; l < TK_LANES; l++) d[6 * i + j][l] = row[j * channels + l];
                }
            } else {
                for (int i = 0; i < 6; i++) {
                    const long yy = y0 + i;
                    for (int j = 0; j < 6; j++) {
                        const long xx = x0 + j;
                        if (yy >= 0 && yy < height && xx >= 0 && xx < width) {
                            const float *src = image + (yy * width + xx) * channels + c0;
                            for (int l = 0; l < TK_LANES; l++) d[6 * i + j][l] = l < lanes ? src[l] : 0;
                        } else {
                            for (int l = 0; l < TK_LANES; l++) d[6 * i + j][l] = 0;
                        }
                    }
                }
            }
            for (int j = 0; j < 6; j++) input_1d(d, j, 6);       // columns: Bᵀ d
            for (int i = 0; i < 6; i++) input_1d(d, 6 * i, 1);   // rows: (Bᵀ d) B
            if (lanes == TK_LANES) {
                for (int xi = 0; xi < 36; xi++)
                    for (int l = 0; l < TK_LANES; l++) dst[xi * xi_stride + c0 + l] = d[xi][l];
            } else {
                for (int xi = 0; xi < 36; xi++)
                    for (long l = 0; l < lanes; l++) dst[xi * xi_stride + c0 + l] = d[xi][l];
            }
        }
    }
}

/// Aᵀ on six values: the four outputs of one row or column.
#define OUTPUT_1D(m0, m1, m2, m3, m4, m5, y0, y1, y2, y3) do {          \
        float p = (m1) + (m2), q = (m1) - (m2), r = (m3) + (m4), s = (m3) - (m4); \
        y0 = (m0) + p + r; y1 = q + 2 * s; y2 = p + 4 * r; y3 = q + 8 * s + (m5); \
    } while (0)

/// Where output tile t of a [N, out_height, out_width, channels] array starts (element offset),
/// and how many of its 4×4 rows and columns lie inside the image (fewer at the bottom and right).
TK_INLINE long output_tile(long t, long tiles_y, long tiles_x, long out_height, long out_width, long channels,
                           long *rows, long *cols) {
    const long n = t / (tiles_y * tiles_x), ty = (t / tiles_x) % tiles_y, tx = t % tiles_x;
    *rows = out_height - ty * 4 < 4 ? out_height - ty * 4 : 4;
    *cols = out_width - tx * 4 < 4 ? out_width - tx * 4 : 4;
    return ((n * out_height + ty * 4) * out_width + tx * 4) * channels;
}

TK_CLONES
void tk_winograd_output(const float *m, long first, long count, long xi_stride, long channels,
                        long tiles_y, long tiles_x, long out_height, long out_width,
                        const float *bias, int relu, float *out) {
    lanes_t b[36] __attribute__((aligned(64)));
    lanes_t y[16] __attribute__((aligned(64)));
    for (long local = 0; local < count; local++) {
        long rows, cols;
        float *base = out + output_tile(first + local, tiles_y, tiles_x, out_height, out_width, channels, &rows, &cols);
        const float *src = m + local * channels;
        for (long k0 = 0; k0 < channels; k0 += TK_LANES) {
            const long lanes = channels - k0 < TK_LANES ? channels - k0 : TK_LANES;
            if (lanes == TK_LANES) {
                for (int xi = 0; xi < 36; xi++)
                    for (int l = 0; l < TK_LANES; l++) b[xi][l] = src[xi * xi_stride + k0 + l];
            } else {
                for (int xi = 0; xi < 36; xi++)
                    for (int l = 0; l < TK_LANES; l++) b[xi][l] = l < lanes ? src[xi * xi_stride + k0 + l] : 0;
            }
            // Columns: 6×6 → 4×6 (kept in the first four rows of b), then rows: 4×6 → 4×4.
            for (int j = 0; j < 6; j++)
                for (int l = 0; l < TK_LANES; l++)
                    OUTPUT_1D(b[j][l], b[6 + j][l], b[12 + j][l], b[18 + j][l], b[24 + j][l], b[30 + j][l],
                              b[j][l], b[6 + j][l], b[12 + j][l], b[18 + j][l]);
            for (int i = 0; i < 4; i++)
                for (int l = 0; l < TK_LANES; l++)
                    OUTPUT_1D(b[6 * i][l], b[6 * i + 1][l], b[6 * i + 2][l], b[6 * i + 3][l], b[6 * i + 4][l],
                              b[6 * i + 5][l], y[4 * i][l], y[4 * i + 1][l], y[4 * i + 2][l], y[4 * i + 3][l]);
            float add[TK_LANES];
            for (int l = 0; l < TK_LANES; l++) add[l] = bias && l < lanes ? bias[k0 + l] : 0;
            for (long i = 0; i < rows; i++) {
                for (long j = 0; j < cols; j++) {
                    float *dst = base + (i * out_width + j) * channels + k0;
                    float r[TK_LANES];
                    for (int l = 0; l < TK_LANES; l++) {
                        float value = y[4 * i + j][l] + add[l];
                        // NaN becomes 0 under ReLU here, as in the Swift kernels.
                        r[l] = relu ? (value > 0 ? value : 0) : value;
                    }
                    if (lanes == TK_LANES) {
                        for (int l = 0; l < TK_LANES; l++) dst[l] = r[l];
                    } else {
                        for (long l = 0; l < lanes; l++) dst[l] = r[l];
                    }
                }
            }
        }
    }
}

/// A on four values (the adjoint of OUTPUT_1D): the six transform-domain gradients of one row or column.
#define OUTPUT_GRADIENT_1D(y0, y1, y2, y3, m0, m1, m2, m3, m4, m5) do {   \
        float e = (y0) + (y2), o = (y1) + (y3), f = (y0) + 4 * (y2), p = 2 * (y1) + 8 * (y3); \
        m0 = (y0); m1 = e + o; m2 = e - o; m3 = f + p; m4 = f - p; m5 = (y3);       \
    } while (0)

TK_CLONES
void tk_winograd_output_gradient(const float *dy, long first, long count, long xi_stride, long channels,
                                 long tiles_y, long tiles_x, long out_height, long out_width, float *m) {
    lanes_t y[16] __attribute__((aligned(64)));
    lanes_t c[24] __attribute__((aligned(64)));
    for (long local = 0; local < count; local++) {
        long rows, cols;
        const float *base = dy + output_tile(first + local, tiles_y, tiles_x, out_height, out_width, channels, &rows, &cols);
        float *dst = m + local * channels;
        for (long k0 = 0; k0 < channels; k0 += TK_LANES) {
            const long lanes = channels - k0 < TK_LANES ? channels - k0 : TK_LANES;
            // Outputs clipped away in the forward pass have no gradient.
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    const float *src = base + (i * out_width + j) * channels + k0;
                    if (i < rows && j < cols && lanes == TK_LANES) {
                        for (int l = 0; l < TK_LANES; l++) y[4 * i + j][l] = src[l];
                    } else {
                        for (int l = 0; l < TK_LANES; l++) y[4 * i + j][l] = i < rows && j < cols && l < lanes ? src[l] : 0;
                    }
                }
            }
            // Rows: 4×4 → 4×6 (c[6·i + b]), then columns: 4×6 → 6×6.
            for (int i = 0; i < 4; i++)
                for (int l = 0; l < TK_LANES; l++)
                    OUTPUT_GRADIENT_1D(y[4 * i][l], y[4 * i + 1][l], y[4 * i + 2][l], y[4 * i + 3][l],
                                       c[6 * i][l], c[6 * i + 1][l], c[6 * i + 2][l], c[6 * i + 3][l],
                                       c[6 * i + 4][l], c[6 * i + 5][l]);
            for (int b = 0; b < 6; b++) {
                float r[6][TK_LANES];
                for (int l = 0; l < TK_LANES; l++)
                    OUTPUT_GRADIENT_1D(c[b][l], c[6 + b][l], c[12 + b][l], c[18 + b][l],
                                       r[0][l], r[1][l], r[2][l], r[3][l], r[4][l], r[5][l]);
                for (int a = 0; a < 6; a++) {
                    float *out = dst + (6 * a + b) * xi_stride + k0;
                    if (lanes == TK_LANES) {
                        for (int l = 0; l < TK_LANES; l++) out[l] = r[a][l];
                    } else {
                        for (long l = 0; l < lanes; l++) out[l] = r[a][l];
                    }
                }
            }
        }
    }
}
