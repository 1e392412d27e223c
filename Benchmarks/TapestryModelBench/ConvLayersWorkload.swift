import Tapestry

/// conv_layers: each VGG16 conv alone at 150×150, batch 20. `seconds` is the Conv2D layer with bias
/// and ReLU in inference mode (what keras_reference.py times); the kernel-only forward and the two
/// backward kernels are timed too, for the roofline (--quick: once each, without warm-up).
/// GFLOP = 2·H·W·Cin·Cout·9·batch / 1e9.
func convLayersWorkload(quick: Bool) throws -> [String: Any] {
    let r = Repetitions(quick: quick, quickReps: 2, fullReps: 5)
    let kernels = quick ? Repetitions(warmup: 0, reps: 1) : r
    let sgemm = sgemmPeak(r)
    var layers: [[String: Any]] = []
    for (name, size, cin, cout) in VGG16.convolutionShapes(imageSize: 150) {
        let conv = Conv2D(cout, kernelSize: 3, activation: .relu, padding: .same)
        let x = Tensor<Float>.randomNormal([batchSize, size, size, cin])
        let layerTimes = try r.times { _ = try withoutGradients { try conv(Variable(x)) } }
        let w = conv.kernel.value
        let g = Conv2DGeometry(inputShape: x.shape, filterShape: w.shape, strides: (1, 1), padding: .same)
        let dy = Tensor<Float>.randomNormal(g.outputShape)
        let kernel = median(kernels.times { _ = Conv2DKernels.forward(x, w, padding: .same) })
        let backInput = median(kernels.times { _ = Conv2DKernels.backwardInput(dy, filter: w, inputShape: x.shape, padding: .same) })
        let backFilter = median(kernels.times { _ = Conv2DKernels.backwardFilter(dy, input: x, filterShape: w.shape, padding: .same) })
        let gflop = g.flops / 1e9, med = median(layerTimes)
        layers.append(["name": name, "input": [batchSize, size, size, cin], "filters": cout, "seconds": med, "times": layerTimes,
                       "gflop": gflop, "gflop_per_second": gflop / med,
                       "kernel_forward_seconds": kernel, "kernel_forward_gflop_per_second": gflop / kernel,
                       "backward_input_seconds": backInput, "backward_input_gflop_per_second": gflop / backInput,
                       "backward_filter_seconds": backFilter, "backward_filter_gflop_per_second": gflop / backFilter])
    }
    let total = layers.reduce(0) { $0 + ($1["seconds"] as! Double) }
    return ["layers": layers, "sum_seconds": total, "total_gflop": layers.reduce(0) { $0 + ($1["gflop"] as! Double) },
            "sgemm": sgemm].merging(r.fields) { $1 }
}

/// sgemm GFLOP/s on a square problem and VGG16's im2col shapes (TapestryBench's GEMMBenchmark);
/// the best is the machine's practical FP32 ceiling.
func sgemmPeak(_ r: Repetitions) -> [String: Any] {
    var shapes: [[String: Any]] = []
    for (m, n, k, label) in [(2048, 2048, 2048, "2048^3"), (22500, 64, 576, "block1_conv2 im2col, one image"),
                             (5625, 128, 1152, "block2_conv2 im2col, one image"), (27380, 256, 2304, "M=27380 K=2304 N=256")] {
        let a = Tensor<Float>.randomUniform([m, k]), b = Tensor<Float>.randomUniform([k, n])
        let s = median(r.times { _ = a.matmul(b) })
        shapes.append(["shape": label, "m": m, "n": n, "k": k, "seconds": s, "gflop_per_second": 2 * Double(m * n * k) / s / 1e9])
    }
    let peak = shapes.map { $0["gflop_per_second"] as! Double }.max()!
    return ["shapes": shapes, "peak_gflop_per_second": peak]
}
