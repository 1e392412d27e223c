import Foundation
import Tapestry

struct TransferOptions {
    var dataDirectory: String?
    var validationSplit: Double
    var imageSize: Int
    var headEpochs: Int
    var fineTune: Bool
    var fineTuneEpochs: Int
    var scratchEpochs: Int
    var compareRescale: Bool
    var weightsPath: String
    var kerasResultPath: String?
    var outputDirectory: String
    var seed: UInt64
    var counts: (train: Int, validation: Int, test: Int)
    var batchSize = 20
}

/// One row of the report: how a model was trained and how it did on the test images.
struct ResultRow: Codable {
    let approach: String
    let preprocessing: String
    let testAccuracy: Double
    let testLoss: Double
    let bestValidationAccuracy: Double
    let epochs: Int
    let seconds: Double
}

/// The tutorials' workflow end to end, on real images and real pretrained weights.
final class TransferJob {
    let options: TransferOptions
    let out: String
    var rows: [ResultRow] = []
    var notes: [String] = []

    init(options: TransferOptions) {
        self.options = options
        out = options.outputDirectory
    }

    func run() throws {
        setRandomSeed(options.seed)
        let started = Date()
        try FileManager.default.createDirectory(atPath: out + "/histories", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: out + "/curves", withIntermediateDirectories: true)
        let data = try TransferData.prepare(options)
        print("data: \(data.description)")
        let base = try VGG16(includeTop: false, weights: .file(options.weightsPath), inputShape: [options.imageSize, options.imageSize, 3])
        print("weights: \(options.weightsPath)\n\(base.weightsLoadReport.map { "\($0)".components(separatedBy: "\n")[0] } ?? "")")
        print(base.summary(), terminator: "")

        // (a) Feature extraction with VGG16's own (caffe) preprocessing; block4_pool is kept for fine-tuning.
        let extractor = FeatureCache(base: base, options: options, data: data)
        let caffe = try extractor.features(preprocessing: .caffe, keepBlock4: options.fineTune)
        let head = try trainHead(on: caffe, name: "feature_extraction", preprocessing: "VGG16 caffe (BGR, mean-subtracted)",
                                 approach: "(a) feature extraction: frozen VGG16 + dense head")
        try head.saveWeights(to: out + "/head.weights.h5")

        if options.compareRescale {
            let rescaled = try extractor.features(preprocessing: .rescale, keepBlock4: false)
            _ = try trainHead(on: rescaled, name: "feature_extraction_rescale", preprocessing: "rescale 1/255 (the tutorials')",
                              approach: "(a) feature extraction: frozen VGG16 + dense head")
        }
        if options.fineTune {
            try fineTuneBlock5(base: base, head: head, features: caffe)
        }
        let model = Sequential([base, head], name: "vgg16_classifier")
        try model.saveWeights(to: out + "/model.weights.h5")
        try ModelDescription(imageSize: options.imageSize, classNames: data.classNames, preprocessing: "caffe",
                             architecture: ModelDescription.vgg16DenseHead).write(to: out + "/model.json")
        if options.scratchEpochs > 0 {
            try trainFromScratch(data)
        }
        try TransferReport(options: options, data: data, rows: rows, notes: notes,
                           seconds: Date().timeIntervalSince(started)).write(to: out)
        print("\nreport: \(out)/report.md")
        for row in rows { print(String(format: "  %@ [%@]: test accuracy %.4f", row.approach, row.preprocessing, row.testAccuracy)) }
    }

    /// The tutorials' head: Flatten → Dense(256, relu) → Dropout(0.5) → Dense(1, sigmoid), RMSprop(2e-5).
    static func makeHead(inputShape: [Int]) -> Sequential {
        let head = Sequential([Flatten(name: "flatten"), Dense(256, activation: .relu, name: "dense"),
                               Dropout(0.5, name: "dropout"), Dense(1, activation: .sigmoid, name: "dense_1")], name: "head")
        head.build(inputShape: inputShape)
        return head
    }

    func trainHead(on f: ExtractedSplits, name: String, preprocessing: String, approach: String) throws -> Sequential {
        print("\n== \(approach) [\(preprocessing)]")
        let head = TransferJob.makeHead(inputShape: Array(f.train.block5.shape.dropFirst()))
        head.compile(optimizer: RMSprop(learningRate: 2e-5), loss: .binaryCrossentropy, metrics: [.accuracy])
        let started = Date()
        let history = try head.fit(x: f.train.block5, y: f.train.labels, batchSize: options.batchSize, epochs: options.headEpochs,
                                   validationData: (f.validation.block5, f.validation.labels),
                                   callbacks: [CSVLogger(out + "/histories/\(name).csv")], verbose: .oneLinePerEpoch)
        let seconds = Date().timeIntervalSince(started)
        let test = try head.evaluate(x: f.test.block5, y: f.test.labels, batchSize: options.batchSize)
        try record(history, name: name, approach: approach, preprocessing: preprocessing, test: test, seconds: seconds)
        return head
    }

