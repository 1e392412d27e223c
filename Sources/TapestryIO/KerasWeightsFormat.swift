/// The two HDF5 layouts Keras uses for weights.
public enum KerasWeightsFormat: String, Sendable, Equatable, CustomStringConvertible {
    /// The legacy layout of Keras 1/2 `save_weights("x.h5")` and Keras 3's legacy writer: root
    /// `layer_names`, one group per layer with `weight_names`, optionally under `model_weights`
    /// in a full-model file.
    case legacyH5 = "legacy Keras HDF5"
    /// Keras 3 `save_weights("x.weights.h5")`: `layers/<snake_case_class>[_N]/vars/0…`, nested
    /// models as nested `layers` groups, each `vars` group named by a `name` attribute.
    case kerasV3 = "Keras 3 .weights.h5"

    public var description: String { rawValue }

    /// The layout a path's extension asks for, as Keras decides it: `*.weights.h5` is Keras 3,
    /// any other `*.h5` (or `*.hdf5`) is legacy.
    ///
    /// - Throws: ``WeightsError`` of kind ``WeightsError/Kind-swift.enum/unsupportedPath`` for any
    ///   other extension (`.keras` archives are not HDF5 weights files).
    public init(forPath path: String) throws {
        let lower = path.lowercased()
        if lower.hasSuffix(".weights.h5") {
            self = .kerasV3
        } else if lower.hasSuffix(".h5") || lower.hasSuffix(".hdf5") {
            self = .legacyH5
        } else {
            throw WeightsError(.unsupportedPath, path: path,
                               "cannot tell the weights layout of '\(path)': use a name ending in '.weights.h5' (Keras 3 layout) or '.h5' (legacy Keras layout)")
        }
    }
}
