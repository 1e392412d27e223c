import Foundation
import XCTest
import TapestryTraining

/// Keras's callbacks and the `Callback` protocol, driven by `fit` or by crafted logs.
final class CallbackTests: XCTestCase {
    /// A compiled model, so `stopTraining` and the optimizer exist for callbacks called directly.
    func compiledModel(_ optimizer: any Optimizer = SGD(learningRate: 0.1)) -> Model {
        let model = mlp(inputs: 4, hidden: 3, outputs: 1, activation: .sigmoid)
        model.compile(optimizer: optimizer, loss: .binaryCrossentropy, metrics: [.accuracy])
        return model
    }

    /// Runs a monitor callback over `values` of `key` as `fit` would, returning the epoch it stopped at.
    func drive(_ callback: Callback, _ model: Model, key: String = "val_loss", _ values: [Double]) throws -> Int? {
        model.stopTraining = false
        try callback.onTrainBegin(model: model)
        for (epoch, v) in values.enumerated() {
            try callback.onEpochBegin(epoch, model: model)
            try callback.onEpochEnd(epoch, logs: [key: v], model: model)
            if model.stopTraining { return epoch }
        }
        return nil
    }

    /// Training data, and validation data with the opposite labels, so val_loss only grows as
    /// the model learns: epoch 0 is always the best.
    func adversarialData() -> (x: Tensor<Float>, y: Tensor<Float>, vx: Tensor<Float>, vy: Tensor<Float>) {
        let (x, y) = separableData(samples: 32)
        return (x, y, x, y.map { 1 - $0 })
    }

    // MARK: EarlyStopping

    func testEarlyStoppingPatienceAndMinDeltaAsKeras() throws {
        let model = compiledModel()
        XCTAssertEqual(try drive(EarlyStopping(patience: 2), model, [1.0, 0.9, 0.95, 0.96, 0.5]), 3)
        XCTAssertEqual(try drive(EarlyStopping(patience: 0), model, [1.0, 0.9, 0.95, 0.5]), 2)
        XCTAssertNil(try drive(EarlyStopping(patience: 1), model, [1.0, 0.9, 0.8, 0.7]))
        // minDelta: 0.9 is not 0.2 better than 1.0.
        XCTAssertEqual(try drive(EarlyStopping(minDelta: 0.2, patience: 1), model, [1.0, 0.9, 0.7]), 1)
        // Accuracy improves upwards ("auto" mode); an equal value is no improvement.
        let es = EarlyStopping(monitor: "val_accuracy", patience: 1)
        XCTAssertEqual(try drive(es, model, key: "val_accuracy", [0.5, 0.7, 0.7]), 2)
        XCTAssertEqual(es.best, 0.7); XCTAssertEqual(es.bestEpoch, 1); XCTAssertEqual(es.stoppedEpoch, 2)
    }

    func testEarlyStoppingMissingMonitorThrows() throws {
        let model = compiledModel()
        XCTAssertThrowsError(try drive(EarlyStopping(monitor: "val_los"), model, key: "val_loss", [1])) { error in
            XCTAssertTrue("\(error)".contains("val_los"), "\(error)")
        }
    }

    func testEarlyStoppingStopsFitAndRestoresTheBestWeights() throws {
        setRandomSeed(20)
        let d = adversarialData()
        let model = compiledModel(Adam(learningRate: 0.05))
        let probe = RecordingCallback()
        let es = EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
        let history = try model.fit(x: d.x, y: d.y, batchSize: 8, epochs: 20, validationData: (d.vx, d.vy),
                                    callbacks: [es, probe], verbose: .silent)
        XCTAssertEqual(history["val_loss"].count, 3, "\(history)")
        XCTAssertEqual(es.stoppedEpoch, 2)
        XCTAssertEqual(es.bestEpoch, 0)
        XCTAssertTrue(bitIdentical(model.getWeights(), probe.epochWeights[0]))
        XCTAssertFalse(bitIdentical(model.getWeights(), probe.epochWeights[2]))
    }

