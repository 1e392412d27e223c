import XCTest
@testable import TapestryLayers

final class ModelGraphTests: XCTestCase {
    private func dense(_ units: Int, _ kernel: [Float], _ bias: [Float], inputs: Int, name: String? = nil) throws -> Dense {
        let d = Dense(units, name: name)
        try d.buildIfNeeded([[inputs]])
        try d.setWeights([Tensor(shape: [inputs, units], scalars: kernel), Tensor(shape: [units], scalars: bias)])
        return d
    }

    func testBranchesMergeWithAddAndConcatenate() throws {
        let a = try dense(2, [1, 0, 0, 1, 1, 1], [0, 0], inputs: 3, name: "a")    // (x0 + x2, x1 + x2)
        let b = try dense(2, [2, 0, 0, 2, 0, 0], [1, -1], inputs: 3, name: "b")   // (2x0 + 1, 2x1 − 1)
        let inputs = Input(shape: [3])
        let ya = a(inputs), yb = b(inputs)
        let sum = Add(name: "sum")([ya, yb])
        let joined = Concatenate(name: "joined")([ya, yb, sum])
        let model = Model(inputs: inputs, outputs: [sum, joined])
        try model.validate()
        XCTAssertEqual(sum.shape, [2])
        XCTAssertEqual(joined.shape, [6])
        let outs = try model.apply([Variable(Tensor(shape: [1, 3], scalars: [1, 2, 3]))])
        XCTAssertEqual(outs[0].value.scalars, [4 + 3, 5 + 3])
        XCTAssertEqual(outs[1].value.scalars, [4, 5, 3, 3, 7, 8])
        XCTAssertEqual(model.layers.map(\.name).first, inputs.node?.layer.name)
        XCTAssertEqual(Set(model.layers.map(\.name).dropFirst()), ["a", "b", "sum", "joined"])
    }

    func testConcatenateOnAnInnerAxisOfImages() throws {
        let x = Input(shape: [4, 4, 3]), y = Input(shape: [2, 4, 3])
        let joined = Concatenate(axis: 1)([x, y])
        XCTAssertEqual(joined.shape, [6, 4, 3])
        let model = Model(inputs: [x, y], outputs: [joined])
        let a = Tensor<Float>.ones([2, 4, 4, 3]), b = Tensor<Float>.zeros([2, 2, 4, 3])
        let out = try model.apply([Variable(a), Variable(b)])[0].value
        XCTAssertEqual(out.shape, [2, 6, 4, 3])
        XCTAssertEqual(out.sum().scalar, 2 * 4 * 4 * 3)
    }

    func testASharedLayerCalledTwiceSharesItsWeights() throws {
        let shared = try dense(1, [1, 2], [0.5], inputs: 2, name: "shared")
        let left = Input(shape: [2]), right = Input(shape: [2])
        let model = Model(inputs: [left, right], outputs: [Add()([shared(left), shared(right)])])
        try model.validate()
        XCTAssertEqual(model.weights.count, 2, "one kernel and one bias, not two of each")
        XCTAssertEqual(model.countParams(), 3)
        XCTAssertEqual(shared.inboundNodes.count, 2)
        let out = try model.apply([Variable(Tensor(shape: [1, 2], scalars: [1, 1])), Variable(Tensor(shape: [1, 2], scalars: [2, 0]))])
        XCTAssertEqual(out[0].value.scalars, [3.5 + 2.5])
        // Changing the one kernel changes both branches.
        try shared.setWeights([Tensor(shape: [2, 1], scalars: [0, 0]), Tensor(shape: [1], scalars: [1])])
        let again = try model.apply([Variable(Tensor(shape: [1, 2], scalars: [1, 1])), Variable(Tensor(shape: [1, 2], scalars: [2, 0]))])
        XCTAssertEqual(again[0].value.scalars, [2])
    }

    func testAModelCalledOnNewInputsIsOneNestedLayer() throws {
        let innerIn = Input(shape: [2])
        let inner = Model(inputs: innerIn, outputs: try dense(2, [1, 2, 3, 4], [0, 1], inputs: 2)(innerIn), name: "inner")
        let outerIn = Input(shape: [2])
        let head = try dense(1, [1, -1], [0], inputs: 2, name: "head")
        let outer = Model(inputs: outerIn, outputs: head(inner(outerIn)), name: "outer")
        try outer.validate()
        XCTAssertEqual(outer.layers.map(\.name).suffix(2), ["inner", "head"])
        XCTAssertEqual(outer.layers[1].className, "Functional")
        XCTAssertEqual(outer.countParams(), inner.countParams() + 3)
        XCTAssertEqual(outer.weights.count, 4)
        // x = (1, 1): inner → (1 + 3, 2 + 4 + 1) = (4, 7); head → 4 − 7 = −3.
        XCTAssertEqual(try outer(Variable(Tensor(shape: [1, 2], scalars: [1, 1]))).value.scalars, [-3])
        XCTAssertTrue(outer.summary().contains("inner (Functional)"))
    }

