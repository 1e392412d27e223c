import Foundation
import TapestryIO

/// The files Swift writes for `check_roundtrip.py`: mini_vgg and the classifier with the
/// fixture's reference weights, in both layouts (and the legacy one from a fine-tuning model).
enum RoundTripFiles {
    /// check_roundtrip.py option → file name in `Fixtures/tapestry_written`.
    static let files: [(kind: String, name: String)] = [
        ("base_weights", "mini_vgg.weights.h5"),
        ("base_legacy", "mini_vgg_legacy.h5"),
        ("model_weights", "mini_vgg_model.weights.h5"),
        ("model_legacy", "mini_vgg_model_legacy.h5"),
        ("model_legacy_finetune", "mini_vgg_model_legacy_finetune_order.h5"),
    ]

    /// Builds the models, gives them Keras's reference weights and writes every file into `directory`.
    static func write(into directory: String) throws {
        let reference = MiniVGGReference.shared
        func withReferenceWeights() throws -> (Model, Sequential) {
            let (base, model) = MiniVGG.classifier()
            for weight in reference.weights {
                guard let variable = MiniVGG.variable(model, layer: weight.layer, name: weight.name) else {
                    throw TrainingError("no weight \(weight.path) in the Swift mini_vgg")
                }
                variable.value = weight.value.tensor
            }
            return (base, model)
        }
        for (kind, name) in files {
            let (base, model) = try withReferenceWeights()
            if kind == "model_legacy_finetune" { MiniVGG.setFinetuneTrainability(base) }
            let target: Model = kind.hasPrefix("base") ? base : model
            try target.saveWeights(to: directory + "/" + name)
        }
    }
}
