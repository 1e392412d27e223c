import TapestryAutograd

/// `x · scale + offset`, e.g. `Rescaling(1.0 / 255)` (Keras `Rescaling`).
public final class Rescaling: Layer {
    public let scale: Float, offset: Float

    public init(_ scale: Float, offset: Float = 0, name: String? = nil) {
        self.scale = scale; self.offset = offset
        super.init(name: name)
    }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> {
        offset == 0 ? x * scale : x * scale + offset
    }
}
