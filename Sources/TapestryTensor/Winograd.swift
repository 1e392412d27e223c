import CTapestryKernels
/// Winograd F(4×4, 3×3) convolution for 3×3 stride-1 filters in NHWC/HWIO (Lavin & Gray, 2016).
///
/// Each 4×4 block of outputs ("tile") is computed from a 6×6 block of input as
/// `Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A`: per tile and channel pair that is 36 multiplications
/// instead of the 144 a direct 3×3 convolution needs. Over a batch the element-wise product
/// becomes 36 independent GEMMs, `M_ξ[tiles × K] = V_ξ[tiles × C] · U_ξ[C × K]`, one per
/// position ξ of the 6×6 transform domain — a quarter of im2col's GEMM work.
///
/// Tiles are processed in chunks small enough for the transformed input and product of one
/// chunk to stay in a core's cache; each core takes whole chunks (transform in → 36 GEMMs →
/// transform out) with direct, single-threaded BLAS calls, so the transforms never make a round trip
/// through main memory and no GEMM pays a fork/join.
///
/// Float32 rounding: the transforms use the interpolation points 0, ±1, ±2, whose constants
/// (up to 1/24 and 8) keep the result within a few 1e-6 of the largest output on VGG16's
/// activations; the tests bound it against the direct convolution.
public enum Winograd {
    /// Output tile edge (m in F(m×m, 3×3)) and input tile edge (m + 2).
    static let tile = 4, window = 6

    /// True where this algorithm computes the convolution: a 3×3 stride-1 filter with enough
    /// input channels that the transforms pay for themselves (VGG16's first layer, with 3, does not).
    /// With fewer tiles than about 16 per core (VGG16's block5 at batch 1 has 9) the 36 GEMMs
    /// get too few rows to be efficient, and im2col's single GEMM is faster.
    public static func applies(_ g: Conv2DGeometry) -> Bool {
        g.rows.window == 3 && g.cols.window == 3 && g.rows.stride == 1 && g.cols.stride == 1
            && g.inChannels >= 16 && g.outChannels >= 16 && tiles(g) >= 32
    }

    /// Output tiles of the forward pass (the input gradient has as many input tiles, or more).
    static func tiles(_ g: Conv2DGeometry) -> Int {
        g.batch * ((g.rows.output + tile - 1) / tile) * ((g.cols.output + tile - 1) / tile)
    }

    // MARK: Filters (the transforms themselves are CTapestryKernels' tk_winograd_filter and
    // tk_winograd_filter_gradient; the input and output transforms are tk_winograd_input / _output)

    /// The distance between the 36 planes of a transform-domain array of `count` floats per plane:
    /// `count` rounded up to an odd number of 64-byte lines, so that the 36 values a transform
    /// reads or writes per tile fall in different cache sets (at 512 · 512 floats, a power of two,
    /// they would all compete for the same one).
    static func planeStride(_ count: Int) -> Int {
        let lines = (count + 15) / 16
        return (lines | 1) * 16
    }

    /// Floats of a transformed filter: 36 planes of `C · K`.
    static func transformedCount(inChannels c: Int, outChannels k: Int) -> Int { 36 * planeStride(c * k) }

    /// Writes the filter in the transform domain, `[36][C][K]` (ξ-major, planes
    /// ``planeStride(_:)`` apart), from an HWIO `[3, 3, C, K]` filter; with `adjoint`, the
    /// transform of the input gradient's filter (rotated by 180° with its channel axes swapped), `[36][K][C]`.
    static func transformFilter(_ w: UnsafePointer<Float>, inChannels c: Int, outChannels k: Int, adjoint: Bool = false,
                                into u: UnsafeMutablePointer<Float>) {
        let stride = planeStride(c * k)
        // The adjoint is split along output channels, in blocks of the kernel's 16 lanes.
        let units = adjoint ? (k + 15) / 16 : c, unit = adjoint ? 16 : 1, total = adjoint ? k : c
        parallelChunks(units, cost: c * k * 100) { range in
            let first = range.lowerBound * unit, last = Swift.min(range.upperBound * unit, total)
            tk_winograd_filter(w, c, k, adjoint ? 1 : 0, first, last - first, stride, u)
        }
    }

