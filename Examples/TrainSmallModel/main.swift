// Trains a small convolutional network to tell horizontal bars from vertical ones in noisy
// 16×16 images, with Keras's progress bar, then prints the History and the test accuracy.
//
//     swift run -c release TrainSmallModel
import Foundation
import TapestryTraining

/// `count` images with one bright bar two pixels thick — horizontal (label 0) or vertical
/// (label 1) — over uniform noise, NHWC with one channel.
func barImages(count: Int, seed: UInt64) -> (x: Tensor<Float>, y: Tensor<Float>) {
    var generator = SeededGenerator(seed: seed)
    var pixels: [Float] = [], labels: [Float] = []
    pixels.reserveCapacity(count * 256)
    for i in 0..<count {
        let vertical = i % 2 == 1
        let position = Int(generator.next() % 12) + 2
        for row in 0..<16 {
            for column in 0..<16 {
                let line = vertical ? column : row
                let onBar = line == position || line == position + 1
                pixels.append((onBar ? 0.6 : 0) + Float(generator.nextUnit()) * 0.5)
            }
        }
        labels.append(vertical ? 1 : 0)
    }
    return (Tensor(shape: [count, 16, 16, 1], scalars: pixels), Tensor(shape: [count, 1], scalars: labels))
}

setRandomSeed(42)
let (trainX, trainY) = barImages(count: 800, seed: 1)
let (testX, testY) = barImages(count: 200, seed: 2)

let model = Sequential([
    InputLayer(shape: [16, 16, 1]),
    Conv2D(8, kernelSize: 3, activation: .relu),
    MaxPooling2D(poolSize: 2),
    Conv2D(16, kernelSize: 3, activation: .relu),
    MaxPooling2D(poolSize: 2),
    Flatten(),
    Dense(16, activation: .relu),
    Dropout(0.25),
    Dense(1, activation: .sigmoid),
], name: "bars")
print(model.summary())

model.compile(optimizer: Adam(learningRate: 0.005), loss: .binaryCrossentropy, metrics: [.accuracy])
let start = Date()
let history = try model.fit(x: trainX, y: trainY, batchSize: 32, epochs: 8, validationSplit: 0.2,
                            callbacks: [EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)])
print(String(format: "\nTrained in %.1f s. History:", Date().timeIntervalSince(start)))
print(history)

let test = try model.evaluate(x: testX, y: testY)
print(String(format: "\nTest: loss %.4f, accuracy %.4f on %d unseen images", test["loss"]!, test["accuracy"]!, testX.shape[0]))
