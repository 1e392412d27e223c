import Foundation
import TapestryHDF5

/// Reads what a Keras weights file holds — in either layout — without touching a model.
///
/// ```swift
/// let reader = try KerasWeightsReader(path: "mini_vgg_legacy.h5")
/// reader.format                      // .legacyH5
/// reader.layers.map(\.name)          // ["input_layer", "block1_conv1", …] (legacy: in layer_names order)
/// let kernel = try reader.values(of: reader.layers[1].weights[0])
/// ```
///
/// The layout is recognised from the contents, not the name: a root (or `model_weights`) group
/// with `layer_names` is legacy; a root with `layers` or `vars` groups is Keras 3.
/// Loading into a model is ``Model/loadWeights(from:byName:skipMismatch:)``.
public final class KerasWeightsReader {
    /// The file's path, as given.
    public let path: String
    /// The layout found in the file.
    public let format: KerasWeightsFormat
    /// Legacy: one entry per `layer_names` entry, in that order, weightless layers included.
    /// Keras 3: the root's layers (in group-name order), each with its nested layers.
    public let layers: [StoredLayer]
    /// Weights that belong to the model itself rather than to a layer: legacy
    /// `top_level_model_weights`, Keras 3 root `vars`. Usually empty.
    public let topLevelWeights: [StoredWeight]
    /// The group the legacy layout lives in: `""` for a weights file, `model_weights` for a
    /// full-model file. Empty for Keras 3 files.
    public let weightsGroupPath: String

    private let file: HDF5File

    /// Opens `path` and reads its layout (names and shapes, not the values).
    ///
    /// - Throws: ``WeightsError`` naming the path: no such file, not HDF5, unreadable (truncated or
    ///   damaged), or an HDF5 file in neither Keras layout.
    public init(path: String) throws {
        self.path = path
        do {
            file = try HDF5File(path: path, mode: .readOnly)
        } catch let error as HDF5Error {
            throw Self.describe(error, path: path)
        }
        do {
            if let legacyRoot = try Self.legacyRoot(in: file) {
                format = .legacyH5
                weightsGroupPath = legacyRoot.path == "/" ? "" : legacyRoot.path
                layers = try Self.readLegacyLayers(legacyRoot)
                if legacyRoot.contains("top_level_model_weights") {
                    topLevelWeights = try Self.readLegacyWeights(try legacyRoot.group(at: "top_level_model_weights"))
                } else {
                    topLevelWeights = []
                }
            } else if file.contains("layers") || file.contains("vars") {
                format = .kerasV3
                weightsGroupPath = ""
                layers = try Self.readV3Layers(in: file)
                topLevelWeights = file.contains("vars") ? try Self.readV3Vars(try file.group(at: "vars")) : []
            } else {
                let found = (try? file.childNames()) ?? []
                throw WeightsError(.notKerasWeights, path: path,
                                   "'\(path)' is an HDF5 file but not a Keras weights file: expected a root attribute 'layer_names' or a group 'model_weights' (legacy layout), or groups 'layers' and 'vars' (Keras 3 layout); the root holds \(found.isEmpty ? "nothing" : found.map { "'\($0)'" }.joined(separator: ", "))")
            }
        } catch let error as HDF5Error {
            throw Self.describe(error, path: path)
        }
    }

    /// Every stored layer, nested ones included (depth first).
    public var allLayers: [StoredLayer] { layers.flatMap(\.flattened) }

    /// Reads one weight's values as `Float` in row-major order (float64 files are rounded).
    ///
    /// - Throws: ``WeightsError`` naming the file and dataset when the read fails (a truncated file).
    public func values(of weight: StoredWeight) throws -> [Float] {
        do {
            return try file.dataset(at: weight.datasetPath).readFloats()
        } catch let error as HDF5Error {
            throw WeightsError(.unreadable, path: path, weight: weight.name,
                               "cannot read weight '\(weight.name)' (dataset '/\(weight.datasetPath)') from '\(path)'; the file may be truncated or damaged: \(error)")
        }
    }

