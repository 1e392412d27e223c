import TapestryTensor
import TapestryAutograd

/// A functional model: a graph of layer calls from ``inputs`` to ``outputs`` (Keras
/// `keras.Model(inputs=..., outputs=...)`). A model is itself a layer — call it on new symbolic
/// tensors, nest it in another model or in ``Sequential``.
///
/// ```swift
/// let inputs = Input(shape: [32])
/// let hidden = Dense(16, activation: .relu)(inputs)
/// let model = Model(inputs: inputs, outputs: Dense(1, activation: .sigmoid)(hidden), name: "mlp")
/// print(model.summary())
/// ```
///
/// An impossible wiring (say, `Conv2D` on a vector, or `Add` of two shapes) does not stop the program
/// where the layer is called: the model keeps the error, which names the layer and the shapes,
/// and throws it from ``validate()``, `fit`, `predict` and the other entry points.
open class Model: Layer {
    public private(set) var inputs: [KerasTensor] = []
    public private(set) var outputs: [KerasTensor] = []
    /// The layers in the order they run, input layers first.
    public private(set) var graphLayers: [Layer] = []
    /// Every layer call in the graph (input layers included) with its depth from the outputs,
    /// as Keras's `_nodes_by_depth`; `summary()` uses it.
    private(set) var graphNodeDepths: [(node: Node, depth: Int)] = []
    private var steps: [Step] = []
    /// Why the graph cannot run, if it cannot.
    public private(set) var graphError: LayerError?
    /// State attached by `compile` (optimizer, loss, metrics); owned by the training module.
    package var compiledState: AnyObject?

    private struct Step {
        let node: Node
        let inputIDs: [ObjectIdentifier]
        let outputIDs: [ObjectIdentifier]
        /// Intermediate results whose last consumer is this step; dropped after it to bound memory.
        var releaseAfter: [ObjectIdentifier]
    }

    public init(inputs: [KerasTensor], outputs: [KerasTensor], name: String? = nil) {
        super.init(name: name)
        setGraph(inputs: inputs, outputs: outputs)
    }

    public convenience init(inputs: KerasTensor, outputs: KerasTensor, name: String? = nil) {
        self.init(inputs: [inputs], outputs: [outputs], name: name)
    }

    public convenience init(inputs: KerasTensor, outputs: [KerasTensor], name: String? = nil) {
        self.init(inputs: [inputs], outputs: outputs, name: name)
    }

    /// A model over another model's inputs, e.g. a sub-model up to an intermediate layer:
    /// `try Model(inputs: base.inputs, outputs: base.layer(named: "block4_pool").output)`.
    public convenience init(inputs: [KerasTensor], outputs: KerasTensor, name: String? = nil) {
        self.init(inputs: inputs, outputs: [outputs], name: name)
    }

    /// For subclasses (``Sequential``) that set the graph later.
    public override init(name: String? = nil) { super.init(name: name) }

    open override var className: String { "Functional" }

    /// Keras names a functional model `functional`, `functional_1`, …; subclasses keep their own
    /// snake-cased class name (`Sequential` → `sequential`), as Keras does.
    open override class var defaultNamePrefix: String { self == Model.self ? "functional" : super.defaultNamePrefix }

    /// The model's layers in execution order, including its input layers (as Keras lists them).
    open var layers: [Layer] { graphLayers }

    open override var sublayers: [Layer] { graphLayers }

    /// Throws the wiring error that stops this model from running, if any.
    public func validate() throws {
        if let graphError { throw graphError }
    }

    /// The layer with this name (Keras `model.get_layer(name)`).
    public func layer(named name: String) throws -> Layer {
        if let layer = layers.first(where: { $0.name == name }) { return layer }
        throw LayerError("model '\(self.name)' has no layer named '\(name)'; its layers are: \(layers.map(\.name).joined(separator: ", "))")
    }

    /// The per-sample shape of a layer's output in this model's graph.
    func outputShape(of layer: Layer) -> [Int]? {
        if let input = layer as? InputLayer { return input.shape }
        return steps.first { $0.node.layer === layer }?.node.outputShapes.first
    }

    /// The layers in execution order when the graph is a plain chain — one input, one output,
    /// each layer feeding only the next — with nested chain models expanded into their layers;
    /// nil for graphs with branches, merges or several inputs.
    public func chainLayers() -> [Layer]? {
        guard inputs.count == 1, outputs.count == 1, graphError == nil else { return nil }
        var previous: KerasTensor = inputs[0]
        var chain: [Layer] = []
        for step in steps {
            guard step.node.inputs.count == 1, step.node.inputs[0] === previous, step.node.outputShapes.count == 1,
                  let out = step.node.outputs[0] else { return nil }
            if let nested = step.node.layer as? Model {
                guard let inner = nested.chainLayers() else { return nil }
                chain += inner
            } else {
                chain.append(step.node.layer)
            }
            previous = out
        }
        return previous === outputs[0] ? chain : nil
    }

    // MARK: Graph

