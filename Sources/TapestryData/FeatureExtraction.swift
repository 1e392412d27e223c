import Foundation
import TapestryTraining

/// Features a frozen model computed for a dataset, with the labels and files they belong to.
public struct ExtractedFeatures {
    /// `(N, …)`: the model's output per image, e.g. `(N, 4, 4, 512)` for VGG16 at 150×150.
    public let features: Tensor<Float>
    public let labels: Tensor<Float>
    /// The image behind each row, in row order.
    public let filePaths: [String]
}

extension Model {
    /// Streams `dataset` through the model once, in inference mode with no gradient tape, and
    /// collects the outputs with their labels (the tutorials' `extract_features`).
    ///
    /// ```swift
    /// let train = try convBase.extractFeatures(from: trainImages)   // features (2000, 4, 4, 512)
    /// ```
    public func extractFeatures(from dataset: ImageDataset, verbose: Verbosity = .progressBar) throws -> ExtractedFeatures {
        let bar = ProgressBar(total: dataset.batchCount, verbosity: verbose)
        var features: [Tensor<Float>] = [], labels: [Tensor<Float>] = [], paths: [String] = []
        var iterator = dataset.makeIterator(epoch: 0)
        var step = 0
        while let batch = try iterator.next() {
            features.append(try predictOnBatch(batch.x))
            if let y = batch.y { labels.append(y) }
            paths += batch.paths ?? []
            step += 1
            bar.update(step: step, values: [:])
        }
        bar.finish(values: [:])
        guard !features.isEmpty else { throw TrainingError("extractFeatures: the dataset yielded no images") }
        return ExtractedFeatures(features: Tensor.concatenate(features, axis: 0),
                                 labels: Tensor.concatenate(labels, axis: 0),
                                 filePaths: paths)
    }
}
