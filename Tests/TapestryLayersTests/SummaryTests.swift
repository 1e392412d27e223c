import XCTest
@testable import TapestryLayers

/// `summary()` and parameter counts against Keras's `model.summary()` text for VGG16. Names are
/// not normalised: each test calls `clearSession()` and creates the layers in the order the
/// fixture script did, so Keras's default names (`input_layer`, `flatten`, `dense`, …) match.
final class SummaryTests: XCTestCase {
    private func keras(_ key: String) -> [String: Any] { KerasFixture.object("summaries")[key] as! [String: Any] }

    /// Counts, and per-layer name, class, params, trainable flag and output shape, as Keras lists `model.layers`.
    private func assertMatchesKeras(_ model: Model, _ key: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = keras(key)
        XCTAssertEqual(model.countParams(), fixtureInt(expected["count_params"]), "\(key): total", file: file, line: line)
        XCTAssertEqual(scalarCount(model.trainableWeights), fixtureInt(expected["trainable"]), "\(key): trainable", file: file, line: line)
        XCTAssertEqual(scalarCount(model.nonTrainableWeights), fixtureInt(expected["non_trainable"]), "\(key): non-trainable",
                       file: file, line: line)
        let layers = expected["layers"] as! [[String: Any]]
        XCTAssertEqual(model.layers.map(\.name), layers.map { $0["name"] as! String }, "\(key): layer names", file: file, line: line)
        XCTAssertEqual(model.layers.map(\.className), layers.map { $0["class"] as! String }, "\(key): classes", file: file, line: line)
        XCTAssertEqual(model.layers.map { $0.countParams() }, layers.map { fixtureInt($0["params"]) }, "\(key): params",
                       file: file, line: line)
        XCTAssertEqual(model.layers.map(\.trainable), layers.map { $0["trainable"] as! Bool }, "\(key): trainable flags",
                       file: file, line: line)
        let shapes = layers.map { ($0["output_shape"] as! [Any]).dropFirst().map { fixtureInt($0) } }
        XCTAssertEqual(model.layers.map { model.outputShape(of: $0) ?? [] }, shapes, "\(key): output shapes", file: file, line: line)
        assertSameText(model.summary(), expected["summary"] as! String, key, file: file, line: line)
        assertSameText(model.summary(showTrainable: true), expected["summary_show_trainable"] as! String,
                       "\(key) (show_trainable)", file: file, line: line)
    }

    /// Equality, with the first differing line in the message.
    private func assertSameText(_ actual: String, _ expected: String, _ key: String, file: StaticString, line: UInt) {
        guard actual != expected else { return }
        let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
        let i = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        XCTFail("\(key): summary text differs at line \(i + 1) (lines: \(a.count) vs Keras \(e.count)):\n  got:   \(i < a.count ? a[i].debugDescription : "<end>")\n  Keras: \(i < e.count ? e[i].debugDescription : "<end>")",
                file: file, line: line)
    }

    func testVGG16ConvBaseSummaryMatchesKeras() {
        clearSession()
        let base = makeVGG16()
        XCTAssertEqual(base.countParams(), 14_714_688)
        assertMatchesKeras(base, "vgg16_notop_150")
    }

    func testFineTuningPatternLeavesBlock5Trainable() {
        clearSession()
        let base = makeVGG16()
        base.trainable = true
        for layer in base.layers { layer.trainable = layer.name.hasPrefix("block5") }
        XCTAssertEqual(scalarCount(base.trainableWeights), 7_079_424)
        XCTAssertEqual(base.trainableWeights.count, 6, "block5 kernels and biases")
        assertMatchesKeras(base, "vgg16_notop_150_block5_trainable")
    }

    func testSequentialHeadOnAFrozenBaseMatchesKeras() {
        clearSession()
        let base = makeVGG16()
        base.trainable = false
        let model = Sequential([base, Flatten(), Dense(256, activation: .relu), Dense(1, activation: .sigmoid)])
        XCTAssertNil(model.graphError)
        XCTAssertEqual(model.countParams(), 16_812_353)
        XCTAssertEqual(scalarCount(model.trainableWeights), 2_097_665)
        assertMatchesKeras(model, "sequential_frozen_vgg16_head")
    }

