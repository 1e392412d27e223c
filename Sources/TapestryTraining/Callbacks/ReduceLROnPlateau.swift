/// Multiplies the learning rate by `factor` when a monitored quantity has not improved for
/// `patience` epochs (Keras `ReduceLROnPlateau`).
public final class ReduceLROnPlateau: Callback {
    public let monitor: String
    public let factor: Double, patience: Int, minDelta: Double, cooldown: Int, minLearningRate: Double
    let mode: MonitorMode
    private var best: Double, wait = 0, cooldownCounter = 0

    public init(monitor: String = "val_loss", factor: Double = 0.1, patience: Int = 10, minDelta: Double = 1e-4,
                cooldown: Int = 0, minLearningRate: Double = 0) {
        precondition(factor < 1, "ReduceLROnPlateau: factor must be below 1, got \(factor)")
        self.monitor = monitor; self.factor = factor; self.patience = patience; self.minDelta = minDelta
        self.cooldown = cooldown; self.minLearningRate = minLearningRate
        mode = MonitorMode(auto: monitor)
        best = mode.worst
    }

    public func onTrainBegin(model: Model) throws { best = mode.worst; wait = 0; cooldownCounter = 0 }

    public func onEpochEnd(_ epoch: Int, logs: [String: Double], model: Model) throws {
        guard let current = logs[monitor] else {
            throw TrainingError("ReduceLROnPlateau monitors '\(monitor)', which is not among the logged values \(logs.keys.sorted())")
        }
        guard let optimizer = model.optimizer else { return }
        if cooldownCounter > 0 { cooldownCounter -= 1; wait = 0 }
        if mode.isImprovement(current, over: best, minDelta: minDelta) {
            best = current; wait = 0
        } else if cooldownCounter == 0 {
            wait += 1
            if wait >= patience, optimizer.learningRate > minLearningRate {
                optimizer.learningRate = Swift.max(optimizer.learningRate * factor, minLearningRate)
                cooldownCounter = cooldown
                wait = 0
            }
        }
    }
}
