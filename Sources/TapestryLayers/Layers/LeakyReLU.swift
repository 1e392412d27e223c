import TapestryAutograd

/// `x` for positive inputs, `negativeSlope · x` otherwise (Keras `LeakyReLU`; its default slope
/// is 0.3, while the `leaky_relu` activation string uses 0.2).
public final class LeakyReLU: Layer {
    public let negativeSlope: Float

    public init(negativeSlope: Float = 0.3, name: String? = nil) {
        precondition(negativeSlope >= 0, "LeakyReLU: negativeSlope must be non-negative, got \(negativeSlope)")
        self.negativeSlope = negativeSlope
        super.init(name: name)
    }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> { x.leakyRelu(alpha: negativeSlope) }
}
