import XCTest
import TapestryTensor
import TapestryAutograd

/// Every differentiable op against central finite differences, in Double, on contiguous,
/// transposed, sliced and broadcast (stride-0) inputs. Inputs stay away from kinks.
final class GradientCheckTests: XCTestCase {
    func check(_ name: String, shapes: [[Int]], low: Double = -1, high: Double = 1, layouts: [Layout] = Layout.allCases,
               file: StaticString = #filePath, line: UInt = #line, _ f: @escaping ([Variable<Double>]) -> Variable<Double>) {
        for layout in layouts {
            let inputs = shapes.enumerated().map { layout.make($0.element, seed: UInt64($0.offset + 1), low: low, high: high) }
            let result = gradientCheck(of: f, at: inputs)
            XCTAssertTrue(result.passed, "\(name) [\(layout)]: \(result)", file: file, line: line)
        }
    }

    func testArithmeticWithBroadcasting() {
        check("add", shapes: [[3, 4], [3, 4]]) { $0[0] + $0[1] }
        check("subtract", shapes: [[3, 4], [3, 4]]) { $0[0] - $0[1] }
        check("multiply", shapes: [[3, 4], [3, 4]]) { $0[0] * $0[1] }
        check("divide", shapes: [[3, 4], [3, 4]], low: 0.5, high: 2) { $0[0] / $0[1] }
        check("negate", shapes: [[3, 4]]) { -$0[0] }
        check("scalars", shapes: [[3, 4]]) { (2 - ($0[0] * 3 + 1) / 4) * 0.5 }
        // Broadcasting inside the op: the tape must sum the gradient back to [4] and [3, 1].
        check("add broadcast", shapes: [[3, 4]]) { x in x[0] + Variable(Tensor<Double>(shape: [4], scalars: [1, 2, 3, 4]), requiresGrad: false) }
        let broadcastPair = gradientCheck(of: { $0[0] * $0[1] - $0[2] }, at: [Layout.contiguous.make([3, 4], seed: 1),
                                                                              Layout.contiguous.make([4], seed: 2),
                                                                              Layout.contiguous.make([3, 1], seed: 3)])
        XCTAssertTrue(broadcastPair.passed, "\(broadcastPair)")
    }

    func testMath() {
        check("exp", shapes: [[3, 4]]) { $0[0].exp() }
        check("log", shapes: [[3, 4]], low: 0.5, high: 2) { $0[0].log() }
        check("sqrt", shapes: [[3, 4]], low: 0.5, high: 2) { $0[0].sqrt() }
        check("square", shapes: [[3, 4]]) { $0[0].squared() }
        check("pow", shapes: [[3, 4]], low: 0.5, high: 2) { $0[0].pow(2.5) }
        check("clip", shapes: [[3, 4]], low: -0.4, high: 0.4) { $0[0].clipped(min: -0.5, max: 0.5) }
        let condition = Tensor<Double>(shape: [3, 4], scalars: (0..<12).map { Double($0 % 2) })
        check("where", shapes: [[3, 4], [3, 4]]) { Variable.select(condition, $0[0], $0[1]) }
    }

    func testReductions() {
        check("sum all", shapes: [[3, 4]]) { $0[0].sum() }
        check("sum axis", shapes: [[3, 4]]) { $0[0].sum(axes: [0]) }
        check("sum keepdims", shapes: [[2, 3, 4]]) { $0[0].sum(axes: [1, 2], keepDims: true) }
        check("mean", shapes: [[3, 4]]) { $0[0].mean(axes: [1]) }
        check("max", shapes: [[3, 4]], layouts: [.contiguous, .transposed, .sliced]) { $0[0].max(axes: [1]) }
        check("max all", shapes: [[3, 4]], layouts: [.contiguous, .transposed]) { $0[0].max() }
    }

    func testLayoutOps() {
        check("reshape", shapes: [[3, 4]]) { $0[0].reshaped([2, 6]) * $0[0].reshaped([2, 6]) }
        check("permute", shapes: [[2, 3, 4]]) { $0[0].permuted([2, 0, 1]).squared() }
        check("transpose", shapes: [[3, 4]]) { $0[0].transposed().exp() }
        check("slice", shapes: [[4, 6]]) { $0[0].slice(axis: 1, from: 1, to: 6, step: 2).squared() }
        check("expand", shapes: [[1, 4]], layouts: [.contiguous, .sliced]) { $0[0].expanded(to: [3, 4]).squared() }
        check("squeeze/unsqueeze", shapes: [[3, 1, 4]], layouts: [.contiguous]) { $0[0].squeezed().unsqueezed(axis: 0).exp() }
        check("concatenate", shapes: [[3, 2], [3, 4]]) { Variable.concatenate([$0[0], $0[1]], axis: 1).squared() }
        check("stack", shapes: [[3, 4], [3, 4]]) { Variable.stack([$0[0], $0[1]], axis: 1).squared() }
        check("split", shapes: [[3, 5]]) { x in
            let parts = x[0].split(sizes: [2, 3], axis: 1)
            return parts[0].sum(axes: [1]) * parts[1].squared().sum(axes: [1])
        }
    }

