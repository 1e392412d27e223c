// Fine-tuning block5 of VGG16: train a head on the frozen base, then unfreeze block5_conv1…3
// only and continue with a small learning rate. Blocks 1–4 stay frozen and the images are not
// augmented, so their output is computed once and reused every epoch (the frozen-prefix cache).
//
//   swift run -c release FineTuneBlock5 [--quick]
import Foundation
import Tapestry

let quick = CommandLine.arguments.contains("--quick")
let size = quick ? 64 : 150
setRandomSeed(42)

let data = try FashionMNISTTransferSet.prepare(imageSize: size, counts: quick ? (40, 20, 20) : (2000, 1000, 1000))
let convBase = try VGG16(includeTop: false, weights: .file(TapestryCache.requirePretrainedVGG16()), inputShape: [size, size, 3])

func images(_ split: String) throws -> ImageDataset {
    let ds = try ImageDataset.fromDirectory(data.directory(split), imageSize: (size, size), batchSize: 20,
                                            labelMode: .binary, shuffle: false)
    ds.preprocessing = { VGG16.preprocessInput($0) }
    return ds
}
let (train, validation, test) = (try images("train"), try images("validation"), try images("test"))

// 1. The head on a frozen base.
convBase.trainable = false
let model = Sequential([convBase, Flatten(), Dense(256, activation: .relu), Dropout(0.5), Dense(1, activation: .sigmoid)])
model.compile(optimizer: RMSprop(learningRate: 2e-5), loss: .binaryCrossentropy, metrics: [.accuracy])
try model.fitWithFrozenPrefixCache(train, epochs: quick ? 2 : 10, validationData: validation)
let before = try model.evaluate(test)["accuracy"]!

// 2. Unfreeze block5 only (no recompile needed for the flags; a new optimizer for the new learning rate).
convBase.trainable = true
for layer in convBase.layers { layer.trainable = layer.name.hasPrefix("block5") }
print(model.summary())   // 7,079,424 + 2,097,665 trainable
model.compile(optimizer: RMSprop(learningRate: 1e-5), loss: .binaryCrossentropy, metrics: [.accuracy])
let history = try model.fitWithFrozenPrefixCache(train, epochs: quick ? 1 : 5, validationData: validation)
let after = try model.evaluate(test)["accuracy"]!

print(String(format: "test accuracy: head only %.4f → with block5 fine-tuned %.4f (gain %+.4f)", before, after, after - before))
print("curves: \(try history.writeCurves(to: "fine-tune-block5-curves").filter { $0.hasSuffix(".png") })")
