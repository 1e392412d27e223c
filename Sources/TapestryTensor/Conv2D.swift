#if canImport(Glibc)
import Glibc
#endif

/// The shape arithmetic of one 2-D convolution in NHWC with HWIO filters (Keras's layout).
public struct Conv2DGeometry: Equatable, Sendable {
    public let batch: Int, inChannels: Int, outChannels: Int
    public let rows: WindowAxis, cols: WindowAxis

    public init(inputShape: [Int], filterShape: [Int], strides: (Int, Int), padding: Padding) {
        precondition(inputShape.count == 4, "conv2d: input must be NHWC, got shape \(inputShape)")
        precondition(filterShape.count == 4, "conv2d: filter must be HWIO, got shape \(filterShape)")
        precondition(inputShape[3] == filterShape[2],
                     "conv2d: input channels \(inputShape[3]) (input \(inputShape)) differ from filter input channels \(filterShape[2]) (filter \(filterShape))")
        batch = inputShape[0]; inChannels = inputShape[3]; outChannels = filterShape[3]
        rows = WindowAxis(input: inputShape[1], window: filterShape[0], stride: strides.0, padding: padding)
        cols = WindowAxis(input: inputShape[2], window: filterShape[1], stride: strides.1, padding: padding)
    }

    public var outputShape: [Int] { [batch, rows.output, cols.output, outChannels] }
    /// Length of one im2col row: one receptive field.
    public var patchSize: Int { rows.window * cols.window * inChannels }
    public var outputPixels: Int { rows.output * cols.output }
    /// Multiply-adds ×2 of the forward pass.
    public var flops: Double { 2 * Double(batch * outputPixels) * Double(patchSize) * Double(outChannels) }
    /// A 1×1 stride-1 unpadded convolution is a plain matrix product on the input.
    var isPointwise: Bool {
        rows.window == 1 && cols.window == 1 && rows.stride == 1 && cols.stride == 1 && rows.padBefore == 0 && cols.padBefore == 0
    }

    /// How many images share one im2col buffer: enough rows to keep GEMM efficient on small
    /// late layers, few enough to bound memory (about 64 MB of Float) on large early ones.
    func imagesPerGroup(limit: Int = 1 << 24) -> Int {
        let perImage = Swift.max(outputPixels * patchSize, 1)
        return Swift.max(1, Swift.min(batch, limit / perImage))
    }
}

/// How ``Conv2DKernels`` computes a convolution.
public enum ConvolutionAlgorithm: String, Sendable {
    /// Winograd F(4×4, 3×3) for Float 3×3 stride-1 convolutions with 16 or more channels
    /// (forward, input and filter gradients), a direct loop for Float forward passes whose receptive
    /// field is at most 64 values (an RGB input layer), im2col + GEMM for everything else.
    case automatic
    /// im2col + GEMM everywhere: the reference the Winograd path is tested against.
    case im2col
}

/// Convolution kernels: Winograd where it applies, else im2col in bounded groups of images
/// and one GEMM per group.
public enum Conv2DKernels {
    /// The algorithm choice; `TAPESTRY_CONV=im2col` in the environment starts with `.im2col`.
    nonisolated(unsafe) public static var algorithm: ConvolutionAlgorithm =
        getenv("TAPESTRY_CONV").flatMap { ConvolutionAlgorithm(rawValue: String(cString: $0)) } ?? .automatic

    static func usesWinograd(_ g: Conv2DGeometry) -> Bool { algorithm == .automatic && Winograd.applies(g) }

