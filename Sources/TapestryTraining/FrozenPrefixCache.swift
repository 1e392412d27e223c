import Foundation
import TapestryLayers

/// A model split at its first trainable layer: the frozen, deterministic layers before it and
/// the rest. Both halves are built from the model's own layers, so training the suffix trains
/// the model.
struct FrozenPrefixSplit {
    let prefix: Model
    let suffix: Model
    let prefixLayerNames: [String]

    /// Nil when the model is not a chain, or when no frozen layer precedes the first trainable one.
    /// Dropout is random in training, so the prefix stops before any Dropout layer.
    init?(_ model: Model) {
        guard let chain = model.chainLayers(), let input = model.inputs.first else { return nil }
        guard var cut = chain.firstIndex(where: { !$0.trainableWeights.isEmpty }) else { return nil }
        if let dropout = chain[..<cut].firstIndex(where: { $0 is Dropout }) { cut = dropout }
        guard cut > 0 else { return nil }
        let prefixInput = Input(shape: input.shape)
        var x = prefixInput
        for layer in chain[..<cut] { x = layer(x) }
        let suffixInput = Input(shape: x.shape)
        var y = suffixInput
        for layer in chain[cut...] { y = layer(y) }
        prefix = Model(inputs: prefixInput, outputs: x, name: model.name + "_frozen_prefix")
        suffix = Model(inputs: suffixInput, outputs: y, name: model.name + "_trainable_suffix")
        guard prefix.graphError == nil, suffix.graphError == nil else { return nil }
        prefixLayerNames = chain[..<cut].map(\.name)
    }

    /// The prefix's outputs for every sample of `data`, computed once without a tape.
    func precompute(_ data: BatchSource, verbose: Verbosity) throws -> (x: Tensor<Float>, y: Tensor<Float>) {
        var xs: [Tensor<Float>] = [], ys: [Tensor<Float>] = []
        var iterator = data.makeIterator(epoch: 0)
        let bar = ProgressBar(total: data.batchCount, verbosity: verbose)
        var step = 0
        while let batch = try iterator.next() {
            guard let y = batch.y else { throw TrainingError("frozen-prefix cache: the data has no targets") }
            xs.append(try prefix.predictOnBatch(batch.x)); ys.append(y)
            step += 1
            bar.update(step: step, values: [:])
        }
        bar.finish(values: [:])
        guard !xs.isEmpty else { throw TrainingError("frozen-prefix cache: the data is empty") }
        return (Tensor.concatenate(xs, axis: 0), Tensor.concatenate(ys, axis: 0))
    }
}

extension Model {
    /// Trains with the **frozen-prefix cache**: when the layers before the first trainable one
    /// are frozen and deterministic, their output for each sample is computed once and reused
    /// in every epoch, so an epoch costs only the trainable part. Only for data that is not
    /// augmented (the cached outputs must not change between epochs). Falls back to plain `fit`
    /// — and says so — when the model cannot be split.
    ///
    /// ```swift
    /// base.trainable = true
    /// for layer in base.layers { layer.trainable = layer.name.hasPrefix("block5") }
    /// try model.fitWithFrozenPrefixCache(train, epochs: 10, validationData: validation)
    /// ```
    @discardableResult
    public func fitWithFrozenPrefixCache(_ data: BatchSource, epochs: Int = 1, validationData: BatchSource? = nil,
                                         batchSize: Int? = nil, shuffle: Bool = true, callbacks: [Callback] = [],
                                         verbose: Verbosity = .progressBar,
                                         log: (String) -> Void = { print($0) }) throws -> History {
        let state = try compiled
        guard let split = FrozenPrefixSplit(self) else {
            log("frozen-prefix cache: not used (the model is not a chain with frozen layers before the first trainable one)")
            return try fit(data, epochs: epochs, validationData: validationData, callbacks: callbacks, verbose: verbose)
        }
        let started = Date()
        let train = try split.precompute(data, verbose: verbose)
        let validation = try validationData.map { try split.precompute($0, verbose: verbose) }
        let megabytes = Double((train.x.count + (validation?.x.count ?? 0)) * 4) / 1_048_576
        log(String(format: "frozen-prefix cache: %@ … %@ computed once for %d samples (%.0f MB, %.1f s); epochs run from %@ on",
                   split.prefixLayerNames.first!, split.prefixLayerNames.last!, train.x.shape[0], megabytes,
                   Date().timeIntervalSince(started), split.suffix.chainLayers()?.first?.name ?? "?"))
        split.suffix.compiledState = state
        let size = batchSize ?? (data as? TensorBatches)?.batchSize ?? max(1, (data.sampleCount + data.batchCount - 1) / max(data.batchCount, 1))
        return try split.suffix.fit(TensorBatches(x: train.x, y: train.y, batchSize: size, shuffle: shuffle), epochs: epochs,
                                    validationData: validation.map { TensorBatches(x: $0.x, y: $0.y, batchSize: size) },
                                    callbacks: callbacks, verbose: verbose)
    }
}
