import Foundation
import Tapestry

// The model-level half of Tapestry's benchmark against Keras: one workload per process, one JSON
// object on stdout, so the driver reads each workload's own peak RSS (as Benchmarks/keras_reference.py).
//   swift build -c release --scratch-path .build-bench --product TapestryModelBench
//   .build-bench/release/TapestryModelBench --workload forward_150 [--quick]
//   .build-bench/release/TapestryModelBench --list
let arguments = CommandLine.arguments
let quick = arguments.contains("--quick")

if arguments.contains("--list") {
    print(Workload.all.map(\.name).joined(separator: "\n"))
    exit(0)
}
guard let flag = arguments.firstIndex(of: "--workload"), flag + 1 < arguments.count else {
    FileHandle.standardError.write(Data("usage: TapestryModelBench --workload NAME [--quick] | --list\n".utf8))
    exit(2)
}
let name = arguments[flag + 1]
guard let workload = Workload.all.first(where: { $0.name == name }) else {
    FileHandle.standardError.write(Data("unknown workload '\(name)'; known: \(Workload.all.map(\.name).joined(separator: ", "))\n".utf8))
    exit(2)
}

setRandomSeed(0)
do {
    var result = try workload.run(quick)
    if let times = result["times"] as? [Double], let fastest = times.min() { result["min_seconds"] = fastest }
    result["peak_rss_mb"] = peakResidentMegabytes()
    result["blas"] = BLAS.openBLASConfiguration ?? "not OpenBLAS (reference BLAS)"
    result["kernel_threads"] = kernelThreadCount
    result["tapestry_conv"] = ProcessInfo.processInfo.environment["TAPESTRY_CONV"] ?? "default"
    print(try jsonLine(result))
} catch {
    FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
    exit(1)
}
