import XCTest
@testable import TapestryTensor

/// Convolution and pooling against direct loops written straight from the definitions.
final class ConvolutionTests: XCTestCase {
    func directConv(_ x: Tensor<Double>, _ w: Tensor<Double>, stride: Int, padding: Padding) -> Tensor<Double> {
        let (n, h, wd, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (kh, kw, co) = (w.shape[0], w.shape[1], w.shape[3])
        let ry = WindowAxis(input: h, window: kh, stride: stride, padding: padding)
        let rx = WindowAxis(input: wd, window: kw, stride: stride, padding: padding)
        var out = Tensor<Double>.zeros([n, ry.output, rx.output, co])
        for b in 0..<n { for oy in 0..<ry.output { for ox in 0..<rx.output { for o in 0..<co {
            var acc = 0.0
            for ky in 0..<kh { for kx in 0..<kw {
                let y = oy * stride - ry.padBefore + ky, xx = ox * stride - rx.padBefore + kx
                guard y >= 0, y < h, xx >= 0, xx < wd else { continue }
                for i in 0..<c { acc += x[b, y, xx, i] * w[ky, kx, i, o] }
            } }
            out[b, oy, ox, o] = acc
        } } } }
        return out
    }

    func testConv2DMatchesDirectLoop() {
        for (stride, padding, cin, cout, size, k) in [(1, Padding.same, 3, 4, 7, 3), (1, .valid, 2, 5, 6, 3), (2, .same, 4, 3, 7, 3),
                                                      (2, .valid, 3, 2, 8, 3), (1, .valid, 5, 6, 4, 1), (2, .same, 1, 8, 5, 2)] {
            let x: Tensor<Double> = seededTensor([2, size, size + 1, cin], seed: UInt64(cin * 10 + cout))
            let w: Tensor<Double> = seededTensor([k, k, cin, cout], seed: UInt64(stride))
            assertClose(Conv2DKernels.forward(x, w, strides: (stride, stride), padding: padding),
                        directConv(x, w, stride: stride, padding: padding), tolerance: 1e-12)
        }
    }

    func testSamePaddingPutsExtraAtBottomRight() {
        let a = WindowAxis(input: 8, window: 3, stride: 2, padding: .same)
        XCTAssertEqual(a.output, 4)
        XCTAssertEqual(a.padBefore, 0)   // total padding 1 → 0 before, 1 after (TensorFlow)
        let b = WindowAxis(input: 7, window: 3, stride: 1, padding: .same)
        XCTAssertEqual(b.padBefore, 1)
        XCTAssertEqual(WindowAxis(input: 7, window: 3, stride: 2, padding: .valid).output, 3)
    }

    func directPool(_ x: Tensor<Double>, size: Int, stride: Int, padding: Padding, max: Bool) -> Tensor<Double> {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let ry = WindowAxis(input: h, window: size, stride: stride, padding: padding)
        let rx = WindowAxis(input: w, window: size, stride: stride, padding: padding)
        var out = Tensor<Double>.zeros([n, ry.output, rx.output, c])
        for b in 0..<n { for oy in 0..<ry.output { for ox in 0..<rx.output { for ch in 0..<c {
            var values: [Double] = []
            for dy in 0..<size { for dx in 0..<size {
                let y = oy * stride - ry.padBefore + dy, xx = ox * stride - rx.padBefore + dx
                if y >= 0, y < h, xx >= 0, xx < w { values.append(x[b, y, xx, ch]) }
            } }
            out[b, oy, ox, ch] = max ? values.max()! : values.reduce(0, +) / Double(values.count)
        } } } }
        return out
    }

    func testPoolingMatchesDirectLoop() {
        let x: Tensor<Double> = seededTensor([2, 7, 6, 3], seed: 11)
        for (size, stride, padding) in [(2, 2, Padding.valid), (3, 2, .same), (3, 1, .valid), (2, 2, .same)] {
            let g = Pool2DKernels.Geometry(inputShape: x.shape, poolSize: (size, size), strides: (stride, stride), padding: padding)
            assertClose(Pool2DKernels.maxForward(x, g), directPool(x, size: size, stride: stride, padding: padding, max: true), tolerance: 1e-12)
            assertClose(Pool2DKernels.averageForward(x, g), directPool(x, size: size, stride: stride, padding: padding, max: false), tolerance: 1e-12)
        }
    }
}
