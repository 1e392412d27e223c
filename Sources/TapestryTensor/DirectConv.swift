/// Direct convolution for filters with a short receptive field (few input channels), such as
/// VGG16's first layer: 3×3×3 = 27 products per output.
///
/// im2col + GEMM does badly there: the GEMM's inner dimension is 27, too short for BLAS to
/// amortise its packing, and the im2col copy moves 3 floats at a time. Instead each output pixel
/// accumulates its 27 input values against rows of the filter held in registers, 32 output
/// channels at a time, with the bias and ReLU applied before the single store.
enum DirectConv {
    typealias Lanes = SIMD8<Float>

    /// Float convolutions whose receptive field has at most 64 values.
    static func applies(_ g: Conv2DGeometry) -> Bool { g.patchSize <= 64 && !g.isPointwise }

    static func forward(_ x: UnsafePointer<Float>, filter w: UnsafePointer<Float>, _ g: Conv2DGeometry,
                        bias: UnsafePointer<Float>?, relu: Bool, into out: UnsafeMutablePointer<Float>) {
        let (h, wd, c, k) = (g.rows.input, g.cols.input, g.inChannels, g.outChannels)
        let (oh, ow, kh, kw) = (g.rows.output, g.cols.output, g.rows.window, g.cols.window)
        let rowsTotal = g.batch * oh
        parallelChunks(rowsTotal, cost: rowsTotal * ow * g.patchSize * k) { range in
            for r in range {
                let n = r / oh, oy = r % oh
                let image = x + n * h * wd * c
                let y0 = oy * g.rows.stride - g.rows.padBefore
                for ox in 0..<ow {
                    let x0 = ox * g.cols.stride - g.cols.padBefore
                    let dst = out + (r * ow + ox) * k
                    var k0 = 0
                    while k0 < k {
                        // Four vectors of eight output channels, or fewer at the end.
                        let width = Swift.min(32, k - k0)
                        var a0 = Lanes.zero, a1 = Lanes.zero, a2 = Lanes.zero, a3 = Lanes.zero
                        for ky in 0..<kh {
                            let yy = y0 + ky
                            if yy < 0 || yy >= h { continue }
                            for kx in 0..<kw {
                                let xx = x0 + kx
                                if xx < 0 || xx >= wd { continue }
                                let src = image + (yy * wd + xx) * c
                                let row = w + (ky * kw + kx) * c * k + k0
                                for ci in 0..<c {
                                    let v = Lanes(repeating: src[ci])
                                    let f = row + ci * k
                                    a0 += v * Winograd.load(f, Swift.min(8, width))
                                    if width > 8 { a1 += v * Winograd.load(f + 8, Swift.min(8, width - 8)) }
                                    if width > 16 { a2 += v * Winograd.load(f + 16, Swift.min(8, width - 16)) }
                                    if width > 24 { a3 += v * Winograd.load(f + 24, width - 24) }
                                }
                            }
                        }
                        @inline(__always) func finish(_ acc: Lanes, _ i: Int) {
                            guard 8 * i < width else { return }
                            let lanes = Swift.min(8, width - 8 * i)
                            var v = acc
                            if let bias { v += Winograd.load(bias + k0 + 8 * i, lanes) }
                            if relu { v.replace(with: Lanes.zero, where: .!(v .> Lanes.zero)) }
                            Winograd.store(v, dst + k0 + 8 * i, lanes)
                        }
                        finish(a0, 0); finish(a1, 1); finish(a2, 2); finish(a3, 3)
                        k0 += width
                    }
                }
            }
        }
    }
}
