import Foundation
import XCTest
import TapestryIO

/// Reading both layouts' structure, older legacy variants built with TapestryHDF5, and files
/// that are not weights files at all.
final class KerasWeightsReaderTests: XCTestCase {
    func testLegacyLayoutWithANestedModel() throws {
        let reader = try KerasWeightsReader(path: Fixtures.path("mini_vgg_model_legacy.h5"))
        XCTAssertEqual(reader.format, .legacyH5)
        XCTAssertEqual(reader.weightsGroupPath, "")
        XCTAssertEqual(reader.layers.map(\.name), ["mini_vgg", "flatten", "head"])
        XCTAssertEqual(reader.layers[1].weights, [])  // an empty float64 weight_names
        let base = reader.layers[0]
        XCTAssertEqual(base.weights.map(\.name), ["block1_conv1/kernel", "block1_conv1/bias", "block1_conv2/kernel", "block1_conv2/bias",
                                                  "block2_conv1/kernel", "block2_conv1/bias", "block2_conv2/kernel", "block2_conv2/bias"])
        XCTAssertEqual(base.weights[0].datasetPath, "mini_vgg/block1_conv1/kernel")
        XCTAssertEqual(base.weights[0].shape, [3, 3, 3, 8])
        XCTAssertEqual(reader.layers[2].weights.map(\.datasetPath),
                       ["head/mini_vgg_classifier/head/kernel", "head/mini_vgg_classifier/head/bias"])
        XCTAssertEqual(reader.topLevelWeights, [])
    }

    func testFullModelFileDescendsIntoModelWeights() throws {
        let reader = try KerasWeightsReader(path: Fixtures.path("mini_vgg_model_full.h5"))
        XCTAssertEqual(reader.format, .legacyH5)
        XCTAssertEqual(reader.weightsGroupPath, "model_weights")
        XCTAssertEqual(reader.layers.map(\.name), ["mini_vgg", "flatten", "head"])
        XCTAssertEqual(reader.layers[2].weights[0].datasetPath, "model_weights/head/mini_vgg_classifier/head/kernel")
        let reference = MiniVGGReference.shared.weights.first { $0.path == "mini_vgg_classifier/head/kernel" }!
        XCTAssertEqual(try reader.values(of: reader.layers[2].weights[0]), reference.value.data)
    }

    func testKeras3LayoutIsATreeNamedByTheVarsNameAttributes() throws {
        let reader = try KerasWeightsReader(path: Fixtures.path("mini_vgg_model.weights.h5"))
        XCTAssertEqual(reader.format, .kerasV3)
        // Group-name order: dense, flatten, functional.
        XCTAssertEqual(reader.layers.map(\.name), ["head", "flatten", "mini_vgg"])
        XCTAssertEqual(reader.layers.map(\.groupPath), ["layers/dense", "layers/flatten", "layers/functional"])
        let base = reader.layers[2]
        XCTAssertEqual(base.children.map(\.name),
                       ["block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2", "input_layer", "block1_pool", "block2_pool"])
        XCTAssertEqual(base.children[1].groupPath, "layers/functional/layers/conv2d_1")
        XCTAssertEqual(base.children[1].weights.map(\.datasetPath),
                       ["layers/functional/layers/conv2d_1/vars/0", "layers/functional/layers/conv2d_1/vars/1"])
        XCTAssertEqual(reader.allLayers.count, 10)
    }

    func testKeras3VarsAreOrderedNumericallyAndNamesFallBackToTheGroup() throws {
        let dir = try scratchDirectory()
        let path = dir + "/many.weights.h5"
        let file = try HDF5File(path: path, mode: .create)
        for i in 0..<12 {
            try file.createDataset(at: "layers/custom/vars/\(i)", values: [Float(i)], shape: [1])
        }
        file.close()
        let reader = try KerasWeightsReader(path: path)
        let layer = try XCTUnwrap(reader.layers.first)
        XCTAssertEqual(layer.name, "custom")  // no `name` attribute on vars
        XCTAssertEqual(layer.weights.map(\.name), (0..<12).map(String.init))
        XCTAssertEqual(try layer.weights.map { try reader.values(of: $0)[0] }, (0..<12).map(Float.init))
    }

