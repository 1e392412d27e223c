// Feature extraction with a frozen VGG16 conv base, as in the Keras tutorials:
// 150×150 images → (4, 4, 512) features once → a small dense classifier trained on them.
//
//   swift run -c release FeatureExtraction [--quick]
import Foundation
import Tapestry

let quick = CommandLine.arguments.contains("--quick")
let size = quick ? 64 : 150
setRandomSeed(42)

// Real images (Fashion-MNIST T-shirt/top vs Shirt, exported as PNG folders) and real pretrained weights.
let data = try FashionMNISTTransferSet.prepare(imageSize: size, counts: quick ? (40, 20, 20) : (2000, 1000, 1000))
let convBase = try VGG16(includeTop: false, weights: .file(TapestryCache.requirePretrainedVGG16()), inputShape: [size, size, 3])
print(convBase.summary())

/// Runs one split through the frozen base in inference mode (no tape, no saved activations).
func extractFeatures(_ split: String) throws -> ExtractedFeatures {
    let images = try ImageDataset.fromDirectory(data.directory(split), imageSize: (size, size), batchSize: 20,
                                                labelMode: .binary, shuffle: false)
    images.preprocessing = { VGG16.preprocessInput($0) }
    return try convBase.extractFeatures(from: images)
}
let train = try extractFeatures("train")
let validation = try extractFeatures("validation")
let test = try extractFeatures("test")
print("features: train \(train.features.shape), validation \(validation.features.shape), test \(test.features.shape)")

let model = Sequential([Flatten(), Dense(256, activation: .relu), Dropout(0.5), Dense(1, activation: .sigmoid)])
model.compile(optimizer: RMSprop(learningRate: 2e-5), loss: .binaryCrossentropy, metrics: [.accuracy])
let history = try model.fit(x: train.features, y: train.labels, batchSize: 20, epochs: quick ? 2 : 30,
                            validationData: (validation.features, validation.labels))
let result = try model.evaluate(x: test.features, y: test.labels)
print(String(format: "test accuracy: %.4f (loss %.4f)", result["accuracy"]!, result["loss"]!))
print("curves: \(try history.writeCurves(to: "feature-extraction-curves").filter { $0.hasSuffix(".png") })")
