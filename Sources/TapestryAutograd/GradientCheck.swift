import TapestryTensor

/// The outcome of ``gradientCheck(of:at:epsilon:relativeTolerance:absoluteTolerance:seed:)``.
public struct GradientCheckResult: CustomStringConvertible {
    /// True when every element satisfies `|analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|)`.
    public let passed: Bool
    /// The element that came closest to failing (or failed worst).
    public let worstInput: Int
    public let worstIndex: [Int]
    public let analytic: Double
    public let numeric: Double
    /// `|analytic − numeric| / (atol + rtol·max(|analytic|, |numeric|))`; above 1 fails.
    public let worstRatio: Double
    public let checkedElements: Int

    public var description: String {
        "gradient check \(passed ? "passed" : "FAILED") over \(checkedElements) elements; worst: input \(worstInput) at \(worstIndex): analytic \(analytic), numeric \(numeric) (ratio to tolerance \(worstRatio))"
    }
}

/// Compares the gradients the tape computes for `f` with central finite differences.
///
/// `f` may return any shape: the check differentiates `sum(f(x) · r)` for a fixed random `r`, so
/// every output element is covered. Differences are taken in `Double`; for `Float` functions use
/// a larger `epsilon` (about 1e-2) and tolerances (about 1e-2).
///
/// ```swift
/// let result = gradientCheck(of: { x in (x[0] * x[1]).tanh() },
///                            at: [Tensor<Double>.randomNormal([3, 4]), Tensor<Double>.randomNormal([4])])
/// assert(result.passed, result.description)
/// ```
public func gradientCheck<S: TensorScalar>(of f: ([Variable<S>]) -> Variable<S>, at inputs: [Tensor<S>],
                                           epsilon: Double = 1e-6, relativeTolerance: Double = 1e-5,
                                           absoluteTolerance: Double = 1e-8, seed: UInt64 = 0) -> GradientCheckResult {
    var generator = SeededGenerator(seed: seed)
    let probeShape = withoutGradients { f(inputs.map { Variable($0) }).shape }
    let probe = Tensor<S>.randomNormal(probeShape, using: &generator)
    func objective(_ x: [Variable<S>]) -> Variable<S> { (f(x) * Variable(probe)).sum() }

    // The inputs keep their layout (transposed, sliced, broadcast) so strided rules are checked.
    let variables = inputs.map { Variable($0, requiresGrad: true) }
    let tape = GradientTape()
    let loss = tape.record { objective(variables) }
    let analytic = tape.gradient(of: loss, withRespectTo: variables).map { $0.scalars }

    func evaluate(_ values: [Tensor<S>]) -> Double {
        withoutGradients { Double(objective(values.map { Variable($0) }).value.scalar) }
    }

    var worst = (ratio: -1.0, input: 0, flat: 0, a: 0.0, n: 0.0)
    var checked = 0
    for (k, input) in inputs.enumerated() {
        let base = input.contiguous().scalars
        for i in base.indices {
            var plus = base, minus = base
            let h = S(epsilon)
            plus[i] += h; minus[i] -= h
            var argsPlus = inputs, argsMinus = inputs
            argsPlus[k] = Tensor(shape: input.shape, scalars: plus)
            argsMinus[k] = Tensor(shape: input.shape, scalars: minus)
            // Divide by the step actually taken, which rounding in S may have changed.
            let step = Double(plus[i]) - Double(minus[i])
            let numeric = (evaluate(argsPlus) - evaluate(argsMinus)) / step
            let a = Double(analytic[k][i])
            let ratio = Swift.abs(a - numeric) / (absoluteTolerance + relativeTolerance * Swift.max(Swift.abs(a), Swift.abs(numeric)))
            checked += 1
            if ratio > worst.ratio { worst = (ratio, k, i, a, numeric) }
        }
    }
    let shape = inputs.isEmpty ? [] : inputs[worst.input].shape
    var index = [Int](repeating: 0, count: shape.count)
    var rest = worst.flat
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] = rest % Swift.max(shape[axis], 1); rest /= Swift.max(shape[axis], 1)
    }
    return GradientCheckResult(passed: worst.ratio <= 1, worstInput: worst.input, worstIndex: index,
                               analytic: worst.a, numeric: worst.n, worstRatio: worst.ratio, checkedElements: checked)
}
