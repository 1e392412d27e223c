import Foundation
import XCTest
import TapestryIO

final class ModelCheckpointTests: XCTestCase {
    func testFilepathFieldsAreFilledAsPythonFormatsThem() throws {
        let logs = ["val_loss": 0.12345, "accuracy": 0.5]
        XCTAssertEqual(try ModelCheckpoint.format("w.{epoch:02d}-{val_loss:.2f}.weights.h5", epoch: 3, logs: logs),
                       "w.03-0.12.weights.h5")
        XCTAssertEqual(try ModelCheckpoint.format("e{epoch}_{accuracy:.4f}.h5", epoch: 12, logs: logs), "e12_0.5000.h5")
        XCTAssertThrowsError(try ModelCheckpoint.format("{val_acc:.2f}.h5", epoch: 1, logs: logs)) { error in
            XCTAssertTrue("\(error)".contains("val_acc") && "\(error)".contains("val_loss"), "\(error)")
        }
        XCTAssertThrowsError(try ModelCheckpoint(filepath: "w.{epoch.h5"))
        XCTAssertThrowsError(try ModelCheckpoint(filepath: "w.keras")) { error in
            XCTAssertEqual((error as? WeightsError)?.kind, .unsupportedPath)
        }
    }

    private func trainingData() -> (Tensor<Float>, Tensor<Float>) {
        let x = Tensor<Float>(shape: [8, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1])
        let y = Tensor<Float>(shape: [8, 1], scalars: [0, 1, 1, 1, 0, 1, 1, 1])
        return (x, y)
    }

    func testSavesEveryEpochAndTheFilesHoldThatEpochsWeights() throws {
        setRandomSeed(3)
        let dir = try scratchDirectory()
        let inputs = Input(shape: [2])
        let model = Model(inputs: inputs, outputs: Dense(1, activation: .sigmoid, name: "out")(inputs), name: "logistic")
        model.compile(optimizer: SGD(learningRate: 0.5), loss: .binaryCrossentropy)
        let checkpoint = try ModelCheckpoint(filepath: dir + "/ckpt/w.{epoch:02d}-{loss:.3f}.weights.h5", monitor: "loss")
        let (x, y) = trainingData()
        let history = try model.fit(x: x, y: y, batchSize: 8, epochs: 3, shuffle: false, callbacks: [checkpoint], verbose: .silent)
        XCTAssertEqual(checkpoint.savedPaths.count, 3)
        let losses = history["loss"]
        for (epoch, path) in checkpoint.savedPaths.enumerated() {
            XCTAssertEqual(path, dir + "/ckpt/w.0\(epoch + 1)-\(String(format: "%.3f", losses[epoch])).weights.h5")
            XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        }
        // The last file holds the final weights.
        let finalWeights = model.getWeights().map(\.scalars)
        try model.setWeights(model.weights.map { Tensor(shape: $0.shape, repeating: 0) })
        try model.loadWeights(from: checkpoint.savedPaths.last!)
        XCTAssertEqual(model.getWeights().map(\.scalars), finalWeights)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/ckpt").filter { $0.hasSuffix(".tmp") }, [])
    }

    func testSaveBestOnlySavesOnlyImprovementsInTheAutoDirection() throws {
        let dir = try scratchDirectory()
        clearSession()
        let inputs = Input(shape: [1])
        let net = Model(inputs: inputs, outputs: Dense(1, name: "d")(inputs), name: "net")
        let byLoss = try ModelCheckpoint(filepath: dir + "/loss-{epoch}.h5", monitor: "val_loss", saveBestOnly: true)
        let byAccuracy = try ModelCheckpoint(filepath: dir + "/acc-{epoch}.h5", monitor: "val_accuracy", saveBestOnly: true)
        try byLoss.onTrainBegin(model: net)
        try byAccuracy.onTrainBegin(model: net)
        for (epoch, (loss, accuracy)) in [(0.9, 0.5), (0.7, 0.4), (0.8, 0.6), (0.6, 0.6)].enumerated() {
            let logs = ["val_loss": loss, "val_accuracy": accuracy]
            try byLoss.onEpochEnd(epoch, logs: logs, model: net)
            try byAccuracy.onEpochEnd(epoch, logs: logs, model: net)
        }
        XCTAssertEqual(byLoss.savedPaths, [dir + "/loss-1.h5", dir + "/loss-2.h5", dir + "/loss-4.h5"])
        XCTAssertEqual(byAccuracy.savedPaths, [dir + "/acc-1.h5", dir + "/acc-3.h5"])
        XCTAssertEqual(byLoss.best, 0.6)
        XCTAssertEqual(try KerasWeightsReader(path: dir + "/loss-4.h5").format, .legacyH5)
        XCTAssertThrowsError(try byLoss.onEpochEnd(4, logs: ["loss": 1], model: net)) { error in
            XCTAssertTrue("\(error)".contains("val_loss"), "\(error)")
        }
    }
}