    func setGraph(inputs: [KerasTensor], outputs: [KerasTensor]) {
        self.inputs = inputs
        self.outputs = outputs
        graphError = nil
        steps = []
        graphLayers = []
        graphNodeDepths = []
        if let failed = (inputs + outputs).first(where: { $0.error != nil }) {
            graphError = failed.error
            return
        }
        let inputIDs = Set(inputs.map { ObjectIdentifier($0) })
        var ordered: [Node] = []
        var visited = Set<ObjectIdentifier>()
        func visit(_ tensor: KerasTensor) throws {
            if inputIDs.contains(ObjectIdentifier(tensor)) { return }
            guard let node = tensor.node else { throw LayerError("model '\(name)': a tensor has no producing layer") }
            if node.layer is InputLayer {
                throw LayerError("model '\(name)': graph disconnected — output depends on input '\(node.layer.name)' \(kerasShapeString(tensor.shape)), which is not among the model's inputs \(inputs.map { $0.node?.layer.name ?? "?" })")
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { return }
            for input in node.inputs { try visit(input) }
            ordered.append(node)
        }
        do {
            for output in outputs { try visit(output) }
        } catch let error as LayerError {
            graphError = error
            return
        } catch {
            graphError = LayerError("\(error)")
            return
        }
        var lastUse: [ObjectIdentifier: Int] = [:]
        for (i, node) in ordered.enumerated() { for t in node.inputs { lastUse[ObjectIdentifier(t)] = i } }
        let kept = Set(outputs.map { ObjectIdentifier($0) })
        steps = ordered.enumerated().map { i, node in
            Step(node: node, inputIDs: node.inputs.map { ObjectIdentifier($0) },
                 outputIDs: node.outputs.map { $0.map { ObjectIdentifier($0) } ?? ObjectIdentifier(node) },
                 releaseAfter: node.inputs.map { ObjectIdentifier($0) }.filter { lastUse[$0] == i && !kept.contains($0) })
        }
        (graphLayers, graphNodeDepths) = Self.kerasLayerOrder(inputs: inputs, outputs: outputs)
        try? buildIfNeeded(inputs.map(\.shape))
    }

    /// The layers in Keras's order (`map_graph`): deepest first, where a layer's depth is the
    /// longest path from it to an output (the largest over its calls), and layers of equal depth
    /// in the order a depth-first walk from the outputs first meets them. Input layers that no
    /// output uses come last among depth 0, first of it; a model input made by a non-input layer
    /// is outside the graph and not listed.
    private static func kerasLayerOrder(inputs: [KerasTensor], outputs: [KerasTensor])
        -> (layers: [Layer], nodeDepths: [(node: Node, depth: Int)]) {
        let inputIDs = Set(inputs.map { ObjectIdentifier($0) })
        var index: [ObjectIdentifier: Int] = [:]
        var layers: [ObjectIdentifier: Layer] = [:]
        var finished = Set<ObjectIdentifier>()
        var postOrder: [Node] = []
        func visit(_ tensor: KerasTensor) {
            guard let node = tensor.node, !finished.contains(ObjectIdentifier(node)) else { return }
            let isInput = node.layer is InputLayer
            if !isInput && inputIDs.contains(ObjectIdentifier(tensor)) {
                finished.insert(ObjectIdentifier(node))
                return
            }
            let id = ObjectIdentifier(node.layer)
            if index[id] == nil { index[id] = index.count; layers[id] = node.layer }
            if !isInput { for input in node.inputs { visit(input) } }
            finished.insert(ObjectIdentifier(node))
            postOrder.append(node)
        }
        for output in outputs { visit(output) }

        let inGraph = Set(postOrder.map { ObjectIdentifier($0) })
        var nodeDepth: [ObjectIdentifier: Int] = [:], layerDepth: [ObjectIdentifier: Int] = [:]
        for node in postOrder.reversed() {
            let depth = max(nodeDepth[ObjectIdentifier(node), default: 0], layerDepth[ObjectIdentifier(node.layer), default: 0])
            layerDepth[ObjectIdentifier(node.layer)] = depth
            nodeDepth[ObjectIdentifier(node)] = depth
            guard !(node.layer is InputLayer) else { continue }
            for parent in node.inputs.compactMap(\.node) where inGraph.contains(ObjectIdentifier(parent)) {
                nodeDepth[ObjectIdentifier(parent)] = max(depth + 1, nodeDepth[ObjectIdentifier(parent), default: 0])
            }
        }
        var nodeDepths = postOrder.map { (node: $0, depth: nodeDepth[ObjectIdentifier($0)]!) }
        for input in inputs {
            guard let node = input.node, let layer = node.layer as? InputLayer, layerDepth[ObjectIdentifier(layer)] == nil else { continue }
            layerDepth[ObjectIdentifier(layer)] = 0
            index[ObjectIdentifier(layer)] = -1
            layers[ObjectIdentifier(layer)] = layer
            nodeDepths.append((node, 0))
        }
        let ordered = layerDepth.keys.sorted { a, b in
            layerDepth[a]! != layerDepth[b]! ? layerDepth[a]! > layerDepth[b]! : index[a]! < index[b]!
        }.map { layers[$0]! }
        return (ordered, nodeDepths)
    }

    // MARK: Layer hooks

    open override func build(inputShapes: [[Int]]) throws {}

    open override func computeOutputShapes(_ inputShapes: [[Int]]) throws -> [[Int]] {
        try validate()
        let expected = inputs.map(\.shape)
        guard inputShapes == expected else {
            throw LayerError("model '\(name)' expects inputs \(expected.map(kerasShapeString).joined(separator: ", ")), got \(inputShapes.map(kerasShapeString).joined(separator: ", "))")
        }
        return outputs.map(\.shape)
    }

    open override func call(_ inputValues: [Variable<Float>], training: Bool) -> [Variable<Float>] {
        var values: [ObjectIdentifier: Variable<Float>] = [:]
        for (tensor, value) in zip(inputs, inputValues) { values[ObjectIdentifier(tensor)] = value }
        for step in steps {
            let results = step.node.layer.call(step.inputIDs.map { values[$0]! }, training: training)
            for (id, value) in zip(step.outputIDs, results) { values[id] = value }
            for id in step.releaseAfter { values[id] = nil }
        }
        return outputs.map { values[ObjectIdentifier($0)]! }
    }
}
