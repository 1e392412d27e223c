import TapestryTensor

extension Variable {
    /// Zeroes each element with probability `rate` and scales the rest by `1 / (1 - rate)`
    /// (inverted dropout, as Keras), drawing the mask from `generator`.
    public func dropout(rate: Double, using generator: inout SeededGenerator) -> Variable {
        precondition(rate >= 0 && rate < 1, "dropout: rate must be in [0, 1), got \(rate)")
        if rate == 0 { return self }
        let keep = Scalar(1 / (1 - rate))
        let mask = Tensor<Scalar>(shape: shape) { p in
            for i in 0..<value.count { p[i] = generator.nextUnit() >= rate ? keep : 0 }
        }
        return Variable.record(value * mask, op: "dropout", inputs: [self]) { g in [g * mask] }
    }
}
