import TapestryTensor
import TapestryAutograd

/// A 2-D convolution over NHWC images with an HWIO kernel (Keras `Conv2D`; padding defaults to
/// `.valid` as in Keras).
///
/// ```swift
/// let x = Conv2D(64, kernelSize: 3, activation: .relu, padding: .same, name: "block1_conv1")(inputs)
/// ```
public final class Conv2D: Layer {
    public let filters: Int
    public let kernelSize: Size2D, strides: Size2D
    public let padding: Padding
    public let activation: ActivationFunction
    public let useBias: Bool
    let kernelInitializer: Initializer, biasInitializer: Initializer
    public private(set) var kernel: Variable<Float>!
    public private(set) var bias: Variable<Float>?

    public init(_ filters: Int, kernelSize: Size2D, strides: Size2D = 1, activation: ActivationFunction = .linear,
                padding: Padding = .valid, useBias: Bool = true, kernelInitializer: Initializer = .glorotUniform,
                biasInitializer: Initializer = .zeros, name: String? = nil) {
        precondition(filters > 0, "Conv2D: filters must be positive, got \(filters)")
        self.filters = filters; self.kernelSize = kernelSize; self.strides = strides; self.padding = padding
        self.activation = activation; self.useBias = useBias
        self.kernelInitializer = kernelInitializer; self.biasInitializer = biasInitializer
        super.init(name: name)
    }

    /// The same layer with Keras's other argument order (`padding` before `activation`).
    public convenience init(_ filters: Int, kernelSize: Size2D, strides: Size2D = 1, padding: Padding,
                            activation: ActivationFunction, useBias: Bool = true, name: String? = nil) {
        self.init(filters, kernelSize: kernelSize, strides: strides, activation: activation, padding: padding,
                  useBias: useBias, name: name)
    }

    public override func build(inputShape: [Int]) throws {
        guard inputShape.count == 3 else {
            throw LayerError("Conv2D '\(name)' expects images (height, width, channels), got \(kerasShapeString(inputShape))")
        }
        kernel = addWeight(name: "kernel", shape: [kernelSize.height, kernelSize.width, inputShape[2], filters],
                           initializer: kernelInitializer)
        if useBias { bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer) }
    }

    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3, inputShape[2] == kernel.shape[2] else {
            throw LayerError("Conv2D '\(name)' expects images with \(kernel.shape[2]) channels (height, width, \(kernel.shape[2])), got \(kerasShapeString(inputShape))")
        }
        let rows = WindowAxis(input: inputShape[0], window: kernelSize.height, stride: strides.height, padding: padding)
        let cols = WindowAxis(input: inputShape[1], window: kernelSize.width, stride: strides.width, padding: padding)
        guard rows.output > 0, cols.output > 0 else {
            throw LayerError("Conv2D '\(name)': a \(kernelSize) kernel does not fit in input \(kerasShapeString(inputShape)) with \(padding) padding")
        }
        return [rows.output, cols.output, filters]
    }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> {
        // Bias and a ReLU are fused into the convolution; other activations follow it.
        let fusesActivation = activation == .relu || activation == .linear
        let y = x.conv2d(kernel, bias: bias, relu: activation == .relu, strides: strides.pair, padding: padding)
        return fusesActivation ? y : activation.apply(y)
    }
}
