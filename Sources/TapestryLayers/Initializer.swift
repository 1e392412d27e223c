import TapestryTensor

/// How a weight's first values are drawn; Keras's initialisers with Keras's defaults.
/// Random ones draw from the global generator (see `setRandomSeed(_:)`).
public enum Initializer: Sendable {
    case zeros, ones
    case constant(Float)
    /// Uniform in ±sqrt(6 / (fanIn + fanOut)) — Keras's default for kernels.
    case glorotUniform
    /// Truncated normal with stddev sqrt(2 / (fanIn + fanOut)) / 0.8796…
    case glorotNormal
    /// Truncated normal with stddev sqrt(2 / fanIn) / 0.8796…
    case heNormal
    /// Uniform in ±sqrt(6 / fanIn).
    case heUniform
    case randomNormal(mean: Float = 0, standardDeviation: Float = 0.05)
    case randomUniform(low: Float = -0.05, high: Float = 0.05)

    /// Keras's fans: for a conv kernel `[kh, kw, in, out]` the receptive field multiplies both.
    static func fans(_ shape: [Int]) -> (fanIn: Double, fanOut: Double) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (Double(shape[0]), Double(shape[0]))
        case 2: return (Double(shape[0]), Double(shape[1]))
        default:
            let receptive = Double(shape.dropLast(2).reduce(1, *))
            return (Double(shape[shape.count - 2]) * receptive, Double(shape[shape.count - 1]) * receptive)
        }
    }

    /// The standard deviation of a unit normal truncated at ±2, which Keras divides by.
    private static let truncationCorrection = 0.87962566103423978

    public func make(_ shape: [Int]) -> Tensor<Float> {
        let (fanIn, fanOut) = Self.fans(shape)
        switch self {
        case .zeros: return .zeros(shape)
        case .ones: return .ones(shape)
        case .constant(let v): return Tensor(shape: shape, repeating: v)
        case .glorotUniform:
            let limit = Float((6 / Swift.max(1, fanIn + fanOut)).squareRoot())
            return .randomUniform(shape, low: -limit, high: limit)
        case .heUniform:
            let limit = Float((6 / Swift.max(1, fanIn)).squareRoot())
            return .randomUniform(shape, low: -limit, high: limit)
        case .glorotNormal:
            let sd = Float((2 / Swift.max(1, fanIn + fanOut)).squareRoot() / Self.truncationCorrection)
            return GlobalRandom.with { Tensor.randomTruncatedNormal(shape, standardDeviation: sd, using: &$0) }
        case .heNormal:
            let sd = Float((2 / Swift.max(1, fanIn)).squareRoot() / Self.truncationCorrection)
            return GlobalRandom.with { Tensor.randomTruncatedNormal(shape, standardDeviation: sd, using: &$0) }
        case .randomNormal(let mean, let sd): return .randomNormal(shape, mean: mean, standardDeviation: sd)
        case .randomUniform(let low, let high): return .randomUniform(shape, low: low, high: high)
        }
    }
}
