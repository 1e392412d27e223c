import XCTest
@testable import TapestryLayers

final class FreezingTests: XCTestCase {
    private func smallBase() -> Model {
        let inputs = Input(shape: [8, 8, 3])
        var x = Conv2D(4, kernelSize: 3, activation: .relu, padding: .same, name: "block1_conv1")(inputs)
        x = BatchNormalization(name: "block1_bn")(x)
        x = MaxPooling2D(name: "block1_pool")(x)
        x = Conv2D(8, kernelSize: 3, activation: .relu, padding: .same, name: "block2_conv1")(x)
        return Model(inputs: inputs, outputs: x, name: "base")
    }
    // Params: conv1 3·3·3·4 + 4 = 112; bn 4·4 = 16 (8 trainable, 8 moving); conv2 3·3·4·8 + 8 = 296.

    func testCountsWhenEverythingIsTrainable() {
        let base = smallBase()
        XCTAssertEqual(base.countParams(), 424)
        XCTAssertEqual(scalarCount(base.trainableWeights), 112 + 8 + 296)
        XCTAssertEqual(scalarCount(base.nonTrainableWeights), 8, "BatchNormalization's moving statistics")
        XCTAssertEqual(base.weights.count, 2 + 4 + 2)
        XCTAssertEqual(base.getWeights().map(\.shape), [[3, 3, 3, 4], [4], [4], [4], [4], [4], [3, 3, 4, 8], [8]])
    }

    func testFreezingAModelCascadesToItsLayers() {
        let base = smallBase()
        base.trainable = false
        XCTAssertTrue(base.layers.allSatisfy { !$0.trainable })
        XCTAssertEqual(base.trainableWeights.count, 0)
        XCTAssertEqual(scalarCount(base.nonTrainableWeights), 424)
        XCTAssertEqual(base.countParams(), 424, "freezing does not change the count")
        base.unfreeze()
        XCTAssertTrue(base.layers.allSatisfy(\.trainable))
        XCTAssertEqual(scalarCount(base.trainableWeights), 416)
    }

    func testFrozenParentOverridesTrainableChildren() {
        let base = smallBase()
        base.trainable = false
        try! base.layer(named: "block2_conv1").trainable = true
        XCTAssertEqual(base.trainableWeights.count, 0, "a frozen model reports no trainable weights")
        XCTAssertEqual(scalarCount(base.nonTrainableWeights), 424)
        XCTAssertEqual(try base.layer(named: "block2_conv1").trainableWeights.count, 2, "the child on its own is trainable")
    }

    func testFineTuningPatternUnfreezesOnlyTheChosenBlock() {
        let base = smallBase()
        base.trainable = false
        base.trainable = true
        for layer in base.layers { layer.trainable = layer.name.hasPrefix("block2") }
        XCTAssertEqual(base.trainableWeights.compactMap(\.name), ["block2_conv1/kernel", "block2_conv1/bias"])
        XCTAssertEqual(scalarCount(base.trainableWeights), 296)
        XCTAssertEqual(scalarCount(base.nonTrainableWeights), 424 - 296)
    }

    func testAFrozenBaseInSequentialLeavesOnlyTheHeadTrainable() {
        let base = smallBase()
        base.trainable = false
        let head = Dense(1, activation: .sigmoid, name: "head")
        let model = Sequential([base, Flatten(), head])
        XCTAssertEqual(model.trainableWeights.map { ObjectIdentifier($0) }, head.weights.map { ObjectIdentifier($0) })
        XCTAssertEqual(scalarCount(model.trainableWeights), 4 * 4 * 8 + 1)
        XCTAssertEqual(scalarCount(model.nonTrainableWeights), 424)
        XCTAssertEqual(model.countParams(), 424 + 129)
        model.trainable = false
        XCTAssertEqual(model.trainableWeights.count, 0)
        XCTAssertFalse(head.trainable, "freezing the Sequential cascades to its layers")
    }

    func testWeightsAreListedOnceEvenWhenALayerIsShared() {
        let shared = Dense(2)
        let a = Input(shape: [2]), b = Input(shape: [2])
        let model = Model(inputs: [a, b], outputs: [shared(a), shared(b)])
        XCTAssertEqual(model.weights.count, 2)
        XCTAssertEqual(model.trainableWeights.count, 2)
        XCTAssertEqual(model.countParams(), 6)
    }

    func testDropoutIsActiveOnlyInTraining() throws {
        let dropout = Dropout(0.5, seed: 42)
        let x = Tensor<Float>.ones([100, 100])
        XCTAssertEqual(try dropout(Variable(x)).value.scalars, x.scalars, "identity at inference")
        let y = try dropout(Variable(x), training: true).value.scalars
        XCTAssertTrue(y.allSatisfy { $0 == 0 || $0 == 2 }, "kept values are scaled by 1 / (1 − rate)")
        let dropped = Double(y.filter { $0 == 0 }.count) / Double(y.count)
        XCTAssertEqual(dropped, 0.5, accuracy: 0.03)
        XCTAssertEqual(Double(y.reduce(0, +)) / Double(y.count), 1, accuracy: 0.06, "the expectation is kept")
        XCTAssertEqual(dropout.countParams(), 0)
    }

    func testDropoutInsideAModelFollowsTheTrainingFlag() throws {
        let inputs = Input(shape: [1000])
        let model = Model(inputs: inputs, outputs: Dropout(0.3, seed: 1)(inputs))
        let x = Variable(Tensor<Float>.ones([1, 1000]))
        XCTAssertEqual(try model(x).value.scalars, x.value.scalars)
        let y = try model(x, training: true).value.scalars
        XCTAssertTrue(y.contains(0))
        XCTAssertEqual(Double(y.filter { $0 == 0 }.count) / 1000, 0.3, accuracy: 0.06)
    }
}