    func testMatMul() {
        check("matmul", shapes: [[3, 4], [4, 5]]) { $0[0].matmul($0[1]) }
        check("batched matmul", shapes: [[2, 3, 4], [2, 4, 5]], layouts: [.contiguous, .transposed, .sliced]) { $0[0].matmul($0[1]) }
        check("broadcast batch matmul", shapes: [[2, 3, 4], [4, 5]], layouts: [.contiguous, .transposed]) { $0[0].matmul($0[1]) }
    }

    func testActivations() {
        // Inputs in [0.1, 1] and [-1, -0.1] keep relu and leaky relu away from their kink at 0.
        for (low, high) in [(0.1, 1.0), (-1.0, -0.1)] {
            check("relu", shapes: [[3, 4]], low: low, high: high) { $0[0].relu() }
            check("leaky relu", shapes: [[3, 4]], low: low, high: high) { $0[0].leakyRelu() }
            check("elu", shapes: [[3, 4]], low: low, high: high) { $0[0].elu(alpha: 1.5) }
        }
        check("sigmoid", shapes: [[3, 4]], low: -3, high: 3) { $0[0].sigmoid() }
        check("tanh", shapes: [[3, 4]]) { $0[0].tanh() }
        check("gelu", shapes: [[3, 4]], low: -2, high: 2) { $0[0].gelu() }
        check("gelu tanh", shapes: [[3, 4]], low: -2, high: 2) { $0[0].gelu(approximate: true) }
        check("softmax", shapes: [[3, 4]], low: -2, high: 2) { $0[0].softmax() }
        check("softmax axis 0", shapes: [[3, 4]], low: -2, high: 2) { $0[0].softmax(axis: 0) }
        check("log softmax", shapes: [[3, 4]], low: -2, high: 2) { $0[0].logSoftmax() }
    }

    func testConvolution() {
        for (stride, padding) in [(1, Padding.same), (1, .valid), (2, .same), (2, .valid)] {
            for (cin, cout) in [(1, 2), (3, 4)] {
                check("conv2d s\(stride) \(padding) \(cin)→\(cout)", shapes: [[2, 5, 6, cin], [3, 3, cin, cout]],
                      layouts: [.contiguous, .transposed, .sliced]) {
                    $0[0].conv2d($0[1], strides: (stride, stride), padding: padding)
                }
            }
        }
        check("conv2d 1x1", shapes: [[2, 3, 3, 4], [1, 1, 4, 2]], layouts: [.contiguous, .sliced]) { $0[0].conv2d($0[1]) }
    }

    /// The fused op of Conv2D layers: convolution, bias and ReLU with one gradient rule.
    func testConvolutionWithBiasAndReLU() {
        for (stride, padding) in [(1, Padding.same), (2, .valid)] {
            for relu in [false, true] {
                check("conv2d+bias\(relu ? "+relu" : "") s\(stride) \(padding)", shapes: [[2, 5, 6, 3], [3, 3, 3, 4], [4]],
                      layouts: [.contiguous, .sliced]) {
                    $0[0].conv2d($0[1], bias: $0[2], relu: relu, strides: (stride, stride), padding: padding)
                }
            }
        }
        // The ReLU really clamps: some outputs are zero and get no gradient, others pass it on.
        let x = Variable(Tensor<Double>(shape: [1, 1, 2, 1], scalars: [1, -1]), requiresGrad: true)
        let w = Variable(Tensor<Double>(shape: [1, 1, 1, 1], scalars: [2]), requiresGrad: true)
        let b = Variable(Tensor<Double>(shape: [1], scalars: [0.5]), requiresGrad: true)
        let tape = GradientTape()
        let y = tape.record { x.conv2d(w, bias: b, relu: true).sum() }
        XCTAssertEqual(y.value.scalars, [2.5])
        let grads = tape.gradient(of: y, withRespectTo: [x, w, b])
        XCTAssertEqual(grads[0].scalars, [2, 0])
        XCTAssertEqual(grads[1].scalars, [1])
        XCTAssertEqual(grads[2].scalars, [1])
    }

    func testPooling() {
        // Max pooling needs distinct values in each window; random uniform inputs have them.
        for (size, stride, padding) in [(2, 2, Padding.valid), (3, 2, .same), (2, 1, .valid)] {
            check("max pool \(size)/\(stride) \(padding)", shapes: [[2, 5, 6, 3]], layouts: [.contiguous, .transposed, .sliced]) {
                $0[0].maxPool2D(poolSize: (size, size), strides: (stride, stride), padding: padding)
            }
            check("avg pool \(size)/\(stride) \(padding)", shapes: [[2, 5, 6, 3]]) {
                $0[0].averagePool2D(poolSize: (size, size), strides: (stride, stride), padding: padding)
            }
        }
    }

    func testDropout() {
        check("dropout", shapes: [[4, 5]]) { x in
            var g = SeededGenerator(seed: 5)   // the same mask on every evaluation
            return x[0].dropout(rate: 0.4, using: &g)
        }
    }
}
