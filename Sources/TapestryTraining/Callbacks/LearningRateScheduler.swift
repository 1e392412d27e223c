/// Sets the learning rate at the start of each epoch from `schedule(epoch, currentRate)`
/// (Keras `LearningRateScheduler`).
///
/// ```swift
/// LearningRateScheduler { epoch, rate in epoch < 10 ? rate : rate * 0.9 }
/// ```
public final class LearningRateScheduler: Callback {
    let schedule: (Int, Double) -> Double

    public init(_ schedule: @escaping (_ epoch: Int, _ learningRate: Double) -> Double) { self.schedule = schedule }

    public func onEpochBegin(_ epoch: Int, model: Model) throws {
        guard let optimizer = model.optimizer else { return }
        optimizer.learningRate = schedule(epoch, optimizer.learningRate)
    }
}
