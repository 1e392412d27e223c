import TapestryTensor

extension Variable {
    /// 2-D max pooling over NHWC; the gradient goes to the first maximum of each window.
    public func maxPool2D(poolSize: (Int, Int), strides: (Int, Int)? = nil, padding: Padding = .valid) -> Variable {
        let x = value
        let geometry = Pool2DKernels.Geometry(inputShape: x.shape, poolSize: poolSize, strides: strides ?? poolSize, padding: padding)
        return Variable.record(Pool2DKernels.maxForward(x, geometry), op: "max_pool2d", inputs: [self]) { g in
            [Pool2DKernels.maxBackward(g, input: x, geometry)]
        }
    }

    /// 2-D average pooling over NHWC; padded positions are not counted.
    public func averagePool2D(poolSize: (Int, Int), strides: (Int, Int)? = nil, padding: Padding = .valid) -> Variable {
        let inShape = shape
        let geometry = Pool2DKernels.Geometry(inputShape: inShape, poolSize: poolSize, strides: strides ?? poolSize, padding: padding)
        return Variable.record(Pool2DKernels.averageForward(value, geometry), op: "avg_pool2d", inputs: [self]) { g in
            [Pool2DKernels.averageBackward(g, inputShape: inShape, geometry)]
        }
    }
}
