import TapestryLayers

extension Model {
    /// The loss and metrics on data, in inference mode (Keras `evaluate`).
    public func evaluate(x: Tensor<Float>, y: Tensor<Float>, batchSize: Int = 32, verbose: Verbosity = .silent) throws -> [String: Double] {
        guard x.shape.first == y.shape.first else {
            throw TrainingError("evaluate: x has \(x.shape.first ?? 0) samples (shape \(x.shape)) but y has \(y.shape.first ?? 0) (shape \(y.shape))")
        }
        return try evaluate(TensorBatches(x: x, y: y, batchSize: batchSize), verbose: verbose)
    }

    /// The loss and metrics over a stream of batches.
    public func evaluate(_ data: BatchSource, verbose: Verbosity = .silent) throws -> [String: Double] {
        let state = try compiled
        let bar = ProgressBar(total: data.batchCount, verbosity: verbose)
        let logs = try evaluateTotals(data, state: state, context: "evaluate", bar: bar).logs()
        bar.finish(values: logs)
        return logs
    }

    func evaluateTotals(_ data: BatchSource, state: CompiledState, context: String, bar: ProgressBar? = nil) throws -> EpochTotals {
        var totals = EpochTotals(state: state)
        var iterator = data.makeIterator(epoch: 0)
        var step = 0
        while let batch = try iterator.next() {
            guard let y = batch.y else { throw TrainingError("\(context): the data has no targets") }
            try checkInput(batch.x, context: context)
            let targets = try state.loss.conformTargets(y, toPredictions: predictionShape(batch: batch.x.shape[0]))
            let predictions = runInference(batch.x)
            let loss = withoutGradients { state.loss(predictions: Variable(predictions), targets: targets).value.scalar }
            totals.add(loss: Double(loss), predictions: predictions, targets: targets)
            step += 1
            bar?.update(step: step, values: totals.logs())
        }
        return totals
    }

    /// The model's outputs for `x`, batch by batch, in inference mode (Keras `predict`).
    public func predict(_ x: Tensor<Float>, batchSize: Int = 32, verbose: Verbosity = .silent) throws -> Tensor<Float> {
        try predict(TensorBatches(x: x, y: nil, batchSize: batchSize), verbose: verbose)
    }

    /// The outputs for every batch of a stream, concatenated in order.
    public func predict(_ data: BatchSource, verbose: Verbosity = .silent) throws -> Tensor<Float> {
        let bar = ProgressBar(total: data.batchCount, verbosity: verbose)
        var iterator = data.makeIterator(epoch: 0)
        var parts: [Tensor<Float>] = []
        var step = 0
        while let batch = try iterator.next() {
            parts.append(try predictOnBatch(batch.x))
            step += 1
            bar.update(step: step, values: [:])
        }
        bar.finish(values: [:])
        guard !parts.isEmpty else { return Tensor(shape: [0] + outputs[0].shape, scalars: []) }
        return parts.count == 1 ? parts[0].contiguous() : Tensor.concatenate(parts, axis: 0)
    }

    /// The model's outputs for one batch (Keras `predict_on_batch`).
    public func predictOnBatch(_ x: Tensor<Float>) throws -> Tensor<Float> {
        try checkInput(x, context: "predict")
        return runInference(x)
    }

    /// The loss and metrics of one batch in inference mode (Keras `test_on_batch`).
    public func testOnBatch(x: Tensor<Float>, y: Tensor<Float>) throws -> [String: Double] {
        try evaluate(TensorBatches(x: x, y: y, batchSize: max(x.shape.first ?? 1, 1)))
    }
}
