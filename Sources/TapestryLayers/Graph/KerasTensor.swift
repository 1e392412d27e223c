/// A symbolic tensor in a functional graph: a per-sample shape and the layer call that makes it.
///
/// ```swift
/// let inputs = Input(shape: [28, 28, 1])
/// let x = Flatten()(inputs)          // KerasTensor with shape [784]
/// ```
///
/// Ownership runs from outputs back to inputs (tensor → node → layer and input tensors), so a
/// model keeps its whole graph alive and nothing forms a reference cycle.
public final class KerasTensor: CustomStringConvertible {
    /// The per-sample shape (the batch axis is implicit).
    public let shape: [Int]
    /// The layer call that produces this tensor, and which of its outputs it is.
    public let node: Node?
    public let outputIndex: Int
    /// Why this tensor could not be made: an impossible wiring upstream. `Model` throws it.
    public let error: LayerError?

    init(shape: [Int], node: Node, outputIndex: Int) {
        self.shape = shape; self.node = node; self.outputIndex = outputIndex; self.error = nil
    }

    init(failedWith error: LayerError) {
        shape = []; node = nil; outputIndex = 0; self.error = error
    }

    public var description: String {
        if let error { return "<KerasTensor error: \(error)>" }
        return "<KerasTensor shape=\(kerasShapeString(shape)) from '\(node?.layer.name ?? "?")'>"
    }
}

/// One call of a layer on symbolic inputs (Keras's `Node`).
public final class Node {
    public let layer: Layer
    public let inputs: [KerasTensor]
    public let outputShapes: [[Int]]
    private var weakOutputs: [WeakBox<KerasTensor>] = []

    /// Creates the node and its output tensors; the caller keeps the tensors.
    static func make(layer: Layer, inputs: [KerasTensor], outputShapes: [[Int]]) -> (Node, [KerasTensor]) {
        let node = Node(layer: layer, inputs: inputs, outputShapes: outputShapes)
        let outputs = outputShapes.enumerated().map { KerasTensor(shape: $0.element, node: node, outputIndex: $0.offset) }
        node.weakOutputs = outputs.map { WeakBox($0) }
        return (node, outputs)
    }

    private init(layer: Layer, inputs: [KerasTensor], outputShapes: [[Int]]) {
        self.layer = layer; self.inputs = inputs; self.outputShapes = outputShapes
    }

    /// The outputs still held by some graph or caller.
    public var outputs: [KerasTensor?] { weakOutputs.map(\.value) }
}

struct WeakBox<T: AnyObject> {
    weak var value: T?
    init(_ value: T) { self.value = value }
}
