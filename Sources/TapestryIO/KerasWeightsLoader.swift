import TapestryTensor
import TapestryLayers

/// Matches a weights file's layers to a model's and sets the model's weights.
///
/// Every check and every read happens before the first weight is assigned, so a failed load
/// leaves the model as it was.
struct KerasWeightsLoader {
    let reader: KerasWeightsReader
    let model: Model
    let byName: Bool
    let skipMismatch: Bool

    /// A file layer's weights and the model variables they are meant for.
    private struct Pair {
        let layer: String
        let stored: [StoredWeight]
        let variables: [Variable<Float>]
    }

    private var path: String { reader.path }
    private var target: String { "cannot load '\(reader.path)' (\(reader.format)) into model '\(model.name)'" }

    func load() throws -> WeightsLoadReport {
        guard !model.weights.isEmpty || !(reader.allLayers.allSatisfy { $0.weights.isEmpty }) else {
            return WeightsLoadReport(path: path, format: reader.format, byName: byName)
        }
        guard !model.weights.isEmpty else {
            throw WeightsError(.modelNotBuilt, path: path,
                               "\(target): the model has no weights but the file has \(reader.allLayers.reduce(0) { $0 + $1.weights.count }); is the model built? (give it an input shape first)")
        }
        var report = WeightsLoadReport(path: path, format: reader.format, byName: byName)
        let pairs: [Pair]
        if byName {
            pairs = pairByName(&report)
        } else if reader.format == .legacyH5 {
            pairs = try pairLegacyByTopology(&report)
        } else {
            pairs = try pairV3ByTopology(&report)
        }
        var assignments: [(Variable<Float>, StoredWeight, String)] = []
        var accounted = Set<ObjectIdentifier>()  // assigned or reported as skipped
        for pair in pairs {
            if let matched = try check(pair, &report) {
                assignments += matched.map { ($0.1, $0.0, pair.layer) }
            }
            accounted.formUnion(pair.variables.map { ObjectIdentifier($0) })
        }
        if byName || skipMismatch {
            report.missing += missingItems(excluding: accounted)
        }
        // Read everything first: a truncated file must not leave the model half loaded.
        let values = try assignments.map { variable, stored, _ in
            Tensor<Float>(shape: stored.shape, scalars: try reader.values(of: stored))
        }
        for ((variable, stored, layer), value) in zip(assignments, values) {
            variable.value = value
            report.loaded.append(.init(layer: layer, weight: variable.name ?? stored.name, fileLocation: stored.datasetPath,
                                       fileShape: stored.shape, modelShape: variable.shape))
        }
        return report
    }

    // MARK: Pairing layers

    /// Legacy, by position: the file's layers with weights against the model's layers with
    /// weights, in order; a nested model is one layer holding all of its weights (Keras's
    /// `load_weights_from_hdf5_group`).
    private func pairLegacyByTopology(_ report: inout WeightsLoadReport) throws -> [Pair] {
        let fileLayers = reader.layers.filter { !$0.weights.isEmpty }
        let modelLayers = model.layers.filter { !KerasNaming.legacyWeights(of: $0).isEmpty }
        guard fileLayers.count == modelLayers.count else {
            throw WeightsError(.layerCountMismatch, path: path,
                               "\(target): layer count mismatch — the file has weights for \(fileLayers.count) layers (\(list(fileLayers.map(\.name)))), the model has \(modelLayers.count) layers with weights (\(list(modelLayers.map(\.name)))); is the file for another architecture? (byName: true loads matching layer names only)")
        }
        var pairs = zip(fileLayers, modelLayers).map { stored, layer in
            Pair(layer: layer.name, stored: stored.weights, variables: KerasNaming.legacyWeights(of: layer))
        }
        let own = KerasNaming.ownVariables(of: model)
        if !own.isEmpty || !reader.topLevelWeights.isEmpty {
            pairs.append(Pair(layer: model.name, stored: reader.topLevelWeights, variables: own))
        }
        return pairs
    }

    /// Keras 3, by structure: each model layer's weights are in the group Keras would name for it
    /// (`layers/<snake_case_class>[_N]`), nested models in nested `layers` groups.
    private func pairV3ByTopology(_ report: inout WeightsLoadReport) throws -> [Pair] {
        let index = Dictionary(reader.allLayers.map { ($0.groupPath, $0) }, uniquingKeysWith: { first, _ in first })
        var pairs: [Pair] = []
        var visited = Set<String>()
        func visit(_ layer: Layer, groupPath: String) throws {
            let own = KerasNaming.ownVariables(of: layer)
            let stored: [StoredWeight]?
            if groupPath.isEmpty {
                stored = reader.topLevelWeights
            } else {
                stored = index[groupPath]?.weights
                if index[groupPath] != nil { visited.insert(groupPath) }
            }
            if let stored {
                if !own.isEmpty || !stored.isEmpty { pairs.append(Pair(layer: layer.name, stored: stored, variables: own)) }
            } else if !own.isEmpty {
                guard skipMismatch else {
                    throw WeightsError(.missingLayer, path: path, layer: layer.name,
                                       "\(target): the file has no group '/\(groupPath)/vars' for layer '\(layer.name)' (\(layer.className)) with \(own.count) weights \(shapes(own)); is the file for another architecture? The file's layers: \(list(reader.allLayers.filter { !$0.weights.isEmpty }.map { "\($0.name) (/\($0.groupPath))" }))")
                }
                // Reported as missing by load().
            }
            let children = KerasNaming.children(of: layer)
            for (child, name) in zip(children, KerasNaming.containerNames(children)) {
                try visit(child, groupPath: (groupPath.isEmpty ? "" : groupPath + "/") + "layers/" + name)
            }
        }
        try visit(model, groupPath: "")
        for stored in reader.allLayers where !stored.weights.isEmpty && !visited.contains(stored.groupPath) {
            guard skipMismatch else {
                throw WeightsError(.unexpectedLayer, path: path, layer: stored.name,
                                   "\(target): the file has weights for layer '\(stored.name)' at '/\(stored.groupPath)' (\(stored.weights.count) weights \(stored.weights.map(\.shape))) where model '\(model.name)' has no weight-bearing layer; is the file for another architecture?")
            }
            report.unexpected += items(of: stored)
        }
        return pairs
    }

