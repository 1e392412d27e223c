import TapestryTensor
import TapestryAutograd

/// Normalises each channel (the last axis) with Keras's semantics.
///
/// In training it uses the batch's mean and (biased) variance and moves the moving statistics
/// by `moving = moving · momentum + batch · (1 − momentum)`. At inference — and whenever the
/// layer is frozen (`trainable == false`), as Keras 3 does for fine-tuning — it uses the moving
/// statistics and never updates them.
public final class BatchNormalization: Layer {
    public let momentum: Float, epsilon: Float
    public let center: Bool, scale: Bool
    public private(set) var gamma: Variable<Float>?, beta: Variable<Float>?
    public private(set) var movingMean: Variable<Float>!, movingVariance: Variable<Float>!

    public init(momentum: Float = 0.99, epsilon: Float = 1e-3, center: Bool = true, scale: Bool = true, name: String? = nil) {
        self.momentum = momentum; self.epsilon = epsilon; self.center = center; self.scale = scale
        super.init(name: name)
    }

    public override func build(inputShape: [Int]) throws {
        guard let channels = inputShape.last else {
            throw LayerError("BatchNormalization '\(name)' needs a channel axis, got \(kerasShapeString(inputShape))")
        }
        if scale { gamma = addWeight(name: "gamma", shape: [channels], initializer: .ones) }
        if center { beta = addWeight(name: "beta", shape: [channels], initializer: .zeros) }
        movingMean = addWeight(name: "moving_mean", shape: [channels], initializer: .zeros, trainable: false)
        movingVariance = addWeight(name: "moving_variance", shape: [channels], initializer: .ones, trainable: false)
    }

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.last == movingMean.shape[0] else {
            throw LayerError("BatchNormalization '\(name)' was built for \(movingMean.shape[0]) channels, got \(kerasShapeString(inputShape))")
        }
        return inputShape
    }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> {
        let axes = Array(0..<(x.rank - 1))
        var y: Variable<Float>
        if training && trainable {
            let mean = x.mean(axes: axes)
            let centered = x - mean
            let variance = centered.squared().mean(axes: axes)
            y = centered / (variance + epsilon).sqrt()
            withoutGradients {
                movingMean.value = movingMean.value * momentum + mean.value * (1 - momentum)
                movingVariance.value = movingVariance.value * momentum + variance.value * (1 - momentum)
            }
        } else {
            y = (x - movingMean) / (movingVariance + epsilon).sqrt()
        }
        if let gamma { y = y * gamma }
        if let beta { y = y + beta }
        return y
    }
}
