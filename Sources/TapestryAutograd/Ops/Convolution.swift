import TapestryTensor

extension Variable {
    /// 2-D convolution of an NHWC input with an HWIO filter (Keras's layouts).
    ///
    /// The backward pass computes the input gradient only when the input needs one — for the
    /// first trainable layer of a frozen-base model nothing before it does, which saves a full
    /// transposed convolution per step.
    public func conv2d(_ filter: Variable, strides: (Int, Int) = (1, 1), padding: Padding = .valid) -> Variable {
        let (x, w) = (value, filter.value)
        let y = Conv2DKernels.forward(x, w, strides: strides, padding: padding)
        return Variable.record(y, op: "conv2d", inputs: [self, filter]) { g in
            [self.requiresGrad ? Conv2DKernels.backwardInput(g, filter: w, inputShape: x.shape, strides: strides, padding: padding) : nil,
             filter.requiresGrad ? Conv2DKernels.backwardFilter(g, input: x, filterShape: w.shape, strides: strides, padding: padding) : nil]
        }
    }
}
