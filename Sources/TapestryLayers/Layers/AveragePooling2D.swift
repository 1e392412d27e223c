import TapestryTensor
import TapestryAutograd

/// Average pooling over NHWC windows (Keras `AveragePooling2D`); padded positions are not counted.
public final class AveragePooling2D: Pooling2D {
    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> {
        x.averagePool2D(poolSize: poolSize.pair, strides: strides.pair, padding: padding)
    }
}
