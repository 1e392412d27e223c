import Foundation
import TapestryAutograd
import TapestryLayers

/// A loss with Keras's definition, including its clipping epsilon (1e-7) for probabilities.
///
/// Each loss maps predictions and targets to one value per sample; the batch loss is their mean
/// (Keras's `sum_over_batch_size` reduction).
///
/// ```swift
/// model.compile(optimizer: RMSprop(learningRate: 2e-5), loss: .binaryCrossentropy, metrics: [.accuracy])
/// ```
public struct Loss: Sendable {
    public enum Kind: Sendable, Equatable {
        case binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, meanSquaredError
    }
    public let kind: Kind
    public let fromLogits: Bool

    /// Keras's `backend.epsilon()`.
    public static let epsilon: Float = 1e-7

    public static let binaryCrossentropy = Loss(kind: .binaryCrossentropy, fromLogits: false)
    public static let categoricalCrossentropy = Loss(kind: .categoricalCrossentropy, fromLogits: false)
    public static let sparseCategoricalCrossentropy = Loss(kind: .sparseCategoricalCrossentropy, fromLogits: false)
    public static let meanSquaredError = Loss(kind: .meanSquaredError, fromLogits: false)
    public static func binaryCrossentropy(fromLogits: Bool) -> Loss { Loss(kind: .binaryCrossentropy, fromLogits: fromLogits) }
    public static func categoricalCrossentropy(fromLogits: Bool) -> Loss { Loss(kind: .categoricalCrossentropy, fromLogits: fromLogits) }
    public static func sparseCategoricalCrossentropy(fromLogits: Bool) -> Loss { Loss(kind: .sparseCategoricalCrossentropy, fromLogits: fromLogits) }

    /// Keras's name for the loss, as `compile` records it.
    public var name: String {
        switch kind {
        case .binaryCrossentropy: return "binary_crossentropy"
        case .categoricalCrossentropy: return "categorical_crossentropy"
        case .sparseCategoricalCrossentropy: return "sparse_categorical_crossentropy"
        case .meanSquaredError: return "mean_squared_error"
        }
    }

    /// Brings targets to the shape the loss compares with predictions of `predictionShape`
    /// (`[N]` labels for `[N, 1]` sigmoid outputs, say), or says why they cannot fit.
    public func conformTargets(_ y: Tensor<Float>, toPredictions predictionShape: [Int]) throws -> Tensor<Float> {
        let n = predictionShape.first ?? 0
        guard y.shape.first == n else {
            throw TrainingError("\(name): \(y.shape.first ?? 0) targets for \(n) predictions (targets \(y.shape), predictions \(predictionShape))")
        }
        switch kind {
        case .sparseCategoricalCrossentropy:
            guard y.count == n else {
                throw TrainingError("\(name) needs one integer class label per sample, got targets of shape \(y.shape) for predictions \(predictionShape)")
            }
            let labels = y.reshaped([n])
            let classes = predictionShape.last ?? 0
            if let bad = labels.scalars.first(where: { $0 < 0 || $0 >= Float(classes) || $0 != $0.rounded() }) {
                throw TrainingError("\(name): label \(bad) is not a class index in 0..<\(classes) (predictions \(predictionShape))")
            }
            return labels
        default:
            if y.shape == predictionShape { return y }
            if y.count == predictionShape.reduce(1, *) && (y.rank == 1 || predictionShape.last == 1) { return y.reshaped(predictionShape) }
            throw TrainingError("\(name) needs targets shaped like the predictions \(predictionShape), got \(y.shape)")
        }
    }

    /// The per-sample losses `[N]` for predictions and conformed targets.
    ///
    /// Like Keras 3, a cross-entropy of probabilities that came straight out of a sigmoid or
    /// softmax is computed from their logits — more accurate, and without the epsilon clip.
    public func perSample(predictions p: Variable<Float>, targets y: Tensor<Float>) -> Variable<Float> {
        if !fromLogits, kind != .meanSquaredError, let logits = p.logits {
            return Loss(kind: kind, fromLogits: true).perSample(predictions: logits, targets: y)
        }
        let t = Variable(y)
        let eps = Loss.epsilon
        switch kind {
        case .meanSquaredError:
            return (p - t).squared().mean(axes: [-1])
        case .binaryCrossentropy:
            if fromLogits {
                // max(z, 0) − z·y + log1p(e^−|z|), TensorFlow's stable sigmoid cross-entropy.
                let z = p
                let negativeAbs = Variable.select(z.value.map { $0 >= 0 ? 1 : 0 }, -z, z)
                return (z.relu() - z * t + Loss.log1p(negativeAbs.exp())).mean(axes: [-1])
            }
            let q = p.clipped(min: eps, max: 1 - eps)
            return -(t * q.log() + (1 - t) * (1 - q).log()).mean(axes: [-1])
        case .categoricalCrossentropy:
            if fromLogits { return -(t * p.logSoftmax(axis: -1)).sum(axes: [-1]) }
            let q = (p / p.sum(axes: [-1], keepDims: true)).clipped(min: eps, max: 1 - eps)
            return -(t * q.log()).sum(axes: [-1])
        case .sparseCategoricalCrossentropy:
            let oneHot = Loss.oneHot(y, classes: p.shape[p.rank - 1])
            let logProbabilities = fromLogits ? p.logSoftmax(axis: -1)
                : (p / p.sum(axes: [-1], keepDims: true)).clipped(min: eps, max: 1 - eps).log()
            return -(Variable(oneHot) * logProbabilities).sum(axes: [-1])
        }
    }

    /// The batch loss: the mean of the per-sample losses.
    public func callAsFunction(predictions: Variable<Float>, targets: Tensor<Float>) -> Variable<Float> {
        perSample(predictions: predictions, targets: targets).mean()
    }

    /// `log1p(x)` with gradient `g / (1 + x)`. Forming `1 + x` first, as `(x + 1).log()` did,
    /// rounds the sum to 1 for x < 6e-8 and loses TensorFlow's tail (a logit of 25 with label 1
    /// costs 1.4e-11, not 0). The gradient is the one `(x + 1).log()` had.
    static func log1p(_ x: Variable<Float>) -> Variable<Float> {
        let value = x.value
        return Variable.record(value.map { Foundation.log1p($0) }, op: "log1p", inputs: [x]) { g in [g / (value + 1)] }
    }

    static func oneHot(_ labels: Tensor<Float>, classes: Int) -> Tensor<Float> {
        let values = labels.scalars
        return Tensor(shape: [values.count, classes]) { p in
            p.initialize(repeating: 0, count: values.count * classes)
            for (i, c) in values.enumerated() { p[i * classes + Int(c)] = 1 }
        }
    }
}

