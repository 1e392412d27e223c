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

    // MARK: The filter transform, on 8 channels at once (the input and output transforms, which run
    // on every call, are CTapestryKernels' tk_winograd_input / tk_winograd_output)

    typealias Lanes = SIMD8<Float>

    /// `G g Gᵀ` for one 3×3 filter slice (row-major `g`), giving the 6×6 `u`; `t` is 18 lanes of scratch.
    @inline(__always)
    static func transformFilter(_ g: UnsafePointer<Lanes>, into u: UnsafeMutablePointer<Lanes>,
                                scratch t: UnsafeMutablePointer<Lanes>) {
        // Rows first: t = G · g (6×3), then columns: u = t · Gᵀ (6×6).
        for j in 0..<3 {
            let (g0, g1, g2) = (g[j], g[3 + j], g[6 + j])
            let (p, q) = (g0 + g2, g1)
            t[j] = g0 * 0.25
            t[3 + j] = (p + q) * (-1.0 / 6)
            t[6 + j] = (p - q) * (-1.0 / 6)
            t[9 + j] = g0 * (1.0 / 24) + g1 * (1.0 / 12) + g2 * (1.0 / 6)
            t[12 + j] = g0 * (1.0 / 24) - g1 * (1.0 / 12) + g2 * (1.0 / 6)
            t[15 + j] = g2
        }
        for i in 0..<6 {
            let (g0, g1, g2) = (t[3 * i], t[3 * i + 1], t[3 * i + 2])
            let (p, q) = (g0 + g2, g1)
            u[6 * i] = g0 * 0.25
            u[6 * i + 1] = (p + q) * (-1.0 / 6)
            u[6 * i + 2] = (p - q) * (-1.0 / 6)
            u[6 * i + 3] = g0 * (1.0 / 24) + g1 * (1.0 / 12) + g2 * (1.0 / 6)
            u[6 * i + 4] = g0 * (1.0 / 24) - g1 * (1.0 / 12) + g2 * (1.0 / 6)
            u[6 * i + 5] = g2
        }
    }

    // MARK: Loads and stores of up to 8 channels

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ count: Int) -> Lanes {
        if count == 8 { return UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
        var v = Lanes.zero
        for l in 0..<count { v[l] = p[l] }
        return v
    }

    @inline(__always)
    static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        if count == 8 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self); return }
        for l in 0..<count { p[l] = v[l] }
    }

    // MARK: Filters

    /// Writes the filter in the transform domain, `[36][C][K]` (ξ-major), from an HWIO `[3, 3, C, K]` filter.
    static func transformFilter(_ w: UnsafePointer<Float>, inChannels c: Int, outChannels k: Int,
                                into u: UnsafeMutablePointer<Float>) {
        parallelChunks(c, cost: c * k * 100) { range in
            let g = UnsafeMutablePointer<Lanes>.allocate(capacity: 9), t = UnsafeMutablePointer<Lanes>.allocate(capacity: 36)
            let scratch = UnsafeMutablePointer<Lanes>.allocate(capacity: 18)
            defer { g.deallocate(); t.deallocate(); scratch.deallocate() }
            for ci in range {
                for k0 in stride(from: 0, to: k, by: 8) {
                    let lanes = Swift.min(8, k - k0)
                    for r in 0..<9 { g[r] = load(w + (r * c + ci) * k + k0, lanes) }
                    transformFilter(g, into: t, scratch: scratch)
                    for xi in 0..<36 { store(t[xi], u + (xi * c + ci) * k + k0, lanes) }
                }
            }
        }
    }

    /// The HWIO filter of the adjoint convolution: rotated by 180° with its channel axes swapped,
    /// so that the input gradient of a stride-1 3×3 convolution is itself a 3×3 convolution.
    static func adjointFilter(_ w: UnsafePointer<Float>, inChannels c: Int, outChannels k: Int) -> TensorStorage<Float> {
        let storage = TensorStorage<Float>(uninitializedCount: 9 * c * k), f = storage.pointer
        for r in 0..<9 {
            let src = w + (8 - r) * c * k, dst = f + r * k * c
            for ci in 0..<c { for ko in 0..<k { dst[ko * c + ci] = src[ci * k + ko] } }
        }
        return storage
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
        let reuseTiles = c * k >= 1 << 16 ? 128 : 16
        let share = (tiles + kernelThreadCount - 1) / kernelThreadCount
        let chunk = Swift.max(1, Swift.min(Swift.max(cacheTiles, reuseTiles), share))
        let chunks = (tiles + chunk - 1) / chunk
        let workers = Swift.min(kernelThreadCount, chunks)

        func run(worker: Int) {
            let v = UnsafeMutablePointer<Float>.allocate(capacity: 36 * chunk * c)
            let m = UnsafeMutablePointer<Float>.allocate(capacity: 36 * chunk * k)
            defer { v.deallocate(); m.deallocate() }
            for ch in stride(from: worker, to: chunks, by: workers) {
                let first = ch * chunk, count = Swift.min(chunk, tiles - first)
                // Bᵀ d B for every tile and channel block of the chunk.
                tk_winograd_input(x, h, w, c, tilesY, tilesX, padTop, padLeft, first, count, chunk, v)
                // The element-wise product, summed over input channels: 36 GEMMs.
                for xi in 0..<36 {
                    Float.gemm(transposeA: false, transposeB: false, m: count, n: k, k: c, alpha: 1,
                               a: v + xi * chunk * c, lda: c, b: u + xi * c * k, ldb: k, beta: 0,
                               c: m + xi * chunk * k, ldc: k)
                }
                // Aᵀ m A back to 4×4 outputs, clipped at the bottom and right edges.
                tk_winograd_output(m, first, count, chunk, k, tilesY, tilesX, oh, ow, bias, relu ? 1 : 0, out)
            }
        }

        if workers < 2 {
            run(worker: 0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { run(worker: $0) }
        }
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
            let adjoint = adjointFilter(filter, inChannels: g.inChannels, outChannels: g.outChannels)
            transformFilter(adjoint.pointer, inChannels: g.outChannels, outChannels: g.inChannels, into: $0)
            withExtendedLifetime(adjoint) {}
        }
        convolve(dy, batch: g.batch, height: g.rows.output, width: g.cols.output, inChannels: g.outChannels,
                 transformedFilter: u.pointer, outChannels: g.inChannels, outHeight: g.rows.input, outWidth: g.cols.input,
                 padTop: 2 - g.rows.padBefore, padLeft: 2 - g.cols.padBefore, into: dx)
        withExtendedLifetime(u) {}
    }
}
