// Tapestry's innermost loops (convolutions, a Dense layer's GEMMs, optimizer updates), in C so that each can be compiled several times — for
// AVX-512, AVX2 and baseline x86-64 — and the best version for the running CPU picked when the
// library loads (function multiversioning). Swift compiles for baseline x86-64 (SSE), a quarter
// of the vector width these CPUs have. The orchestration (tiling, threads, GEMMs, caching) stays
// in Swift: TapestryTensor's Winograd.swift and DirectConv.swift, whose doc comments describe
// the algorithms. All tensors are row-major NHWC floats; filters are HWIO.
#ifndef TAPESTRY_KERNELS_H
#define TAPESTRY_KERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Winograd F(4×4, 3×3) input transform `Bᵀ d B` of `count` tiles starting at tile `first`
/// (tiles numbered image by image, row by row: tiles_y × tiles_x per image). The 6×6 input block of
/// tile (ty, tx) starts at row ty·4 − pad_top, column tx·4 − pad_left; positions outside the image
/// read as zero. Writes v[ξ · xi_stride + local · channels + c] for the 36 positions ξ.
///
/// Every transform-domain array is 36 planes `xi_stride` floats apart. A stride of an odd number
/// of 64-byte lines (Winograd.swift's planeStride) puts the 36 values of one tile in different
/// cache sets; a power-of-two stride (512 · 512 floats) maps them all to the same set.
void tk_winograd_input(const float *x, long height, long width, long channels,
                       long tiles_y, long tiles_x, long pad_top, long pad_left,
                       long first, long count, long xi_stride, float *v);

/// Winograd F(4×4, 3×3) output transform `Aᵀ m A` of the products m[ξ · xi_stride + local · channels + k],
/// plus `bias` (may be NULL) and, if `relu` is non-zero, max(·, 0); stores the 4×4 outputs of each
/// tile into out (out_height × out_width × channels per image), clipped at the bottom and right edges.
void tk_winograd_output(const float *m, long first, long count, long xi_stride, long channels,
                        long tiles_y, long tiles_x, long out_height, long out_width,
                        const float *bias, int relu, float *out);

/// The adjoint of tk_winograd_output (without bias or ReLU): from the output gradient dy
/// (out_height × out_width × channels per image) of `count` tiles starting at `first`, the
/// gradient in the transform domain `A ȳ Aᵀ`, written as m[ξ · xi_stride + local · channels + k].
/// Outputs the forward pass clipped away at the bottom and right edges count as zero.
void tk_winograd_output_gradient(const float *dy, long first, long count, long xi_stride, long channels,
                                 long tiles_y, long tiles_x, long out_height, long out_width, float *m);

/// The filter transform `G g Gᵀ` of an HWIO filter w ([3, 3, in_channels, out_channels]) into
/// u[ξ · xi_stride + in · out_channels + out], for input channels [first, first + count).
/// With `adjoint` non-zero it transforms the adjoint filter instead — rotated by 180° with its
/// channel axes swapped, the filter of the input gradient — into u[ξ · xi_stride + out · in_channels + in],
/// for output channels [first, first + count).
void tk_winograd_filter(const float *w, long in_channels, long out_channels, int adjoint,
                        long first, long count, long xi_stride, float *u);

/// The adjoint of tk_winograd_filter (not adjoint): from the gradient du[ξ · xi_stride + in · out_channels + out] in the
/// transform domain, the HWIO filter gradient `Gᵀ ū G`, for input channels [first, first + count).
void tk_winograd_filter_gradient(const float *du, long in_channels, long out_channels, long xi_stride,
                                 long first, long count, float *dw);

/// The longest receptive field (kernel_h · kernel_w · channels values) tk_direct_conv takes.
#define TK_MAX_DIRECT_PATCH 64

/// Direct convolution of output rows [first_row, first_row + row_count) (row r = image · out_height + y)
/// for filters with a short receptive field (at most TK_MAX_DIRECT_PATCH values, e.g. 3·3·3 = 27).
void tk_direct_conv(const float *x, long height, long width, long channels,
                    const float *filter, long kernel_h, long kernel_w, long out_channels,
                    long out_height, long out_width, long stride_y, long stride_x, long pad_top, long pad_left,
                    const float *bias, int relu, long first_row, long row_count, float *out);

/// C = A · B (C overwritten) for rows [first_row, first_row + row_count) of C (n columns, leading
/// dimension ldc), for a short inner dimension k (a Dense layer's weight gradient Xᵀ · dY has the
/// batch size there): A's element (i, kk) is a[i · a_row_stride + kk · a_k_stride] — either layout,
/// so Xᵀ needs no copy — and B is row-major k × n with leading dimension ldb.
void tk_gemm_small_k(long n, long k, const float *a, long a_row_stride, long a_k_stride,
                     const float *b, long ldb, float *c, long ldc, long first_row, long row_count);
/// The rows of C in tk_gemm_small_k's register block: parts of C that start on a multiple of it
/// run in whole blocks.
#define TK_SMALL_K_ROWS 6

/// The most rows of A tk_gemm_small_m is meant for; above it a packing GEMM's blocking pays off.
#define TK_SMALL_M 32
/// The columns of C in tk_gemm_small_m's register block: a part of C that starts on a multiple
/// of it and spans whole multiples of it runs in whole blocks.
#define TK_SMALL_M_STRIP 64

/// C = A · B (C overwritten) for columns [first_column, first_column + column_count) of C, when A
/// has only a few rows (m ≤ TK_SMALL_M: a Dense layer's forward pass on one batch, X · W): A is
/// row-major m × k (leading dimension lda), B row-major k × n (ldb), read in place without packing.
void tk_gemm_small_m(long m, long k, const float *a, long lda, const float *b, long ldb, float *c, long ldc,
                     long first_column, long column_count);

/// RMSprop on elements [0, count) (Keras 3's rule; see TapestryOptimizers' RMSprop.swift): with
/// g = clamp(gradient · gradient_scale, ±clip_value), v = rho·v + one_minus_rho·g²; centred (a non-NULL):
/// a = rho·a + one_minus_rho·g, d = v − a² + epsilon, else d = v + epsilon; increment = lr·g / √d;
/// with momentum (m non-NULL) m = momentum·m + increment, w = w − w·decay − m, else w = w − w·decay − increment.
/// Evaluated in float in exactly that order, without fused multiply-adds, as the Swift rule was.
void tk_rmsprop(long count, float *weights, const float *gradients, float *velocity, float *moment, float *average,
                float learning_rate, float rho, float one_minus_rho, float momentum, float epsilon,
                float decay, float gradient_scale, float clip_value);

#ifdef __cplusplus
}
#endif
#endif
