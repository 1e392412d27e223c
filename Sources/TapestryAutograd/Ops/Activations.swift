import TapestryTensor

extension Variable {
    /// Gradient 1 for positive inputs and 0 otherwise (0 at the kink, as in TensorFlow).
    public func relu() -> Variable {
        let x = value
        return Variable.record(x.relu(), op: "relu", inputs: [self]) { g in
            [g.zip(x, op: "relu") { gi, xi in xi > 0 ? gi : 0 }]
        }
    }

    public func sigmoid() -> Variable {
        let y = value.sigmoid()
        let result = Variable.record(y, op: "sigmoid", inputs: [self]) { g in
            [g.zip(y, op: "sigmoid") { gi, yi in gi * yi * (1 - yi) }]
        }
        result.logits = self
        return result
    }

    public func tanh() -> Variable {
        let y = value.tanh()
        return Variable.record(y, op: "tanh", inputs: [self]) { g in
            [g.zip(y, op: "tanh") { gi, yi in gi * (1 - yi * yi) }]
        }
    }

    public func elu(alpha: Scalar = 1) -> Variable {
        let x = value
        let y = x.elu(alpha: alpha)
        return Variable.record(y, op: "elu", inputs: [self]) { g in
            [g.zip(x, y, op: "elu") { gi, xi, yi in xi > 0 ? gi : gi * (yi + alpha) }]
        }
    }

    public func leakyRelu(alpha: Scalar = 0.3) -> Variable {
        let x = value
        return Variable.record(x.leakyRelu(alpha: alpha), op: "leaky_relu", inputs: [self]) { g in
            [g.zip(x, op: "leaky_relu") { gi, xi in xi > 0 ? gi : gi * alpha }]
        }
    }

    public func gelu(approximate: Bool = false) -> Variable {
        let x = value
        return Variable.record(x.gelu(approximate: approximate), op: "gelu", inputs: [self]) { g in
            if approximate {
                let c = Scalar(0.7978845608028654)
                return [g.zip(x, op: "gelu") { gi, xi in
                    let u = c * (xi + 0.044715 * xi * xi * xi)
                    let t = Scalar.tanh(u)
                    let du = c * (1 + 3 * 0.044715 * xi * xi)
                    return gi * (0.5 * (1 + t) + 0.5 * xi * (1 - t * t) * du)
                }]
            }
            let invSqrt2 = 1 / Scalar(2).squareRoot(), invSqrt2Pi = 1 / (2 * Scalar.pi).squareRoot()
            return [g.zip(x, op: "gelu") { gi, xi in
                gi * (0.5 * (1 + Scalar.erf(xi * invSqrt2)) + xi * invSqrt2Pi * Scalar.exp(-0.5 * xi * xi))
            }]
        }
    }

    public func softmax(axis: Int = -1) -> Variable {
        let y = value.softmax(axis: axis)
        let result = Variable.record(y, op: "softmax", inputs: [self]) { g in
            [y * (g - (g * y).sum(axes: [axis], keepDims: true))]
        }
        if axis == -1 || axis == rank - 1 { result.logits = self }
        return result
    }

    public func logSoftmax(axis: Int = -1) -> Variable {
        let y = value.logSoftmax(axis: axis)
        return Variable.record(y, op: "log_softmax", inputs: [self]) { [value] g in
            [g - value.softmax(axis: axis) * g.sum(axes: [axis], keepDims: true)]
        }
    }
}