    func testEarlyStoppingRestoresTheBestWeightsAtTheLastEpochToo() throws {
        setRandomSeed(21)
        let d = adversarialData()
        let model = compiledModel(Adam(learningRate: 0.05))
        let probe = RecordingCallback()
        try model.fit(x: d.x, y: d.y, batchSize: 8, epochs: 3, validationData: (d.vx, d.vy),
                      callbacks: [EarlyStopping(patience: 10, restoreBestWeights: true), probe], verbose: .silent)
        XCTAssertEqual(probe.epochWeights.count, 3)
        XCTAssertTrue(bitIdentical(model.getWeights(), probe.epochWeights[0]))
        // Without restoreBestWeights the last weights stay.
        let plain = compiledModel(Adam(learningRate: 0.05))
        let plainProbe = RecordingCallback()
        try plain.fit(x: d.x, y: d.y, batchSize: 8, epochs: 3, validationData: (d.vx, d.vy),
                      callbacks: [EarlyStopping(patience: 10), plainProbe], verbose: .silent)
        XCTAssertTrue(bitIdentical(plain.getWeights(), plainProbe.epochWeights[2]))
    }

    final class ThrowAt: Callback {
        let epoch: Int
        init(epoch: Int) { self.epoch = epoch }
        var current = 0
        func onEpochBegin(_ epoch: Int, model: Model) throws { current = epoch }
        func onBatchEnd(_ batch: Int, logs: [String: Double], model: Model) throws {
            if current == epoch && batch == 1 { throw TrainingError("interrupted in epoch \(epoch)") }
        }
    }

    func testEarlyStoppingRestoresTheBestWeightsWhenFitThrows() throws {
        setRandomSeed(22)
        let d = adversarialData()
        let model = compiledModel(Adam(learningRate: 0.05))
        let probe = RecordingCallback()
        XCTAssertThrowsError(try model.fit(x: d.x, y: d.y, batchSize: 8, epochs: 5, validationData: (d.vx, d.vy),
                                           callbacks: [EarlyStopping(patience: 10, restoreBestWeights: true), probe, ThrowAt(epoch: 2)],
                                           verbose: .silent)) { error in
            XCTAssertEqual(error as? TrainingError, TrainingError("interrupted in epoch 2"))
        }
        XCTAssertEqual(probe.epochWeights.count, 2)
        XCTAssertEqual(probe.events.last, "trainEnd", "callbacks see the exit")
        XCTAssertTrue(bitIdentical(model.getWeights(), probe.epochWeights[0]))
    }

    // MARK: ReduceLROnPlateau, LearningRateScheduler

    func testReduceLROnPlateauAsKeras() throws {
        let sgd = SGD(learningRate: 0.1)
        let model = compiledModel(sgd)
        let plateau = ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 2, cooldown: 1, minLearningRate: 0.02)
        _ = try drive(plateau, model, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
        // e1 wait 1; e2 wait 2 → 0.05, cooldown 1; e3 in cooldown; e4 wait 1; e5 wait 2 → 0.025;
        // e6 cooldown; e7 wait 1; e8 wait 2 → max(0.0125, 0.02) = 0.02.
        XCTAssertEqual(sgd.learningRate, 0.02, accuracy: 1e-15)
        let again = SGD(learningRate: 0.1)
        let model2 = compiledModel(again)
        // An improvement bigger than minDelta (1e-4) resets the count; a smaller one does not.
        _ = try drive(ReduceLROnPlateau(factor: 0.1, patience: 2), model2, [1.0, 0.99995, 0.5, 0.49999, 0.49998])
        XCTAssertEqual(again.learningRate, 0.01, accuracy: 1e-15)
    }

    func testReduceLROnPlateauInFit() throws {
        let sgd = SGD(learningRate: 1e-12)
        let model = compiledModel(sgd)
        let (x, y) = separableData(samples: 16)
        try model.fit(x: x, y: y, batchSize: 8, epochs: 3,
                      callbacks: [ReduceLROnPlateau(monitor: "loss", patience: 1)], verbose: .silent)
        XCTAssertEqual(sgd.learningRate, 1e-14, accuracy: 1e-20)
    }

