/// Training, evaluation or prediction was asked to do something it cannot: the message says
/// what, with the shapes, epoch and step involved.
public struct TrainingError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
