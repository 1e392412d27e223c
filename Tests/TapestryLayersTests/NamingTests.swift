import XCTest
@testable import TapestryLayers

/// Keras's default names, from the fixture's `default_names` (made after `clear_session()`).
final class NamingTests: XCTestCase {
    private var keras: [String: Any] { KerasFixture.object("default_names") }

    func testDefaultNamesCountPerClassLikeKeras() {
        clearSession()
        let made: [Layer] = [Dense(1), Dense(1), Conv2D(1, kernelSize: 3), Conv2D(1, kernelSize: 3), MaxPooling2D(),
                             Flatten(), Dropout(0.5), Dense(1), BatchNormalization(), GlobalAveragePooling2D(),
                             AveragePooling2D(poolSize: 2)]
        XCTAssertEqual(made.map(\.name), keras["creation_order"] as! [String])
    }

    /// The script's exact sequence: the layers above, `Input`, a Sequential with an Input, a functional model.
    func testInputSequentialAndFunctionalDefaultNamesLikeKeras() throws {
        clearSession()
        _ = [Dense(1), Dense(1), Conv2D(1, kernelSize: 3), Conv2D(1, kernelSize: 3), MaxPooling2D(), Flatten(),
             Dropout(0.5), Dense(1), BatchNormalization(), GlobalAveragePooling2D(), AveragePooling2D(poolSize: 2)] as [Layer]
        let inp = Input(shape: [4])
        let seq = Sequential([InputLayer(shape: [4]), Dense(2)])
        let fun = Model(inputs: inp, outputs: Dense(2)(inp))
        XCTAssertEqual(inp.node?.layer.name, keras["input_tensor_layer"] as? String)
        XCTAssertEqual(seq.name, keras["sequential"] as? String)
        XCTAssertEqual(seq.layers.map(\.name), [keras["sequential_inner_dense"] as! String])
        XCTAssertEqual(fun.name, keras["functional_model"] as? String)
        XCTAssertEqual(fun.layers.last?.name, keras["functional_dense"] as? String)
    }

    func testFirstFunctionalModelInAFreshSessionIsFunctional() {
        clearSession()
        let inp = Input(shape: [4])
        let model = Model(inputs: inp, outputs: Dense(2)(inp))
        XCTAssertEqual(model.name, keras["functional_model_first_in_fresh_session"] as? String)
        XCTAssertEqual(model.className, "Functional")
        XCTAssertEqual(model.layers.map(\.name), ["input_layer", "dense"])
    }

    // The next three mirror sequences run on Keras 3.15.1 (not in the JSON fixture); Keras printed
    // the names asserted here.

    /// Each `add` that rebuilds a Sequential makes Keras create an inner Functional, which takes a name.
    func testSequentialAddTakesAFunctionalNamePerRebuildLikeKeras() {
        clearSession()
        let s = Sequential()
        s.add(InputLayer(shape: [4]))
        s.add(Dense(2))
        s.add(Dense(3))
        let i = Input(shape: [4])
        let m = Model(inputs: i, outputs: Dense(1)(i))
        XCTAssertEqual(s.name, "sequential")
        XCTAssertEqual(s.layers.map(\.name), ["dense", "dense_1"])
        XCTAssertEqual(m.name, "functional_2")
        XCTAssertEqual(i.node?.layer.name, "input_layer_1")
    }

    func testSequentialBuiltFromAShapeMakesItsOwnInputLayerLikeKeras() {
        clearSession()
        let s = Sequential([Dense(2), Dense(1)])
        s.build(inputShape: [3])
        let i = Input(shape: [4])
        let m = Model(inputs: i, outputs: Dense(1)(i))
        XCTAssertEqual(s.outputs.map(\.shape), [[1]])
        XCTAssertEqual(m.name, "functional_1")
        XCTAssertEqual(i.node?.layer.name, "input_layer_1")
    }

    final class TinyNet: Model {}

    func testModelSubclassesAreNamedAfterTheirClassLikeKeras() {
        clearSession()
        XCTAssertEqual(TinyNet().name, "tiny_net")
        XCTAssertEqual(Model(name: nil).name, "functional")
    }

    func testClearSessionRestartsTheCounters() {
        clearSession()
        XCTAssertEqual([Dense(1).name, Dense(1).name, Dense(1).name], ["dense", "dense_1", "dense_2"])
        clearSession()
        XCTAssertEqual(Dense(1).name, "dense")
        XCTAssertEqual(Sequential().name, "sequential")
    }

    func testExplicitNamesAreKeptAndDoNotTakeADefault() {
        clearSession()
        XCTAssertEqual(Dense(1, name: "fc1").name, "fc1")
        XCTAssertEqual(Dense(1).name, "dense")
    }

    func testSnakeCaseFollowsKeras() {
        XCTAssertEqual(LayerNames.snakeCase("MaxPooling2D"), "max_pooling2d")
        XCTAssertEqual(LayerNames.snakeCase("GlobalAveragePooling2D"), "global_average_pooling2d")
        XCTAssertEqual(LayerNames.snakeCase("BatchNormalization"), "batch_normalization")
        XCTAssertEqual(LayerNames.snakeCase("Conv2D"), "conv2d")
        XCTAssertEqual(LayerNames.snakeCase("InputLayer"), "input_layer")
        clearSession()
        XCTAssertEqual([LeakyReLU().name, LeakyReLU().name], ["leaky_re_lu", "leaky_re_lu_1"], "as Keras 3.15.1 names them")
    }

    func testWeightNamesArePrefixedWithTheLayerName() throws {
        let conv = Conv2D(2, kernelSize: 3, name: "block1_conv1")
        _ = conv(Input(shape: [8, 8, 3]))
        XCTAssertEqual(conv.weights.compactMap(\.name), ["block1_conv1/kernel", "block1_conv1/bias"])
    }
}
