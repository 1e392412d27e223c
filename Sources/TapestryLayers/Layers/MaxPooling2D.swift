import TapestryTensor
import TapestryAutograd

/// Max pooling over NHWC windows (Keras `MaxPooling2D`; strides default to the pool size).
///
/// ```swift
/// x = MaxPooling2D(poolSize: 2, strides: 2, name: "block1_pool")(x)
/// ```
public final class MaxPooling2D: Pooling2D {
    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> {
        x.maxPool2D(poolSize: poolSize.pair, strides: strides.pair, padding: padding)
    }
}
