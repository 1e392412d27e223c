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
    // The inputs keep their layout (transposed, sliced, broadcast) so strided rules are checked.
    let variables = inputs.map { Variable($0, requiresGrad: true) }
    return gradientCheck(of: { f(variables) }, withRespectTo: variables, epsilon: epsilon,
                         relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance, seed: seed)
}

/// Checks the gradients of `f` with respect to existing variables — a model's weights, say —
/// by perturbing their values in place (and restoring them).
///
/// ```swift
/// let x = Tensor<Float>.randomNormal([2, 5])
/// let result = gradientCheck(of: { model.call([Variable(x)], training: false)[0] },
///                            withRespectTo: model.weights, epsilon: 1e-2, relativeTolerance: 2e-2, absoluteTolerance: 1e-3)
/// ```
public func gradientCheck<S: TensorScalar>(of f: () -> Variable<S>, withRespectTo variables: [Variable<S>],
                                           epsilon: Double = 1e-6, relativeTolerance: Double = 1e-5,
                                           absoluteTolerance: Double = 1e-8, seed: UInt64 = 0) -> GradientCheckResult {
    let saved = variables.map { ($0.value, $0.requiresGrad) }
    defer { for (v, s) in zip(variables, saved) { v.value = s.0; v.requiresGrad = s.1 } }
    for v in variables { v.requiresGrad = true }
    var generator = SeededGenerator(seed: seed)
    let probe = Tensor<S>.randomNormal(withoutGradients { f().shape }, using: &generator)
    func objective() -> Variable<S> { (f() * Variable(probe)).sum() }

    let tape = GradientTape()
    let loss = tape.record { objective() }
    let analytic = tape.gradient(of: loss, withRespectTo: variables).map { $0.scalars }

    var worst = (ratio: -1.0, input: 0, flat: 0, a: 0.0, n: 0.0)
    var checked = 0
    for (k, v) in variables.enumerated() {
        let original = saved[k].0
        let base = original.contiguous().scalars
        func evaluate(_ values: [S]) -> Double {
            v.value = Tensor(shape: original.shape, scalars: values)
            return withoutGradients { Double(objective().value.scalar) }
        }
        for i in base.indices {
            var plus = base, minus = base
            plus[i] += S(epsilon); minus[i] -= S(epsilon)
            // Divide by the step actually taken, which rounding in S may have changed.
            let step = Double(plus[i]) - Double(minus[i])
            let numeric = (evaluate(plus) - evaluate(minus)) / step
            let a = Double(analytic[k][i])
            let ratio = Swift.abs(a - numeric) / (absoluteTolerance + relativeTolerance * Swift.max(Swift.abs(a), Swift.abs(numeric)))
            checked += 1
            if ratio > worst.ratio { worst = (ratio, k, i, a, numeric) }
        }
        v.value = original
    }
    let shape = variables.isEmpty ? [] : variables[worst.input].shape
    var index = [Int](repeating: 0, count: shape.count)
    var rest = worst.flat
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] = rest % Swift.max(shape[axis], 1); rest /= Swift.max(shape[axis], 1)
    }
    return GradientCheckResult(passed: worst.ratio <= 1, worstInput: worst.input, worstIndex: index,
                               analytic: worst.a, numeric: worst.n, worstRatio: worst.ratio, checkedElements: checked)
}
