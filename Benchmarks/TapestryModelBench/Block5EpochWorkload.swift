import Tapestry

/// block5_epoch: block5 fine-tuning epochs (frozen_step's model, only block5_conv1…3 trainable,
/// RMSprop 1e-5) on random 150×150 images, batch 20, with validation — 2000 + 1000 images
/// (--quick: 60 + 20, as keras_reference.py). With the frozen-prefix cache: the first epoch
/// including the cache fill, and the later (cached) epochs; in --quick also one plain `fit` epoch
/// without the cache. After a warm-up on 40 + 20 images (--quick: 20 + 20).
func block5EpochWorkload(quick: Bool) throws -> [String: Any] {
    let (trainCount, valCount) = quick ? (60, 20) : (2000, 1000)
    let warmupCount = quick ? 20 : 40
    let laterEpochs = quick ? 1 : 2
    let base = try vgg16(size: 150)
    freeze(base, exceptBlock5: true)
    let model = classifier(on: base, learningRate: 1e-5)
    let x = randomImages(trainCount, size: 150), y = randomLabels(trainCount)
    let vx = randomImages(valCount, size: 150), vy = randomLabels(valCount)
    var log: [String] = []

    let warmup = try seconds {
        try model.fitWithFrozenPrefixCache(batches(x, y, upTo: warmupCount, shuffle: true), epochs: 1,
                                           validationData: batches(vx, vy, upTo: 20), verbose: .silent) { _ in }
    }
    let timer = EpochTimer()
    let start = now()
    try model.fitWithFrozenPrefixCache(TensorBatches(x: x, y: y, batchSize: batchSize, shuffle: true), epochs: 1 + laterEpochs,
                                       validationData: TensorBatches(x: vx, y: vy, batchSize: batchSize), callbacks: [timer],
                                       verbose: .silent) { log.append($0) }
    let total = now() - start
    guard timer.epochSeconds.count == 1 + laterEpochs, let trainBegin = timer.trainBegin else {
        throw TrainingError("block5_epoch: expected \(1 + laterEpochs) epochs, timed \(timer.epochSeconds.count)")
    }
    let later = Array(timer.epochSeconds.dropFirst())
    var result: [String: Any] = [
        "train_samples": trainCount, "val_samples": valCount, "warmup_seconds": warmup, "cache_log": log,
        "cache_fill_seconds": trainBegin - start,
        "first_epoch_seconds_including_cache_fill": timer.epochEnds[0] - start,
        "first_cached_epoch_seconds": timer.epochSeconds[0],
        "later_epoch_seconds": median(later), "times": later, "total_seconds": total,
        "trainable_params": trainableParameterCount(model), "warmup": 1, "reps": laterEpochs, "warmup_samples": warmupCount,
    ]
    if quick {
        result["epoch_seconds_without_cache"] = try seconds {
            try model.fit(x: x, y: y, batchSize: batchSize, epochs: 1, validationData: (vx, vy), verbose: .silent)
        }
    }
    return result
}

/// The first `count` samples as batches of 20.
private func batches(_ x: Tensor<Float>, _ y: Tensor<Float>, upTo count: Int, shuffle: Bool = false) -> TensorBatches {
    let n = min(count, x.shape[0])
    return TensorBatches(x: x.slice(axis: 0, from: 0, to: n), y: y.slice(axis: 0, from: 0, to: n), batchSize: batchSize,
                         shuffle: shuffle)
}

/// Records when training starts (after the cache fill) and how long each epoch takes, validation included.
final class EpochTimer: Callback {
    private(set) var trainBegin: Double?
    private(set) var epochEnds: [Double] = []
    private(set) var epochSeconds: [Double] = []
    private var epochStart = 0.0

    func onTrainBegin(model: Model) throws { trainBegin = now() }
    func onEpochBegin(_ epoch: Int, model: Model) throws { epochStart = now() }
    func onEpochEnd(_ epoch: Int, logs: [String: Double], model: Model) throws {
        let t = now()
        epochEnds.append(t)
        epochSeconds.append(t - epochStart)
    }
}
