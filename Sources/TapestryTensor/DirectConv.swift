import CTapestryKernels

/// Direct convolution for filters with a short receptive field (few input channels), such as
/// VGG16's first layer: 3×3×3 = 27 products per output.
///
/// im2col + GEMM does badly there: the GEMM's inner dimension is 27, too short for BLAS to
/// amortise its packing, and the im2col copy moves 3 floats at a time. Instead each output pixel
/// accumulates its 27 input values against rows of the filter held in registers, 64 output
/// channels at a time, with the bias and ReLU applied before the single store (the loop is
/// `tk_direct_conv` in CTapestryKernels, compiled for the CPU's vector width).
enum DirectConv {
    /// Float convolutions whose receptive field fits the kernel's patch buffer (at most 64 values).
    static func applies(_ g: Conv2DGeometry) -> Bool { g.patchSize <= Int(TK_MAX_DIRECT_PATCH) && !g.isPointwise }

    static func forward(_ x: UnsafePointer<Float>, filter w: UnsafePointer<Float>, _ g: Conv2DGeometry,
                        bias: UnsafePointer<Float>?, relu: Bool, into out: UnsafeMutablePointer<Float>) {
        let rowsTotal = g.batch * g.rows.output
        parallelChunks(rowsTotal, cost: rowsTotal * g.cols.output * g.patchSize * g.outChannels) { range in
            tk_direct_conv(x, g.rows.input, g.cols.input, g.inChannels, w, g.rows.window, g.cols.window, g.outChannels,
                           g.rows.output, g.cols.output, g.rows.stride, g.cols.stride, g.rows.padBefore, g.cols.padBefore,
                           bias, relu ? 1 : 0, range.lowerBound, range.count, out)
        }
    }
}
