/// Reductions over axes. With `keepDims` the reduced axes stay as size 1.
extension Tensor {
    /// Reduces the given axes (all when `nil`) with `combine`, starting from `initial`.

    public func reduce(axes: [Int]?, keepDims: Bool, initial: Scalar,
                       _ combine: (Scalar, Scalar) -> Scalar) -> Tensor {
        let reduced = Set((axes ?? Array(0..<rank)).map(normalizedAxis))
        let outShape = shape.indices.map { reduced.contains($0) ? 1 : shape[$0] }
        // Walk the output; for each output element, walk the reduced axes.
        let keptAxes = shape.indices.filter { !reduced.contains($0) }
        let redAxes = shape.indices.filter { reduced.contains($0) }
        let outer = StridedLoop(shape: keptAxes.map { shape[$0] }, strides: [keptAxes.map { strides[$0] }])
        let innerLoop = StridedLoop(shape: redAxes.map { shape[$0] }, strides: [redAxes.map { strides[$0] }])
        let n = outShape.reduce(1, *)
        let base = storage.pointer + offset
        let total = count
        let result = Tensor(shape: outShape) { out in
            parallelChunks(n, cost: total) { elements in
                outer.forEachRun(in: elements) { row, cols in
                    let rowBase = base + outer.rowStart(row, operand: 0)
                    for c in cols {
                        let start = rowBase + c * outer.innerStrides[0]
                        var acc = initial
                        let s = innerLoop.innerStrides[0]
                        for r in 0..<innerLoop.rows {
                            let p = start + innerLoop.rowStart(r, operand: 0)
                            for i in 0..<innerLoop.inner { acc = combine(acc, p[i * s]) }
                        }
                        out[row * outer.inner + c] = acc
                    }
                }
            }
        }
        let kept = withExtendedLifetime(self) { result }
        return keepDims ? kept : kept.reshaped(keptAxes.map { shape[$0] })
    }

    public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduce(axes: axes, keepDims: keepDims, initial: 0, +)
    }

    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let n = (axes ?? Array(0..<rank)).map { shape[normalizedAxis($0)] }.reduce(1, *)
        return sum(axes: axes, keepDims: keepDims) / Scalar(Swift.max(n, 1))
    }

    public func max(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        precondition(count > 0, "max: empty tensor of shape \(shape)")
        return reduce(axes: axes, keepDims: keepDims, initial: -.infinity) { Swift.max($0, $1) }
    }

    public func min(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        precondition(count > 0, "min: empty tensor of shape \(shape)")
        return reduce(axes: axes, keepDims: keepDims, initial: .infinity) { Swift.min($0, $1) }
    }

    /// The index of the largest element along `axis` (the first one on ties), as integers.
    public func argmax(axis: Int) -> [Int] {
        let ax = normalizedAxis(axis)
        let moved = permuted(shape.indices.filter { $0 != ax } + [ax]).contiguous()
        let n = shape[ax]
        let rows = n == 0 ? 0 : moved.count / n
        return moved.withUnsafeBufferPointer { p in
            (0..<rows).map { r in
                var best = 0
                for i in 1..<Swift.max(n, 1) where p[r * n + i] > p[r * n + best] { best = i }
                return best
            }
        }
    }
}
