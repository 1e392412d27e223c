import TapestryTensor

/// A metric to track during training and evaluation, by its Keras name.
///
/// `.accuracy` resolves like Keras's `"accuracy"` string: binary accuracy (threshold 0.5) for
/// binary cross-entropy, categorical accuracy for categorical cross-entropy, sparse categorical
/// accuracy for the sparse loss. History keys keep the name as given (`accuracy`, `val_accuracy`).
public enum Metric: Sendable, Equatable {
    case accuracy, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy
    /// Binary precision and recall at threshold 0.5, accumulated over the epoch.
    case precision, recall
    case meanSquaredError, meanAbsoluteError
    /// Keras's short names `"mse"` and `"mae"`: the same metrics, logged under the short name as given.
    case mse, mae

    public var name: String {
        switch self {
        case .accuracy: return "accuracy"
        case .binaryAccuracy: return "binary_accuracy"
        case .categoricalAccuracy: return "categorical_accuracy"
        case .sparseCategoricalAccuracy: return "sparse_categorical_accuracy"
        case .precision: return "precision"
        case .recall: return "recall"
        case .meanSquaredError: return "mean_squared_error"
        case .meanAbsoluteError: return "mean_absolute_error"
        case .mse: return "mse"
        case .mae: return "mae"
        }
    }

    /// The concrete metric `.accuracy` stands for under `loss`.
    func resolved(for loss: Loss) -> Metric {
        if self == .mse { return .meanSquaredError }
        if self == .mae { return .meanAbsoluteError }
        guard self == .accuracy else { return self }
        switch loss.kind {
        case .binaryCrossentropy, .meanSquaredError: return .binaryAccuracy
        case .categoricalCrossentropy: return .categoricalAccuracy
        case .sparseCategoricalCrossentropy: return .sparseCategoricalAccuracy
        }
    }
}

/// Running state of one metric over an epoch: a weighted mean, or confusion counts.
struct MetricAccumulator {
    let metric: Metric
    let kind: Metric
    let logitsThreshold: Bool
    private var total = 0.0, count = 0.0
    private var truePositives = 0.0, falsePositives = 0.0, falseNegatives = 0.0

    init(_ metric: Metric, loss: Loss) {
        self.metric = metric
        kind = metric.resolved(for: loss)
        logitsThreshold = loss.fromLogits
    }

    mutating func reset() {
        total = 0; count = 0; truePositives = 0; falsePositives = 0; falseNegatives = 0
    }

    /// Adds a batch of predictions `[N, …]` and conformed targets.
    mutating func update(predictions: Tensor<Float>, targets: Tensor<Float>) {
        let p = predictions.scalars, y = targets.scalars
        let n = predictions.shape.first ?? 0
        // With logits the decision boundary of a sigmoid output sits at 0, not 0.5.
        let threshold: Float = logitsThreshold ? 0 : 0.5
        switch kind {
        case .binaryAccuracy, .accuracy:
            for (pi, yi) in zip(p, y) { total += ((pi > threshold ? 1 : 0) == yi) ? 1 : 0 }
            count += Double(p.count)
        case .categoricalAccuracy:
            let pred = predictions.argmax(axis: -1), truth = targets.argmax(axis: -1)
            total += Double(zip(pred, truth).filter { $0 == $1 }.count); count += Double(n)
        case .sparseCategoricalAccuracy:
            let pred = predictions.argmax(axis: -1)
            total += Double(zip(pred, y).filter { Float($0) == $1 }.count); count += Double(n)
        case .precision, .recall:
            for (pi, yi) in zip(p, y) {
                let predicted = pi > threshold, actual = yi > 0.5
                if predicted && actual { truePositives += 1 } else if predicted { falsePositives += 1 } else if actual { falseNegatives += 1 }
            }
        case .meanSquaredError, .mse:
            for (pi, yi) in zip(p, y) { total += Double((pi - yi) * (pi - yi)) }
            count += Double(p.count)
        case .meanAbsoluteError, .mae:
            for (pi, yi) in zip(p, y) { total += Double(Swift.abs(pi - yi)) }
            count += Double(p.count)
        }
    }

    var result: Double {
        switch kind {
        case .precision: return truePositives + falsePositives == 0 ? 0 : truePositives / (truePositives + falsePositives)
        case .recall: return truePositives + falseNegatives == 0 ? 0 : truePositives / (truePositives + falseNegatives)
        default: return count == 0 ? 0 : total / count
        }
    }
}