    func testAModelInsideSequential() throws {
        let innerIn = Input(shape: [3])
        let inner = Model(inputs: innerIn, outputs: try dense(2, [1, 0, 0, 1, 0, 0], [0, 0], inputs: 3)(innerIn), name: "features")
        let model = Sequential([inner, try dense(1, [1, 1], [10], inputs: 2, name: "out")])
        try model.validate()
        XCTAssertEqual(model.layers.map(\.name), ["features", "out"])
        XCTAssertEqual(model.outputs.map(\.shape), [[1]])
        XCTAssertEqual(try model(Variable(Tensor(shape: [1, 3], scalars: [1, 2, 3]))).value.scalars, [13])
    }

    func testSubModelFromAnIntermediateOutput() throws {
        clearSession()
        let base = makeVGG16()
        let sub = try Model(inputs: base.inputs, outputs: base.layer(named: "block4_pool").output)
        try sub.validate()
        XCTAssertEqual(sub.outputs.map(\.shape), [[9, 9, 512]])
        XCTAssertEqual(sub.layers.last?.name, "block4_pool")
        XCTAssertEqual(sub.layers.count, 15)
        XCTAssertEqual(sub.countParams(), 14_714_688 - 3 * 2_359_808)
        XCTAssertTrue(sub.layers.allSatisfy { layer in base.layers.contains { $0 === layer } }, "the same layer objects")
    }

    func testSubModelRunsTheSharedLayers() throws {
        let inputs = Input(shape: [2])
        let first = try dense(2, [1, 0, 0, 1], [1, 1], inputs: 2, name: "first")
        let hidden = first(inputs)
        let full = Model(inputs: inputs, outputs: try dense(1, [1, 1], [0], inputs: 2)(hidden))
        let sub = Model(inputs: full.inputs, outputs: [try full.layer(named: "first").output])
        XCTAssertEqual(try sub(Variable(Tensor(shape: [1, 2], scalars: [2, 3]))).value.scalars, [3, 4])
        XCTAssertEqual(try full(Variable(Tensor(shape: [1, 2], scalars: [2, 3]))).value.scalars, [7])
    }

    func testLayerNamedListsTheModelsLayersWhenMissing() throws {
        let inputs = Input(shape: [2], name: "in")
        let model = Model(inputs: inputs, outputs: Dense(1, name: "out")(Dense(3, name: "hidden")(inputs)), name: "m")
        XCTAssertEqual(model.layers.map(\.name), ["in", "hidden", "out"])
        XCTAssertTrue(try model.layer(named: "hidden") === model.layers[1])
        XCTAssertThrowsError(try model.layer(named: "block4_pool")) { error in
            XCTAssertTrue(error is LayerError)
            XCTAssertTrue("\(error)".contains("'m'") && "\(error)".contains("'block4_pool'") && "\(error)".contains("in, hidden, out"),
                          "\(error)")
        }
    }

    /// `model.layers` (and so `weights`, `getWeights`, `summary`) in Keras's order: by depth from
    /// the outputs, ties by first meeting in a walk from the outputs. The expected lists are what
    /// Keras 3.15.1 prints for `[l.name for l in model.layers]` on the same graphs.
    func testLayersAreListedInKerasDepthOrder() {
        let x = Input(shape: [3], name: "x")
        let d3 = Dense(2, name: "d3")(x)
        let d2 = Dense(2, name: "d2")(Dense(2, name: "d1")(x))
        XCTAssertEqual(Model(inputs: x, outputs: Add(name: "add")([d3, d2])).layers.map(\.name), ["x", "d1", "d3", "d2", "add"])

        let a = Input(shape: [3], name: "a"), b = Input(shape: [2], name: "b")
        let h = Dense(2, name: "h2")(Dense(2, name: "h1")(a))
        XCTAssertEqual(Model(inputs: [a, b], outputs: [Add(name: "add2")([h, b])]).layers.map(\.name), ["a", "h1", "h2", "b", "add2"])
        XCTAssertEqual(Model(inputs: [a, b], outputs: [Add(name: "add3")([b, h])]).layers.map(\.name), ["a", "h1", "b", "h2", "add3"])

        let shared = Dense(3, name: "shared")
        let i = Input(shape: [3], name: "i")
        XCTAssertEqual(Model(inputs: i, outputs: shared(Dense(3, name: "pre")(shared(i)))).layers.map(\.name), ["i", "shared", "pre"])

        let unused = Input(shape: [3], name: "u")
        XCTAssertEqual(Model(inputs: [i, unused], outputs: [Dense(1, name: "only")(i)]).layers.map(\.name), ["i", "u", "only"])
    }

