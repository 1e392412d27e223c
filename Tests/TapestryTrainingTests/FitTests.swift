import Foundation
import XCTest
import TapestryTraining

/// `fit`, `evaluate`, `predict` and the batch-level steps: learning, batching, validation, History.
final class FitTests: XCTestCase {
    func testMLPLearnsXOR() throws {
        setRandomSeed(1)
        let inputs = Input(shape: [2])
        let hidden = Dense(8, activation: .tanh)(inputs)
        let model = Model(inputs: inputs, outputs: Dense(1, activation: .sigmoid)(hidden), name: "xor")
        model.compile(optimizer: Adam(learningRate: 0.05), loss: .binaryCrossentropy, metrics: [.accuracy])
        let x = Tensor<Float>(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
        let y = Tensor<Float>(shape: [4, 1], scalars: [0, 1, 1, 0])
        let history = try model.fit(x: x, y: y, batchSize: 4, epochs: 300, verbose: .silent)
        XCTAssertEqual(history["accuracy"].last, 1)
        XCTAssertLessThan(history["loss"].last!, history["loss"].first! / 4)
        let p = try model.predict(x).scalars
        XCTAssertLessThan(p[0], 0.2); XCTAssertGreaterThan(p[1], 0.8); XCTAssertGreaterThan(p[2], 0.8); XCTAssertLessThan(p[3], 0.2)
    }

    /// 16×16 images of one bright bar, horizontal (class 0) or vertical (class 1), over uniform noise.
    static func bars(count: Int, seed: UInt64) -> (x: Tensor<Float>, y: Tensor<Float>) {
        var g = SeededGenerator(seed: seed)
        var pixels: [Float] = [], labels: [Float] = []
        for i in 0..<count {
            let vertical = i % 2 == 1
            let position = Int(g.next() % 12) + 2
            for r in 0..<16 {
                for c in 0..<16 {
                    let onBar = vertical ? (c == position || c == position + 1) : (r == position || r == position + 1)
                    pixels.append((onBar ? 0.6 : 0) + Float(g.nextUnit()) * 0.5)
                }
            }
            labels.append(vertical ? 1 : 0)
        }
        return (Tensor(shape: [count, 16, 16, 1], scalars: pixels), Tensor(shape: [count, 1], scalars: labels))
    }

    func testSmallCNNLearnsBarOrientation() throws {
        setRandomSeed(5)
        let (x, y) = Self.bars(count: 300, seed: 11)
        let model = Sequential([
            InputLayer(shape: [16, 16, 1]),
            Conv2D(8, kernelSize: 3, activation: .relu),
            MaxPooling2D(poolSize: 2),
            Conv2D(8, kernelSize: 3, activation: .relu),
            MaxPooling2D(poolSize: 2),
            Flatten(),
            Dense(2, activation: .softmax),
        ])
        model.compile(optimizer: Adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        let start = Date()
        let history = try model.fit(x: x, y: y, batchSize: 16, epochs: 10, validationSplit: 0.2, verbose: .silent)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertGreaterThan(history["val_accuracy"].last!, 0.95, "\(history)")
        XCTAssertLessThan(seconds, 30, "a few seconds expected, even in a debug build")
        // Fresh images, never seen: the model generalises.
        let (testX, testY) = Self.bars(count: 100, seed: 99)
        XCTAssertGreaterThan(try model.evaluate(x: testX, y: testY)["accuracy"]!, 0.95)
    }

    func testValidationSplitHoldsOutTheLastFraction() throws {
        setRandomSeed(2)
        let (x, y) = separableData(samples: 10)
        let model = mlp(inputs: 4, hidden: 4, outputs: 1, activation: .sigmoid)
        model.compile(optimizer: SGD(learningRate: 0.1), loss: .binaryCrossentropy, metrics: [.accuracy])
        let probe = RecordingCallback()
        let history = try model.fit(x: x, y: y, batchSize: 3, epochs: 1, validationSplit: 0.3, shuffle: true,
                                    callbacks: [probe], verbose: .silent)
        // 10 × 0.3 = 3 held out, 7 trained on: batches of 3, 3, 1.
        XCTAssertEqual(probe.events.filter { $0.hasPrefix("batchEnd") }.count, 3)
        let last = try model.evaluate(x: x.slice(axis: 0, from: 7, to: 10), y: y.slice(axis: 0, from: 7, to: 10))
        let first = try model.evaluate(x: x.slice(axis: 0, from: 0, to: 3), y: y.slice(axis: 0, from: 0, to: 3))
        XCTAssertEqual(history["val_loss"], [last["loss"]!])
        XCTAssertEqual(history["val_accuracy"], [last["accuracy"]!])
        XCTAssertNotEqual(first["loss"], last["loss"])
    }

    func testValidationSplitRoundsLikeKeras() throws {
        // Keras trains on floor(n · (1 − split)) samples: 10 × 0.75 = 7.5 → 7 trained, 3 held out
        // (not floor(10 × 0.25) = 2 held out).
        let (x, y) = separableData(samples: 10)
        let model = mlp(inputs: 4, hidden: 4, outputs: 1, activation: .sigmoid)
        model.compile(optimizer: SGD(learningRate: 0), loss: .binaryCrossentropy)
        let probe = RecordingCallback()
        let history = try model.fit(x: x, y: y, batchSize: 1, epochs: 1, validationSplit: 0.25, callbacks: [probe], verbose: .silent)
        XCTAssertEqual(probe.batchLogs.count, 7)
        XCTAssertEqual(history["val_loss"][0],
                       try model.evaluate(x: x.slice(axis: 0, from: 7, to: 10), y: y.slice(axis: 0, from: 7, to: 10), batchSize: 1)["loss"]!,
                       accuracy: 1e-12)
        // Nothing left to train on: an error, as in Keras, not an empty split.
        let (small, smallY) = separableData(samples: 3)
        XCTAssertThrowsError(try model.fit(x: small, y: smallY, validationSplit: 0.7, verbose: .silent)) { error in
            XCTAssertTrue("\(error)".contains("validationSplit"), "\(error)")
        }
    }

    func testHistoryKeysAndValidationData() throws {
        setRandomSeed(3)
        let (x, y) = separableData(samples: 40)
        let (vx, vy) = separableData(samples: 12, seed: 4)
        let model = mlp(inputs: 4, hidden: 8, outputs: 1, activation: .sigmoid)
        model.compile(optimizer: Adam(learningRate: 0.01), loss: .binaryCrossentropy, metrics: [.accuracy])
        let history = try model.fit(x: x, y: y, batchSize: 16, epochs: 3, validationData: (vx, vy), verbose: .silent)
        XCTAssertEqual(history.keys, ["accuracy", "loss", "val_accuracy", "val_loss"])
        XCTAssertEqual(history.epochs, [0, 1, 2])
        for key in history.keys { XCTAssertEqual(history[key].count, 3, key) }
        XCTAssertEqual(history["val_loss"].last!, try model.evaluate(x: vx, y: vy)["loss"]!, accuracy: 1e-12)
        XCTAssertTrue(history.description.hasPrefix("accuracy: ["), history.description)
        XCTAssertEqual(history["no_such_key"], [])
    }

    func testHistoryLossIsTheSampleWeightedMeanOfBatchLossesBeforeEachUpdate() throws {
        // 5 samples in batches of 2, 2, 1; SGD with learning rate 0 keeps the weights, so every
        // batch loss can be recomputed with testOnBatch.
        let (x, y) = separableData(samples: 5)
        let model = mlp(inputs: 4, hidden: 3, outputs: 1, activation: .sigmoid)
        model.compile(optimizer: SGD(learningRate: 0), loss: .binaryCrossentropy)
        let history = try model.fit(x: x, y: y, batchSize: 2, epochs: 1, shuffle: false, verbose: .silent)
        let losses = try [(0, 2), (2, 4), (4, 5)].map { a, b in
            try model.testOnBatch(x: x.slice(axis: 0, from: a, to: b), y: y.slice(axis: 0, from: a, to: b))["loss"]!
        }
        XCTAssertEqual(history["loss"][0], (2 * losses[0] + 2 * losses[1] + losses[2]) / 5, accuracy: 1e-7)
        XCTAssertEqual(history["loss"][0], try model.evaluate(x: x, y: y, batchSize: 5)["loss"]!, accuracy: 1e-7)
    }

    func testBatchLevelStepsAndPredict() throws {
        setRandomSeed(4)
        let (x, y) = separableData(samples: 9)
        let model = mlp(inputs: 4, hidden: 5, outputs: 1, activation: .sigmoid)
        model.compile(optimizer: SGD(learningRate: 0.5), loss: .binaryCrossentropy, metrics: [.accuracy])
        let before = try model.testOnBatch(x: x, y: y)
        let weights = model.getWeights()
        XCTAssertTrue(bitIdentical(model.getWeights(), weights), "testOnBatch must not train")
        let logs = try model.trainOnBatch(x: x, y: y)
        XCTAssertEqual(logs["loss"]!, before["loss"]!, accuracy: 1e-7, "trainOnBatch reports the loss before its update")
        XCTAssertFalse(bitIdentical(model.getWeights(), weights))
        XCTAssertEqual(model.optimizer?.iterations, 1)
        XCTAssertLessThan(try model.testOnBatch(x: x, y: y)["loss"]!, before["loss"]!)
        // predict in batches of 4 (4, 4, 1) equals one predictOnBatch.
        XCTAssertEqual(try model.predict(x, batchSize: 4).scalars, try model.predictOnBatch(x).scalars)
        XCTAssertEqual(try model.predict(x).shape, [9, 1])
    }

    func testSequentialBuildsOnTheFirstBatchAndKeepsThePartialBatch() throws {
        setRandomSeed(6)
        let model = Sequential([Dense(4, activation: .relu), Dense(3, activation: .softmax)])
        model.compile(optimizer: RMSprop(learningRate: 0.01), loss: .categoricalCrossentropy, metrics: [.accuracy])
        let (x, labels) = separableData(samples: 11)
        let onehot = Tensor<Float>(shape: [11, 3], scalars: labels.scalars.flatMap { $0 == 1 ? [0, 1, 0] : [1, 0, 0] as [Float] })
        let probe = RecordingCallback()
        try model.fit(x: x, y: onehot, batchSize: 4, epochs: 2, callbacks: [probe], verbose: .silent)
        XCTAssertEqual(probe.events.filter { $0.hasPrefix("batchEnd") }.count, 6, "11 samples in batches of 4 → 3 per epoch")
        XCTAssertEqual(model.optimizer?.iterations, 6)
        XCTAssertEqual(model.countParams(), 4 * 4 + 4 + 4 * 3 + 3)
    }

    func testShuffleChangesTheOrderEachEpochButNotTheResultOfNoShuffle() throws {
        let batches = TensorBatches(x: Tensor(shape: [6, 1], scalars: [0, 1, 2, 3, 4, 5]), y: nil, batchSize: 2, shuffle: true, seed: 9)
        XCTAssertEqual(Set(batches.order(epoch: 0)), Set(0..<6))
        XCTAssertNotEqual(batches.order(epoch: 0), batches.order(epoch: 1))
        XCTAssertEqual(batches.order(epoch: 1), batches.order(epoch: 1))
        let plain = TensorBatches(x: Tensor(shape: [6, 1], scalars: [0, 1, 2, 3, 4, 5]), y: nil, batchSize: 4)
        XCTAssertEqual(plain.order(epoch: 3), Array(0..<6))
        XCTAssertEqual(plain.batchCount, 2)
    }
}
