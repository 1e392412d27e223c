/// One weight array found in a weights file (its values are read only when loading).
public struct StoredWeight: Equatable, Sendable {
    /// The name the file gives it: the `weight_names` entry in a legacy file
    /// (`block1_conv1/kernel`, `block1_conv1_W_1:0`), the index (`0`, `1`) in a Keras 3 file.
    public let name: String
    /// The dataset's path in the HDF5 file, without a leading slash.
    public let datasetPath: String
    /// The dataset's shape.
    public let shape: [Int]
}

/// One layer's entry in a weights file.
public struct StoredLayer: Equatable, Sendable {
    /// The layer name: the group name in a legacy file; in a Keras 3 file the `vars` group's
    /// `name` attribute, or the group's own name (`conv2d_1`) when that attribute is absent.
    public let name: String
    /// The layer's group (without a leading slash): `block1_conv1` in a legacy file,
    /// `layers/functional/layers/conv2d` in a Keras 3 file.
    public let groupPath: String
    /// The layer's weights in file order. In a legacy file a nested model's entry holds all of
    /// its weights, flattened; in a Keras 3 file these are the layer's own `vars` only.
    public let weights: [StoredWeight]
    /// Keras 3 only: the layers nested in this one (a nested model's layers, in name order).
    public let children: [StoredLayer]

    /// This entry and every entry nested in it, depth first.
    public var flattened: [StoredLayer] { [self] + children.flatMap(\.flattened) }
}
