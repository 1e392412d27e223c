import TapestryTensor

/// How an optimizer clips gradients before using them: Keras 3's `clipnorm`, `clipvalue` and
/// `global_clipnorm`, of which Keras allows at most one.
///
/// ```swift
/// let sgd = SGD(learningRate: 0.1, clipnorm: 1.0)       // each gradient's L2 norm ≤ 1
/// sgd.gradientClipping = .globalNorm(5.0)               // or switch rule later
/// ```
///
/// As in Keras, a bound that is not positive turns clipping off.
public enum GradientClipping: Equatable {
    /// Keras `clipnorm`: each gradient `g` becomes `g * c / max(‖g‖₂, c)`.
    case norm(Double)
    /// Keras `clipvalue`: each element is clamped to `[-c, c]`.
    case value(Double)
    /// Keras `global_clipnorm`: every gradient is scaled by `c * min(1/n, 1/c)`, where `n` is the
    /// L2 norm of all gradients together; a non-finite `n` makes the scale NaN, as in Keras.
    case globalNorm(Double)

    /// The rule for Keras's three keyword arguments; nil when none is set.
    public init?(clipnorm: Double?, clipvalue: Double?, globalClipnorm: Double?) {
        let given = [clipnorm, clipvalue, globalClipnorm].compactMap { $0 }
        precondition(given.count <= 1,
                     "Only one of clipnorm, clipvalue and globalClipnorm can be set (clipnorm: \(String(describing: clipnorm)), clipvalue: \(String(describing: clipvalue)), globalClipnorm: \(String(describing: globalClipnorm)))")
        if let c = clipnorm { self = .norm(c) }
        else if let c = clipvalue { self = .value(c) }
        else if let c = globalClipnorm { self = .globalNorm(c) }
        else { return nil }
    }

    /// The factor each gradient is multiplied by (1 where this rule does not scale).
    public func scales(for gradients: [Tensor<Float>]) -> [Float] {
        switch self {
        case .norm(let c) where c > 0:
            return gradients.map { g in
                // Keras `_clip_by_norm`: the norm of an all-zero gradient is taken as 0, and
                // dividing by max(norm, c) leaves gradients already within the bound unchanged.
                let norm = sumOfSquares(g).squareRoot()
                return norm.isNaN ? .nan : Float(c / Swift.max(norm, c))
            }
        case .globalNorm(let c) where c > 0:
            // Keras `clip_by_global_norm`: scale = c * min(1/n, 1/c) + (n - n); the last term is
            // 0 for finite n and NaN otherwise, poisoning the step rather than hiding an overflow.
            let n = gradients.reduce(0) { $0 + sumOfSquares($1) }.squareRoot()
            let scale = n.isFinite ? c * Swift.min(1 / n, 1 / c) : .nan
            return Array(repeating: Float(scale), count: gradients.count)
        default:
            return Array(repeating: 1, count: gradients.count)
        }
    }

    /// The clamp bound of ``value(_:)``; nil for the other rules or a bound that is not positive.
    public var valueBound: Float? {
        if case .value(let c) = self, c > 0 { return Float(c) }
        return nil
    }
}

/// The sum of squared elements, accumulated in Double over fixed chunks so the result does not
/// depend on how many threads ran.
func sumOfSquares(_ tensor: Tensor<Float>) -> Double {
    tensor.withUnsafeBufferPointer { buffer in
        let n = buffer.count
        guard n > 0, let base = buffer.baseAddress else { return 0 }
        let chunkCount = Swift.max(1, Swift.min(64, n / 4096))
        let partials = UnsafeMutablePointer<Double>.allocate(capacity: chunkCount)
        defer { partials.deallocate() }
        parallelChunks(chunkCount, cost: 2 * n) { chunks in
            for c in chunks {
                // Four running sums break the dependency chain of one (a sum is not reassociated
                // for us), roughly quadrupling throughput on large gradients.
                let start = n * c / chunkCount, end = n * (c + 1) / chunkCount
                var s0: Double = 0, s1: Double = 0, s2: Double = 0, s3: Double = 0
                var i = start
                while i + 4 <= end {
                    let x0 = Double(base[i]), x1 = Double(base[i + 1]), x2 = Double(base[i + 2]), x3 = Double(base[i + 3])
                    s0 += x0 * x0; s1 += x1 * x1; s2 += x2 * x2; s3 += x3 * x3
                    i += 4
                }
                while i < end {
                    let x = Double(base[i])
                    s0 += x * x
                    i += 1
                }
                partials[c] = (s0 + s1) + (s2 + s3)
            }
        }
        var total: Double = 0
        for c in 0..<chunkCount { total += partials[c] }
        return total
    }
}
