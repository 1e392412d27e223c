/// Hooks into `fit` (Keras callbacks). Every method has an empty default, so a callback
/// implements only what it needs; set `model.stopTraining = true` to end training early.
///
/// ```swift
/// final class PrintLoss: Callback {
///     func onEpochEnd(_ epoch: Int, logs: [String: Double], model: Model) throws { print(epoch, logs["loss"]!) }
/// }
/// ```
public protocol Callback: AnyObject {
    func onTrainBegin(model: Model) throws
    func onTrainEnd(model: Model, logs: [String: Double]) throws
    func onEpochBegin(_ epoch: Int, model: Model) throws
    func onEpochEnd(_ epoch: Int, logs: [String: Double], model: Model) throws
    func onBatchEnd(_ batch: Int, logs: [String: Double], model: Model) throws
}

extension Callback {
    public func onTrainBegin(model: Model) throws {}
    public func onTrainEnd(model: Model, logs: [String: Double]) throws {}
    public func onEpochBegin(_ epoch: Int, model: Model) throws {}
    public func onEpochEnd(_ epoch: Int, logs: [String: Double], model: Model) throws {}
    public func onBatchEnd(_ batch: Int, logs: [String: Double], model: Model) throws {}
}

/// Keras's `mode="auto"`: accuracy-like quantities improve upwards, losses downwards.
enum MonitorMode: Sendable {
    case min, max
    init(auto monitor: String) {
        let m = monitor.replacingOccurrences(of: "val_", with: "")
        self = ["accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy", "precision", "recall", "auc"]
            .contains(m) ? .max : .min
    }
    func isImprovement(_ value: Double, over best: Double, minDelta: Double) -> Bool {
        switch self {
        case .min: return value < best - minDelta
        case .max: return value > best + minDelta
        }
    }
    var worst: Double { self == .min ? .infinity : -.infinity }
}