    /// Closes the file now (it also closes when the reader is released).
    public func close() { file.close() }

    // MARK: Legacy layout

    /// The group holding `layer_names`: the root, or `model_weights` in a full-model file.
    private static func legacyRoot(in file: HDF5File) throws -> HDF5Group? {
        func hasLayerNames(_ group: HDF5Group) -> Bool {
            group.hasAttribute("layer_names") || group.hasAttribute("layer_names0")
        }
        if hasLayerNames(file) { return file }
        if try file.kind(of: "model_weights") == .group {
            let group = try file.group(at: "model_weights")
            if hasLayerNames(group) { return group }
        }
        return nil
    }

    private static func readLegacyLayers(_ root: HDF5Group) throws -> [StoredLayer] {
        try root.chunkedStringArrayAttribute("layer_names").map { name in
            let group = try root.group(at: name)
            return StoredLayer(name: name, groupPath: group.path, weights: try readLegacyWeights(group), children: [])
        }
    }

    /// A layer group's weights in `weight_names` order. A missing or empty (float64)
    /// `weight_names` means a layer without weights.
    private static func readLegacyWeights(_ group: HDF5Group) throws -> [StoredWeight] {
        try group.chunkedStringArrayAttribute("weight_names").map { name in
            let dataset = try group.dataset(at: name)
            return StoredWeight(name: name, datasetPath: dataset.path, shape: dataset.shape)
        }
    }

    // MARK: Keras 3 layout

    /// The layers below `group`: every child group that has a `vars` group is a layer; child groups
    /// without one (the `layers` container) are looked through. `vars` itself belongs to `group`.
    private static func readV3Layers(in group: HDF5Group) throws -> [StoredLayer] {
        var found: [StoredLayer] = []
        for name in try group.groupNames() where name != "vars" {
            // An optimizer's state is not a layer's.
            if group.path == "/" && name == "optimizer" { continue }
            let child = try group.group(at: name)
            if try child.kind(of: "vars") == .group {
                let vars = try child.group(at: "vars")
                let layerName = vars.hasAttribute("name") ? try vars.stringAttribute("name") : name
                found.append(StoredLayer(name: layerName, groupPath: child.path, weights: try readV3Vars(vars),
                                         children: try readV3Layers(in: child)))
            } else {
                found += try readV3Layers(in: child)
            }
        }
        return found
    }

    /// A `vars` group's datasets `0`, `1`, …, in numeric order (`10` after `9`).
    private static func readV3Vars(_ vars: HDF5Group) throws -> [StoredWeight] {
        try vars.datasetNames()
            .compactMap { name in Int(name).map { (index: $0, name: name) } }
            .sorted { $0.index < $1.index }
            .map { entry in
                let dataset = try vars.dataset(at: entry.name)
                return StoredWeight(name: entry.name, datasetPath: dataset.path, shape: dataset.shape)
            }
    }

    // MARK: Errors

    static func describe(_ error: HDF5Error, path: String) -> WeightsError {
        switch error.kind {
        case .fileNotFound:
            return WeightsError(.fileNotFound, path: path,
                                "cannot load weights from '\(path)': no such file (expected a Keras weights file, '.h5' or '.weights.h5')")
        case .notHDF5:
            return WeightsError(.notHDF5, path: path,
                                "cannot load weights from '\(path)': not an HDF5 file (expected a Keras weights file, '.h5' or '.weights.h5')")
        case .notFound, .wrongKind, .typeMismatch:
            return WeightsError(.notKerasWeights, path: path,
                                "cannot load weights from '\(path)': it is not a well-formed Keras weights file (\(error))")
        default:
            return WeightsError(.unreadable, path: path,
                                "cannot load weights from '\(path)': the file is truncated, damaged or unreadable (\(error))")
        }
    }
}
