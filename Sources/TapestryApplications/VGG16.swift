import Foundation
import TapestryLayers
import TapestryIO

/// VGG16 (Simonyan & Zisserman, 2014) with Keras's exact layer names and shapes.
///
/// ```swift
/// let convBase = try VGG16(includeTop: false, weights: .file(path), inputShape: [150, 150, 3])
/// let features = try convBase.predict(VGG16.preprocessInput(images), batchSize: 20)   // (N, 4, 4, 512)
/// ```
///
/// Without the top, the model ends at `block5_pool` (or a global pooling layer with `pooling`),
/// accepts any input of at least 32×32 with 3 channels, and has 14,714,688 parameters. With the
/// top (`flatten`, `fc1`, `fc2`, `predictions`) the input must be 224×224×3 and the model has
/// 138,357,544 parameters.
public final class VGG16: Model {
    /// Where the weights come from.
    public enum Weights: Equatable, Sendable {
        /// Random initialisation (Keras `weights=None`).
        case none
        /// Keras's ImageNet file from the Keras cache (`$KERAS_HOME/models` or `~/.keras/models`).
        case imagenet
        /// A weights file in either Keras layout: by layer name where the file names its layers
        /// (legacy files, and Keras 3 files whose groups carry `name` attributes), else by topology.
        case file(String)
    }

    /// Global pooling after the last block when the top is not included.
    public enum Pooling: Sendable { case avg, max }

    /// The five blocks: how many 3×3 same-padded convolutions each has and their filter count;
    /// each block ends in a 2×2 max pooling.
    public static let blocks: [(convolutions: Int, filters: Int)] = [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]

    /// Name, input height/width, input channels and filters of each of the 13 convolutions for a
    /// square input of `imageSize` pixels (for benchmarks and FLOP counts).
    public static func convolutionShapes(imageSize: Int) -> [(name: String, size: Int, inChannels: Int, filters: Int)] {
        var shapes: [(name: String, size: Int, inChannels: Int, filters: Int)] = []
        var size = imageSize, channels = 3
        for (block, (convolutions, filters)) in blocks.enumerated() {
            for i in 1...convolutions {
                shapes.append(("block\(block + 1)_conv\(i)", size, channels, filters))
                channels = filters
            }
            size /= 2
        }
        return shapes
    }

    /// The report of the weights load, when weights were loaded.
    public private(set) var weightsLoadReport: WeightsLoadReport?

    public init(includeTop: Bool = true, weights: Weights = .imagenet, inputShape: [Int]? = nil,
                pooling: Pooling? = nil, classes: Int = 1000, classifierActivation: ActivationFunction = .softmax) throws {
        let shape = inputShape ?? [224, 224, 3]
        guard shape.count == 3, shape[2] == 3 else {
            throw LayerError("VGG16: inputShape must be (height, width, 3), got \(kerasShapeString(shape))")
        }
        guard shape[0] >= 32, shape[1] >= 32 else {
            throw LayerError("VGG16: input must be at least 32×32, got \(kerasShapeString(shape))")
        }
        if includeTop && shape != [224, 224, 3] {
            throw LayerError("VGG16 with includeTop needs inputShape (224, 224, 3), got \(kerasShapeString(shape)); use includeTop: false for other sizes")
        }
        if weights == .imagenet && includeTop && classes != 1000 {
            throw LayerError("VGG16: ImageNet weights with the top need classes = 1000, got \(classes)")
        }
        let input = Input(shape: shape, name: "input_layer")
        var x = input
        for (block, (convs, filters)) in VGG16.blocks.enumerated() {
            for i in 1...convs {
                x = Conv2D(filters, kernelSize: 3, activation: .relu, padding: .same, name: "block\(block + 1)_conv\(i)")(x)
            }
            x = MaxPooling2D(poolSize: 2, strides: 2, name: "block\(block + 1)_pool")(x)
        }
        if includeTop {
            x = Flatten(name: "flatten")(x)
            x = Dense(4096, activation: .relu, name: "fc1")(x)
            x = Dense(4096, activation: .relu, name: "fc2")(x)
            x = Dense(classes, activation: classifierActivation, name: "predictions")(x)
        } else if let pooling {
            x = pooling == .avg ? GlobalAveragePooling2D(name: "global_average_pooling2d")(x)
                                : GlobalMaxPooling2D(name: "global_max_pooling2d")(x)
        }
        super.init(inputs: [input], outputs: [x], name: "vgg16")
        try validate()
        switch weights {
        case .none:
            break
        case .imagenet:
            weightsLoadReport = try loadPretrained(from: try VGG16.kerasCachePath(includeTop: includeTop))
        case .file(let path):
            weightsLoadReport = try loadPretrained(from: path)
        }
    }

    /// Loads by layer name when the file names VGG16's layers (which also accepts extra layers,
    /// such as HED's side outputs, as "unexpected"), else by topology.
    private func loadPretrained(from path: String) throws -> WeightsLoadReport {
        let report = try loadWeights(from: path, byName: true)
        if report.loaded.isEmpty {
            return try loadWeights(from: path)
        }
        let weightLayers = layers.filter { !$0.weights.isEmpty }.map(\.name)
        let missing = weightLayers.filter { name in !report.loaded.contains { $0.layer == name } }
        if !missing.isEmpty {
            throw LayerError("VGG16: '\(path)' has no weights for \(missing.joined(separator: ", ")) (loaded \(report.loaded.count) weights)")
        }
        return report
    }

    /// The Keras cache file `.imagenet` reads, or an error saying which file to put where.
    public static func kerasCachePath(includeTop: Bool) throws -> String {
        let name = includeTop ? "vgg16_weights_tf_dim_ordering_tf_kernels.h5" : "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
        let env = ProcessInfo.processInfo.environment
        var dirs: [String] = []
        if let home = env["KERAS_HOME"] { dirs.append(home + "/models") }
        dirs.append(NSHomeDirectory() + "/.keras/models")
        for dir in dirs where FileManager.default.fileExists(atPath: dir + "/" + name) { return dir + "/" + name }
        throw LayerError("""
            VGG16(weights: .imagenet) needs Keras's file \(name), which is not in \(dirs.joined(separator: " or ")). \
            Copy it there (any machine that ran `keras.applications.VGG16(weights="imagenet"\(includeTop ? "" : ", include_top=False"))` \
            has it in ~/.keras/models), or pass weights: .file(path) — Scripts/fetch-pretrained-vgg16 fetches a pretrained VGG16 \
            backbone that works offline.
            """)
    }

    /// Keras's `vgg16.preprocess_input` ("caffe" mode) for RGB images in 0…255 (NHWC):
    /// channels reversed to BGR, then the ImageNet channel means subtracted; no scaling.
    public static func preprocessInput(_ images: Tensor<Float>) -> Tensor<Float> {
        precondition(images.shape.last == 3, "VGG16.preprocessInput: expected RGB images (…, 3), got \(images.shape)")
        let mean: [Float] = [103.939, 116.779, 123.68]
        let src = images.contiguous()
        return src.withUnsafeBufferPointer { p in
            Tensor(shape: src.shape) { out in
                parallelChunks(src.count / 3, cost: src.count) { pixels in
                    for i in pixels {
                        out[3 * i] = p[3 * i + 2] - mean[0]
                        out[3 * i + 1] = p[3 * i + 1] - mean[1]
                        out[3 * i + 2] = p[3 * i] - mean[2]
                    }
                }
            }
        }
    }
}
