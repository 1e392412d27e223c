// Direct convolution for short receptive fields (VGG16's first layer: 3×3×3 = 27 values per
// output). Each output pixel accumulates its input values against filter rows held in registers,
// 64 output channels at a time, with the bias and ReLU applied before the single store.
#include "tapestry_kernels.h"
#include "clones.h"

#define BLOCK (4 * TK_LANES)

TK_CLONES
void tk_direct_conv(const float *x, long height, long width, long channels,
                    const float *filter, long kernel_h, long kernel_w, long out_channels,
                    long out_height, long out_width, long stride_y, long stride_x, long pad_top, long pad_left,
                    const float *bias, int relu, long first_row, long row_count, float *out) {
    // The receptive field, gathered (zeros where it hangs over the edge) in the order of the HWIO
    // filter's rows, so the product is one short loop over filter rows with the accumulators in
    // registers (a third faster than walking the window with its bounds checks inside the product).
    const long patch_size = kernel_h * kernel_w * channels;
    float patch[TK_MAX_DIRECT_PATCH];
    for (long r = first_row; r < first_row + row_count; r++) {
        const long n = r / out_height, oy = r % out_height, y0 = oy * stride_y - pad_top;
        const float *image = x + n * height * width * channels;
        for (long ox = 0; ox < out_width; ox++) {
            const long x0 = ox * stride_x - pad_left;
            long q = 0;
            for (long ky = 0; ky < kernel_h; ky++) {
                const long yy = y0 + ky;
                for (long kx = 0; kx < kernel_w; kx++, q += channels) {
                    const long xx = x0 + kx;
                    if (yy < 0 || yy >= height || xx < 0 || xx >= width) {
                        for (long ci = 0; ci < channels; ci++) patch[q + ci] = 0;
                    } else {
                        const float *src = image + (yy * width + xx) * channels;
                        for (long ci = 0; ci < channels; ci++) patch[q + ci] = src[ci];
                    }
                }
            }
            float *dst = out + (r * out_width + ox) * out_channels;
            for (long k0 = 0; k0 < out_channels; k0 += BLOCK) {
                const long count = out_channels - k0 < BLOCK ? out_channels - k0 : BLOCK;
                float acc[BLOCK];
                for (int l = 0; l < BLOCK; l++) acc[l] = 0;
                if (count == BLOCK) {
                    for (long p = 0; p < patch_size; p++) {
                        const float value = patch[p], *f = filter + p * out_channels + k0;
                        for (int l = 0; l < BLOCK; l++) acc[l] += value * f[l];
                    }
                } else {
                    for (long p = 0; p < patch_size; p++) {
                        const float value = patch[p], *f = filter + p * out_channels + k0;
                        for (long l = 0; l < count; l++) acc[l] += value * f[l];
                    }
                }
                for (long l = 0; l < count; l++) {
                    float v = acc[l] + (bias ? bias[k0 + l] : 0);
                    dst[k0 + l] = relu ? (v > 0 ? v : 0) : v;
                }
            }
        }
    }
}
