/// Layout-only operations: each returns a view over the same storage (``reshaped(_:)`` copies
/// only when the data is not contiguous).
extension Tensor {
    /// The same elements in a new shape; one dimension may be `-1` to be inferred.
    /// A view when `self` is contiguous, a copy otherwise.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        if let i = newShape.firstIndex(of: -1) {
            precondition(newShape.filter { $0 == -1 }.count == 1 && known > 0 && count % known == 0,
                         "reshape: cannot reshape \(shape) to \(newShape)")
            resolved[i] = count / known
        }
        precondition(resolved.reduce(1, *) == count, "reshape: cannot reshape \(shape) (\(count) elements) to \(newShape)")
        let base = contiguous()
        return Tensor(storage: base.storage, shape: resolved, strides: contiguousStrides(resolved), offset: base.offset)
    }

    /// Axes reordered: result axis `i` is `self`'s axis `permutation[i]`. No copy.
    public func permuted(_ permutation: [Int]) -> Tensor {
        precondition(permutation.sorted() == Array(0..<rank), "permute: \(permutation) is not a permutation of the axes of \(shape)")
        return Tensor(storage: storage, shape: permutation.map { shape[$0] },
                      strides: permutation.map { strides[$0] }, offset: offset)
    }

    /// The last two axes swapped (or the given pair). No copy.
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        precondition(rank >= 2, "transpose: shape \(shape) has fewer than two axes")
        var perm = Array(0..<rank)
        perm.swapAt(normalizedAxis(a), normalizedAxis(b))
        return permuted(perm)
    }

    /// Elements `start, start+step, …` below `end` along `axis`. No copy.
    public func slice(axis: Int, from start: Int, to end: Int, step: Int = 1) -> Tensor {
        let ax = normalizedAxis(axis)
        precondition(step > 0, "slice: step must be positive, got \(step)")
        precondition(0 <= start && start <= end && end <= shape[ax],
                     "slice: range \(start)..<\(end) out of bounds for axis \(ax) of shape \(shape)")
        var newShape = shape, newStrides = strides
        newShape[ax] = (end - start + step - 1) / step
        newStrides[ax] = strides[ax] * step
        return Tensor(storage: storage, shape: newShape, strides: newStrides, offset: offset + start * strides[ax])
    }

    /// Slices the leading axes by ranges (with optional steps). No copy.
    ///
    /// ```swift
    /// let crop = image.slice([0..<1, 10..<20, 10..<20])   // NHWC: one image, a 10×10 window
    /// ```
    public func slice(_ ranges: [Range<Int>], steps: [Int]? = nil) -> Tensor {
        var t = self
        for (axis, r) in ranges.enumerated() {
            t = t.slice(axis: axis, from: r.lowerBound, to: r.upperBound, step: steps?[axis] ?? 1)
        }
        return t
    }

    /// `self` read as `target`'s shape by NumPy broadcasting (stride 0 on new axes). No copy.
    public func expanded(to target: [Int]) -> Tensor {
        Tensor(storage: storage, shape: target, strides: broadcastStrides(to: target, op: "expand"), offset: offset)
    }

    /// Removes size-1 axes (all of them, or the given ones). No copy.
    public func squeezed(axes: [Int]? = nil) -> Tensor {
        let drop = Set((axes ?? shape.indices.filter { shape[$0] == 1 }).map(normalizedAxis))
        for a in drop { precondition(shape[a] == 1, "squeeze: axis \(a) of shape \(shape) is not 1") }
        let keep = shape.indices.filter { !drop.contains($0) }
        return Tensor(storage: storage, shape: keep.map { shape[$0] }, strides: keep.map { strides[$0] }, offset: offset)
    }

    /// Inserts a size-1 axis at `axis`. No copy.
    public func unsqueezed(axis: Int) -> Tensor {
        let a = axis < 0 ? axis + rank + 1 : axis
        precondition(a >= 0 && a <= rank, "unsqueeze: axis \(axis) out of range for shape \(shape)")
        var newShape = shape, newStrides = strides
        newShape.insert(1, at: a)
        newStrides.insert(a < rank ? strides[a] * shape[a] : 1, at: a)
        return Tensor(storage: storage, shape: newShape, strides: newStrides, offset: offset)
    }

    /// Maps a possibly negative axis to `0..<rank`, stopping with a message when out of range.
    public func normalizedAxis(_ axis: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "axis \(axis) out of range for shape \(shape)")
        return a
    }
}

extension Tensor {
    /// Writes `values` (broadcast to the slice's shape) into the elements of `self` that
    /// `slice(axis:from:to:step:)` would view.
    public mutating func assignSlice(axis: Int, from start: Int, to end: Int, step: Int = 1, _ values: Tensor) {
        makeUnique()
        let view = slice(axis: axis, from: start, to: end, step: step)
        let src = values.expanded(to: view.shape)
        let loop = StridedLoop(shape: view.shape, strides: [view.strides, src.strides])
        let d = storage.pointer + view.offset, s = src.storage.pointer + src.offset
        let (sd, ss) = (loop.innerStrides[0], loop.innerStrides[1])
        for row in 0..<loop.rows {
            let dr = d + loop.rowStart(row, operand: 0), sr = s + loop.rowStart(row, operand: 1)
            for i in 0..<loop.inner { dr[i * sd] = sr[i * ss] }
        }
        withExtendedLifetime(src) {}
    }
}