    /// Writes the receptive fields of images `images` into `col` ([pixels, patchSize] per image).
    static func im2col<S: TensorScalar>(_ x: UnsafePointer<S>, _ g: Conv2DGeometry, images: Range<Int>,
                                       into col: UnsafeMutablePointer<S>) {
        let (h, w, c) = (g.rows.input, g.cols.input, g.inChannels)
        let (oh, ow) = (g.rows.output, g.cols.output)
        let kw = g.cols.window, kh = g.rows.window
        let patch = g.patchSize
        let rowsTotal = images.count * oh
        parallelChunks(rowsTotal, cost: rowsTotal * ow * patch) { range in
            for r in range {
                let n = images.lowerBound + r / oh, oy = r % oh
                let img = x + n * h * w * c
                for ox in 0..<ow {
                    var dst = col + ((r * ow) + ox) * patch
                    let y0 = oy * g.rows.stride - g.rows.padBefore
                    let x0 = ox * g.cols.stride - g.cols.padBefore
                    for ky in 0..<kh {
                        let y = y0 + ky
                        if y < 0 || y >= h {
                            dst.update(repeating: 0, count: kw * c); dst += kw * c; continue
                        }
                        // Columns inside the image are one contiguous run of channels.
                        let xa = Swift.max(x0, 0), xb = Swift.min(x0 + kw, w)
                        let left = Swift.max(0, Swift.min(xa - x0, kw)), right = Swift.max(0, Swift.min(x0 + kw - xb, kw))
                        if left > 0 { dst.update(repeating: 0, count: left * c); dst += left * c }
                        if xb > xa {
                            dst.update(from: img + (y * w + xa) * c, count: (xb - xa) * c)
                            dst += (xb - xa) * c
                        }
                        if right > 0 { dst.update(repeating: 0, count: right * c); dst += right * c }
                    }
                }
            }
        }
    }

    /// Adds each patch of `col` back into the input gradient (the adjoint of `im2col`), gathering
    /// per input pixel so threads never write the same element.
    static func col2im<S: TensorScalar>(_ col: UnsafePointer<S>, _ g: Conv2DGeometry, images: Range<Int>,
                                       into dx: UnsafeMutablePointer<S>) {
        let (h, w, c) = (g.rows.input, g.cols.input, g.inChannels)
        let (oh, ow) = (g.rows.output, g.cols.output)
        let (kh, kw, sh, sw) = (g.rows.window, g.cols.window, g.rows.stride, g.cols.stride)
        let patch = g.patchSize
        let rowsTotal = images.count * h
        parallelChunks(rowsTotal, cost: rowsTotal * w * kh * kw * c) { range in
            for r in range {
                let local = r / h, y = r % h
                let n = images.lowerBound + local
                let colImage = col + local * oh * ow * patch
                for xx in 0..<w {
                    let d = dx + ((n * h + y) * w + xx) * c
                    for ky in 0..<kh {
                        let ty = y + g.rows.padBefore - ky
                        if ty < 0 || ty % sh != 0 { continue }
                        let oy = ty / sh
                        if oy >= oh { continue }
                        for kx in 0..<kw {
                            let tx = xx + g.cols.padBefore - kx
                            if tx < 0 || tx % sw != 0 { continue }
                            let ox = tx / sw
                            if ox >= ow { continue }
                            let src = colImage + (oy * ow + ox) * patch + (ky * kw + kx) * c
                            for ch in 0..<c { d[ch] += src[ch] }
                        }
                    }
                }
            }
        }
    }

