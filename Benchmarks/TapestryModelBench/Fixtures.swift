import Tapestry

/// The batch size of every workload, as in keras_reference.py.
let batchSize = 20

/// VGG16's conv base without weights (Keras `weights=None`: the compute does not depend on the values).
func vgg16(size: Int) throws -> VGG16 {
    try VGG16(includeTop: false, weights: .none, inputShape: [size, size, 3])
}

/// Random images in the range VGG16's preprocessing produces, as keras_reference.py's `images`.
func randomImages(_ count: Int, size: Int) -> Tensor<Float> {
    Tensor<Float>.randomUniform([count, size, size, 3], low: -120, high: 150)
}

/// Random 0/1 labels, shape (count, 1).
func randomLabels(_ count: Int) -> Tensor<Float> {
    var g = SeededGenerator(seed: UInt64(count))
    return Tensor(shape: [count, 1], scalars: (0..<count).map { _ in Float(g.next() & 1) })
}

/// Freezes the base entirely, or (block5) leaves exactly block5_conv1…3 trainable — the Keras way.
func freeze(_ base: VGG16, exceptBlock5 block5: Bool) {
    if block5 {
        base.trainable = true
        for layer in base.layers { layer.trainable = layer.name.hasPrefix("block5") }
    } else {
        base.trainable = false
    }
}

/// keras_reference.py's `classifier`: Sequential([base, Flatten, Dense(256, relu), Dense(1, sigmoid)]),
/// RMSprop, binary cross-entropy, accuracy.
func classifier(on base: VGG16, learningRate: Double) -> Sequential {
    let model = Sequential([base, Flatten(), Dense(256, activation: .relu), Dense(1, activation: .sigmoid)])
    model.compile(optimizer: RMSprop(learningRate: learningRate), loss: .binaryCrossentropy, metrics: [.accuracy])
    return model
}

/// The number of trainable scalars.
func trainableParameterCount(_ model: Model) -> Int { model.trainableWeights.reduce(0) { $0 + $1.value.count } }