    func testWeightsFollowTheLayerOrder() throws {
        let x = Input(shape: [3])
        let late = Dense(2, name: "late")(x)
        let first = Dense(2, name: "first"), second = Dense(2, name: "second")
        let model = Model(inputs: x, outputs: Add()([late, second(first(x))]))
        XCTAssertEqual(model.weights.compactMap(\.name),
                       ["first/kernel", "first/bias", "late/kernel", "late/bias", "second/kernel", "second/bias"])
    }

    // MARK: Impossible wirings

    private func validationMessage(_ model: Model, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try model.validate()
            XCTFail("validate() accepted an impossible wiring", file: file, line: line)
            return ""
        } catch let error as LayerError {
            return error.message
        } catch {
            XCTFail("not a LayerError: \(error)", file: file, line: line)
            return ""
        }
    }

    func testConv2DOnARankOneInputIsReported() {
        let inputs = Input(shape: [16])
        let message = validationMessage(Model(inputs: inputs, outputs: Conv2D(8, kernelSize: 3, name: "bad_conv")(inputs)))
        XCTAssertTrue(message.contains("'bad_conv'") && message.contains("(None, 16)") && message.contains("(height, width, channels)"),
                      message)
    }

    func testAddOfMismatchedShapesNamesBothShapes() {
        let inputs = Input(shape: [4])
        let sum = Add(name: "bad_add")([Dense(4)(inputs), Dense(5)(inputs)])
        let message = validationMessage(Model(inputs: inputs, outputs: Dense(1)(sum)))
        XCTAssertTrue(message.contains("'bad_add'") && message.contains("(None, 4)") && message.contains("(None, 5)"), message)
    }

    func testConcatenateMismatchNamesBothShapes() {
        let a = Input(shape: [4, 4, 3]), b = Input(shape: [5, 4, 2])
        let message = validationMessage(Model(inputs: [a, b], outputs: [Concatenate(name: "bad_concat")([a, b])]))
        XCTAssertTrue(message.contains("'bad_concat'") && message.contains("(None, 4, 4, 3)") && message.contains("(None, 5, 4, 2)"),
                      message)
    }

    func testDisconnectedGraphNamesTheMissingInput() {
        let used = Input(shape: [3], name: "used"), missing = Input(shape: [3], name: "missing")
        let out = Add()([Dense(2)(used), Dense(2)(missing)])
        let message = validationMessage(Model(inputs: used, outputs: out))
        XCTAssertTrue(message.contains("disconnected") && message.contains("'missing'") && message.contains("(None, 3)"), message)
    }

    func testModelFedTheWrongInputShape() throws {
        let inputs = Input(shape: [4])
        let model = Model(inputs: inputs, outputs: Dense(2)(inputs), name: "expects4")
        let wrong = Input(shape: [5])
        let message = validationMessage(Model(inputs: wrong, outputs: model(wrong)))
        XCTAssertTrue(message.contains("'expects4'") && message.contains("(None, 4)") && message.contains("(None, 5)"), message)
        XCTAssertThrowsError(try model(Variable(Tensor<Float>.zeros([2, 5])))) { error in
            XCTAssertTrue(error is LayerError)
            XCTAssertTrue("\(error)".contains("(None, 4)") && "\(error)".contains("(None, 5)"), "\(error)")
        }
    }

    func testAnErrorUpstreamReachesTheModelThroughLaterLayers() {
        let inputs = Input(shape: [6])
        let x = Conv2D(2, kernelSize: 1, name: "first_bad")(inputs)
        let y = Dense(3)(Flatten()(x))
        XCTAssertNotNil(y.error)
        XCTAssertTrue(validationMessage(Model(inputs: inputs, outputs: y)).contains("'first_bad'"))
    }

    func testAValidModelValidates() throws {
        let inputs = Input(shape: [8, 8, 3])
        let x = Dense(4)(inputs)   // Keras's Dense works on the last axis of an image
        let model = Model(inputs: inputs, outputs: Dense(1)(Flatten()(x)))
        XCTAssertNoThrow(try model.validate())
        XCTAssertNil(model.graphError)
        XCTAssertEqual(try model(Variable(Tensor<Float>.zeros([2, 8, 8, 3]))).shape, [2, 1])
    }
}
