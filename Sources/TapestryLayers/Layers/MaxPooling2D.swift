import TapestryTensor
import TapestryAutograd

/// Max pooling over NHWC windows (Keras `MaxPooling2D`; strides default to the pool size).
public final class MaxPooling2D: Layer {
    public let poolSize: Size2D, strides: Size2D
    public let padding: Padding

    public init(poolSize: Size2D = 2, strides: Size2D? = nil, padding: Padding = .valid, name: String? = nil) {
        self.poolSize = poolSize; self.strides = strides ?? poolSize; self.padding = padding
        super.init(name: name)
    }

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        try pooledShape(inputShape, layer: self, poolSize: poolSize, strides: strides, padding: padding)
    }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> {
        x.maxPool2D(poolSize: poolSize.pair, strides: strides.pair, padding: padding)
    }
}

/// The output shape of a 2-D pooling window, or an error naming the layer and the input.
func pooledShape(_ inputShape: [Int], layer: Layer, poolSize: Size2D, strides: Size2D, padding: Padding) throws -> [Int] {
    guard inputShape.count == 3 else {
        throw LayerError("\(layer.className) '\(layer.name)' expects images (height, width, channels), got \(kerasShapeString(inputShape))")
    }
    let rows = WindowAxis(input: inputShape[0], window: poolSize.height, stride: strides.height, padding: padding)
    let cols = WindowAxis(input: inputShape[1], window: poolSize.width, stride: strides.width, padding: padding)
    guard rows.output > 0, cols.output > 0 else {
        throw LayerError("\(layer.className) '\(layer.name)': a \(poolSize) window does not fit in input \(kerasShapeString(inputShape))")
    }
    return [rows.output, cols.output, inputShape[2]]
}
