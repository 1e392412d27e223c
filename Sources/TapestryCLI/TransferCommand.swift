import ArgumentParser
import Foundation
import Tapestry

struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Run the transfer-learning workflow: VGG16 feature extraction, a dense head, block5 fine-tuning, a CNN from scratch.",
        discussion: """
            With no --data, runs on the built-in default: Fashion-MNIST Shirt vs T-shirt/top exported from Debian's \
            dataset-fashion-mnist as 150×150 RGB PNGs (2000 train / 1000 validation / 1000 test) and the pretrained \
            VGG16 backbone fetched by Scripts/fetch-pretrained-vgg16.
            """)

    @Option(help: "Image folders: DIR/train, DIR/validation, DIR/test with one sub-folder per class (or one folder, split with --validation-split).")
    var data: String?
    @Option(help: "Fraction of a single --data folder held out for validation (and as much again for test).")
    var validationSplit: Double = 0.2
    @Option(help: "Images are resized to this height and width.") var imageSize = 150
    @Option(help: "Epochs for the dense head on extracted features.") var epochs = 30
    @Flag(inversion: .prefixedNo, help: "Fine-tune block5 after training the head.") var fineTuneBlock5 = true
    @Option(help: "Epochs of block5 fine-tuning.") var fineTuneEpochs = 5
    @Option(help: "Epochs for the small CNN trained from scratch (0 skips it).") var scratchEpochs = 10
    @Option(help: "Also train a head on features from the tutorials' rescale=1/255 preprocessing (a second extraction pass).")
    var compareRescale = true
    @Option(help: "VGG16 weights (Keras legacy .h5 or .weights.h5). Default: the fetched pretrained backbone.")
    var weights: String?
    @Option(help: "Keras's results for the same pipeline (JSON from Benchmarks/keras_transfer.py), shown side by side.")
    var kerasResult: String?
    @Option(help: "Output folder for the report, curves, histories and weights.") var out = "tapestry-out"
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Flag(help: "A small, fast setting (64×64 images, 40/20/20 of the default data, 2 epochs) for CI and smoke tests.")
    var quick = false

    func run() throws {
        var options = TransferOptions(
            dataDirectory: data, validationSplit: validationSplit, imageSize: imageSize, headEpochs: epochs,
            fineTune: fineTuneBlock5, fineTuneEpochs: fineTuneEpochs, scratchEpochs: scratchEpochs,
            compareRescale: compareRescale, weightsPath: try TapestryCache.requirePretrainedVGG16(weights),
            kerasResultPath: kerasResult, outputDirectory: out, seed: seed, counts: (2000, 1000, 1000))
        if quick {
            options.imageSize = min(imageSize, 64); options.counts = (40, 20, 20)
            options.headEpochs = min(epochs, 2); options.fineTuneEpochs = min(fineTuneEpochs, 1)
            options.scratchEpochs = min(scratchEpochs, 1)
        }
        try TransferJob(options: options).run()
    }
}
