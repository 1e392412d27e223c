/// Keras's padding modes for convolution and pooling windows.
public enum Padding: String, Sendable, Codable {
    /// No padding: only windows that fit entirely inside the input.
    case valid
    /// Zero padding so the output has `ceil(input / stride)` positions; as in TensorFlow,
    /// the odd extra row/column of padding goes at the bottom/right.
    case same
}

/// Where a sliding window lands along one spatial axis.
public struct WindowAxis: Equatable, Sendable {
    public let input: Int, window: Int, stride: Int
    public let output: Int
    /// Padding before the first element (the top or left).
    public let padBefore: Int

    public init(input: Int, window: Int, stride: Int, padding: Padding) {
        precondition(window > 0 && stride > 0, "window \(window) and stride \(stride) must be positive")
        self.input = input; self.window = window; self.stride = stride
        switch padding {
        case .valid:
            output = input >= window ? (input - window) / stride + 1 : 0
            padBefore = 0
        case .same:
            output = (input + stride - 1) / stride
            let total = Swift.max((output - 1) * stride + window - input, 0)
            padBefore = total / 2
        }
    }
}
