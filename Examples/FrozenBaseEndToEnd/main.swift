// A frozen VGG16 base inside a Sequential model, trained end to end on augmented images.
// Only the new head learns; the base costs a forward pass per step and keeps no activations.
//
//   swift run -c release FrozenBaseEndToEnd [--quick] [--epochs N]
import Foundation
import Tapestry

let arguments = CommandLine.arguments
let quick = arguments.contains("--quick")
let epochs = arguments.firstIndex(of: "--epochs").map { Int(arguments[$0 + 1])! } ?? (quick ? 1 : 3)
let size = quick ? 64 : 150
setRandomSeed(42)

let data = try FashionMNISTTransferSet.prepare(imageSize: size, counts: quick ? (40, 20, 20) : (2000, 1000, 1000))
let convBase = try VGG16(includeTop: false, weights: .file(TapestryCache.requirePretrainedVGG16()), inputShape: [size, size, 3])
convBase.trainable = false

let model = Sequential([convBase, Flatten(), Dense(256, activation: .relu), Dense(1, activation: .sigmoid)])
print(model.summary())   // 16,812,353 params, 2,097,665 trainable at 150×150

// The tutorials' ImageDataGenerator settings; augmentation only for training.
var augmentation = ImageAugmenter(seed: 42)
augmentation.rotationRange = 40
augmentation.widthShiftRange = 0.2
augmentation.heightShiftRange = 0.2
augmentation.shearRange = 0.2
augmentation.zoom(0.2)
augmentation.horizontalFlip = true
augmentation.fillMode = .nearest

let train = try ImageDataset.fromDirectory(data.directory("train"), imageSize: (size, size), batchSize: 20,
                                           labelMode: .binary, seed: 42)
train.augmentation = augmentation
train.preprocessing = { VGG16.preprocessInput($0) }
let validation = try ImageDataset.fromDirectory(data.directory("validation"), imageSize: (size, size), batchSize: 20,
                                                labelMode: .binary, shuffle: false)
validation.preprocessing = { VGG16.preprocessInput($0) }

model.compile(optimizer: RMSprop(learningRate: 2e-5), loss: .binaryCrossentropy, metrics: [.accuracy])
let history = try model.fit(train, epochs: epochs, validationData: validation)
print(history)
print("curves: \(try history.writeCurves(to: "frozen-base-curves").filter { $0.hasSuffix(".png") })")
