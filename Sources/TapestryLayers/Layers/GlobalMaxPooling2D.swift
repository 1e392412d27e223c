import TapestryAutograd

/// The maximum over height and width: (h, w, c) → (c) (Keras `GlobalMaxPooling2D`).
public final class GlobalMaxPooling2D: GlobalPooling2D {
    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> { x.max(axes: [1, 2]) }
}
