import Foundation
import TapestryLayers
import TapestryOptimizers

extension Model {
    /// Checks a batch against the model's input, building a ``Sequential`` on first sight.
    func checkInput(_ x: Tensor<Float>, context: String) throws {
        let sample = Array(x.shape.dropFirst())
        if inputs.isEmpty, let sequential = self as? Sequential { sequential.build(inputShape: sample) }
        try validate()
        guard inputs.count == 1, outputs.count == 1 else {
            throw TrainingError("\(context): model '\(name)' has \(inputs.count) inputs and \(outputs.count) outputs; fit, evaluate and predict take single-input, single-output models (use a GradientTape loop for others)")
        }
        guard sample == inputs[0].shape else {
            throw TrainingError("\(context): model '\(name)' expects input \(kerasShapeString(inputs[0].shape)), got a batch of shape \(x.shape)")
        }
    }

    /// The prediction shape for a batch of `n` samples.
    func predictionShape(batch n: Int) -> [Int] { [n] + outputs[0].shape }

    /// Marks exactly the trainable weights as needing gradients. Run at every step, so changes to
    /// `trainable` take effect without recompiling; frozen weights become constants to the tape.
    func prepareWeightsForTraining() -> [Variable<Float>] {
        let trainable = trainableWeights
        for w in weights { w.requiresGrad = false }
        for w in trainable { w.requiresGrad = true }
        return trainable
    }

    /// One optimisation step; returns the batch loss and the predictions made with training on.
    func runTrainStep(x: Tensor<Float>, y: Tensor<Float>, state: CompiledState, context: String) throws
        -> (loss: Double, predictions: Tensor<Float>, targets: Tensor<Float>) {
        try checkInput(x, context: context)
        let targets = try state.loss.conformTargets(y, toPredictions: predictionShape(batch: x.shape[0]))
        let trainable = prepareWeightsForTraining()
        if trainable.isEmpty && !state.warnedNoTrainableWeights {
            state.warnedNoTrainableWeights = true
            FileHandle.standardError.write(Data("warning: model '\(name)' has no trainable weights; fit only evaluates it\n".utf8))
        }
        let tape = GradientTape()
        var predictions: Variable<Float>?
        let loss = tape.record { () -> Variable<Float> in
            let p = call([Variable(x)], training: true)[0]
            predictions = p
            return state.loss(predictions: p, targets: targets)
        }
        let value = Double(loss.value.scalar)
        guard value.isFinite else {
            throw TrainingError("\(context): the loss became \(value) — training diverged (try a lower learning rate, or check the inputs for NaN)")
        }
        if !trainable.isEmpty {
            let grads = tape.gradient(of: loss, withRespectTo: trainable)
            withoutGradients { state.optimizer.apply(gradients: grads, to: trainable) }
        }
        return (value, predictions!.value, targets)
    }

    /// Forward pass in inference mode, recording nothing.
    func runInference(_ x: Tensor<Float>) -> Tensor<Float> {
        withoutGradients { call([Variable(x)], training: false)[0].value }
    }
}

/// The running loss (weighted by batch size, as Keras) and metrics over an epoch.
struct EpochTotals {
    var lossSum = 0.0, samples = 0
    var metrics: [MetricAccumulator]

    init(state: CompiledState) { metrics = state.metrics.map { MetricAccumulator($0, loss: state.loss) } }

    mutating func add(loss: Double, predictions: Tensor<Float>, targets: Tensor<Float>) {
        let n = predictions.shape[0]
        lossSum += loss * Double(n); samples += n
        for i in metrics.indices { metrics[i].update(predictions: predictions, targets: targets) }
    }

    func logs(prefix: String = "") -> [String: Double] {
        var logs = [prefix + "loss": samples == 0 ? 0 : lossSum / Double(samples)]
        for m in metrics { logs[prefix + m.metric.name] = m.result }
        return logs
    }
}
