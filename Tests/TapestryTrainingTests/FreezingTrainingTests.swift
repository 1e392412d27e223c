import XCTest
import TapestryTraining

/// Freezing as `fit` sees it: frozen weights never move, get no optimizer state, and changes to
/// `trainable` apply at the next step without compiling again.
final class FreezingTrainingTests: XCTestCase {
    /// `Input(4) → base[block1_dense(6) → block2_dense(5)] → head(1)`.
    func fineTuneModel() -> (model: Model, base: Model, head: Dense) {
        let baseIn = Input(shape: [4])
        let b1 = Dense(6, activation: .relu, name: "block1_dense")(baseIn)
        let b2 = Dense(5, activation: .tanh, name: "block2_dense")(b1)
        let base = Model(inputs: baseIn, outputs: b2, name: "base")
        let x = Input(shape: [4])
        let head = Dense(1, activation: .sigmoid, name: "head")
        let model = Model(inputs: x, outputs: head(base(x)))
        return (model, base, head)
    }

    func testFrozenWeightsAreBitIdenticalAfterFitAndHaveNoOptimizerState() throws {
        setRandomSeed(10)
        let (model, base, head) = fineTuneModel()
        base.trainable = false
        let adam = Adam(learningRate: 0.05)
        model.compile(optimizer: adam, loss: .binaryCrossentropy)
        let frozenBefore = base.getWeights(), headBefore = head.getWeights()
        let (x, y) = separableData(samples: 32)
        try model.fit(x: x, y: y, batchSize: 8, epochs: 3, verbose: .silent)
        XCTAssertTrue(bitIdentical(base.getWeights(), frozenBefore))
        XCTAssertFalse(bitIdentical(head.getWeights(), headBefore), "the head must train")
        for w in base.weights { XCTAssertNil(adam.slots(for: w), w.name ?? "") }
        for w in head.weights { XCTAssertNotNil(adam.slots(for: w), w.name ?? "") }
        XCTAssertEqual(adam.trackedVariableCount, 2)
        XCTAssertEqual(model.trainableWeights.count, 2)
    }

    func testFineTuningTrainsExactlyTheChosenBlocks() throws {
        setRandomSeed(11)
        let (model, base, head) = fineTuneModel()
        base.trainable = true
        for layer in base.layers { layer.trainable = layer.name.hasPrefix("block2") }
        model.compile(optimizer: RMSprop(learningRate: 0.01), loss: .binaryCrossentropy)
        XCTAssertEqual(model.trainableWeights.compactMap(\.name),
                       ["block2_dense/kernel", "block2_dense/bias", "head/kernel", "head/bias"])
        let block1 = try base.layer(named: "block1_dense"), block2 = try base.layer(named: "block2_dense")
        let block1Before = block1.getWeights(), block2Before = block2.getWeights(), headBefore = head.getWeights()
        let (x, y) = separableData(samples: 24)
        try model.fit(x: x, y: y, batchSize: 8, epochs: 2, verbose: .silent)
        XCTAssertTrue(bitIdentical(block1.getWeights(), block1Before))
        for (after, before) in zip(block2.getWeights() + head.getWeights(), block2Before + headBefore) {
            XCTAssertNotEqual(after.scalars, before.scalars, "every trainable weight moves")
        }
    }

    func testChangingTrainableBetweenFitsTakesEffectWithoutRecompiling() throws {
        setRandomSeed(12)
        let (model, base, _) = fineTuneModel()
        model.compile(optimizer: SGD(learningRate: 0.1), loss: .binaryCrossentropy)
        let (x, y) = separableData(samples: 16)
        base.freeze()
        let before = base.getWeights()
        try model.fit(x: x, y: y, batchSize: 8, epochs: 1, verbose: .silent)
        XCTAssertTrue(bitIdentical(base.getWeights(), before))
        base.unfreeze()
        try model.fit(x: x, y: y, batchSize: 8, epochs: 1, verbose: .silent)
        XCTAssertFalse(bitIdentical(base.getWeights(), before), "unfrozen base trains on the next fit")
        let middle = base.getWeights()
        base.trainable = false
        try model.fit(x: x, y: y, batchSize: 8, epochs: 1, verbose: .silent)
        XCTAssertTrue(bitIdentical(base.getWeights(), middle), "frozen again: no update")
        XCTAssertEqual(model.optimizer?.iterations, 6)
    }

    func testFrozenBatchNormalizationKeepsItsMovingStatistics() throws {
        setRandomSeed(13)
        func model() -> (Model, BatchNormalization) {
            let x = Input(shape: [4])
            let bn = BatchNormalization()
            let h = bn(Dense(6)(x))
            return (Model(inputs: x, outputs: Dense(1, activation: .sigmoid)(h)), bn)
        }
        let (x, y) = separableData(samples: 24)
        let (frozen, frozenBN) = model()
        frozenBN.trainable = false
        frozen.compile(optimizer: Adam(learningRate: 0.01), loss: .binaryCrossentropy)
        let before = frozenBN.getWeights()
        XCTAssertEqual(before.count, 4)
        try frozen.fit(x: x, y: y, batchSize: 8, epochs: 2, verbose: .silent)
        XCTAssertTrue(bitIdentical(frozenBN.getWeights(), before), "gamma, beta, moving mean and variance")

        let (live, liveBN) = model()
        live.compile(optimizer: Adam(learningRate: 0.01), loss: .binaryCrossentropy)
        let liveBefore = liveBN.movingMean.value.scalars
        try live.fit(x: x, y: y, batchSize: 8, epochs: 2, verbose: .silent)
        XCTAssertNotEqual(liveBN.movingMean.value.scalars, liveBefore, "a trainable BN updates its moving mean in fit")
        // evaluate and predict use the moving statistics and never change them.
        let moving = liveBN.getWeights()
        _ = try live.evaluate(x: x, y: y)
        _ = try live.predict(x)
        XCTAssertTrue(bitIdentical(liveBN.getWeights(), moving))
    }

    func testDropoutIsActiveOnlyInTraining() throws {
        setRandomSeed(14)
        let x = Input(shape: [4])
        let model = Model(inputs: x, outputs: Dense(1, activation: .sigmoid)(Dropout(0.5)(Dense(16, activation: .relu)(x))))
        model.compile(optimizer: SGD(learningRate: 0), loss: .binaryCrossentropy)
        let (data, labels) = separableData(samples: 16)
        let p1 = try model.predict(data), p2 = try model.predict(data)
        XCTAssertEqual(p1.scalars, p2.scalars, "inference is deterministic")
        let evaluated = try model.evaluate(x: data, y: labels, batchSize: 16)["loss"]!
        XCTAssertEqual(try model.evaluate(x: data, y: labels, batchSize: 16)["loss"]!, evaluated)
        // With a zero learning rate the weights never move, so any difference comes from the masks.
        let history = try model.fit(x: data, y: labels, batchSize: 16, epochs: 3, shuffle: false, verbose: .silent)
        XCTAssertNotEqual(history["loss"][0], evaluated)
        XCTAssertNotEqual(history["loss"][0], history["loss"][1], "a fresh mask every step")

        let dropout = Dropout(0.5)
        let ones = Variable(Tensor<Float>(shape: [1000], repeating: 1))
        XCTAssertEqual(try dropout(ones, training: false).value.scalars, ones.value.scalars)
        let trained = try dropout(ones, training: true).value.scalars
        XCTAssertEqual(Set(trained), [0, 2])
        XCTAssertEqual(Double(trained.filter { $0 == 0 }.count), 500, accuracy: 60)
    }
}
