/// A model or layer was wired, built or fed in a way that cannot work. The message names the
/// layer and the shapes involved.
public struct LayerError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// `(None, 150, 150, 3)`: a per-sample shape with Keras's batch placeholder in front.
public func kerasShapeString(_ shape: [Int]) -> String {
    "(" + (["None"] + shape.map(String.init)).joined(separator: ", ") + ")"
}
