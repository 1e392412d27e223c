import TapestryTensor
import TapestryAutograd

/// Average pooling over NHWC windows (Keras `AveragePooling2D`); padded positions are not counted.
public final class AveragePooling2D: Layer {
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
        x.averagePool2D(poolSize: poolSize.pair, strides: strides.pair, padding: padding)
    }
}
