import TapestryAutograd

/// The activations a layer can apply to its output, by their Keras names.
public enum ActivationFunction: String, Sendable, CaseIterable {
    case linear, relu, sigmoid, tanh, softmax, elu, gelu, selu
    /// Keras's `leaky_relu` activation (negative slope 0.2; the `LeakyReLU` layer uses 0.3).
    case leakyRelu = "leaky_relu"

    public func apply(_ x: Variable<Float>) -> Variable<Float> {
        switch self {
        case .linear: return x
        case .relu: return x.relu()
        case .sigmoid: return x.sigmoid()
        case .tanh: return x.tanh()
        case .softmax: return x.softmax(axis: -1)
        case .elu: return x.elu()
        case .gelu: return x.gelu()
        case .leakyRelu: return x.leakyRelu(alpha: 0.2)
        case .selu:
            // selu(x) = scale · elu(x, alpha), with Keras's constants.
            return x.elu(alpha: 1.6732632423543772) * 1.0507009873554805
        }
    }
}
