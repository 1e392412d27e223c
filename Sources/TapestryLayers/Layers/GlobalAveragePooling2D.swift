import TapestryAutograd

/// The mean over height and width: (h, w, c) → (c) (Keras `GlobalAveragePooling2D`).
public final class GlobalAveragePooling2D: GlobalPooling2D {
    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> { x.mean(axes: [1, 2]) }
}
