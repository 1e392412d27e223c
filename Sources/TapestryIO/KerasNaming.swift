import TapestryLayers

/// How Keras names the parts of a model in its weights files, computed for a Tapestry model.
///
/// Both writers and the topological Keras 3 reader use these names, so a file Tapestry writes
/// has the paths Keras would have written for the same architecture.
enum KerasNaming {
    /// Keras 3 group names for the layers of one container (`Functional.layers`, …): the class
    /// name in snake case, then `_1`, `_2`, … for repeats within that container
    /// (`conv2d`, `conv2d_1`, `max_pooling2d`), as `saving_lib._save_container_state` does.
    static func containerNames(_ layers: [Layer]) -> [String] {
        var used: [String: Int] = [:]
        return layers.map { layer in
            let base = LayerNames.snakeCase(layer.className)
            if let n = used[base] {
                used[base] = n + 1
                return "\(base)_\(n + 1)"
            }
            used[base] = 0
            return base
        }
    }

    /// The layers Keras lists as a model's children: for a model its `layers`, otherwise none.
    static func children(of layer: Layer) -> [Layer] {
        (layer as? Model)?.layers ?? []
    }

    /// A layer's own variables in Keras 3 `vars` order: trainable ones, then non-trainable ones,
    /// whatever the layer's `trainable` flag says (`Layer.save_own_variables`).
    static func ownVariables(of layer: Layer) -> [Variable<Float>] {
        layer.ownTrainableVariables + layer.ownNonTrainableVariables
    }

    /// A layer's weights in the legacy format's order (`_legacy_weights`): trainable weights
    /// first, then non-trainable ones, so freezing part of a layer changes the order.
    static func legacyWeights(of layer: Layer) -> [Variable<Float>] {
        layer.trainableWeights + layer.nonTrainableWeights
    }

    /// Keras's `variable.path` for every variable of `model`: `<layer>/<weight>`, prefixed with
    /// the names of the ``Sequential`` models a layer sits in directly, because Keras builds a
    /// Sequential's layers inside its name scope (so a Dense `head` in Sequential `classifier` has
    /// `classifier/head/kernel`), while a functional model's layers are built outside any scope.
    static func variablePaths(in model: Layer) -> [ObjectIdentifier: String] {
        var paths: [ObjectIdentifier: String] = [:]
        func visit(_ layer: Layer, scope: [String]) {
            for variable in ownVariables(of: layer) where paths[ObjectIdentifier(variable)] == nil {
                let own = variable.name ?? "\(layer.name)/variable"
                paths[ObjectIdentifier(variable)] = (scope + [own]).joined(separator: "/")
            }
            let inner: [String] = layer is Sequential ? scope + [layer.name] : []
            for child in children(of: layer) { visit(child, scope: inner) }
        }
        visit(model, scope: [])
        return paths
    }

    /// The last path component of a variable name (`block1_conv1/kernel` → `kernel`).
    static func shortName(_ name: String) -> String {
        String(name.split(separator: "/").last ?? Substring(name))
    }
}
