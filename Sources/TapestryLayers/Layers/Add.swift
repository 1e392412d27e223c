import TapestryAutograd

/// The element-wise sum of several inputs of the same shape (Keras `Add`).
///
/// ```swift
/// let merged = Add()([branchA, branchB])
/// ```
public final class Add: Layer {
    public override func build(inputShapes: [[Int]]) throws {}

    public override func computeOutputShapes(_ inputShapes: [[Int]]) throws -> [[Int]] {
        guard inputShapes.count >= 2 else {
            throw LayerError("Add '\(name)' needs at least 2 inputs, got \(inputShapes.count)")
        }
        guard inputShapes.allSatisfy({ $0 == inputShapes[0] }) else {
            throw LayerError("Add '\(name)' needs inputs of one shape, got \(inputShapes.map(kerasShapeString).joined(separator: ", "))")
        }
        return [inputShapes[0]]
    }

    public override func call(_ inputs: [Variable<Float>], training: Bool) -> [Variable<Float>] {
        [inputs.dropFirst().reduce(inputs[0], +)]
    }
}