    func testVGG16WithTheTopAt224MatchesKeras() {
        clearSession()
        let model = makeVGG16(inputShape: [224, 224, 3], includeTop: true)
        XCTAssertEqual(model.countParams(), 138_357_544)
        assertMatchesKeras(model, "vgg16_top_224")
    }

    func testCountAndSizeFormatting() {
        XCTAssertEqual(formatCount(0), "0")
        XCTAssertEqual(formatCount(1_792), "1,792")
        XCTAssertEqual(formatCount(138_357_544), "138,357,544")
        XCTAssertEqual(formatBytes(0), "0.00 B")
        XCTAssertEqual(formatBytes(14_714_688 * 4), "56.13 MB")
        XCTAssertEqual(formatBytes(2_097_665 * 4), "8.00 MB")
        XCTAssertEqual(formatBytes(138_357_544 * 4), "527.79 MB")
    }

    // MARK: summaries_extra.json: branched graphs, wrapping, shared layers, unbuilt layers

    private func extra(_ key: String) -> [String: Any] {
        (KerasFixture.extraSummaries["cases"] as! [String: Any])[key] as! [String: Any]
    }

    private func assertMatchesExtra(_ model: Model, _ key: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = extra(key)
        XCTAssertEqual(model.layers.map(\.name), expected["layers"] as! [String], "\(key): layers", file: file, line: line)
        assertSameText(model.summary(), expected["summary"] as! String, key, file: file, line: line)
        assertSameText(model.summary(showTrainable: true), expected["summary_show_trainable"] as! String,
                       "\(key) (show_trainable)", file: file, line: line)
    }

    func testBranchedModelGetsKerasConnectedToColumn() {
        clearSession()
        let x = Input(shape: [3], name: "x")
        let a = Dense(4, name: "a")(x), b = Dense(4, name: "b")(x)
        let model = Model(inputs: x, outputs: Add(name: "sum")([a, b]), name: "branchy")
        XCTAssertFalse(model.isSequentialLike)
        assertMatchesExtra(model, "branch_add")
    }

    func testDefaultNamesWrappingAndFrozenLayerInABranchedSummary() {
        clearSession()
        let img = Input(shape: [8, 8, 3])
        let c1 = Conv2D(4, kernelSize: 3, padding: .same)(img)
        let c2 = Conv2D(4, kernelSize: 1)(img)
        let p1 = GlobalAveragePooling2D()(c1), p2 = GlobalMaxPooling2D()(c2)
        let p3 = GlobalAveragePooling2D()(c2), p4 = GlobalMaxPooling2D()(c1)
        let cat = Concatenate()([p1, p2, p3, p4])
        let frozen = Dense(2)
        let out = Dense(1, activation: .sigmoid)(frozen(cat))
        frozen.trainable = false
        assertMatchesExtra(Model(inputs: img, outputs: out), "default_names_concat_frozen")
    }

    func testLongNamesWrapAndAreCutWithAnEllipsis() {
        clearSession()
        let i = Input(shape: [2])
        assertMatchesExtra(Model(inputs: i, outputs: Dense(1, name: String(repeating: "x", count: 60))(i), name: "long"), "long_name")
    }

    func testASharedLayerMakesTheSummaryNonSequential() {
        clearSession()
        let input = Input(shape: [3], name: "s_in")
        let shared = Dense(3, name: "shared")
        let model = Model(inputs: input, outputs: shared(Dense(3, name: "pre")(shared(input))), name: "shared_chain")
        XCTAssertFalse(model.isSequentialLike)
        assertMatchesExtra(model, "shared_layer_chain")
    }

    func testUnbuiltSequentialShowsUnknownShapesAndUnbuiltCounts() {
        clearSession()
        assertMatchesExtra(Sequential([Dense(2), Dense(1)]), "unbuilt_sequential")
    }

    func testChainsKeepThreeColumns() {
        clearSession()
        XCTAssertTrue(makeVGG16().isSequentialLike)
        let i = Input(shape: [2])
        XCTAssertTrue(Model(inputs: i, outputs: Dense(1)(Dense(2)(i))).isSequentialLike)
    }
}
