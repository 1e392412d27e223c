import Tapestry

/// frozen_step / block5_step: `trainOnBatch` of Sequential([VGG16, Flatten, Dense 256, Dense 1]) at
/// 150×150, batch 20 — the base frozen (RMSprop 2e-5), or only block5_conv1…3 trainable (RMSprop 1e-5):
/// seconds per step.
func trainStepWorkload(block5: Bool, quick: Bool) throws -> [String: Any] {
    let base = try vgg16(size: 150)
    freeze(base, exceptBlock5: block5)
    let learningRate = block5 ? 1e-5 : 2e-5
    let model = classifier(on: base, learningRate: learningRate)
    let x = randomImages(batchSize, size: 150), y = randomLabels(batchSize)
    let r = Repetitions(quick: quick, quickReps: 3, fullReps: 7)
    let times = try r.times { try model.trainOnBatch(x: x, y: y) }
    return ["seconds_per_step": median(times), "times": times, "trainable_params": trainableParameterCount(model),
            "learning_rate": learningRate].merging(r.fields) { $1 }
}