    // MARK: The convolution

    /// The convolution of `x` (`[N, H, W, C]`) with a filter already in the transform domain,
    /// writing `out` (`[N, OH, OW, K]`); input row `oy - padTop + i` feeds output row `oy`.
    static func convolve(_ x: UnsafePointer<Float>, batch: Int, height h: Int, width w: Int, inChannels c: Int,
                         transformedFilter u: UnsafePointer<Float>, outChannels k: Int,
                         outHeight oh: Int, outWidth ow: Int, padTop: Int, padLeft: Int,
                         bias: UnsafePointer<Float>? = nil, relu: Bool = false, into out: UnsafeMutablePointer<Float>) {
        let tilesY = (oh + tile - 1) / tile, tilesX = (ow + tile - 1) / tile
        let tiles = batch * tilesY * tilesX
        // A chunk's transformed input and products fit in about 1 MB (a core's L2) — unless the
        // filter is large, when each GEMM needs more rows to reuse its 36 filter slices from
        // cache (measured on VGG16's 256- and 512-channel layers). Every core gets a chunk.
        let cacheTiles = (1 << 18) / (36 * (c + k))
        let reuseTiles = reuseTiles(inChannels: c, outChannels: k)
        let share = (tiles + kernelThreadCount - 1) / kernelThreadCount
        if sharesOutByPosition(tiles: tiles, inChannels: c, outChannels: k) {
            convolveByPosition(x, batch: batch, height: h, width: w, inChannels: c, transformedFilter: u, outChannels: k,
                               outHeight: oh, outWidth: ow, padTop: padTop, padLeft: padLeft, bias: bias, relu: relu, into: out)
            return
        }
        let chunk = Swift.max(1, Swift.min(Swift.max(cacheTiles, reuseTiles), share))
        let chunks = (tiles + chunk - 1) / chunk
        let workers = Swift.min(kernelThreadCount, chunks)

        let (vStride, mStride, uStride) = (planeStride(chunk * c), planeStride(chunk * k), planeStride(c * k))

        func run(worker: Int) {
            let v = UnsafeMutablePointer<Float>.allocate(capacity: 36 * vStride)
            let m = UnsafeMutablePointer<Float>.allocate(capacity: 36 * mStride)
            defer { v.deallocate(); m.deallocate() }
            for ch in stride(from: worker, to: chunks, by: workers) {
                let first = ch * chunk, count = Swift.min(chunk, tiles - first)
                // Bᵀ d B for every tile and channel block of the chunk.
                tk_winograd_input(x, h, w, c, tilesY, tilesX, padTop, padLeft, first, count, vStride, v)
                // The element-wise product, summed over input channels: 36 GEMMs.
                for xi in 0..<36 {
                    Float.gemm(transposeA: false, transposeB: false, m: count, n: k, k: c, alpha: 1,
                               a: v + xi * vStride, lda: c, b: u + xi * uStride, ldb: k, beta: 0,
                               c: m + xi * mStride, ldc: k)
                }
                // Aᵀ m A back to 4×4 outputs, clipped at the bottom and right edges.
                tk_winograd_output(m, first, count, mStride, k, tilesY, tilesX, oh, ow, bias, relu ? 1 : 0, out)
            }
        }

        if workers < 2 {
            run(worker: 0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { run(worker: $0) }
        }
    }
}

extension Winograd {
    /// Rows a GEMM of ``convolve`` needs to reuse its filter slice from cache: large filters
    /// (256 channels and up) need many.
    static func reuseTiles(inChannels c: Int, outChannels k: Int) -> Int { c * k >= 1 << 16 ? 128 : 16 }

