import Tapestry

/// head_fit_epoch: one `fit` epoch of Flatten→Dense(256, relu)→Dropout(0.5)→Dense(1, sigmoid) on 2000
/// random (4, 4, 512) features, batch 20, validation on 1000; RMSprop(2e-5), binary cross-entropy,
/// accuracy, silent: seconds per epoch.
func headFitWorkload(quick: Bool) throws -> [String: Any] {
    let (train, validation) = (2000, 1000)
    let features = Tensor<Float>.randomNormal([train, 4, 4, 512]), labels = randomLabels(train)
    let valFeatures = Tensor<Float>.randomNormal([validation, 4, 4, 512]), valLabels = randomLabels(validation)
    let model = Sequential([InputLayer(shape: [4, 4, 512]), Flatten(), Dense(256, activation: .relu), Dropout(0.5),
                            Dense(1, activation: .sigmoid)])
    model.compile(optimizer: RMSprop(learningRate: 2e-5), loss: .binaryCrossentropy, metrics: [.accuracy])
    let r = Repetitions(quick: quick, quickReps: 3, fullReps: 5)
    let times = try r.times {
        try model.fit(x: features, y: labels, batchSize: batchSize, epochs: 1, validationData: (valFeatures, valLabels),
                      verbose: .silent)
    }
    return ["seconds_per_epoch": median(times), "times": times, "train_samples": train, "val_samples": validation]
        .merging(r.fields) { $1 }
}