    /// By name: each file layer with weights goes to the model layer of that name, searched
    /// through nested models (a legacy file's nested-model entry takes the whole nested model).
    private func pairByName(_ report: inout WeightsLoadReport) -> [Pair] {
        var byName: [String: Layer] = [:]
        var queue: [Layer] = model.layers
        while !queue.isEmpty {
            let layer = queue.removeFirst()
            if byName[layer.name] == nil { byName[layer.name] = layer }
            queue += KerasNaming.children(of: layer)
        }
        let legacy = reader.format == .legacyH5
        let fileLayers = (legacy ? reader.layers : reader.allLayers).filter { !$0.weights.isEmpty }
        var taken = Set<ObjectIdentifier>()
        var pairs: [Pair] = []
        for stored in fileLayers {
            guard let layer = byName[stored.name], taken.insert(ObjectIdentifier(layer)).inserted else {
                report.unexpected += items(of: stored)
                continue
            }
            let variables = legacy ? KerasNaming.legacyWeights(of: layer) : KerasNaming.ownVariables(of: layer)
            pairs.append(Pair(layer: layer.name, stored: stored.weights, variables: variables))
        }
        return pairs
    }

    // MARK: Checking one layer

    /// The layer's (file weight, model variable) pairs, or `nil` when skipped for a mismatch.
    private func check(_ pair: Pair, _ report: inout WeightsLoadReport) throws -> [(StoredWeight, Variable<Float>)]? {
        let variables = pair.variables
        guard pair.stored.count == variables.count else {
            if skipMismatch {
                report.skippedForShape += (0..<max(pair.stored.count, variables.count)).map { i in
                    item(pair.layer, i < pair.stored.count ? pair.stored[i] : nil, i < variables.count ? variables[i] : nil)
                }
                return nil
            }
            throw WeightsError(.weightCountMismatch, path: path, layer: pair.layer,
                               "\(target): layer '\(pair.layer)' has \(pair.stored.count) weights in the file (\(list(pair.stored.map { "\($0.name) \($0.shape)" }))) but \(variables.count) in the model (\(list(variables.map { "\($0.name ?? "?") \($0.shape)" })))")
        }
        let stored = orderedByName(pair.stored, for: variables) ?? pair.stored
        let matched = Array(zip(stored, variables))
        if let (file, variable) = matched.first(where: { $0.0.shape != $0.1.shape }) {
            if skipMismatch {
                report.skippedForShape += matched.map { item(pair.layer, $0.0, $0.1) }
                return nil
            }
            throw WeightsError(.shapeMismatch, path: path, layer: pair.layer, weight: variable.name ?? file.name,
                               fileShape: file.shape, modelShape: variable.shape,
                               "\(target): layer '\(pair.layer)', weight '\(variable.name ?? "?")' (file: '\(file.name)' at '/\(file.datasetPath)'): the file has shape \(file.shape), the model \(variable.shape)")
        }
        return matched
    }

    /// A legacy layer's file weights reordered to the model's order when their names are exactly
    /// the model's weight names in another order (a file written while part of the layer was
    /// frozen, say); `nil` to keep the file's order (Keras's only rule).
    private func orderedByName(_ stored: [StoredWeight], for variables: [Variable<Float>]) -> [StoredWeight]? {
        guard reader.format == .legacyH5 else { return nil }
        let fileNames = stored.map(\.name)
        guard Set(fileNames).count == fileNames.count else { return nil }
        let kerasPaths = KerasNaming.variablePaths(in: model)
        for naming in [{ (v: Variable<Float>) in kerasPaths[ObjectIdentifier(v)] }, { (v: Variable<Float>) in v.name }] {
            let names = variables.compactMap(naming)
            guard names.count == variables.count, Set(names) == Set(fileNames), names != fileNames else { continue }
            let byName = Dictionary(uniqueKeysWithValues: stored.map { ($0.name, $0) })
            return names.map { byName[$0]! }
        }
        return nil
    }

    // MARK: Report items

    /// The model's variables that no file layer was paired with, by owning layer.
    private func missingItems(excluding accounted: Set<ObjectIdentifier>) -> [WeightsLoadReport.Item] {
        var result: [WeightsLoadReport.Item] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ layer: Layer) {
            for variable in KerasNaming.ownVariables(of: layer) where seen.insert(ObjectIdentifier(variable)).inserted {
                if accounted.contains(ObjectIdentifier(variable)) { continue }
                result.append(item(layer.name, nil, variable))
            }
            for child in KerasNaming.children(of: layer) { visit(child) }
        }
        visit(model)
        return result
    }

    private func items(of stored: StoredLayer) -> [WeightsLoadReport.Item] {
        stored.weights.map { item(stored.name, $0, nil) }
    }

    private func item(_ layer: String, _ stored: StoredWeight?, _ variable: Variable<Float>?) -> WeightsLoadReport.Item {
        .init(layer: layer, weight: variable?.name ?? stored?.name ?? "?", fileLocation: stored?.datasetPath,
              fileShape: stored?.shape, modelShape: variable?.shape)
    }

    private func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: ", ")
    }

    private func shapes(_ variables: [Variable<Float>]) -> String {
        "[" + variables.map { "\($0.shape)" }.joined(separator: ", ") + "]"
    }
}
