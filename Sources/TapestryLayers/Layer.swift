import TapestryTensor
import TapestryAutograd

/// The base class of every layer and model, with Keras's semantics for names, weights and
/// freezing.
///
/// A layer creates its weights in ``build(inputShapes:)`` the first time it sees an input, so
/// its input size is never declared twice. Shapes given to layers are per sample: the batch axis
/// is implicit, as Keras's `None`.
///
/// Subclasses with one input override the single-shape hooks (``build(inputShape:)``,
/// ``computeOutputShape(_:)``, ``call(_:training:)``); merge layers override the list versions.
///
/// Freezing: setting ``trainable`` cascades to sublayers, and a frozen layer reports all its
/// weights as non-trainable, whatever its children say — so
/// `base.trainable = true; for l in base.layers { l.trainable = l.name.hasPrefix("block5") }`
/// leaves exactly block5 trainable. Changes take effect at the next training step.
open class Layer {
    public let name: String
    open var trainable: Bool = true {
        didSet { for layer in sublayers { layer.trainable = trainable } }
    }
    public private(set) var isBuilt = false
    /// The per-sample input shapes the layer was built for.
    public private(set) var builtInputShapes: [[Int]] = []
    /// This layer's own weights, in creation order (kernel before bias, as Keras).
    public private(set) var ownTrainableVariables: [Variable<Float>] = []
    public private(set) var ownNonTrainableVariables: [Variable<Float>] = []
    /// The places in functional graphs where this layer was called (held weakly: graphs own
    /// their nodes, layers do not).
    private var weakInboundNodes: [WeakBox<Node>] = []
    public var inboundNodes: [Node] { weakInboundNodes.compactMap(\.value) }

    public init(name: String? = nil) {
        self.name = name ?? LayerNames.unique(type(of: self).defaultNamePrefix)
    }

    /// The stem of default names (`dense` → `dense`, `dense_1`, …): Keras's snake-cased class name.
    open class var defaultNamePrefix: String { LayerNames.snakeCase(String(describing: self)) }

    /// Layers nested inside this one (a model's layers); empty for plain layers.
    open var sublayers: [Layer] { [] }

    /// The Keras class name shown by `summary()`.
    open var className: String { String(describing: type(of: self)) }

    // MARK: Weights

    /// Creates a weight of this layer; call from ``build(inputShape:)``.
    @discardableResult
    public func addWeight(name: String, shape: [Int], initializer: Initializer, trainable: Bool = true) -> Variable<Float> {
        let v = Variable(initializer.make(shape), requiresGrad: trainable, name: "\(self.name)/\(name)")
        if trainable { ownTrainableVariables.append(v) } else { ownNonTrainableVariables.append(v) }
        return v
    }

    /// Weights an optimiser may update: none when the layer is frozen.
    public var trainableWeights: [Variable<Float>] {
        guard trainable else { return [] }
        return unique(ownTrainableVariables + sublayers.flatMap(\.trainableWeights))
    }

    /// Weights that stay fixed in training: all of them when the layer is frozen.
    public var nonTrainableWeights: [Variable<Float>] {
        guard trainable else { return weights }
        return unique(ownNonTrainableVariables + sublayers.flatMap(\.nonTrainableWeights))
    }

    /// Every weight, own first (trainable, then non-trainable), then each sublayer's.
    public var weights: [Variable<Float>] {
        unique(ownTrainableVariables + ownNonTrainableVariables + sublayers.flatMap(\.weights))
    }

    /// The number of scalars in all weights.
    public func countParams() -> Int { weights.reduce(0) { $0 + $1.value.count } }

