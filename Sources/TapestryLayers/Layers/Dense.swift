import TapestryTensor
import TapestryAutograd

/// A fully connected layer: `activation(x · kernel + bias)` on the last axis (Keras `Dense`).
///
/// ```swift
/// let hidden = Dense(256, activation: .relu)(features)
/// ```
public final class Dense: Layer {
    public let units: Int
    public let activation: ActivationFunction
    public let useBias: Bool
    let kernelInitializer: Initializer, biasInitializer: Initializer
    public private(set) var kernel: Variable<Float>!
    public private(set) var bias: Variable<Float>?

    public init(_ units: Int, activation: ActivationFunction = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros, name: String? = nil) {
        precondition(units > 0, "Dense: units must be positive, got \(units)")
        self.units = units; self.activation = activation; self.useBias = useBias
        self.kernelInitializer = kernelInitializer; self.biasInitializer = biasInitializer
        super.init(name: name)
    }

    public override func build(inputShape: [Int]) throws {
        guard let last = inputShape.last else { throw LayerError("Dense '\(name)' needs an input with a feature axis, got \(kerasShapeString(inputShape))") }
        kernel = addWeight(name: "kernel", shape: [last, units], initializer: kernelInitializer)
        if useBias { bias = addWeight(name: "bias", shape: [units], initializer: biasInitializer) }
    }

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard let last = inputShape.last, last == kernel.shape[0] else {
            throw LayerError("Dense '\(name)' expects inputs with last axis \(kernel.shape[0]), got \(kerasShapeString(inputShape))")
        }
        // Keras applies Dense to the last axis of any rank, so an image input is not an error.
        return Array(inputShape.dropLast()) + [units]
    }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> {
        let flat = x.rank == 2 ? x : x.reshaped([-1, x.shape[x.rank - 1]])
        var y = flat.matmul(kernel)
        if let bias { y = y + bias }
        if x.rank != 2 { y = y.reshaped(Array(x.shape.dropLast()) + [units]) }
        return activation.apply(y)
    }
}
