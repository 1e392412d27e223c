import TapestryLayers
import TapestryOptimizers

/// What `compile` attaches to a model.
final class CompiledState {
    let optimizer: any Optimizer
    let loss: Loss
    let metrics: [Metric]
    var stopTraining = false
    var warnedNoTrainableWeights = false

    init(optimizer: any Optimizer, loss: Loss, metrics: [Metric]) {
        self.optimizer = optimizer; self.loss = loss; self.metrics = metrics
    }
}

extension Model {
    /// Configures the model for training (Keras `compile`). Freezing changes made after this
    /// take effect at the next step; there is no need to compile again.
    public func compile(optimizer: any Optimizer, loss: Loss, metrics: [Metric] = []) {
        compiledState = CompiledState(optimizer: optimizer, loss: loss, metrics: metrics)
    }

    var compiled: CompiledState {
        get throws {
            guard let state = compiledState as? CompiledState else {
                throw TrainingError("model '\(name)' is not compiled: call compile(optimizer:loss:metrics:) before fit, evaluate or trainOnBatch")
            }
            return state
        }
    }

    /// The optimizer given to `compile`, if any.
    public var optimizer: (any Optimizer)? { (compiledState as? CompiledState)?.optimizer }

    /// The loss given to `compile`, if any.
    public var loss: Loss? { (compiledState as? CompiledState)?.loss }

    /// Set by a callback to end `fit` after the current epoch (Keras `model.stop_training`).
    public var stopTraining: Bool {
        get { (compiledState as? CompiledState)?.stopTraining ?? false }
        set { (compiledState as? CompiledState)?.stopTraining = newValue }
    }
}