    /// A legacy file as Keras 1/2 wrote them: fixed-length names, `layer_names` chunked,
    /// Keras-1 dataset names, a weightless layer with no `weight_names` at all, no version attributes.
    func testKeras1StyleLegacyFileLoadsByTopology() throws {
        let dir = try scratchDirectory()
        let path = dir + "/keras1.h5"
        let file = try HDF5File(path: path, mode: .create)
        try file.setStringArrayAttribute("layer_names0", ["block1_conv1", "block1_conv2"], storage: .fixedLength)
        try file.setStringArrayAttribute("layer_names1", ["block1_pool"], storage: .fixedLength)
        func kernel(_ n: Int) -> [Float] { (0..<n).map { Float($0) / Float(n) - 0.5 } }
        for (name, inputs) in [("block1_conv1", 3), ("block1_conv2", 4)] {
            let group = try file.createGroup(at: name)
            try group.setStringArrayAttribute("weight_names", ["\(name)_W_1:0", "\(name)_b_1:0"], storage: .fixedLength)
            try group.createDataset(at: "\(name)_W_1:0", values: kernel(9 * inputs * 4), shape: [3, 3, inputs, 4])
            try group.createDataset(at: "\(name)_b_1:0", values: [0.1, 0.2, 0.3, Float(inputs)], shape: [4])
        }
        try file.createGroup(at: "block1_pool")
        file.close()

        clearSession()
        let inputs = Input(shape: [8, 8, 3])
        var x = Conv2D(4, kernelSize: 3, activation: .relu, padding: .same, name: "block1_conv1")(inputs)
        x = Conv2D(4, kernelSize: 3, activation: .relu, padding: .same, name: "block1_conv2")(x)
        let model = Model(inputs: inputs, outputs: MaxPooling2D(poolSize: 2, name: "block1_pool")(x), name: "tiny")
        let report = try model.loadWeights(from: path)
        XCTAssertEqual(report.loaded.map(\.fileLocation), ["block1_conv1/block1_conv1_W_1:0", "block1_conv1/block1_conv1_b_1:0",
                                                           "block1_conv2/block1_conv2_W_1:0", "block1_conv2/block1_conv2_b_1:0"])
        XCTAssertEqual(model.weights[0].value.scalars, kernel(108))
        XCTAssertEqual(model.weights[2].value.scalars, kernel(144))
        XCTAssertEqual(model.weights[3].value.scalars, [0.1, 0.2, 0.3, 4])
    }

    // MARK: Files that are not weights files

    func testMissingFile() {
        let path = "/nonexistent/weights.h5"
        XCTAssertThrowsError(try KerasWeightsReader(path: path)) { error in
            let e = error as! WeightsError
            XCTAssertEqual(e.kind, .fileNotFound)
            XCTAssertTrue(e.description.contains(path) && e.description.contains("no such file"), e.description)
        }
    }

    func testNotHDF5() throws {
        let path = try scratchDirectory() + "/text.h5"
        try "layer_names = [dense]\n".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try MiniVGG.base().loadWeights(from: path)) { error in
            let e = error as! WeightsError
            XCTAssertEqual(e.kind, .notHDF5)
            XCTAssertTrue(e.description.contains(path) && e.description.contains("not an HDF5 file"), e.description)
        }
    }

    func testTruncatedFiles() throws {
        let dir = try scratchDirectory()
        let whole = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("mini_vgg_legacy.h5")))
        for fraction in [0.5, 0.9, 0.99] {
            let path = dir + "/truncated-\(fraction).h5"
            try whole.prefix(Int(Double(whole.count) * fraction)).write(to: URL(fileURLWithPath: path))
            let base = MiniVGG.base()
            try MiniVGG.zero(base)
            XCTAssertThrowsError(try base.loadWeights(from: path), "\(fraction)") { error in
                let e = error as! WeightsError
                XCTAssertEqual(e.kind, .unreadable, e.description)
                XCTAssertTrue(e.description.contains(path) && e.description.contains("truncated"), e.description)
            }
            XCTAssertTrue(base.weights.allSatisfy { $0.value.scalars.allSatisfy { $0 == 0 } }, "a failed load changed weights")
        }
    }

    func testLegacyFileWhoseWeightNamesPointNowhere() throws {
        let path = try scratchDirectory() + "/dangling.h5"
        let file = try HDF5File(path: path, mode: .create)
        try file.setStringArrayAttribute("layer_names", ["dense"], storage: .variableLengthASCII)
        try file.createGroup(at: "dense").setStringArrayAttribute("weight_names", ["dense/kernel"], storage: .variableLengthASCII)
        file.close()
        XCTAssertThrowsError(try KerasWeightsReader(path: path)) { error in
            let e = error as! WeightsError
            XCTAssertEqual(e.kind, .notKerasWeights)
            XCTAssertTrue(e.description.contains(path) && e.description.contains("dense/dense/kernel"), e.description)
        }
    }

    func testHDF5FileInNeitherLayout() throws {
        let path = try scratchDirectory() + "/other.h5"
        let file = try HDF5File(path: path, mode: .create)
        try file.createDataset(at: "images", values: [1, 2], shape: [2])
        file.close()
        XCTAssertThrowsError(try MiniVGG.base().loadWeights(from: path)) { error in
            let e = error as! WeightsError
            XCTAssertEqual(e.kind, .notKerasWeights)
            XCTAssertTrue(e.description.contains(path) && e.description.contains("layer_names") && e.description.contains("'images'"),
                          e.description)
        }
    }
}
