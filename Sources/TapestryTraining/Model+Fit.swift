import Foundation
import TapestryLayers

extension Model {
    /// Trains on tensors held in memory (Keras `fit`). The last partial batch is kept.
    ///
    /// ```swift
    /// model.compile(optimizer: RMSprop(learningRate: 2e-5), loss: .binaryCrossentropy, metrics: [.accuracy])
    /// let history = try model.fit(x: trainX, y: trainY, batchSize: 20, epochs: 30, validationData: (valX, valY))
    /// ```
    ///
    /// `validationSplit` holds out the last fraction of `x` and `y` (before shuffling), as Keras does.
    @discardableResult
    public func fit(x: Tensor<Float>, y: Tensor<Float>, batchSize: Int = 32, epochs: Int = 1,
                    validationData: (Tensor<Float>, Tensor<Float>)? = nil, validationSplit: Double = 0,
                    shuffle: Bool = true, callbacks: [Callback] = [], verbose: Verbosity = .progressBar,
                    initialEpoch: Int = 0) throws -> History {
        guard x.shape.first == y.shape.first else {
            throw TrainingError("fit: x has \(x.shape.first ?? 0) samples (shape \(x.shape)) but y has \(y.shape.first ?? 0) (shape \(y.shape))")
        }
        guard batchSize > 0 else { throw TrainingError("fit: batchSize must be positive, got \(batchSize)") }
        guard validationSplit >= 0 && validationSplit < 1 else {
            throw TrainingError("fit: validationSplit must be in [0, 1), got \(validationSplit)")
        }
        var trainX = x, trainY = y
        var validation = validationData.map { TensorBatches(x: $0.0, y: $0.1, batchSize: batchSize) }
        if let (vx, vy) = validationData, vx.shape.first != vy.shape.first {
            throw TrainingError("fit: validation x has \(vx.shape.first ?? 0) samples (shape \(vx.shape)) but validation y has \(vy.shape.first ?? 0) (shape \(vy.shape))")
        }
        if validationSplit > 0 && validationData == nil {
            // Keras: split_at = floor(n * (1 - validation_split)), and both parts must be non-empty.
            let n = x.shape[0], splitAt = Int((Double(n) * (1 - validationSplit)).rounded(.down))
            guard splitAt > 0 && splitAt < n else {
                throw TrainingError("fit: validationSplit \(validationSplit) of \(n) samples leaves \(splitAt) for training and \(n - splitAt) for validation; both must be non-empty")
            }
            trainX = x.slice(axis: 0, from: 0, to: splitAt); trainY = y.slice(axis: 0, from: 0, to: splitAt)
            validation = TensorBatches(x: x.slice(axis: 0, from: splitAt, to: n), y: y.slice(axis: 0, from: splitAt, to: n), batchSize: batchSize)
        }
        return try fit(TensorBatches(x: trainX, y: trainY, batchSize: batchSize, shuffle: shuffle), epochs: epochs,
                       validationData: validation, callbacks: callbacks, verbose: verbose, initialEpoch: initialEpoch)
    }

    /// Trains on a stream of batches — an image-folder dataset, or any ``BatchSource``.
    @discardableResult
    public func fit(_ data: BatchSource, epochs: Int = 1, validationData: BatchSource? = nil,
                    callbacks: [Callback] = [], verbose: Verbosity = .progressBar, initialEpoch: Int = 0) throws -> History {
        let state = try compiled
        state.stopTraining = false
        let history = History()
        var lastLogs: [String: Double] = [:]
        for callback in callbacks { try callback.onTrainBegin(model: self) }
        do {
            for epoch in initialEpoch..<epochs {
                for callback in callbacks { try callback.onEpochBegin(epoch, model: self) }
                if verbose != .silent { print("Epoch \(epoch + 1)/\(epochs)") }
                let bar = ProgressBar(total: data.batchCount, verbosity: verbose)
                var totals = EpochTotals(state: state)
                var iterator = data.makeIterator(epoch: epoch)
                var step = 0
                while let batch = try iterator.next() {
                    guard let y = batch.y else { throw TrainingError("fit: the training data has no targets") }
                    let context = "fit, epoch \(epoch + 1), step \(step + 1)"
                    let result = try runTrainStep(x: batch.x, y: y, state: state, context: context)
                    totals.add(loss: result.loss, predictions: result.predictions, targets: result.targets)
                    step += 1
                    let logs = totals.logs()
                    bar.update(step: step, values: logs)
                    for callback in callbacks { try callback.onBatchEnd(step - 1, logs: logs, model: self) }
                }
                var logs = totals.logs()
                if let validationData {
                    logs.merge(try evaluateTotals(validationData, state: state, context: "validation after epoch \(epoch + 1)")
                        .logs(prefix: "val_")) { $1 }
                }
                bar.finish(values: logs)
                history.record(epoch: epoch, logs: logs)
                lastLogs = logs
                for callback in callbacks { try callback.onEpochEnd(epoch, logs: logs, model: self) }
                if state.stopTraining { break }
            }
        } catch {
            // Callbacks such as EarlyStopping(restoreBestWeights:) must see every exit.
            for callback in callbacks { try? callback.onTrainEnd(model: self, logs: lastLogs) }
            throw error
        }
        for callback in callbacks { try callback.onTrainEnd(model: self, logs: lastLogs) }
        return history
    }

    /// Runs one optimisation step on one batch and returns its loss and metrics (Keras `train_on_batch`).
    @discardableResult
    public func trainOnBatch(x: Tensor<Float>, y: Tensor<Float>) throws -> [String: Double] {
        let state = try compiled
        let result = try runTrainStep(x: x, y: y, state: state, context: "trainOnBatch")
        var totals = EpochTotals(state: state)
        totals.add(loss: result.loss, predictions: result.predictions, targets: result.targets)
        return totals.logs()
    }
}