    private func unique(_ vars: [Variable<Float>]) -> [Variable<Float>] {
        var seen = Set<ObjectIdentifier>()
        return vars.filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// Sets `trainable = false` (recursively), like mlx-swift's `freeze()`.
    public func freeze() { trainable = false }
    /// Sets `trainable = true` (recursively).
    public func unfreeze() { trainable = true }

    /// The weights' current values, in ``weights`` order (Keras `get_weights`).
    public func getWeights() -> [Tensor<Float>] { weights.map(\.value) }

    /// Replaces the weights' values, in ``weights`` order (Keras `set_weights`).
    public func setWeights(_ values: [Tensor<Float>]) throws {
        let ws = weights
        guard ws.count == values.count else {
            throw LayerError("setWeights on layer '\(name)': expected \(ws.count) arrays, got \(values.count)")
        }
        for (w, v) in zip(ws, values) {
            guard w.shape == v.shape else {
                throw LayerError("setWeights on layer '\(name)': weight '\(w.name ?? "?")' has shape \(w.shape), got \(v.shape)")
            }
            w.value = v.contiguous()
        }
    }

    // MARK: Hooks for subclasses

    /// Creates the weights for these per-sample input shapes. Called once, before the first call.
    open func build(inputShapes: [[Int]]) throws {
        try build(inputShape: single(inputShapes))
    }

    open func build(inputShape: [Int]) throws {}

    /// The per-sample output shapes, or an error naming the layer and the shapes.
    open func computeOutputShapes(_ inputShapes: [[Int]]) throws -> [[Int]] {
        [try computeOutputShape(single(inputShapes))]
    }

    open func computeOutputShape(_ inputShape: [Int]) throws -> [Int] { inputShape }

    /// The forward computation on a batch.
    open func call(_ inputs: [Variable<Float>], training: Bool) -> [Variable<Float>] {
        [call(inputs[0], training: training)]
    }

    open func call(_ input: Variable<Float>, training: Bool) -> Variable<Float> {
        preconditionFailure("\(className) '\(name)' implements neither call(_:training:) variant")
    }

    func single(_ shapes: [[Int]]) throws -> [Int] {
        guard shapes.count == 1 else {
            throw LayerError("layer '\(name)' (\(className)) takes one input, got \(shapes.count): \(shapes.map(kerasShapeString))")
        }
        return shapes[0]
    }

    // MARK: Calling

    /// Builds the layer for these shapes if it is not built yet.
    public func buildIfNeeded(_ inputShapes: [[Int]]) throws {
        if isBuilt { return }
        try build(inputShapes: inputShapes)
        builtInputShapes = inputShapes
        isBuilt = true
    }

    /// Runs the layer eagerly on batches (the first axis is the batch), checking the shapes.
    public func apply(_ inputs: [Variable<Float>], training: Bool = false) throws -> [Variable<Float>] {
        let shapes = inputs.map { Array($0.shape.dropFirst()) }
        try buildIfNeeded(shapes)
        _ = try computeOutputShapes(shapes)
        return call(inputs, training: training)
    }

    /// Runs the layer eagerly on one batch.
    public func callAsFunction(_ input: Variable<Float>, training: Bool = false) throws -> Variable<Float> {
        try apply([input], training: training)[0]
    }

    /// Connects the layer in a functional graph. A wiring that cannot work does not stop here:
    /// the result carries the error (naming this layer and the shapes), and `Model` reports it.
    public func callAsFunction(_ input: KerasTensor) -> KerasTensor { connect([input])[0] }

    /// Connects a merge layer (`Add`, `Concatenate`) to several inputs.
    public func callAsFunction(_ inputs: [KerasTensor]) -> KerasTensor { connect(inputs)[0] }

    /// Connects the layer and returns all of its outputs.
    public func connect(_ inputs: [KerasTensor]) -> [KerasTensor] {
        if let failed = inputs.first(where: { $0.error != nil }) { return [KerasTensor(failedWith: failed.error!)] }
        let shapes = inputs.map(\.shape)
        do {
            try buildIfNeeded(shapes)
            let outShapes = try computeOutputShapes(shapes)
            let (node, outputs) = Node.make(layer: self, inputs: inputs, outputShapes: outShapes)
            weakInboundNodes.removeAll { $0.value == nil }
            weakInboundNodes.append(WeakBox(node))
            return outputs
        } catch let error as LayerError {
            return [KerasTensor(failedWith: error)]
        } catch {
            return [KerasTensor(failedWith: LayerError("layer '\(name)' (\(className)) on inputs \(shapes.map(kerasShapeString)): \(error)"))]
        }
    }

    /// The symbolic output of this layer's first call (Keras `layer.output`).
    public var output: KerasTensor {
        guard let node = inboundNodes.first, let tensor = node.outputs[0] else {
            return KerasTensor(failedWith: LayerError("layer '\(name)' (\(className)) is not part of a live graph, so it has no output"))
        }
        return tensor
    }
}
