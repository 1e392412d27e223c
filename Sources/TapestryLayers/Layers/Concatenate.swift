import TapestryAutograd

/// Joins inputs along an axis, the last by default (Keras `Concatenate`).
public final class Concatenate: Layer {
    /// The axis in Keras's numbering, counting the batch axis as 0 (so -1 is the last).
    public let axis: Int

    public init(axis: Int = -1, name: String? = nil) {
        self.axis = axis
        super.init(name: name)
    }

    public override func build(inputShapes: [[Int]]) throws {}

    public override func computeOutputShapes(_ inputShapes: [[Int]]) throws -> [[Int]] {
        guard inputShapes.count >= 2, let first = inputShapes.first else {
            throw LayerError("Concatenate '\(name)' needs at least 2 inputs, got \(inputShapes.count)")
        }
        let rank = first.count + 1
        let ax = axis < 0 ? axis + rank : axis
        guard ax >= 1, ax < rank, inputShapes.allSatisfy({ $0.count == first.count }) else {
            throw LayerError("Concatenate '\(name)': axis \(axis) does not fit inputs \(inputShapes.map(kerasShapeString).joined(separator: ", "))")
        }
        for shape in inputShapes where shape.indices.contains(where: { $0 != ax - 1 && shape[$0] != first[$0] }) {
            throw LayerError("Concatenate '\(name)' needs inputs that match except on axis \(axis), got \(inputShapes.map(kerasShapeString).joined(separator: ", "))")
        }
        var out = first
        out[ax - 1] = inputShapes.map { $0[ax - 1] }.reduce(0, +)
        return [out]
    }

    public override func call(_ inputs: [Variable<Float>], training: Bool) -> [Variable<Float>] {
        [Variable.concatenate(inputs, axis: axis)]
    }
}
