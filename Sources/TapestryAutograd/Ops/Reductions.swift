import TapestryTensor

extension Variable {
    /// The shape a reduction's gradient takes before it is broadcast back over the input.
    private func keptShape(_ axes: [Int]?) -> [Int] {
        let reduced = Set((axes ?? Array(0..<rank)).map { value.normalizedAxis($0) })
        return shape.indices.map { reduced.contains($0) ? 1 : shape[$0] }
    }

    public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Variable {
        let kept = keptShape(axes), inShape = shape
        return Variable.record(value.sum(axes: axes, keepDims: keepDims), op: "sum", inputs: [self]) { g in
            [g.reshaped(kept).expanded(to: inShape)]
        }
    }

    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Variable {
        let kept = keptShape(axes), inShape = shape
        let n = Scalar(Swift.max(1, value.count / Swift.max(kept.reduce(1, *), 1)))
        return Variable.record(value.mean(axes: axes, keepDims: keepDims), op: "mean", inputs: [self]) { g in
            [(g / n).reshaped(kept).expanded(to: inShape)]
        }
    }

    /// The maximum; as in TensorFlow, tied maxima share the gradient equally.
    public func max(axes: [Int]? = nil, keepDims: Bool = false) -> Variable {
        let kept = keptShape(axes), x = value
        let m = x.max(axes: axes, keepDims: true)
        let result = keepDims ? m : x.max(axes: axes, keepDims: false)
        return Variable.record(result, op: "max", inputs: [self]) { g in
            let mask = x.zip(m, op: "max") { $0 == $1 ? 1 : 0 }
            let ties = mask.sum(axes: axes, keepDims: true)
            return [mask * (g.reshaped(kept) / ties)]
        }
    }
}
