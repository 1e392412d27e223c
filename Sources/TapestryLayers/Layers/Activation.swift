import TapestryAutograd

/// Applies an activation function as a layer of its own (Keras `Activation`).
public final class Activation: Layer {
    public let function: ActivationFunction

    public init(_ function: ActivationFunction, name: String? = nil) {
        self.function = function
        super.init(name: name)
    }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> { function.apply(x) }
}
