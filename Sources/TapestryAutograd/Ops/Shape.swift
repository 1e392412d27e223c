import TapestryTensor

// Layout ops: forward results are views; gradients are the inverse layout change.

extension Variable {
    public func reshaped(_ newShape: [Int]) -> Variable {
        let inShape = shape
        return Variable.record(value.reshaped(newShape), op: "reshape", inputs: [self]) { g in [g.reshaped(inShape)] }
    }

    public func permuted(_ permutation: [Int]) -> Variable {
        var inverse = [Int](repeating: 0, count: permutation.count)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return Variable.record(value.permuted(permutation), op: "permute", inputs: [self]) { g in [g.permuted(inverse)] }
    }

    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Variable {
        var perm = Array(0..<rank)
        perm.swapAt(value.normalizedAxis(a), value.normalizedAxis(b))
        return permuted(perm)
    }

    public func slice(axis: Int, from start: Int, to end: Int, step: Int = 1) -> Variable {
        let inShape = shape
        return Variable.record(value.slice(axis: axis, from: start, to: end, step: step), op: "slice", inputs: [self]) { g in
            var full = Tensor<Scalar>.zeros(inShape)
            full.assignSlice(axis: axis, from: start, to: end, step: step, g)
            return [full]
        }
    }

    /// Broadcasts to `target` (a stride-0 view); the tape sums the gradient back.
    public func expanded(to target: [Int]) -> Variable {
        Variable.record(value.expanded(to: target), op: "expand", inputs: [self]) { g in [g] }
    }

    public func squeezed(axes: [Int]? = nil) -> Variable {
        let inShape = shape
        return Variable.record(value.squeezed(axes: axes), op: "squeeze", inputs: [self]) { g in [g.reshaped(inShape)] }
    }

    public func unsqueezed(axis: Int) -> Variable {
        let inShape = shape
        return Variable.record(value.unsqueezed(axis: axis), op: "unsqueeze", inputs: [self]) { g in [g.reshaped(inShape)] }
    }

    public static func concatenate(_ parts: [Variable], axis: Int) -> Variable {
        let sizes = parts.map { $0.value.shape[$0.value.normalizedAxis(axis)] }
        return record(Tensor.concatenate(parts.map(\.value), axis: axis), op: "concatenate", inputs: parts) { g in
            g.split(sizes: sizes, axis: axis).map { Optional($0) }
        }
    }

    public static func stack(_ parts: [Variable], axis: Int = 0) -> Variable {
        concatenate(parts.map { $0.unsqueezed(axis: axis) }, axis: axis)
    }

    /// Splits along `axis` into pieces of the given sizes.
    public func split(sizes: [Int], axis: Int) -> [Variable] {
        let ax = value.normalizedAxis(axis)
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return slice(axis: ax, from: start, to: start + size)
        }
    }
}
