// swift-tools-version:5.10
// Tapestry: Keras-style deep learning for Swift on Linux.
//
// Targets are layered; dependencies point one way:
//   native shims (CBLAS, CHDF5, CImageCodecs) and CTapestryKernels (multiversioned C inner loops)
//   → TapestryTensor (strided storage and kernels)
//   → TapestryAutograd (tape, differentiable ops, gradient checking)
//   → TapestryOptimizers → TapestryLayers (layers, functional models) → TapestryTraining (compile/fit)
//   → TapestryIO (Keras HDF5 weights, .npy), TapestryApplications (VGG16), TapestryImage, TapestryData, TapestryPlot
//   → Tapestry (umbrella) → the `tapestry` command, examples and benchmarks.
import PackageDescription

/// Release builds see across module boundaries so generic kernels specialise for Float and Double.
let optimised: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

var targets: [Target] = []
var products: [Product] = []

// MARK: - Native shims

targets += [
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "blas",
                   providers: [.apt(["libopenblas-dev", "libblas-dev", "liblapack-dev"])]),
]

// MARK: - Engine: tensors, autodiff, optimisers

targets += [
    // Convolution inner loops compiled for AVX-512, AVX2 and baseline x86-64, picked at load time.
    .target(name: "CTapestryKernels", path: "Sources/CTapestryKernels"),
    .target(name: "TapestryTensor", dependencies: ["CBLAS", "CTapestryKernels"], swiftSettings: optimised),
    .target(name: "TapestryAutograd", dependencies: ["TapestryTensor"], swiftSettings: optimised),
    .testTarget(name: "TapestryTensorTests", dependencies: ["TapestryTensor"]),
    .testTarget(name: "TapestryAutogradTests", dependencies: ["TapestryAutograd"]),
    .target(name: "TapestryOptimizers", dependencies: ["TapestryAutograd", "CTapestryKernels"], swiftSettings: optimised),
    .testTarget(name: "TapestryOptimizersTests", dependencies: ["TapestryOptimizers"]),
]


// MARK: - Images and codecs

targets += [
    // libjpeg/libpng/zlib behind a setjmp-safe C API (Swift cannot catch their longjmp errors).
    .target(name: "CImageCodecs", path: "Sources/CImageCodecs",
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png16"), .linkedLibrary("z")]),
    .target(name: "TapestryImage", dependencies: ["CImageCodecs"], path: "Sources/TapestryImage",
            swiftSettings: optimised),
    .testTarget(name: "TapestryImageTests", dependencies: ["TapestryImage"], path: "Tests/TapestryImageTests",
                exclude: ["Fixtures"]),
]

// MARK: - HDF5

targets += [
    .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
    .target(name: "TapestryHDF5", dependencies: ["CHDF5"], path: "Sources/TapestryHDF5", swiftSettings: optimised),
    .testTarget(name: "TapestryHDF5Tests", dependencies: ["TapestryHDF5"], path: "Tests/TapestryHDF5Tests",
                exclude: ["Fixtures"]),
]

// MARK: - Plotting

targets += [
    .target(name: "TapestryPlot", dependencies: ["TapestryImage", "TapestryTraining"], path: "Sources/TapestryPlot",
            swiftSettings: optimised),
    .testTarget(name: "TapestryPlotTests", dependencies: ["TapestryPlot", "TapestryImage", "TapestryTraining"], path: "Tests/TapestryPlotTests"),
]

// MARK: - Layers, models, training

targets += [
    .target(name: "TapestryLayers", dependencies: ["TapestryAutograd"], swiftSettings: optimised),
    .target(name: "TapestryTraining", dependencies: ["TapestryLayers", "TapestryOptimizers"], swiftSettings: optimised),
    .testTarget(name: "TapestryLayersTests", dependencies: ["TapestryLayers"], exclude: ["Fixtures"]),
    .testTarget(name: "TapestryTrainingTests", dependencies: ["TapestryTraining"], exclude: ["Fixtures"]),
]

// MARK: - Weights I/O, applications, data

targets += [
    // Keras HDF5 weights (legacy .h5 and Keras 3 .weights.h5), ModelCheckpoint, .npy files.
    .target(name: "TapestryIO", dependencies: ["TapestryTraining", "TapestryHDF5"], swiftSettings: optimised),
    .target(name: "TapestryApplications", dependencies: ["TapestryIO"], resources: [.copy("Resources/imagenet_class_index.tsv")],
            swiftSettings: optimised),
    .target(name: "TapestryData", dependencies: ["TapestryImage", "TapestryTraining"], swiftSettings: optimised),
    .testTarget(name: "TapestryIOTests", dependencies: ["TapestryIO"], exclude: ["Fixtures"]),
    .testTarget(name: "TapestryApplicationsTests", dependencies: ["TapestryApplications"], exclude: ["Fixtures"]),
    .testTarget(name: "TapestryDataTests", dependencies: ["TapestryData"]),
]

// MARK: - Umbrella, command, examples, benchmarks

targets += [
    .target(name: "Tapestry", dependencies: ["TapestryTensor", "TapestryAutograd", "TapestryOptimizers", "TapestryLayers",
                                             "TapestryTraining", "TapestryIO", "TapestryApplications", "TapestryImage",
                                             "TapestryData", "TapestryPlot"]),
]
products += [
    .library(name: "Tapestry", targets: ["Tapestry"]),
]

targets += [
    .executableTarget(name: "TapestryCLI", dependencies: ["Tapestry", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                      swiftSettings: optimised),
]
products += [
    .executable(name: "tapestry", targets: ["TapestryCLI"]),
]

// Each example is a small program: `swift run -c release <Name> [--quick]`.
for example in ["FeatureExtraction", "FrozenBaseEndToEnd", "FineTuneBlock5", "CustomModel", "GradientCheck"] {
    targets.append(.executableTarget(name: example, dependencies: ["Tapestry"], path: "Examples/\(example)", swiftSettings: optimised))
}

targets += [
    .executableTarget(name: "TapestryBench", dependencies: ["TapestryTensor", "TapestryApplications"], path: "Benchmarks/TapestryBench",
                      swiftSettings: optimised),
    // Model-level workloads against Benchmarks/keras_reference.py, one per process: Scripts/benchmark runs both.
    .executableTarget(name: "TapestryModelBench", dependencies: ["Tapestry"], path: "Benchmarks/TapestryModelBench",
                      swiftSettings: optimised),
    .executableTarget(name: "TrainSmallModel", dependencies: ["TapestryTraining"], path: "Examples/TrainSmallModel",
                      swiftSettings: optimised),
]


let package = Package(
    name: "Tapestry",
    platforms: [.macOS(.v13)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: targets
)
