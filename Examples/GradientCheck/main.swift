// Your own op and your own layer, with their gradients checked against finite differences.
//
//   swift run -c release GradientCheck
import Foundation
import Tapestry

/// softplus(x) = log(1 + eˣ), written as a new differentiable op: forward with tensor kernels,
/// and its gradient rule — sigmoid(x) — right beside it.
func softplus(_ x: Variable<Double>) -> Variable<Double> {
    let v = x.value
    let y = v.map { $0 > 30 ? $0 : Foundation.log1p(Foundation.exp($0)) }
    return Variable.record(y, op: "softplus", inputs: [x]) { g in [g * v.sigmoid()] }
}

let op = gradientCheck(of: { softplus($0[0]) * $0[1] }, at: [Tensor<Double>.randomNormal([3, 4]), Tensor<Double>.randomNormal([4])])
print("softplus op:", op)

/// A layer with one learned scale per channel — a custom Keras-style layer.
final class ChannelScale: Layer {
    var scale: Variable<Float>!
    override func build(inputShape: [Int]) throws {
        scale = addWeight(name: "scale", shape: [inputShape.last!], initializer: .ones)
    }
    override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> { x * scale }
}

// The whole model — Dense, the custom layer, tanh — checked end to end (Float, so looser tolerances).
let inputs = Input(shape: [5])
let model = Model(inputs: inputs, outputs: Dense(3, activation: .tanh)(ChannelScale()(Dense(4)(inputs))))
let x = Tensor<Float>.randomNormal([2, 5])
let layerCheck = gradientCheck(of: { model.call([Variable(x)], training: false)[0] }, withRespectTo: model.weights,
                               epsilon: 1e-2, relativeTolerance: 2e-2, absoluteTolerance: 1e-3)
print("model with ChannelScale:", layerCheck)
if !op.passed || !layerCheck.passed { exit(1) }
