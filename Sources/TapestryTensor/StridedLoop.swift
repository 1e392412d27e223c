/// A plan for walking several operands over one logical shape in row-major order.
///
/// Axes that are contiguous in every operand are merged, so a broadcast add of two contiguous
/// tensors becomes a single flat loop. Each "row" is a run along the last merged axis.

struct StridedLoop {
    let outerSizes: [Int]
    let outerStrides: [[Int]]
    let inner: Int
    let innerStrides: [Int]
    let rows: Int


    init(shape: [Int], strides: [[Int]]) {
        var sizes: [Int] = []
        var merged: [[Int]] = strides.map { _ in [] }
        for axis in shape.indices where shape[axis] != 1 {
            if let last = sizes.last,
               strides.indices.allSatisfy({ merged[$0].last! == strides[$0][axis] * shape[axis] }) {
                _ = last
                sizes[sizes.count - 1] *= shape[axis]
                for k in strides.indices { merged[k][merged[k].count - 1] = strides[k][axis] }
            } else {
                sizes.append(shape[axis])
                for k in strides.indices { merged[k].append(strides[k][axis]) }
            }
        }
        if shape.contains(0) {
            outerSizes = []; outerStrides = strides.map { _ in [] }
            inner = 0; innerStrides = strides.map { _ in 0 }; rows = 0
            return
        }
        if sizes.isEmpty {
            sizes = [1]
            merged = strides.map { _ in [0] }
        }
        inner = sizes.removeLast()
        innerStrides = merged.map { $0.last! }
        outerSizes = sizes
        outerStrides = merged.map { Array($0.dropLast()) }
        rows = sizes.reduce(1, *)
    }

    /// Calls `body(row, columns)` for each run of the rows that the flat element range covers,
    /// so work can be split by elements even when there is a single long row.
    @inline(__always)
    func forEachRun(in elements: Range<Int>, _ body: (Int, Range<Int>) -> Void) {
        guard inner > 0 else { return }
        var e = elements.lowerBound
        while e < elements.upperBound {
            let row = e / inner, col = e % inner
            let end = Swift.min(inner, col + (elements.upperBound - e))
            body(row, col..<end)
            e += end - col
        }
    }

    /// The storage offset (relative to the operand's own offset) where `row` starts.
    @inline(__always)
    func rowStart(_ row: Int, operand k: Int) -> Int {
        var r = row
        var o = 0
        let st = outerStrides[k]
        var axis = outerSizes.count - 1
        while axis >= 0 {
            let size = outerSizes[axis]
            o += (r % size) * st[axis]
            r /= size
            axis -= 1
        }
        return o
    }
}

/// A tensor op was given shapes it cannot work with.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }
}

/// NumPy broadcasting: the shape two operands broadcast to, or an error naming the op and both shapes.
public func checkedBroadcastShapes(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
    let rank = Swift.max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        guard da == db || da == 1 || db == 1 else {
            throw ShapeError(message: "\(op): shapes \(a) and \(b) cannot be broadcast together")
        }
        out[i] = da == 1 ? db : da
    }
    return out
}

/// NumPy broadcasting inside kernels: a mismatch is a programming error and stops with the
/// message of ``checkedBroadcastShapes(_:_:op:)``.
public func broadcastShapes(_ a: [Int], _ b: [Int], op: String) -> [Int] {
    do { return try checkedBroadcastShapes(a, b, op: op) } catch { preconditionFailure("\(error)") }
}

extension Tensor {
    /// Strides that read `self` as if it had `target`'s shape (stride 0 on broadcast axes).

    func broadcastStrides(to target: [Int], op: String) -> [Int] {
        let lead = target.count - rank
        precondition(lead >= 0, "\(op): cannot broadcast shape \(shape) to \(target)")
        var result = [Int](repeating: 0, count: target.count)
        for axis in 0..<rank {
            let size = shape[axis]
            precondition(size == target[lead + axis] || size == 1,
                         "\(op): cannot broadcast shape \(shape) to \(target)")
            result[lead + axis] = size == 1 && target[lead + axis] != 1 ? 0 : strides[axis]
        }
        return result
    }
}