    func testLearningRateSchedulerSetsTheRateUsedByEachEpoch() throws {
        setRandomSeed(23)
        let sgd = SGD(learningRate: 0.1)
        let model = compiledModel(sgd)
        let (x, y) = separableData(samples: 16)
        let probe = RecordingCallback()
        try model.fit(x: x, y: y, batchSize: 8, epochs: 3, shuffle: false,
                      callbacks: [LearningRateScheduler { epoch, rate in epoch == 1 ? 0 : rate + 0.1 }, probe],
                      verbose: .silent)
        XCTAssertEqual(probe.learningRates, [0.2, 0, 0.1])
        XCTAssertTrue(bitIdentical(probe.epochWeights[0], probe.epochWeights[1]), "rate 0 in epoch 1: no movement")
        XCTAssertFalse(bitIdentical(probe.epochWeights[1], probe.epochWeights[2]))
    }

    // MARK: CSVLogger

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tapestry-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testCSVLoggerWritesOneRowPerEpochInKerasOrder() throws {
        setRandomSeed(24)
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("log.csv").path
        try "stale content\n".write(toFile: path, atomically: false, encoding: .utf8)
        let model = compiledModel()
        let (x, y) = separableData(samples: 16)
        let (vx, vy) = separableData(samples: 8, seed: 5)
        let history = try model.fit(x: x, y: y, batchSize: 8, epochs: 2, validationData: (vx, vy),
                                    callbacks: [CSVLogger(path)], verbose: .silent)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.count, 4, text)
        XCTAssertEqual(lines[0], "epoch,accuracy,loss,val_accuracy,val_loss")
        XCTAssertEqual(lines[3], "")
        for epoch in 0..<2 {
            let fields = lines[epoch + 1].split(separator: ",").map(String.init)
            XCTAssertEqual(fields[0], String(epoch))
            for (i, key) in ["accuracy", "loss", "val_accuracy", "val_loss"].enumerated() {
                XCTAssertEqual(Double(fields[i + 1]), history[key][epoch], "\(key) round-trips exactly")
            }
        }
        // Written through a temporary file and a rename: nothing else is left in the directory.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["log.csv"])
    }

    func testCSVLoggerSeparatorAndUnwritablePath() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("semi.csv").path
        let logger = CSVLogger(path, separator: ";")
        let model = compiledModel()
        try logger.onTrainBegin(model: model)
        try logger.onEpochEnd(0, logs: ["loss": 0.5, "accuracy": 0.25], model: model)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "epoch;accuracy;loss\n0;0.25;0.5\n")
        let missing = dir.appendingPathComponent("no/such/dir/log.csv").path
        let (x, y) = separableData(samples: 8)
        XCTAssertThrowsError(try model.fit(x: x, y: y, batchSize: 8, epochs: 1, callbacks: [CSVLogger(missing)], verbose: .silent)) {
            XCTAssertTrue("\($0)".contains(missing), "\($0)")
        }
    }

    // MARK: Custom callbacks

    final class StopAfterBatches: Callback {
        var batches = 0
        func onBatchEnd(_ batch: Int, logs: [String: Double], model: Model) throws {
            batches += 1
            if batches == 3 { model.stopTraining = true }
        }
    }

    func testCustomCallbackSeesEveryEventInOrderAndCanStopTraining() throws {
        let model = compiledModel()
        let (x, y) = separableData(samples: 8)
        let probe = RecordingCallback()
        let history = try model.fit(x: x, y: y, batchSize: 4, epochs: 5, callbacks: [probe, StopAfterBatches()], verbose: .silent)
        XCTAssertEqual(probe.events, ["trainBegin", "epochBegin 0", "batchEnd 0", "batchEnd 1", "epochEnd 0",
                                      "epochBegin 1", "batchEnd 0", "batchEnd 1", "epochEnd 1", "trainEnd"])
        XCTAssertEqual(history.epochs, [0, 1], "stopTraining ends fit after the current epoch")
        XCTAssertEqual(probe.epochLogs.last, probe.trainEndLogs)
        XCTAssertEqual(Set(probe.batchLogs[0].keys), ["loss", "accuracy"])
        XCTAssertEqual(probe.epochLogs[1]["loss"], history["loss"][1])
        // A new fit starts with stopTraining cleared.
        let again = try model.fit(x: x, y: y, batchSize: 8, epochs: 2, verbose: .silent)
        XCTAssertEqual(again.epochs, [0, 1])
    }
}
