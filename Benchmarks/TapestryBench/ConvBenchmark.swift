import TapestryTensor
import TapestryApplications

/// Forward and backward GFLOP/s of each VGG16 convolution at the given input size and batch.
struct ConvBenchmark {
    let imageSize: Int, batch: Int, repetitions: Int

    func run(peak: Double) {
        print("conv2d 3×3 same, NHWC/HWIO, \(imageSize)×\(imageSize) input, batch \(batch) (GFLOP/s; % of sgemm peak \(format(peak)))")
        print("  \(pad("layer", 14)) \(pad("shape", 22)) \(pad("forward", 16)) \(pad("backward input", 16)) backward filter")
        var totals = (forward: 0.0, flops: 0.0)
        for (name, size, cin, cout) in VGG16.convolutionShapes(imageSize: imageSize) {
            let x = Tensor<Float>.randomUniform([batch, size, size, cin])
            let w = Tensor<Float>.randomUniform([3, 3, cin, cout], low: -0.1, high: 0.1)
            let g = Conv2DGeometry(inputShape: x.shape, filterShape: w.shape, strides: (1, 1), padding: .same)
            let dy = Tensor<Float>.randomUniform(g.outputShape)
            let f = medianSeconds(repetitions: repetitions) { _ = Conv2DKernels.forward(x, w, padding: .same) }
            let bi = medianSeconds(repetitions: repetitions) {
                _ = Conv2DKernels.backwardInput(dy, filter: w, inputShape: x.shape, padding: .same)
            }
            let bf = medianSeconds(repetitions: repetitions) {
                _ = Conv2DKernels.backwardFilter(dy, input: x, filterShape: w.shape, padding: .same)
            }
            totals.forward += f; totals.flops += g.flops
            func cell(_ s: Double) -> String { "\(format(g.flops / s / 1e9)) (\(format(100 * g.flops / s / 1e9 / peak, 0))%)" }
            print("  \(pad(name, 14)) \(pad("\(size)×\(size)×\(cin)→\(cout)", 22)) \(pad(cell(f), 16)) \(pad(cell(bi), 16)) \(cell(bf))")
        }
        print("  all 13 forward: \(format(totals.forward, 3)) s = \(format(Double(batch) / totals.forward)) images/s, \(format(totals.flops / totals.forward / 1e9)) GFLOP/s")
    }
}