    /// True where ``convolve`` goes by ``convolveByPosition``: a large filter with fewer tiles per
    /// core than its GEMMs need rows.
    static func sharesOutByPosition(tiles: Int, inChannels c: Int, outChannels k: Int) -> Bool {
        c * k >= 1 << 16 && kernelThreadCount > 1
            && (tiles + kernelThreadCount - 1) / kernelThreadCount < reuseTiles(inChannels: c, outChannels: k)
    }

    /// ``convolve`` for a large filter and few tiles (VGG16's block5, or blocks 3–5 of a single
    /// image): per-core chunks would each stream the whole transformed filter (38 MB at 512→512)
    /// to multiply it with a handful of rows. Here all tiles are transformed at once, on all
    /// cores; then each core takes a share of the 36 GEMMs over every tile, reading only its
    /// share of the filter; then the products are transformed back, again on all cores.
    static func convolveByPosition(_ x: UnsafePointer<Float>, batch: Int, height h: Int, width w: Int, inChannels c: Int,
                                   transformedFilter u: UnsafePointer<Float>, outChannels k: Int,
                                   outHeight oh: Int, outWidth ow: Int, padTop: Int, padLeft: Int,
                                   bias: UnsafePointer<Float>?, relu: Bool, into out: UnsafeMutablePointer<Float>) {
        let tilesY = (oh + tile - 1) / tile, tilesX = (ow + tile - 1) / tile
        let tiles = batch * tilesY * tilesX
        let (vStride, mStride, uStride) = (planeStride(tiles * c), planeStride(tiles * k), planeStride(c * k))
        let vStorage = TensorStorage<Float>(uninitializedCount: 36 * vStride)
        let mStorage = TensorStorage<Float>(uninitializedCount: 36 * mStride)
        let (v, m) = (vStorage.pointer, mStorage.pointer)
        parallelChunks(tiles, cost: tiles * 36 * c * 8) { range in
            tk_winograd_input(x, h, w, c, tilesY, tilesX, padTop, padLeft, range.lowerBound, range.count, vStride,
                              v + range.lowerBound * c)
        }
        parallelChunks(36, cost: 36 * c * k * tiles * 2) { positions in
            for xi in positions {
                Float.gemm(transposeA: false, transposeB: false, m: tiles, n: k, k: c, alpha: 1,
                           a: v + xi * vStride, lda: c, b: u + xi * uStride, ldb: k, beta: 0,
                           c: m + xi * mStride, ldc: k)
            }
        }
        parallelChunks(tiles, cost: tiles * 36 * k * 8) { range in
            tk_winograd_output(m + range.lowerBound * k, range.lowerBound, range.count, mStride, k, tilesY, tilesX, oh, ow,
                               bias, relu ? 1 : 0, out)
        }
        withExtendedLifetime((vStorage, mStorage)) {}
    }
}

import Dispatch

extension Winograd {
    /// `conv2d(x, filter)` for a geometry where ``applies(_:)`` holds.
    static func forward(_ x: UnsafePointer<Float>, filter: UnsafePointer<Float>, _ g: Conv2DGeometry,
                        bias: UnsafePointer<Float>? = nil, relu: Bool = false, into out: UnsafeMutablePointer<Float>) {
        let u = WinogradFilterCache.shared.transformed(filter, inChannels: g.inChannels, outChannels: g.outChannels, adjoint: false) {
            transformFilter(filter, inChannels: g.inChannels, outChannels: g.outChannels, into: $0)
        }
        convolve(x, batch: g.batch, height: g.rows.input, width: g.cols.input, inChannels: g.inChannels,
                 transformedFilter: u.pointer, outChannels: g.outChannels, outHeight: g.rows.output, outWidth: g.cols.output,
                 padTop: g.rows.padBefore, padLeft: g.cols.padBefore, bias: bias, relu: relu, into: out)
        withExtendedLifetime(u) {}
    }

