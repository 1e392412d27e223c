/// Stops training when a monitored quantity stops improving (Keras `EarlyStopping`).
///
/// With `restoreBestWeights`, the weights of the best epoch are put back on every exit from
/// `fit` — an early stop, the last epoch, or an error.
///
/// ```swift
/// try model.fit(x: x, y: y, epochs: 100, validationSplit: 0.2,
///               callbacks: [EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true)])
/// ```
public final class EarlyStopping: Callback {
    public let monitor: String
    public let minDelta: Double, patience: Int
    public let restoreBestWeights: Bool
    public private(set) var stoppedEpoch: Int?
    public private(set) var bestEpoch: Int?
    public private(set) var best: Double
    let mode: MonitorMode
    private var wait = 0
    private var bestWeights: [Tensor<Float>]?

    public init(monitor: String = "val_loss", minDelta: Double = 0, patience: Int = 0, restoreBestWeights: Bool = false) {
        self.monitor = monitor; self.minDelta = Swift.abs(minDelta); self.patience = patience
        self.restoreBestWeights = restoreBestWeights
        mode = MonitorMode(auto: monitor)
        best = mode.worst
    }

    public func onTrainBegin(model: Model) throws {
        wait = 0; stoppedEpoch = nil; bestEpoch = nil; best = mode.worst; bestWeights = nil
    }

    public func onEpochEnd(_ epoch: Int, logs: [String: Double], model: Model) throws {
        guard let current = logs[monitor] else {
            throw TrainingError("EarlyStopping monitors '\(monitor)', which is not among the logged values \(logs.keys.sorted())")
        }
        wait += 1
        if mode.isImprovement(current, over: best, minDelta: minDelta) {
            best = current; bestEpoch = epoch; wait = 0
            if restoreBestWeights { bestWeights = model.getWeights() }
            return
        }
        if wait >= patience && epoch > 0 {
            stoppedEpoch = epoch
            model.stopTraining = true
        }
    }

    public func onTrainEnd(model: Model, logs: [String: Double]) throws {
        if restoreBestWeights, let bestWeights { try model.setWeights(bestWeights) }
    }
}
