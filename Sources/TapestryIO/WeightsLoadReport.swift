/// What ``Model/loadWeights(from:byName:skipMismatch:)`` did, weight by weight.
///
/// ```swift
/// let report = try base.loadWeights(from: path, byName: true)
/// print(report)        // loaded 26 weights of 13 layers; 12 unexpected in the file: dsn1 0 [1, 1, 64, 1], …
/// ```
public struct WeightsLoadReport: CustomStringConvertible, Sendable {
    /// One weight: which layer and weight, where it is in the file, and both shapes.
    public struct Item: Equatable, Sendable, CustomStringConvertible {
        /// The layer's name (the model's, or the file's for weights the model has no layer for).
        public let layer: String
        /// The weight's name: the model variable's (`block1_conv1/kernel`), or the file's name
        /// (`block1_conv1_W_1:0`, `0`) when the model has no such weight.
        public let weight: String
        /// The dataset in the file (without a leading slash), or `nil` when the file has none.
        public let fileLocation: String?
        /// The shape in the file, or `nil` when the file has no such weight.
        public let fileShape: [Int]?
        /// The shape in the model, or `nil` when the model has no such weight.
        public let modelShape: [Int]?

        public var description: String {
            var parts = ["\(layer): \(weight)"]
            if let fileShape { parts.append("file \(fileShape)" + (fileLocation.map { " at /\($0)" } ?? "")) }
            if let modelShape { parts.append("model \(modelShape)") }
            return parts.joined(separator: ", ")
        }
    }

    /// The file that was read.
    public let path: String
    /// Its layout.
    public let format: KerasWeightsFormat
    /// Whether layers were matched by name rather than by position.
    public let byName: Bool
    /// Weights set from the file.
    public internal(set) var loaded: [Item] = []
    /// Weights left unchanged because the file's shape (or weight count) differs (only with `skipMismatch`).
    public internal(set) var skippedForShape: [Item] = []
    /// Model weights the file has nothing for (by name, or with `skipMismatch`), left unchanged.
    public internal(set) var missing: [Item] = []
    /// File weights no model layer took (by name, or with `skipMismatch`).
    public internal(set) var unexpected: [Item] = []

    /// The names of the layers that received weights, in loading order, without repeats.
    public var loadedLayers: [String] { unique(loaded.map(\.layer)) }
    /// The names of the file's layers no model layer took, without repeats.
    public var unexpectedLayers: [String] { unique(unexpected.map(\.layer)) }

    /// Whether every model weight was loaded and every file weight was used.
    public var isComplete: Bool { skippedForShape.isEmpty && missing.isEmpty && unexpected.isEmpty }

    public var description: String {
        var lines = ["loaded \(loaded.count) weights of \(loadedLayers.count) layers from '\(path)' (\(format)\(byName ? ", by name" : ""))"]
        for (title, items) in [("skipped (shape mismatch)", skippedForShape), ("missing from the file", missing),
                               ("unexpected in the file", unexpected)] where !items.isEmpty {
            lines.append("\(items.count) \(title):")
            lines += items.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    private func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
