/// A height × width pair for kernel sizes, pool sizes and strides: write `3` for `(3, 3)` or
/// `[3, 1]` for different sizes, as Keras accepts an int or a tuple.
public struct Size2D: Equatable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, CustomStringConvertible {
    public let height: Int, width: Int
    public init(_ height: Int, _ width: Int) { self.height = height; self.width = width }
    public init(integerLiteral value: Int) { self.init(value, value) }
    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 2, "Size2D takes two values [height, width], got \(elements)")
        self.init(elements[0], elements[1])
    }
    public var pair: (Int, Int) { (height, width) }
    public var description: String { "(\(height), \(width))" }
}
