import TapestryTensor

/// sgemm throughput on a square problem and on the GEMM shapes VGG16's im2col produces.
struct GEMMBenchmark {
    let repetitions: Int

    func gflops(m: Int, n: Int, k: Int) -> Double {
        let a = Tensor<Float>.randomUniform([m, k]), b = Tensor<Float>.randomUniform([k, n])
        let seconds = medianSeconds(repetitions: repetitions) { _ = a.matmul(b) }
        return 2 * Double(m) * Double(n) * Double(k) / seconds / 1e9
    }

    /// The best sgemm rate over the measured shapes: the machine's practical ceiling.
    func run() -> Double {
        print("sgemm (row-major, both operands contiguous)")
        var peak = 0.0
        for (m, n, k, label) in [(2048, 2048, 2048, "2048³"), (22500, 64, 576, "block1_conv2 im2col, one image"),
                                 (5625, 128, 1152, "block2_conv2 im2col, one image"), (27380, 256, 2304, "M=27380 K=2304 N=256")] {
            let g = gflops(m: m, n: n, k: k)
            peak = max(peak, g)
            print("  \(pad(label, 34)) \(format(g)) GFLOP/s")
        }
        print("  measured sgemm peak: \(format(peak)) GFLOP/s")
        return peak
    }
}
