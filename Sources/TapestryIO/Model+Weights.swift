import TapestryLayers

extension Model {
    /// Saves the weights in the layout the extension names, as Keras 3 does: `*.weights.h5` →
    /// Keras 3 layout, any other `*.h5` → legacy Keras layout (see ``KerasWeightsWriter``).
    ///
    /// ```swift
    /// try model.saveWeights(to: "classifier.weights.h5")
    /// ```
    ///
    /// The file is written beside `path` under a temporary name and renamed into place, so an
    /// interrupted save never leaves a half-written file at `path`.
    ///
    /// - Throws: ``WeightsError`` naming the path (unsupported extension, unwritable location).
    public func saveWeights(to path: String) throws {
        try KerasWeightsWriter(format: try KerasWeightsFormat(forPath: path)).write(self, to: path)
    }

    /// Loads weights written by Keras (either layout, a full-model `.h5` too) or by ``saveWeights(to:)``.
    ///
    /// - By topology (the default), legacy files: the file's layers with weights are matched in
    ///   order to this model's layers with weights; a nested model counts as one layer holding all
    ///   its weights, in Keras's trainable-first order. Keras 3 files: each layer's weights are read
    ///   from the group Keras names for it (`layers/conv2d_1/vars`), through nested models.
    /// - `byName: true`: each file layer goes to the layer of the same name anywhere in the model
    ///   (Keras 3 files: the `vars` groups' `name` attributes); the others are reported as
    ///   unexpected or missing, not errors.
    /// - `skipMismatch: true`: a layer whose weight count or shapes differ is left unchanged and
    ///   reported instead of throwing.
    ///
    /// Nothing is assigned unless the whole file checks out and reads, so a failed load leaves
    /// the model unchanged.
    ///
    /// - Throws: ``WeightsError`` naming the file and, for mismatches, the layer, the weight and
    ///   both shapes: a missing, non-HDF5, truncated or non-Keras file, a layer count mismatch
    ///   (a file for another architecture), a weight count or shape mismatch.
    @discardableResult
    public func loadWeights(from path: String, byName: Bool = false, skipMismatch: Bool = false) throws -> WeightsLoadReport {
        let reader = try KerasWeightsReader(path: path)
        defer { reader.close() }
        return try KerasWeightsLoader(reader: reader, model: self, byName: byName, skipMismatch: skipMismatch).load()
    }
}
