/// An n-dimensional array: a shape, strides and an offset over shared copy-on-write storage.
///
/// `Tensor` is a value type. Views such as ``reshaped(_:)``, ``transposed(_:)``,
/// ``slice(_:)`` and ``expanded(to:)`` copy nothing; they share the storage and differ only in
/// their layout. Writing to a tensor whose storage is shared copies it first.
///
/// ```swift
/// let a = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let t = a.transposed()          // shape [3, 2], no copy
/// print(t.scalars)                // [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]
/// ```
public struct Tensor<Scalar: TensorScalar> {
    public internal(set) var storage: TensorStorage<Scalar>
    public let shape: [Int]
    /// Elements to step in storage per step along each axis; 0 on broadcast axes.
    public let strides: [Int]
    public let offset: Int

    public init(storage: TensorStorage<Scalar>, shape: [Int], strides: [Int], offset: Int) {
        precondition(shape.count == strides.count, "Tensor: shape \(shape) and strides \(strides) differ in rank")
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    /// A tensor over the given row-major elements.
    public init(shape: [Int], scalars: [Scalar]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "Tensor(shape:scalars:): shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.init(storage: TensorStorage(scalars), shape: shape, strides: contiguousStrides(shape), offset: 0)
    }

    /// A tensor whose every element is `value`.
    public init(shape: [Int], repeating value: Scalar) {
        self.init(storage: TensorStorage(count: shape.reduce(1, *), repeating: value),
                  shape: shape, strides: contiguousStrides(shape), offset: 0)
    }

    /// A rank-0 tensor holding one value.
    public init(_ value: Scalar) { self.init(shape: [], scalars: [value]) }

    /// A contiguous tensor whose elements `fill` writes; `fill` must write all `count` of them.

    public init(shape: [Int], unsafeUninitialized fill: (UnsafeMutablePointer<Scalar>) -> Void) {
        let storage = TensorStorage<Scalar>(uninitializedCount: shape.reduce(1, *))
        fill(storage.pointer)
        self.init(storage: storage, shape: shape, strides: contiguousStrides(shape), offset: 0)
    }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// True when the elements lie in row-major order without gaps, starting at `offset`.
    public var isContiguous: Bool { isContiguousLayout(shape: shape, strides: strides) }

    /// The elements in row-major (logical) order.
    public var scalars: [Scalar] {
        let c = contiguous()
        return Array(UnsafeBufferPointer(start: c.storage.pointer + c.offset, count: c.count))
    }

    /// The single element of a one-element tensor.
    public var scalar: Scalar {
        precondition(count == 1, "Tensor.scalar: shape \(shape) holds \(count) elements, not 1")
        return storage.pointer[offset]
    }

    /// Reads or writes one element by its index along each axis.
    public subscript(_ index: Int...) -> Scalar {
        get { storage.pointer[elementOffset(index)] }
        set {
            makeUnique()
            storage.pointer[elementOffset(index)] = newValue
        }
    }

    private func elementOffset(_ index: [Int]) -> Int {
        precondition(index.count == rank, "Tensor subscript: \(index.count) indices for shape \(shape)")
        var o = offset
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "Tensor subscript: index \(index) out of range for shape \(shape)")
            o += i * strides[axis]
        }
        return o
    }

    /// The same elements in fresh row-major storage; returns `self` when already contiguous.
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        return map { $0 }
    }

    /// Calls `body` with the elements in row-major order (copying first if not contiguous).

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        let c = contiguous()
        return try withExtendedLifetime(c) {
            try body(UnsafeBufferPointer(start: c.storage.pointer + c.offset, count: c.count))
        }
    }

    /// Calls `body` with mutable row-major elements, first making the storage unique and contiguous.

    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
        if !isContiguous { self = contiguous() }
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer + offset, count: count))
    }

    /// Copies the storage if another tensor shares it, so a write cannot be seen through other views.

    public mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            let fresh = contiguous().copied()
            self = fresh
        }
    }

    /// A contiguous copy that shares nothing with `self`.
    public func copied() -> Tensor { map { $0 } }
}

/// Row-major strides for a shape.
public func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[axis] = s
        s *= Swift.max(shape[axis], 1)
    }
    return strides
}

func isContiguousLayout(shape: [Int], strides: [Int]) -> Bool {
    var expected = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
        if strides[axis] != expected { return false }
        expected *= shape[axis]
    }
    return true
}

extension Tensor: CustomStringConvertible {
    /// Nested brackets like NumPy, with the shape; long axes are elided.
    public var description: String {
        let values = scalars
        func render(_ axis: Int, _ base: Int) -> String {
            if axis == rank { return "\(values[base])" }
            let n = shape[axis]
            let step = shape[(axis + 1)...].reduce(1, *)
            let shown = n > 8 ? Array(0..<3) + [-1] + Array((n - 3)..<n) : Array(0..<n)
            let parts = shown.map { $0 < 0 ? "..." : render(axis + 1, base + $0 * step) }
            return "[" + parts.joined(separator: axis == rank - 1 ? ", " : ",\n") + "]"
        }
        return "Tensor<\(Scalar.self)>(shape: \(shape),\n\(count == 0 ? "[]" : render(0, 0)))"
    }
}

extension Tensor: Equatable {
    /// Equal shapes and equal elements (the layouts may differ).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}
