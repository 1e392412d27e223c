/// Why saving or loading weights failed.
///
/// The ``description`` always names the file and, where one is involved, the layer, the weight
/// and both shapes, e.g.
/// `cannot load '/tmp/vgg.h5' into model 'mini_vgg': layer 'block1_conv1', weight 'block1_conv1/kernel':
/// the file has shape [3, 3, 3, 64], the model [3, 3, 3, 8]`.
public struct WeightsError: Error, CustomStringConvertible, Equatable {
    /// The cause, for callers that branch on it rather than on the text.
    public enum Kind: Equatable, Sendable {
        /// Nothing exists at the path.
        case fileNotFound
        /// The file exists but is not HDF5.
        case notHDF5
        /// The file is HDF5 but cannot be read: truncated, damaged or unreadable.
        case unreadable
        /// The file is HDF5 but holds neither Keras layout (or a layout this reader does not know).
        case notKerasWeights
        /// The path's extension does not say which layout to write (`.weights.h5` or `.h5`).
        case unsupportedPath
        /// The file and the model have different numbers of weight-bearing layers.
        case layerCountMismatch
        /// A layer has a different number of weights in the file and in the model.
        case weightCountMismatch
        /// A weight has a different shape in the file and in the model.
        case shapeMismatch
        /// A layer of the model has no weights in the file.
        case missingLayer
        /// The file has weights for a layer the model does not have.
        case unexpectedLayer
        /// The model has nothing to load into or save (it is not built yet).
        case modelNotBuilt
        /// Writing the file failed.
        case writeFailed
    }

    public let kind: Kind
    /// The weights file the operation was about.
    public let path: String
    /// The layer involved, when there is one.
    public let layer: String?
    /// The weight involved, when there is one (its name in the file or in the model).
    public let weight: String?
    /// The shape stored in the file, for shape mismatches.
    public let fileShape: [Int]?
    /// The shape the model expects, for shape mismatches.
    public let modelShape: [Int]?
    public let description: String

    init(_ kind: Kind, path: String, layer: String? = nil, weight: String? = nil,
         fileShape: [Int]? = nil, modelShape: [Int]? = nil, _ description: String) {
        self.kind = kind
        self.path = path
        self.layer = layer
        self.weight = weight
        self.fileShape = fileShape
        self.modelShape = modelShape
        self.description = description
    }
}
