import TapestryTensor

extension Variable {
    /// 2-D convolution of an NHWC input with an HWIO filter (Keras's layouts).
    ///
    /// The backward pass computes the input gradient only when the input needs one — for the
    /// first trainable layer of a frozen-base model nothing before it does, which saves a full
    /// transposed convolution per step.
    public func conv2d(_ filter: Variable, strides: (Int, Int) = (1, 1), padding: Padding = .valid) -> Variable {
        conv2d(filter, bias: nil, relu: false, strides: strides, padding: padding)
    }

    /// `relu(conv2d(x, filter) + bias)` (or without the ReLU) as one op: what a `Conv2D` layer
    /// with a ReLU or linear activation computes, in one pass over the output instead of three,
    /// and with one saved tensor (the output) instead of two for the ReLU's gradient.
    public func conv2d(_ filter: Variable, bias: Variable?, relu: Bool, strides: (Int, Int) = (1, 1),
                       padding: Padding = .valid) -> Variable {
        let (x, w) = (value, filter.value)
        let y = Conv2DKernels.forward(x, w, bias: bias?.value, relu: relu, strides: strides, padding: padding)
        let inputs = [self, filter] + (bias.map { [$0] } ?? [])
        let op = bias == nil ? (relu ? "conv2d_relu" : "conv2d") : (relu ? "conv2d_bias_relu" : "conv2d_bias")
        return Variable.record(y, op: op, inputs: inputs) { g in
            // The ReLU passes the gradient where its output is positive (0 at the kink, as TensorFlow).
            let gz = relu ? g.zip(y, op: "conv2d_bias_relu") { gi, yi in yi > 0 ? gi : 0 } : g
            var grads: [Tensor<Scalar>?] = [
                self.requiresGrad ? Conv2DKernels.backwardInput(gz, filter: w, inputShape: x.shape, strides: strides, padding: padding) : nil,
                filter.requiresGrad ? Conv2DKernels.backwardFilter(gz, input: x, filterShape: w.shape, strides: strides, padding: padding) : nil,
            ]
            if let bias { grads.append(bias.requiresGrad ? gz.sum(axes: [0, 1, 2]) : nil) }
            return grads
        }
    }
}