    /// The input gradient of a convolution where ``applies(_:)`` holds: the adjoint filter
    /// slid over `dy` with the complementary padding (2 − padBefore on each leading edge).
    static func backwardInput(_ dy: UnsafePointer<Float>, filter: UnsafePointer<Float>, _ g: Conv2DGeometry,
                              into dx: UnsafeMutablePointer<Float>) {
        let u = WinogradFilterCache.shared.transformed(filter, inChannels: g.inChannels, outChannels: g.outChannels, adjoint: true) {
            transformFilter(filter, inChannels: g.inChannels, outChannels: g.outChannels, adjoint: true, into: $0)
        }
        convolve(dy, batch: g.batch, height: g.rows.output, width: g.cols.output, inChannels: g.outChannels,
                 transformedFilter: u.pointer, outChannels: g.inChannels, outHeight: g.rows.input, outWidth: g.cols.input,
                 padTop: 2 - g.rows.padBefore, padLeft: 2 - g.cols.padBefore, into: dx)
        withExtendedLifetime(u) {}
    }
}

extension Winograd {
    /// The filter gradient of a convolution where ``applies(_:)`` holds, as the adjoint of the
    /// forward algorithm: per tile, the input's transform `V = Bᵀ d B` and the output gradient's
    /// `M̄ = A ȳ Aᵀ`; summed over tiles, `Ū_ξ = V_ξᵀ M̄_ξ` (36 GEMMs of `[C × tiles]·[tiles × K]`);
    /// then `Gᵀ Ū G` back to 3×3 — a quarter of im2col's GEMM work for large images, as forward.
    ///
    /// Tiles go in chunks whose transforms take at most about 32 MB (VGG16's block5 at batch 20
    /// in one), transformed on all cores; the chunk's 36 GEMMs are shared out by ξ, so each core
    /// accumulates its own slices of `Ū` and no GEMM is split.
    static func backwardFilter(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, _ g: Conv2DGeometry,
                               into dw: UnsafeMutablePointer<Float>) {
        let c = g.inChannels, k = g.outChannels
        let (h, w, oh, ow) = (g.rows.input, g.cols.input, g.rows.output, g.cols.output)
        let tilesY = (oh + tile - 1) / tile, tilesX = (ow + tile - 1) / tile
        let tiles = g.batch * tilesY * tilesX
        let chunk = Swift.max(1, Swift.min(tiles, (8 << 20) / (36 * (c + k))))
        let (vStride, mStride, uStride) = (planeStride(chunk * c), planeStride(chunk * k), planeStride(c * k))
        let vStorage = TensorStorage<Float>(uninitializedCount: 36 * vStride)
        let mStorage = TensorStorage<Float>(uninitializedCount: 36 * mStride)
        let uStorage = TensorStorage<Float>(uninitializedCount: 36 * uStride)
        let (v, m, du) = (vStorage.pointer, mStorage.pointer, uStorage.pointer)
        for first in stride(from: 0, to: tiles, by: chunk) {
            let count = Swift.min(chunk, tiles - first)
            parallelChunks(count, cost: count * 36 * (c + k) * 8) { range in
                tk_winograd_input(x, h, w, c, tilesY, tilesX, g.rows.padBefore, g.cols.padBefore,
                                  first + range.lowerBound, range.count, vStride, v + range.lowerBound * c)
                tk_winograd_output_gradient(dy, first + range.lowerBound, range.count, mStride, k, tilesY, tilesX, oh, ow,
                                            m + range.lowerBound * k)
            }
            let beta: Float = first == 0 ? 0 : 1
            parallelChunks(36, cost: 36 * c * k * count * 2) { positions in
                for xi in positions {
                    Float.gemm(transposeA: true, transposeB: false, m: c, n: k, k: count, alpha: 1,
                               a: v + xi * vStride, lda: c, b: m + xi * mStride, ldb: k, beta: beta,
                               c: du + xi * uStride, ldc: k)
                }
            }
        }
        parallelChunks(c, cost: c * k * 100) { range in
            tk_winograd_filter_gradient(du, c, k, uStride, range.lowerBound, range.count, dw)
        }
        withExtendedLifetime((vStorage, mStorage, uStorage)) {}
    }
}
