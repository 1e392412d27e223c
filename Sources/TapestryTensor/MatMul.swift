/// Matrix products through BLAS `gemm`.
extension Tensor {
    /// How BLAS can read a 2-D view without copying: row-major, or row-major of the transpose.
    private func blasOperand() -> (tensor: Tensor, transposed: Bool, ld: Int) {
        precondition(rank == 2)
        let (r, c) = (shape[0], shape[1])
        if strides[1] == 1 && (strides[0] >= Swift.max(c, 1) || r == 1) { return (self, false, Swift.max(strides[0], c, 1)) }
        if strides[0] == 1 && (strides[1] >= Swift.max(r, 1) || c == 1) { return (self, true, Swift.max(strides[1], r, 1)) }
        return (contiguous(), false, Swift.max(c, 1))
    }

    /// Matrix product with NumPy `matmul` semantics: 2-D × 2-D, or batched over leading axes
    /// (which broadcast). Transposed views go to BLAS as transposes, not copies.
    ///
    /// ```swift
    /// let y = x.matmul(w.transposed())    // no copy of w
    /// ```
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank >= 2 && other.rank >= 2,
                     "matmul: needs at least 2-D operands, got \(shape) and \(other.shape)")
        let (m, k) = (shape[rank - 2], shape[rank - 1])
        let (k2, n) = (other.shape[other.rank - 2], other.shape[other.rank - 1])
        precondition(k == k2, "matmul: inner dimensions differ: \(shape) × \(other.shape)")
        let batchA = Array(shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        let batch = broadcastShapes(batchA, batchB, op: "matmul")
        let a = expanded(to: batch + [m, k]), b = other.expanded(to: batch + [k, n])
        let batchCount = batch.reduce(1, *)
        // GEMM with beta 0 writes every element; only an empty inner dimension needs the zeros.
        var result = k == 0 ? Tensor(shape: batch + [m, n], repeating: 0) : Tensor(shape: batch + [m, n], unsafeUninitialized: { _ in })
        let out = result.storage.pointer
        for i in 0..<batchCount {
            var idx = i, ia = a.offset, ib = b.offset
            for axis in stride(from: batch.count - 1, through: 0, by: -1) {
                let j = idx % batch[axis]; idx /= batch[axis]
                ia += j * a.strides[axis]; ib += j * b.strides[axis]
            }
            let a2 = Tensor(storage: a.storage, shape: [m, k], strides: Array(a.strides.suffix(2)), offset: ia).blasOperand()
            let b2 = Tensor(storage: b.storage, shape: [k, n], strides: Array(b.strides.suffix(2)), offset: ib).blasOperand()
            if m == 0 || n == 0 || k == 0 { continue }
            Scalar.parallelGEMM(transposeA: a2.transposed, transposeB: b2.transposed, m: m, n: n, k: k,
                                alpha: 1, a: a2.tensor.storage.pointer + a2.tensor.offset, lda: a2.ld,
                                b: b2.tensor.storage.pointer + b2.tensor.offset, ldb: b2.ld,
                                beta: 0, c: out + i * m * n, ldc: n)
            withExtendedLifetime((a2.tensor, b2.tensor)) {}
        }
        result = withExtendedLifetime((self, other)) { result }
        return result
    }
}