    /// (b) Unfreezes block5_conv1…3 only and continues from the trained head with RMSprop(1e-5).
    ///
    /// Blocks 1–4 stay frozen and deterministic and the images are not augmented, so their
    /// output (block4_pool, kept from the extraction pass) is computed once and reused in every
    /// epoch — the frozen-prefix cache — and each step runs block5 and the head only.
    func fineTuneBlock5(base: VGG16, head: Sequential, features f: ExtractedSplits) throws {
        print("\n== (b) fine-tuning block5 (block5_conv1…3 trainable, RMSprop 1e-5)")
        base.trainable = true
        for layer in base.layers { layer.trainable = layer.name.hasPrefix("block5") }
        let input = Input(shape: Array(f.train.block4!.shape.dropFirst()), name: "block4_pool_features")
        var x = input
        for name in ["block5_conv1", "block5_conv2", "block5_conv3", "block5_pool"] { x = try base.layer(named: name)(x) }
        let suffix = Model(inputs: input, outputs: head(x), name: "block5_and_head")
        try suffix.validate()
        suffix.compile(optimizer: RMSprop(learningRate: 1e-5), loss: .binaryCrossentropy, metrics: [.accuracy])
        print("trainable params: \(suffix.trainableWeights.reduce(0) { $0 + $1.value.count }) (block5 convs + head)")
        let note = "frozen-prefix cache: block1_conv1 … block4_pool computed once (during extraction) for \(f.train.labels.shape[0]) training images and reused in all \(options.fineTuneEpochs) fine-tuning epochs"
        print(note)
        notes.append(note)
        let started = Date()
        let history = try suffix.fit(x: f.train.block4!, y: f.train.labels, batchSize: options.batchSize, epochs: options.fineTuneEpochs,
                                     validationData: (f.validation.block4!, f.validation.labels),
                                     callbacks: [CSVLogger(out + "/histories/fine_tune_block5.csv")], verbose: .oneLinePerEpoch)
        let seconds = Date().timeIntervalSince(started)
        let test = try suffix.evaluate(x: f.test.block4!, y: f.test.labels, batchSize: options.batchSize)
        try record(history, name: "fine_tune_block5", approach: "(b) (a) + fine-tuning block5",
                   preprocessing: "VGG16 caffe (BGR, mean-subtracted)", test: test, seconds: seconds)
    }

    /// (c) The tutorials' small convnet trained from scratch on the same images.
    func trainFromScratch(_ data: TransferData) throws {
        print("\n== (c) small CNN from scratch")
        let s = options.imageSize
        let input = Input(shape: [s, s, 3])
        var x = input
        for filters in [32, 64, 128, 128] {
            x = Conv2D(filters, kernelSize: 3, activation: .relu)(x)
            x = MaxPooling2D(poolSize: 2)(x)
        }
        x = Flatten()(x)
        x = Dropout(0.5)(x)
        x = Dense(512, activation: .relu)(x)
        let model = Model(inputs: input, outputs: Dense(1, activation: .sigmoid)(x), name: "small_cnn")
        try model.validate()
        model.compile(optimizer: RMSprop(learningRate: 1e-4), loss: .binaryCrossentropy, metrics: [.accuracy])
        let train = try data.dataset(.train, shuffle: true, rescale: 1.0 / 255)
        let validation = try data.dataset(.validation, shuffle: false, rescale: 1.0 / 255)
        let test = try data.dataset(.test, shuffle: false, rescale: 1.0 / 255)
        let started = Date()
        let history = try model.fit(train, epochs: options.scratchEpochs, validationData: validation,
                                    callbacks: [CSVLogger(out + "/histories/small_cnn_from_scratch.csv")], verbose: .oneLinePerEpoch)
        let seconds = Date().timeIntervalSince(started)
        let result = try model.evaluate(test)
        try record(history, name: "small_cnn_from_scratch", approach: "(c) small CNN from scratch",
                   preprocessing: "rescale 1/255", test: result, seconds: seconds)
    }

    /// Adds the report row and writes the history as JSON and its curves as PNG and SVG.
    func record(_ history: History, name: String, approach: String, preprocessing: String,
                test: [String: Double], seconds: Double) throws {
        rows.append(ResultRow(approach: approach, preprocessing: preprocessing, testAccuracy: test["accuracy"] ?? 0,
                              testLoss: test["loss"] ?? 0, bestValidationAccuracy: history["val_accuracy"].max() ?? 0,
                              epochs: history.epochs.count, seconds: seconds))
        let json = try JSONSerialization.data(withJSONObject: history.history, options: [.prettyPrinted, .sortedKeys])
        try writeAtomically(json, to: out + "/histories/\(name).json")
        try history.writeCurves(to: out + "/curves/\(name)")
    }
}