    /// `y = conv2d(x, filter)`, then `+ bias` and `max(0, ·)` when asked; `x` NHWC, `filter` HWIO,
    /// `bias` `[outChannels]`. Output NHWC.
    ///
    /// Bias and ReLU are applied while each block of output is still in cache (in Winograd's
    /// output transform, or right after each group's GEMM) rather than as two more passes over
    /// the whole activation.
    public static func forward<S: TensorScalar>(_ x: Tensor<S>, _ filter: Tensor<S>, bias: Tensor<S>? = nil, relu: Bool = false,
                                               strides: (Int, Int) = (1, 1), padding: Padding) -> Tensor<S> {
        let g = Conv2DGeometry(inputShape: x.shape, filterShape: filter.shape, strides: strides, padding: padding)
        if let bias {
            precondition(bias.shape == [g.outChannels], "conv2d: bias shape \(bias.shape) differs from [\(g.outChannels)] (filter \(filter.shape))")
        }
        let xc = x.contiguous(), fc = filter.contiguous(), bc = bias?.contiguous()
        let k = g.patchSize, n = g.outChannels, pix = g.outputPixels
        let bp = bc.map { UnsafePointer($0.storage.pointer + $0.offset) }
        // Every path below writes each output element (GEMMs with beta 0, or Winograd's tiles).
        var out = Tensor<S>(shape: g.outputShape, unsafeUninitialized: { _ in })
        let op = out.storage.pointer
        let xp = xc.storage.pointer + xc.offset, fp = fc.storage.pointer + fc.offset
        if g.isPointwise {
            S.parallelGEMM(transposeA: false, transposeB: false, m: g.batch * pix, n: n, k: k, alpha: 1, a: xp, lda: k,
                           b: fp, ldb: n, beta: 0, c: op, ldc: n)
            applyEpilogue(op, rows: g.batch * pix, channels: n, bias: bp, relu: relu)
        } else if S.self == Float.self && usesWinograd(g) {
            Winograd.forward(xp.float, filter: fp.float, g, bias: bp?.float, relu: relu, into: op.float)
        } else if S.self == Float.self && algorithm == .automatic && DirectConv.applies(g) {
            DirectConv.forward(xp.float, filter: fp.float, g, bias: bp?.float, relu: relu, into: op.float)
        } else {
            let group = g.imagesPerGroup()
            let scratch = TensorStorage<S>(uninitializedCount: group * pix * k)   // from the buffer pool
            let col = scratch.pointer
            defer { withExtendedLifetime(scratch) {} }
            for start in stride(from: 0, to: g.batch, by: group) {
                let images = start..<Swift.min(start + group, g.batch)
                im2col(xp, g, images: images, into: col)
                S.parallelGEMM(transposeA: false, transposeB: false, m: images.count * pix, n: n, k: k, alpha: 1,
                               a: col, lda: k, b: fp, ldb: n, beta: 0, c: op + start * pix * n, ldc: n)
                applyEpilogue(op + start * pix * n, rows: images.count * pix, channels: n, bias: bp, relu: relu)
            }
        }
        out = withExtendedLifetime((xc, fc, bc)) { out }
        return out
    }

    /// Adds `bias` to each row of `rows × channels` values and clamps at zero if `relu`, in place.
    static func applyEpilogue<S: TensorScalar>(_ y: UnsafeMutablePointer<S>, rows: Int, channels: Int,
                                              bias: UnsafePointer<S>?, relu: Bool) {
        guard bias != nil || relu else { return }
        parallelChunks(rows, cost: rows * channels) { range in
            for r in range {
                let row = y + r * channels
                if let bias { for c in 0..<channels { row[c] += bias[c] } }
                if relu { for c in 0..<channels where !(row[c] > 0) { row[c] = 0 } }
            }
        }
    }

