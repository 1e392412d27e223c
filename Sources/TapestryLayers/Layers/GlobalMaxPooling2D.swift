import TapestryAutograd

/// The maximum over height and width: (h, w, c) → (c) (Keras `GlobalMaxPooling2D`).
public final class GlobalMaxPooling2D: Layer {
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw LayerError("GlobalMaxPooling2D '\(name)' expects images (height, width, channels), got \(kerasShapeString(inputShape))")
        }
        return [inputShape[2]]
    }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> { x.max(axes: [1, 2]) }
}
