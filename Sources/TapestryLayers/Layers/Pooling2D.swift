import TapestryTensor
import TapestryAutograd

/// What max and average pooling share: the window, its strides (the pool size by default, as
/// in Keras) and the padding. Subclasses supply the reduction in `call`.
open class Pooling2D: Layer {
    public let poolSize: Size2D, strides: Size2D
    public let padding: Padding

    public init(poolSize: Size2D = 2, strides: Size2D? = nil, padding: Padding = .valid, name: String? = nil) {
        self.poolSize = poolSize; self.strides = strides ?? poolSize; self.padding = padding
        super.init(name: name)
    }

    /// The output shape of the window, or an error naming the layer and the input.
    open override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw LayerError("\(className) '\(name)' expects images (height, width, channels), got \(kerasShapeString(inputShape))")
        }
        let rows = WindowAxis(input: inputShape[0], window: poolSize.height, stride: strides.height, padding: padding)
        let cols = WindowAxis(input: inputShape[1], window: poolSize.width, stride: strides.width, padding: padding)
        guard rows.output > 0, cols.output > 0 else {
            throw LayerError("\(className) '\(name)': a \(poolSize) window does not fit in input \(kerasShapeString(inputShape))")
        }
        return [rows.output, cols.output, inputShape[2]]
    }
}

/// What the global poolings share: (height, width, channels) → (channels).
open class GlobalPooling2D: Layer {
    open override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw LayerError("\(className) '\(name)' expects images (height, width, channels), got \(kerasShapeString(inputShape))")
        }
        return [inputShape[2]]
    }
}
