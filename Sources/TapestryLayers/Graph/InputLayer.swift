import TapestryAutograd

/// The entry point of a functional graph; holds no weights.
public final class InputLayer: Layer {
    public let shape: [Int]

    public init(shape: [Int], name: String? = nil) {
        self.shape = shape
        super.init(name: name)
    }

    public override var className: String { "InputLayer" }

    public override func build(inputShapes: [[Int]]) throws {}

    /// Symbolically the layer has no inputs and yields its declared shape.
    public override func computeOutputShapes(_ inputShapes: [[Int]]) throws -> [[Int]] {
        if !inputShapes.isEmpty && inputShapes != [shape] {
            throw LayerError("input layer '\(name)' expects \(kerasShapeString(shape)), got \(inputShapes.map(kerasShapeString))")
        }
        return [shape]
    }

    public override func call(_ input: Variable<Float>, training: Bool) -> Variable<Float> { input }
}

/// A symbolic input of the given per-sample shape (Keras `keras.Input`).
///
/// ```swift
/// let inputs = Input(shape: [150, 150, 3])
/// ```
public func Input(shape: [Int], name: String? = nil) -> KerasTensor {
    let layer = InputLayer(shape: shape, name: name)
    return layer.connect([])[0]
}
