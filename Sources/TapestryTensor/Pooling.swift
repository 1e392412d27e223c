/// 2-D max and average pooling over NHWC tensors, with TensorFlow's window semantics: padded
/// positions never win a max and are not counted in an average.
public enum Pool2DKernels {
    public struct Geometry: Equatable, Sendable {
        public let batch: Int, channels: Int
        public let rows: WindowAxis, cols: WindowAxis
        public init(inputShape: [Int], poolSize: (Int, Int), strides: (Int, Int), padding: Padding) {
            precondition(inputShape.count == 4, "pool2d: input must be NHWC, got shape \(inputShape)")
            batch = inputShape[0]; channels = inputShape[3]
            rows = WindowAxis(input: inputShape[1], window: poolSize.0, stride: strides.0, padding: padding)
            cols = WindowAxis(input: inputShape[2], window: poolSize.1, stride: strides.1, padding: padding)
        }
        public var outputShape: [Int] { [batch, rows.output, cols.output, channels] }
        /// The input rows or columns a window covers, clipped to the input.
        @inline(__always) func span(_ a: WindowAxis, _ o: Int) -> Range<Int> {
            let start = o * a.stride - a.padBefore
            return Swift.max(start, 0)..<Swift.min(start + a.window, a.input)
        }
    }

    public static func maxForward<S: TensorScalar>(_ x: Tensor<S>, _ g: Geometry) -> Tensor<S> {
        let xc = x.contiguous()
        let xp = xc.storage.pointer + xc.offset
        let (h, w, c, oh, ow) = (g.rows.input, g.cols.input, g.channels, g.rows.output, g.cols.output)
        let out = Tensor<S>(shape: g.outputShape) { op in
            parallelChunks(g.batch * oh, cost: g.batch * oh * ow * c * g.rows.window * g.cols.window) { range in
                for r in range {
                    let n = r / oh, oy = r % oh
                    for ox in 0..<ow {
                        let d = op + ((n * oh + oy) * ow + ox) * c
                        for ch in 0..<c { d[ch] = -.infinity }
                        for y in g.span(g.rows, oy) {
                            for xx in g.span(g.cols, ox) {
                                let s = xp + ((n * h + y) * w + xx) * c
                                // A select, not a branch, so the loop vectorises (NaN never wins, as before).
                                for ch in 0..<c { let v = s[ch], best = d[ch]; d[ch] = v > best ? v : best }
                            }
                        }
                    }
                }
            }
        }
        return withExtendedLifetime(xc) { out }
    }

    /// Routes each output gradient to the first maximal input of its window.
    public static func maxBackward<S: TensorScalar>(_ dy: Tensor<S>, input x: Tensor<S>, _ g: Geometry) -> Tensor<S> {
        let xc = x.contiguous(), dyc = dy.contiguous()
        let xp = xc.storage.pointer + xc.offset, dyp = dyc.storage.pointer + dyc.offset
        let (h, w, c, oh, ow) = (g.rows.input, g.cols.input, g.channels, g.rows.output, g.cols.output)
        var dx = Tensor<S>(shape: x.shape, repeating: 0)
        let dxp = dx.storage.pointer
        // Windows of one image may overlap, so threads split by image, never within one.
        parallelChunks(g.batch, cost: g.batch * oh * ow * c * g.rows.window * g.cols.window) { range in
            for n in range {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let gy = dyp + ((n * oh + oy) * ow + ox) * c
                        for ch in 0..<c {
                            var best = -S.infinity, at = -1
                            for y in g.span(g.rows, oy) {
                                for xx in g.span(g.cols, ox) {
                                    let i = ((n * h + y) * w + xx) * c + ch
                                    if xp[i] > best || at < 0 { best = xp[i]; at = i }
                                }
                            }
                            if at >= 0 { dxp[at] += gy[ch] }
                        }
                    }
                }
            }
        }
        dx = withExtendedLifetime((xc, dyc)) { dx }
        return dx
    }

    public static func averageForward<S: TensorScalar>(_ x: Tensor<S>, _ g: Geometry) -> Tensor<S> {
        let xc = x.contiguous()
        let xp = xc.storage.pointer + xc.offset
        let (h, w, c, oh, ow) = (g.rows.input, g.cols.input, g.channels, g.rows.output, g.cols.output)
        let out = Tensor<S>(shape: g.outputShape) { op in
            parallelChunks(g.batch * oh, cost: g.batch * oh * ow * c * g.rows.window * g.cols.window) { range in
                for r in range {
                    let n = r / oh, oy = r % oh
                    for ox in 0..<ow {
                        let d = op + ((n * oh + oy) * ow + ox) * c
                        for ch in 0..<c { d[ch] = 0 }
                        let ys = g.span(g.rows, oy), xs = g.span(g.cols, ox)
                        for y in ys {
                            for xx in xs {
                                let s = xp + ((n * h + y) * w + xx) * c
                                for ch in 0..<c { d[ch] += s[ch] }
                            }
                        }
                        let inv = 1 / S(Swift.max(ys.count * xs.count, 1))
                        for ch in 0..<c { d[ch] *= inv }
                    }
                }
            }
        }
        return withExtendedLifetime(xc) { out }
    }

    public static func averageBackward<S: TensorScalar>(_ dy: Tensor<S>, inputShape: [Int], _ g: Geometry) -> Tensor<S> {
        let dyc = dy.contiguous()
        let dyp = dyc.storage.pointer + dyc.offset
        let (h, w, c, oh, ow) = (g.rows.input, g.cols.input, g.channels, g.rows.output, g.cols.output)
        var dx = Tensor<S>(shape: inputShape, repeating: 0)
        let dxp = dx.storage.pointer
        parallelChunks(g.batch, cost: g.batch * oh * ow * c * g.rows.window * g.cols.window) { range in
            for n in range {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let ys = g.span(g.rows, oy), xs = g.span(g.cols, ox)
                        let inv = 1 / S(Swift.max(ys.count * xs.count, 1))
                        let gy = dyp + ((n * oh + oy) * ow + ox) * c
                        for y in ys {
                            for xx in xs {
                                let d = dxp + ((n * h + y) * w + xx) * c
                                for ch in 0..<c { d[ch] += gy[ch] * inv }
                            }
                        }
                    }
                }
            }
        }
        dx = withExtendedLifetime(dyc) { dx }
        return dx
    }
}
