import Foundation
import TapestryHDF5
import TapestryLayers

/// Writes a model's weights in either Keras layout, with the groups, attributes, string types
/// and dataset names Keras 3 itself writes, so `model.load_weights(path)` in Keras reads them.
///
/// ```swift
/// try KerasWeightsWriter(format: .kerasV3).write(model, to: "model.weights.h5")
/// try KerasWeightsWriter(format: .legacyH5).write(model, to: "model.h5")
/// ```
///
/// Keras 3 layout (`saving_lib`): `layers/<snake_case_class>[_N]/vars/<i>` for every layer of the
/// model (weightless ones get an empty `vars` group), nested models as nested `layers` groups,
/// each `vars` group with a variable-length UTF-8 `name` attribute, and the model's own `/vars`.
///
/// Legacy layout (`legacy_h5_format.save_weights_to_hdf5_group`): root attributes `layer_names`,
/// `backend`, `keras_version` (variable-length ASCII strings, as h5py stores Python `bytes`), one
/// group per layer with `weight_names` (an empty float64 array for weightless layers) and one
/// dataset per weight at `<layer>/<weight path>`, and a `top_level_model_weights` group.
/// A `layer_names`/`weight_names` list longer than HDF5's 64 KB header limit is split into
/// fixed-length chunks `layer_names0`, `layer_names1`, … as Keras does.
///
/// The file is written to a temporary file beside `path` and renamed into place, so `path` never
/// holds a half-written file.
public struct KerasWeightsWriter {
    /// The layout to write.
    public var format: KerasWeightsFormat
    /// The legacy layout's `keras_version` attribute: the Keras release whose writer this matches.
    public var kerasVersion = "3.15.1"
    /// The legacy layout's `backend` attribute. Tapestry stores kernels in TensorFlow's layout
    /// (HWIO), which is what Keras assumes for `"tensorflow"`.
    public var backend = "tensorflow"

    public init(format: KerasWeightsFormat) {
        self.format = format
    }

    /// Writes `model`'s weights to `path`, replacing any file there.
    ///
    /// - Throws: ``WeightsError`` of kind ``WeightsError/Kind-swift.enum/writeFailed`` naming the
    ///   path (and the HDF5 object) when the file cannot be written; `path` is then left untouched.
    public func write(_ model: Model, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        do {
            let file = try HDF5File(path: temp, mode: .create)
            do {
                switch format {
                case .kerasV3: try writeV3(model, into: file)
                case .legacyH5: try writeLegacy(model, into: file)
                }
                try file.flush()
                file.close()
            } catch {
                file.close()
                throw error
            }
            guard rename(temp, path) == 0 else {
                throw WeightsError(.writeFailed, path: path,
                                   "cannot save weights to '\(path)': renaming '\(temp)' failed: \(String(cString: strerror(errno)))")
            }
        } catch let error as WeightsError {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw WeightsError(.writeFailed, path: path, "cannot save weights of model '\(model.name)' to '\(path)': \(error)")
        }
    }

    // MARK: Keras 3

    private func writeV3(_ model: Model, into file: HDF5File) throws {
        try writeV3Layer(model, at: file)
    }

    /// `group/vars` for the layer's own variables, then `group/layers/<name>` for each child.
    private func writeV3Layer(_ layer: Layer, at group: HDF5Group) throws {
        let vars = try group.createGroup(at: "vars")
        try vars.setStringAttribute("name", layer.name, storage: .variableLengthUTF8)
        for (index, variable) in KerasNaming.ownVariables(of: layer).enumerated() {
            try vars.createDataset(at: String(index), values: variable.value.scalars, shape: variable.shape)
        }
        let children = KerasNaming.children(of: layer)
        guard layer is Model else { return }
        let container = try group.createGroup(at: "layers")
        for (child, name) in zip(children, KerasNaming.containerNames(children)) {
            try writeV3Layer(child, at: try container.createGroup(at: name))
        }
    }

    // MARK: Legacy

    private func writeLegacy(_ model: Model, into file: HDF5File) throws {
        let layers = model.layers
        try setLegacyNames(file, "layer_names", layers.map(\.name))
        try file.setStringAttribute("backend", backend, storage: .variableLengthASCII)
        try file.setStringAttribute("keras_version", kerasVersion, storage: .variableLengthASCII)
        let paths = KerasNaming.variablePaths(in: model)
        // Keras creates the groups in name order so that no name is a prefix of a later one.
        for layer in layers.sorted(by: { $0.name < $1.name }) {
            try writeLegacyWeights(KerasNaming.legacyWeights(of: layer), paths, into: try file.createGroup(at: layer.name))
        }
        try writeLegacyWeights(KerasNaming.ownVariables(of: model), paths,
                               into: try file.createGroup(at: "top_level_model_weights"))
    }

    private func writeLegacyWeights(_ variables: [Variable<Float>], _ paths: [ObjectIdentifier: String],
                                    into group: HDF5Group) throws {
        let names = variables.map { paths[ObjectIdentifier($0)] ?? $0.name ?? "variable" }
        try setLegacyNames(group, "weight_names", names)
        for (name, variable) in zip(names, variables) {
            try group.createDataset(at: name, values: variable.value.scalars, shape: variable.shape)
        }
    }

    /// Keras's `save_attributes_to_hdf5_group`: a list of `bytes` (variable-length ASCII) when it
    /// fits in the header limit, fixed-length chunks otherwise, an empty float64 array when empty.
    private func setLegacyNames(_ object: HDF5Object, _ name: String, _ values: [String]) throws {
        if values.isEmpty {
            try object.setDoubleArrayAttribute(name, [])
            return
        }
        let width = values.map { $0.utf8.count }.max() ?? 0
        if width * values.count > HDF5Object.keras2AttributeChunkLimit {
            try object.setChunkedStringArrayAttribute(name, values)
        } else {
            try object.setStringArrayAttribute(name, values, storage: .variableLengthASCII)
        }
    }
}
