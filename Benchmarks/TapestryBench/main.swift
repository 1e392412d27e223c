import Foundation
import TapestryTensor

// The engine micro-benchmark: sgemm next to VGG16's convolutions. Build with `-c release`.
//   swift run -c release TapestryBench [--quick]
let quick = CommandLine.arguments.contains("--quick")
let repetitions = quick ? 1 : 3
print("Tapestry engine micro-benchmark (\(quick ? "quick" : "full"); median of \(repetitions) after a warm-up)")
print("BLAS: \(BLAS.openBLASConfiguration ?? "not OpenBLAS — reference BLAS is 20–40× slower; apt-get install libopenblas-dev")")
print("threads: \(kernelThreadCount)")
let peak = GEMMBenchmark(repetitions: repetitions).run()
ConvBenchmark(imageSize: quick ? 64 : 150, batch: quick ? 2 : 20, repetitions: repetitions).run(peak: peak)
