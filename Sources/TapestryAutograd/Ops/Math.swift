import TapestryTensor

extension Variable {
    public func exp() -> Variable {
        let y = value.exp()
        return Variable.record(y, op: "exp", inputs: [self]) { g in [g * y] }
    }

    public func log() -> Variable {
        let x = value
        return Variable.record(x.log(), op: "log", inputs: [self]) { g in [g / x] }
    }

    public func sqrt() -> Variable {
        let y = value.sqrt()
        return Variable.record(y, op: "sqrt", inputs: [self]) { g in [g / (y * 2)] }
    }

    public func squared() -> Variable {
        let x = value
        return Variable.record(x.squared(), op: "square", inputs: [self]) { g in [g * x * 2] }
    }

    public func pow(_ p: Scalar) -> Variable {
        let x = value
        return Variable.record(x.pow(p), op: "pow", inputs: [self]) { g in [g * x.pow(p - 1) * p] }
    }

    /// Clamps into `[lo, hi]`; like TensorFlow, the gradient is zero where the input was clamped.
    public func clipped(min lo: Scalar, max hi: Scalar) -> Variable {
        let x = value
        return Variable.record(x.clipped(min: lo, max: hi), op: "clip", inputs: [self]) { g in
            [g.zip(x, op: "clip") { gi, xi in xi >= lo && xi <= hi ? gi : 0 }]
        }
    }

    /// Picks `a` where `condition` is non-zero and `b` elsewhere; the condition is not differentiated.
    public static func select(_ condition: Tensor<Scalar>, _ a: Variable, _ b: Variable) -> Variable {
        record(Tensor.select(condition, a.value, b.value), op: "where", inputs: [a, b]) { g in
            [a.requiresGrad ? Tensor.select(condition, g, Tensor(0)) : nil,
             b.requiresGrad ? Tensor.select(condition, Tensor(0), g) : nil]
        }
    }
}
