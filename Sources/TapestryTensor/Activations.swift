/// Forward kernels of the activation functions (their gradients live with the differentiable
/// ops in TapestryAutograd).
extension Tensor {
    public func relu() -> Tensor { map { $0 > 0 ? $0 : 0 } }

    /// `1 / (1 + e^-x)`, written per sign so neither branch overflows.
    public func sigmoid() -> Tensor {
        map { x in
            if x >= 0 { return 1 / (1 + Scalar.exp(-x)) }
            let e = Scalar.exp(x)
            return e / (1 + e)
        }
    }

    public func tanh() -> Tensor { map { Scalar.tanh($0) } }

    /// `x` for positive inputs, `alpha·(eˣ − 1)` otherwise (Keras default alpha 1).
    public func elu(alpha: Scalar = 1) -> Tensor { map { $0 > 0 ? $0 : alpha * (Scalar.exp($0) - 1) } }

    /// `x` for positive inputs, `alpha·x` otherwise (Keras's `LeakyReLU` default slope 0.3).
    public func leakyRelu(alpha: Scalar = 0.3) -> Tensor { map { $0 > 0 ? $0 : alpha * $0 } }

    /// Gaussian error linear unit; exact (erf) by default as in Keras 3, or the tanh approximation.
    public func gelu(approximate: Bool = false) -> Tensor {
        if approximate {
            let c = Scalar(0.7978845608028654)  // sqrt(2/pi)
            return map { x in 0.5 * x * (1 + Scalar.tanh(c * (x + 0.044715 * x * x * x))) }
        }
        return map { x in 0.5 * x * (1 + Scalar.erf(x / Scalar(2).squareRoot())) }
    }

    /// `exp(x) / sum(exp(x))` along `axis`, shifted by the maximum so large inputs cannot overflow.
    public func softmax(axis: Int = -1) -> Tensor {
        let e = (self - max(axes: [axis], keepDims: true)).exp()
        return e / e.sum(axes: [axis], keepDims: true)
    }

    /// `x − log(sum(exp(x)))` along `axis`, computed without forming the possibly overflowing sum.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let shifted = self - max(axes: [axis], keepDims: true)
        return shifted - shifted.exp().sum(axes: [axis], keepDims: true).log()
    }
}