    /// The gradient with respect to the input, given the output gradient `dy`.
    public static func backwardInput<S: TensorScalar>(_ dy: Tensor<S>, filter: Tensor<S>, inputShape: [Int],
                                                     strides: (Int, Int) = (1, 1), padding: Padding) -> Tensor<S> {
        let g = Conv2DGeometry(inputShape: inputShape, filterShape: filter.shape, strides: strides, padding: padding)
        precondition(dy.shape == g.outputShape, "conv2d backward: gradient shape \(dy.shape) differs from output shape \(g.outputShape)")
        let dyc = dy.contiguous(), fc = filter.contiguous()
        let k = g.patchSize, n = g.outChannels, pix = g.outputPixels
        var dx = Tensor<S>(shape: inputShape, repeating: 0)
        let dxp = dx.storage.pointer
        let dyp = dyc.storage.pointer + dyc.offset, fp = fc.storage.pointer + fc.offset
        if g.isPointwise {
            S.parallelGEMM(transposeA: false, transposeB: true, m: g.batch * pix, n: k, k: n, alpha: 1, a: dyp, lda: n,
                           b: fp, ldb: n, beta: 0, c: dxp, ldc: k)
        } else if S.self == Float.self && usesWinograd(g) {
            Winograd.backwardInput(dyp.float, filter: fp.float, g, into: dxp.float)
        } else {
            let group = g.imagesPerGroup()
            let scratch = TensorStorage<S>(uninitializedCount: group * pix * k)   // from the buffer pool
            let col = scratch.pointer
            defer { withExtendedLifetime(scratch) {} }
            for start in stride(from: 0, to: g.batch, by: group) {
                let images = start..<Swift.min(start + group, g.batch)
                S.parallelGEMM(transposeA: false, transposeB: true, m: images.count * pix, n: k, k: n, alpha: 1,
                               a: dyp + start * pix * n, lda: n, b: fp, ldb: n, beta: 0, c: col, ldc: k)
                col2im(col, g, images: images, into: dxp)
            }
        }
        dx = withExtendedLifetime((dyc, fc)) { dx }
        return dx
    }

    /// The gradient with respect to the filter (HWIO), given the input and the output gradient.
    public static func backwardFilter<S: TensorScalar>(_ dy: Tensor<S>, input x: Tensor<S>, filterShape: [Int],
                                                      strides: (Int, Int) = (1, 1), padding: Padding) -> Tensor<S> {
        let g = Conv2DGeometry(inputShape: x.shape, filterShape: filterShape, strides: strides, padding: padding)
        precondition(dy.shape == g.outputShape, "conv2d backward: gradient shape \(dy.shape) differs from output shape \(g.outputShape)")
        let dyc = dy.contiguous(), xc = x.contiguous()
        let k = g.patchSize, n = g.outChannels, pix = g.outputPixels
        // Every path below writes each element (beta 0 for the first GEMM, or Winograd's transform)
        // unless there is nothing to sum over.
        var dw = g.batch * pix == 0 ? Tensor<S>(shape: filterShape, repeating: 0)
            : Tensor<S>(shape: filterShape, unsafeUninitialized: { _ in })
        let dwp = dw.storage.pointer
        let dyp = dyc.storage.pointer + dyc.offset, xp = xc.storage.pointer + xc.offset
        if g.isPointwise {
            S.parallelGEMM(transposeA: true, transposeB: false, m: k, n: n, k: g.batch * pix, alpha: 1, a: xp, lda: k,
                           b: dyp, ldb: n, beta: 0, c: dwp, ldc: n)
        } else if S.self == Float.self && usesWinograd(g) {
            Winograd.backwardFilter(dyp.float, input: xp.float, g, into: dwp.float)
        } else {
            let group = g.imagesPerGroup()
            let scratch = TensorStorage<S>(uninitializedCount: group * pix * k)   // from the buffer pool
            let col = scratch.pointer
            defer { withExtendedLifetime(scratch) {} }
            for start in stride(from: 0, to: g.batch, by: group) {
                let images = start..<Swift.min(start + group, g.batch)
                im2col(xp, g, images: images, into: col)
                S.parallelGEMM(transposeA: true, transposeB: false, m: k, n: n, k: images.count * pix, alpha: 1,
                               a: col, lda: k, b: dyp + start * pix * n, ldb: n, beta: start == 0 ? 0 : 1, c: dwp, ldc: n)
            }
        }
        dw = withExtendedLifetime((dyc, xc)) { dw }
        return dw
    }
}

extension UnsafePointer {
    /// The same address as Float, for kernels specialised on Float behind a generic entry point.
    var float: UnsafePointer<Float> { UnsafeRawPointer(self).assumingMemoryBound(to: Float.self) }
}

extension UnsafeMutablePointer {
    var float: UnsafeMutablePointer<Float> { UnsafeMutableRawPointer(self).assumingMemoryBound(to: Float.self) }
}
