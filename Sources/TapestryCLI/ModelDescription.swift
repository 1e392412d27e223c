import Foundation
import Tapestry

/// What `tapestry predict` needs to rebuild a model saved by `tapestry transfer`.
struct ModelDescription: Codable {
    static let vgg16DenseHead = "vgg16-notop + flatten/dense256-relu/dropout0.5/dense1-sigmoid"
    let imageSize: Int
    let classNames: [String]
    let preprocessing: String
    let architecture: String

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(try encoder.encode(self), to: path)
    }

    static func read(from path: String) throws -> ModelDescription {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("no model description at \(path) (tapestry transfer writes model.json next to model.weights.h5)")
        }
        do { return try JSONDecoder().decode(ModelDescription.self, from: data) } catch {
            throw CLIError("\(path) is not a model description: \(error)")
        }
    }

    /// The classifier's architecture with fresh weights, ready for `loadWeights`.
    func makeModel() throws -> Model {
        guard architecture == ModelDescription.vgg16DenseHead else { throw CLIError("unknown architecture '\(architecture)'") }
        let base = try VGG16(includeTop: false, weights: .none, inputShape: [imageSize, imageSize, 3])
        let head = TransferJob.makeHead(inputShape: base.outputs[0].shape)
        return Sequential([base, head], name: "vgg16_classifier")
    }
}
