import TapestryTensor

/// A tensor that takes part in automatic differentiation.
///
/// Leaf variables are the values you differentiate with respect to — model weights, or inputs in
/// a gradient check; set `requiresGrad` on them. Every differentiable op on variables records a
/// node on the active ``GradientTape`` when at least one input requires a gradient; otherwise it
/// only computes, and keeps nothing for a backward pass.
///
/// ```swift
/// let w = Variable(Tensor<Float>(shape: [2], scalars: [1, 2]), requiresGrad: true)
/// let tape = GradientTape()
/// let loss = tape.record { (w * w).sum() }
/// loss.backward()
/// print(w.grad!.scalars)   // [2.0, 4.0]
/// ```
public final class Variable<Scalar: TensorScalar> {
    public var value: Tensor<Scalar>
    /// The gradient accumulated by ``backward()`` (leaves only).
    public var grad: Tensor<Scalar>?
    /// Whether gradients flow to this variable. For weights this is how freezing works: a frozen
    /// weight is a constant to the tape, so nothing upstream of it is recorded for its sake.
    public var requiresGrad: Bool
    public var name: String?
    /// The tape that recorded the op producing this variable; nil for leaves and constants.
    weak var tape: GradientTape?
    /// The pre-activation input when this variable is the output of `sigmoid()` or `softmax()`.
    /// Cross-entropy losses use it, as Keras does (`_keras_logits`), to compute from logits
    /// without clipping probabilities.
    public var logits: Variable?
    /// True for variables not produced by a recorded op.
    public private(set) var isLeaf: Bool = true

    public init(_ value: Tensor<Scalar>, requiresGrad: Bool = false, name: String? = nil) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.name = name
    }

    /// A constant holding one value, for mixing scalars into differentiable expressions.
    public convenience init(_ scalar: Scalar) { self.init(Tensor(scalar)) }

    public var shape: [Int] { value.shape }
    public var rank: Int { value.rank }

    /// Records `value` as the result of an op on `inputs` whose gradient rule is `rule`.
    ///
    /// `rule` maps the gradient of the result to one gradient per input (nil where the input needs
    /// none). A gradient may have the result's broadcast shape: the tape sums it back to the
    /// input's shape, so rules never repeat that step.
    public static func record(_ value: Tensor<Scalar>, op: String, inputs: [Variable],
                              rule: @escaping (Tensor<Scalar>) -> [Tensor<Scalar>?]) -> Variable {
        guard let tape = GradientTape.recordingTape, inputs.contains(where: { $0.requiresGrad }) else {
            return Variable(value)
        }
        let result = Variable(value, requiresGrad: true)
        result.isLeaf = false
        result.tape = tape
        tape.append(TapeNode(op: op, inputs: inputs, output: result, rule: rule))
        return result
    }

    /// The same value, cut off from the tape (a constant).
    public func detached() -> Variable { Variable(value) }
}

extension Variable: CustomStringConvertible {
    public var description: String {
        "Variable\(name.map { " '\($0)'" } ?? "")(requiresGrad: \(requiresGrad), \(value))"
    }
}
