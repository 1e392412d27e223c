import TapestryAutograd

/// The mean over height and width: (h, w, c) → (c) (Keras `GlobalAveragePooling2D`).
public final class GlobalAveragePooling2D: Layer {
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw LayerError("GlobalAveragePooling2D '\(name)' expects images (height, width, channels), got \(kerasShapeString(inputShape))")
        }
        return [inputShape[2]]
    }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> { x.mean(axes: [1, 2]) }
}
