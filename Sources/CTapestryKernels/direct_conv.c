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
    for (long r = first_row; r < first_row + row_count; r++) {
        const long n = r / out_height, oy = r % out_height, y0 = oy * stride_y - pad_top;
        const float *image = x + n * height * width * channels;
        for (long ox = 0; ox < out_width; ox++) {
            const long x0 = ox * stride_x - pad_left;
            float *dst = out + (r * out_width + ox) * out_channels;
            for (long k0 = 0; k0 < out_channels; k0 += BLOCK) {
                const long count = out_channels - k0 < BLOCK ? out_channels - k0 : BLOCK;
                float acc[BLOCK];
                for (int l = 0; l < BLOCK; l++) acc[l] = 0;
                for (long ky = 0; ky < kernel_h; ky++) {
                    const long yy = y0 + ky;
                    if (yy < 0 || yy >= height) continue;
                    for (long kx = 0; kx < kernel_w; kx++) {
                        const long xx = x0 + kx;
                        if (xx < 0 || xx >= width) continue;
                        const float *src = image + (yy * width + xx) * channels;
                        const float *row = filter + (ky * kernel_w + kx) * channels * out_channels + k0;
                        for (long ci = 0; ci < channels; ci++) {
                            const float value = src[ci], *f = row + ci * out_channels;
                            if (count == BLOCK) {
                                for (int l = 0; l < BLOCK; l++) acc[l] += value * f[l];
                            } else {
                                for (long l = 0; l < count; l++) acc[l] += value * f[l];
                            }
                        }
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
