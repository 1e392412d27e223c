import XCTest
import TapestryTraining

/// `setRandomSeed` fixes everything random in training: initial weights, shuffling, dropout masks.
final class ReproducibilityTests: XCTestCase {
    func train(seed: UInt64) throws -> (weights: [Tensor<Float>], history: [Double], predictions: [Float]) {
        setRandomSeed(seed)
        let x = Input(shape: [4])
        let h = Dropout(0.3)(Dense(16, activation: .relu)(x))
        let model = Model(inputs: x, outputs: Dense(1, activation: .sigmoid)(h))
        model.compile(optimizer: Adam(learningRate: 0.01), loss: .binaryCrossentropy, metrics: [.accuracy])
        let (data, labels) = separableData(samples: 40)
        let history = try model.fit(x: data, y: labels, batchSize: 8, epochs: 3, validationSplit: 0.2, shuffle: true,
                                    verbose: .silent)
        return (model.getWeights(), history["loss"] + history["val_loss"], try model.predict(data).scalars)
    }

    func testSameSeedGivesBitIdenticalTraining() throws {
        let a = try train(seed: 7), b = try train(seed: 7)
        XCTAssertTrue(bitIdentical(a.weights, b.weights))
        XCTAssertEqual(a.history, b.history)
        XCTAssertEqual(a.predictions.map(\.bitPattern), b.predictions.map(\.bitPattern))
        let c = try train(seed: 8)
        XCTAssertFalse(bitIdentical(a.weights, c.weights), "a different seed must change the run")
    }

    func testShuffleOrderAndDropoutMasksComeFromTheSeed() throws {
        setRandomSeed(7)
        let first = TensorBatches(x: Tensor(shape: [8, 1], repeating: 0), y: nil, batchSize: 2, shuffle: true)
        let d1 = try Dropout(0.5)(Variable(Tensor<Float>(shape: [64], repeating: 1)), training: true).value.scalars
        setRandomSeed(7)
        let second = TensorBatches(x: Tensor(shape: [8, 1], repeating: 0), y: nil, batchSize: 2, shuffle: true)
        let d2 = try Dropout(0.5)(Variable(Tensor<Float>(shape: [64], repeating: 1)), training: true).value.scalars
        XCTAssertEqual(first.order(epoch: 2), second.order(epoch: 2))
        XCTAssertNotEqual(first.order(epoch: 2), Array(0..<8))
        XCTAssertEqual(d1, d2)
    }
}
