import ArgumentParser
import Foundation
import Tapestry

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Classify images with a model saved by `tapestry transfer`.")

    @Option(help: "The model's weights (model.weights.h5 from tapestry transfer; model.json must sit beside it).")
    var weights: String
    @Argument(help: "Image files (JPEG or PNG).") var images: [String]

    func run() throws {
        let description = try ModelDescription.read(from: (weights as NSString).deletingLastPathComponent + "/model.json")
        let model = try description.makeModel()
        try model.loadWeights(from: weights)
        let s = description.imageSize
        for path in images {
            let image = try Image(contentsOfFile: path).converted(toChannels: 3).resized(width: s, height: s, interpolation: .bilinear)
            let x = VGG16.preprocessInput(Tensor(shape: [1, s, s, 3], scalars: image.floatPixels()))
            let p = try model.predictOnBatch(x).scalar
            let label = p >= 0.5 ? 1 : 0
            let confidence = label == 1 ? p : 1 - p
            print(String(format: "%@\t%@\t%.4f", path, description.classNames[label], confidence))
        }
    }
}
