import Foundation
import TapestryTensor

/// One ImageNet class in a decoded prediction.
public struct ImageNetPrediction: Equatable, Sendable, CustomStringConvertible {
    /// The WordNet id, e.g. `n01440764`.
    public let classID: String
    /// Keras's class name, e.g. `tench`.
    public let name: String
    public let probability: Float
    public var description: String { "\(name) (\(classID)): \(String(format: "%.4f", probability))" }
}

/// The 1000 ImageNet-1k classes in model output order, shipped as a package resource.
public enum ImageNetClasses {
    /// `(classID, name)` for each output index.
    public static let all: [(classID: String, name: String)] = {
        guard let url = Bundle.module.url(forResource: "imagenet_class_index", withExtension: "tsv"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t")
            return (String(parts[1]), String(parts[2]))
        }
    }()
}

/// The `top` most probable ImageNet classes of each row of `predictions` (N, 1000), highest
/// first (Keras `decode_predictions`).
public func decodePredictions(_ predictions: Tensor<Float>, top: Int = 5) throws -> [[ImageNetPrediction]] {
    guard predictions.rank == 2, predictions.shape[1] == 1000 else {
        throw TapestryApplicationsError("decodePredictions expects predictions of shape (samples, 1000), got \(predictions.shape)")
    }
    let classes = ImageNetClasses.all
    guard classes.count == 1000 else { throw TapestryApplicationsError("the ImageNet class index resource is missing or damaged") }
    let values = predictions.scalars
    return (0..<predictions.shape[0]).map { row in
        let slice = values[(row * 1000)..<((row + 1) * 1000)]
        return slice.indices.sorted { slice[$0] > slice[$1] }.prefix(top).map { i in
            let c = classes[i - row * 1000]
            return ImageNetPrediction(classID: c.classID, name: c.name, probability: slice[i])
        }
    }
}

extension VGG16 {
    /// Keras's `vgg16.decode_predictions`.
    public static func decodePredictions(_ predictions: Tensor<Float>, top: Int = 5) throws -> [[ImageNetPrediction]] {
        try TapestryApplications.decodePredictions(predictions, top: top)
    }
}

/// A request the applications cannot fulfil; the message says why.
public struct TapestryApplicationsError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}
