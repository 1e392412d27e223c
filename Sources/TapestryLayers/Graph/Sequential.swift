import TapestryAutograd

/// A linear stack of layers (Keras `keras.Sequential`), built as a functional graph inside.
///
/// ```swift
/// let model = Sequential([convBase, Flatten(), Dense(256, activation: .relu), Dense(1, activation: .sigmoid)])
/// ```
///
/// The input shape comes from an `InputLayer` or a nested model at the front, from
/// ``build(inputShape:)``, or from the first batch given to `fit`/`predict`.
open class Sequential: Model {
    public private(set) var stackedLayers: [Layer] = []
    /// The input layer given first or made by ``build(inputShape:)``; reused by every rebuild, as Keras does.
    private var inputLayer: InputLayer?

    public init(_ layers: [Layer] = [], name: String? = nil) {
        super.init(name: name)
        // As Keras: add everything, then build the graph once.
        for layer in layers { add(layer, rebuild: false) }
        if !stackedLayers.isEmpty, let shape = inferredInputShape { connectGraph(inputShape: shape) }
    }

    open override var className: String { "Sequential" }

    /// The stacked layers (the implicit input layer is not listed, as in Keras).
    open override var layers: [Layer] { stackedLayers }

    open override var sublayers: [Layer] { stackedLayers }

    /// Appends a layer, rebuilding the graph when the input shape is known.
    public func add(_ layer: Layer) { add(layer, rebuild: true) }

    private func add(_ layer: Layer, rebuild: Bool) {
        if let input = layer as? InputLayer, stackedLayers.isEmpty {
            inputLayer = input
        } else {
            stackedLayers.append(layer)
        }
        if rebuild, !stackedLayers.isEmpty, let shape = inferredInputShape { connectGraph(inputShape: shape) }
    }

    private var inferredInputShape: [Int]? {
        if let inputLayer { return inputLayer.shape }
        if let nested = stackedLayers.first as? Model, nested.inputs.count == 1, !(nested is Sequential && nested.inputs.isEmpty) {
            return nested.inputs[0].shape
        }
        return nil
    }

    /// Fixes the per-sample input shape and builds the graph (Keras `model.build((None, …))`).
    public override func build(inputShape: [Int]) {
        connectGraph(inputShape: inputShape)
    }

    private func connectGraph(inputShape: [Int]) {
        if inputLayer?.shape != inputShape { inputLayer = InputLayer(shape: inputShape) }
        // Keras wraps the stack in an inner Functional, which takes the next `functional` name;
        // take it too, so models made afterwards get Keras's names.
        _ = LayerNames.unique(Model.defaultNamePrefix)
        let input = inputLayer!.connect([])[0]
        var x = input
        for layer in stackedLayers { x = layer(x) }
        setGraph(inputs: [input], outputs: [x])
    }

    open override func computeOutputShapes(_ inputShapes: [[Int]]) throws -> [[Int]] {
        if inputs.isEmpty, inputShapes.count == 1 { build(inputShape: inputShapes[0]) }
        if inputs.isEmpty {
            throw LayerError("sequential model '\(name)' has no input shape yet: add an InputLayer or call build(inputShape:)")
        }
        return try super.computeOutputShapes(inputShapes)
    }
}
