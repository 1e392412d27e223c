// A model of your own, written with the functional API: two convolution branches that see the
// image at different scales, merged, then a classifier — trained on all ten Fashion-MNIST classes.
//
//   swift run -c release CustomModel [--quick]
import Foundation
import Tapestry

let quick = CommandLine.arguments.contains("--quick")
setRandomSeed(7)

/// Fashion-MNIST images as (N, 28, 28, 1) in 0…1 with integer labels.
func load(_ split: FashionMNIST.Split, count: Int) throws -> (x: Tensor<Float>, y: Tensor<Float>) {
    let subset = try FashionMNIST.load(split)
    let n = min(count, subset.count)
    let pixels = subset.images.prefix(n * 784).map { Float($0) / 255 }
    return (Tensor(shape: [n, 28, 28, 1], scalars: Array(pixels)), Tensor(shape: [n], scalars: subset.labels.prefix(n).map(Float.init)))
}
let train = try load(.train, count: quick ? 1000 : 10000)
let test = try load(.test, count: quick ? 500 : 2000)

let inputs = Input(shape: [28, 28, 1])
let fine = Conv2D(16, kernelSize: 3, activation: .relu, padding: .same)(inputs)
let coarse = Conv2D(16, kernelSize: 5, activation: .relu, padding: .same)(inputs)
var x = Concatenate()([fine, coarse])                     // (28, 28, 32)
x = MaxPooling2D(poolSize: 2)(x)
let shortcut = Conv2D(32, kernelSize: 1)(x)
x = Conv2D(32, kernelSize: 3, activation: .relu, padding: .same)(x)
x = Add()([x, shortcut])                                  // a residual merge
x = GlobalAveragePooling2D()(x)
x = Dense(64, activation: .relu)(x)
let outputs = Dense(10, activation: .softmax)(x)
let model = Model(inputs: inputs, outputs: outputs, name: "two_scale_classifier")
try model.validate()
print(model.summary())

model.compile(optimizer: Adam(learningRate: 2e-3), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
let history = try model.fit(x: train.x, y: train.y, batchSize: 64, epochs: quick ? 1 : 5, validationSplit: 0.1,
                            callbacks: [EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)])
print(history)
let result = try model.evaluate(x: test.x, y: test.y)
print(String(format: "test accuracy on %d images (10 classes): %.4f", test.x.shape[0], result["accuracy"]!))
