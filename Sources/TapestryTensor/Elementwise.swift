/// Element-wise kernels over strided, broadcast inputs. Results are always contiguous.
extension Tensor {
    /// Applies `f` to every element.

    public func map(_ f: (Scalar) -> Scalar) -> Tensor {
        let loop = StridedLoop(shape: shape, strides: [strides])
        let src = storage.pointer + offset
        let inner = loop.inner, sIn = loop.innerStrides[0]
        let n = count
        let result = Tensor(shape: shape) { out in
            parallelChunks(n, cost: n * 4) { elements in
                loop.forEachRun(in: elements) { row, cols in
                    let s = src + loop.rowStart(row, operand: 0)
                    let d = out + row * inner
                    if sIn == 1 {
                        for i in cols { d[i] = f(s[i]) }
                    } else {
                        for i in cols { d[i] = f(s[i * sIn]) }
                    }
                }
            }
        }
        return withExtendedLifetime(self) { result }
    }

    /// Combines two tensors element by element with NumPy broadcasting.

    public func zip(_ other: Tensor, op: String, _ f: (Scalar, Scalar) -> Scalar) -> Tensor {
        let outShape = shape == other.shape ? shape : broadcastShapes(shape, other.shape, op: op)
        let loop = StridedLoop(shape: outShape, strides: [broadcastStrides(to: outShape, op: op),
                                                           other.broadcastStrides(to: outShape, op: op)])
        let pa = storage.pointer + offset, pb = other.storage.pointer + other.offset
        let inner = loop.inner, sa = loop.innerStrides[0], sb = loop.innerStrides[1]
        let n = outShape.reduce(1, *)
        let result = Tensor(shape: outShape) { out in
            parallelChunks(n, cost: n * 4) { elements in
                loop.forEachRun(in: elements) { row, cols in
                    let a = pa + loop.rowStart(row, operand: 0)
                    let b = pb + loop.rowStart(row, operand: 1)
                    let d = out + row * inner
                    if sa == 1 && sb == 1 {
                        for i in cols { d[i] = f(a[i], b[i]) }
                    } else if sa == 1 && sb == 0 {
                        let bv = b[0]
                        for i in cols { d[i] = f(a[i], bv) }
                    } else if sa == 0 && sb == 1 {
                        let av = a[0]
                        for i in cols { d[i] = f(av, b[i]) }
                    } else {
                        for i in cols { d[i] = f(a[i * sa], b[i * sb]) }
                    }
                }
            }
        }
        return withExtendedLifetime((self, other)) { result }
    }

    /// Combines three tensors element by element with NumPy broadcasting.

    public func zip(_ b: Tensor, _ c: Tensor, op: String, _ f: (Scalar, Scalar, Scalar) -> Scalar) -> Tensor {
        let outShape = broadcastShapes(broadcastShapes(shape, b.shape, op: op), c.shape, op: op)
        let loop = StridedLoop(shape: outShape, strides: [broadcastStrides(to: outShape, op: op),
                                                           b.broadcastStrides(to: outShape, op: op),
                                                           c.broadcastStrides(to: outShape, op: op)])
        let p0 = storage.pointer + offset, p1 = b.storage.pointer + b.offset, p2 = c.storage.pointer + c.offset
        let inner = loop.inner, s0 = loop.innerStrides[0], s1 = loop.innerStrides[1], s2 = loop.innerStrides[2]
        let n = outShape.reduce(1, *)
        let result = Tensor(shape: outShape) { out in
            parallelChunks(n, cost: n * 4) { elements in
                loop.forEachRun(in: elements) { row, cols in
                    let x = p0 + loop.rowStart(row, operand: 0)
                    let y = p1 + loop.rowStart(row, operand: 1)
                    let z = p2 + loop.rowStart(row, operand: 2)
                    let d = out + row * inner
                    for i in cols { d[i] = f(x[i * s0], y[i * s1], z[i * s2]) }
                }
            }
        }
        return withExtendedLifetime((self, b, c)) { result }
    }
}

// MARK: - Arithmetic

extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor { a.zip(b, op: "add") { $0 + $1 } }
    public static func - (a: Tensor, b: Tensor) -> Tensor { a.zip(b, op: "subtract") { $0 - $1 } }
    public static func * (a: Tensor, b: Tensor) -> Tensor { a.zip(b, op: "multiply") { $0 * $1 } }
    public static func / (a: Tensor, b: Tensor) -> Tensor { a.zip(b, op: "divide") { $0 / $1 } }
    public static func + (a: Tensor, b: Scalar) -> Tensor { a.map { $0 + b } }
    public static func - (a: Tensor, b: Scalar) -> Tensor { a.map { $0 - b } }
    public static func * (a: Tensor, b: Scalar) -> Tensor { a.map { $0 * b } }
    public static func / (a: Tensor, b: Scalar) -> Tensor { a.map { $0 / b } }
    public static func + (a: Scalar, b: Tensor) -> Tensor { b.map { a + $0 } }
    public static func - (a: Scalar, b: Tensor) -> Tensor { b.map { a - $0 } }
    public static func * (a: Scalar, b: Tensor) -> Tensor { b.map { a * $0 } }
    public static func / (a: Scalar, b: Tensor) -> Tensor { b.map { a / $0 } }
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    public func exp() -> Tensor { map { Scalar.exp($0) } }
    public func log() -> Tensor { map { Scalar.log($0) } }
    public func sqrt() -> Tensor { map { $0.squareRoot() } }
    public func squared() -> Tensor { map { $0 * $0 } }
    public func abs() -> Tensor { map { Swift.abs($0) } }
    public func pow(_ p: Scalar) -> Tensor { map { Scalar.pow($0, p) } }
    public func clipped(min lo: Scalar, max hi: Scalar) -> Tensor { map { Swift.min(Swift.max($0, lo), hi) } }
    public func maximum(_ other: Tensor) -> Tensor { zip(other, op: "maximum") { Swift.max($0, $1) } }
    public func minimum(_ other: Tensor) -> Tensor { zip(other, op: "minimum") { Swift.min($0, $1) } }

    /// Picks `a` where `condition` is non-zero and `b` elsewhere, with broadcasting.

    public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        condition.zip(a, b, op: "where") { $0 != 0 ? $1 : $2 }
    }

    /// Adds `other` into `self` in place (same shape), reusing `self`'s storage when it is unshared.

    public mutating func add(_ other: Tensor) {
        precondition(shape == other.shape, "add(_:): shapes \(shape) and \(other.shape) differ")
        if isContiguous && other.isContiguous && isKnownUniquelyReferenced(&storage) {
            let n = count, d = storage.pointer + offset, s = other.storage.pointer + other.offset
            parallelChunks(n, cost: n) { r in for i in r { d[i] += s[i] } }
        } else {
            self = self + other
        }
    }
}
