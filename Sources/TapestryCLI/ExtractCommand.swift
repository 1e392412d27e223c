import ArgumentParser
import Foundation
import Tapestry

struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract", abstract: "Extract VGG16 conv-base features of an image folder to .npy files.")

    @Option(help: "A folder with one sub-folder per class.") var data: String
    @Option(help: "Output folder for features.npy, labels.npy and files.txt.") var out = "features"
    @Option(help: "Images are resized to this height and width.") var imageSize = 150
    @Option(help: "Batch size.") var batchSize = 20
    @Option(help: "VGG16 weights (default: the fetched pretrained backbone).") var weights: String?
    @Flag(help: "Use the tutorials' rescale=1/255 instead of VGG16's caffe preprocessing.") var rescale = false

    func run() throws {
        let base = try VGG16(includeTop: false, weights: .file(try TapestryCache.requirePretrainedVGG16(weights)),
                             inputShape: [imageSize, imageSize, 3])
        let dataset = try ImageDataset.fromDirectory(data, imageSize: (imageSize, imageSize), batchSize: batchSize,
                                                     labelMode: .int, shuffle: false, rescale: rescale ? 1.0 / 255 : nil)
        if !rescale { dataset.preprocessing = { VGG16.preprocessInput($0) } }
        let extracted = try base.extractFeatures(from: dataset)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try NumpyFile.write(extracted.features, to: out + "/features.npy")
        try NumpyFile.write(extracted.labels, to: out + "/labels.npy")
        try writeAtomically(extracted.filePaths.joined(separator: "\n") + "\n", to: out + "/files.txt")
        print("features \(extracted.features.shape), labels \(extracted.labels.shape) (classes \(dataset.classNames)) → \(out)")
    }
}
