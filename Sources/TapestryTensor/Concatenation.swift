/// Joining and splitting tensors along an axis.
extension Tensor {
    /// Joins tensors whose shapes agree except along `axis`.
    public static func concatenate(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concatenate: no tensors given")
        let first = parts[0]
        let ax = first.normalizedAxis(axis)
        for p in parts {
            precondition(p.rank == first.rank && p.shape.indices.allSatisfy { $0 == ax || p.shape[$0] == first.shape[$0] },
                         "concatenate: shapes \(first.shape) and \(p.shape) differ outside axis \(ax)")
        }
        var outShape = first.shape
        outShape[ax] = parts.map { $0.shape[ax] }.reduce(0, +)
        let outer = first.shape[..<ax].reduce(1, *)
        let innerOut = outShape[ax...].reduce(1, *)
        let result = Tensor(shape: outShape) { out in
            var start = 0
            for p in parts {
                let pc = p.contiguous()
                let run = pc.shape[ax...].reduce(1, *)
                let src = pc.storage.pointer + pc.offset
                for o in 0..<outer { (out + o * innerOut + start).update(from: src + o * run, count: run) }
                start += run
                withExtendedLifetime(pc) {}
            }
        }
        return result
    }

    /// Stacks same-shaped tensors along a new axis.
    public static func stack(_ parts: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!parts.isEmpty, "stack: no tensors given")
        for p in parts { precondition(p.shape == parts[0].shape, "stack: shapes \(parts[0].shape) and \(p.shape) differ") }
        return concatenate(parts.map { $0.unsqueezed(axis: axis) }, axis: axis)
    }

    /// Splits along `axis` into pieces of the given sizes (views, no copy).
    public func split(sizes: [Int], axis: Int) -> [Tensor] {
        let ax = normalizedAxis(axis)
        precondition(sizes.reduce(0, +) == shape[ax], "split: sizes \(sizes) do not add up to \(shape[ax]) along axis \(ax) of \(shape)")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return slice(axis: ax, from: start, to: start + size)
        }
    }
}
