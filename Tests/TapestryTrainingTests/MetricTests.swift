import XCTest
import TapestryTraining

/// Metrics against Keras 3 (layers.json `metrics`), measured through `evaluate` on a model that
/// passes its input through, so they run exactly as in `fit`: accumulated over batches.
final class MetricTests: XCTestCase {
    /// A model whose output is its input (a linear Activation), compiled with `loss` and `metrics`.
    func passThrough(width: Int, loss: Loss, metrics: [Metric]) -> Model {
        let x = Input(shape: [width])
        let model = Model(inputs: x, outputs: Activation(.linear)(x))
        model.compile(optimizer: SGD(), loss: loss, metrics: metrics)
        return model
    }

    func fixtureCase(_ name: String) throws -> [String: Any] {
        let all = try loadFixture("TapestryLayersTests/Fixtures/layers.json")["metrics"] as! [[String: Any]]
        return try XCTUnwrap(all.first { $0["name"] as? String == name }, name)
    }

    func result(_ c: [String: Any]) -> Double { (c["result"] as! NSNumber).doubleValue }

    func testBinaryAccuracyPrecisionRecallAtThresholdHalf() throws {
        let accuracy = try fixtureCase("binary_accuracy_threshold_0.5")
        let precision = try fixtureCase("precision_threshold_0.5"), recall = try fixtureCase("recall_threshold_0.5")
        let p = tensor(accuracy["y_pred"]), y = tensor(accuracy["y_true"])
        XCTAssertEqual(scalars(tensor(precision["y_pred"])), scalars(p))
        let model = passThrough(width: 1, loss: .binaryCrossentropy, metrics: [.accuracy, .precision, .recall])
        // Batches of 3 (3, 3, 2): precision and recall sum confusion counts over batches, not ratios.
        for batchSize in [8, 3] {
            let logs = try model.evaluate(x: p, y: y, batchSize: batchSize)
            XCTAssertEqual(logs["accuracy"]!, result(accuracy), accuracy: 1e-7, "batch \(batchSize)")
            XCTAssertEqual(logs["precision"]!, result(precision), accuracy: 1e-7, "batch \(batchSize)")
            XCTAssertEqual(logs["recall"]!, result(recall), accuracy: 1e-7, "batch \(batchSize)")
        }
        // An output of exactly 0.5 is negative (Keras: y_pred > threshold).
        let half = try model.evaluate(x: Tensor(shape: [1, 1], scalars: [0.5]), y: Tensor(shape: [1, 1], scalars: [1]))
        XCTAssertEqual(half["accuracy"], 0)
    }

    func testCategoricalAccuracyBreaksTiesTowardsTheFirstClass() throws {
        let c = try fixtureCase("categorical_accuracy_with_tie")
        let model = passThrough(width: 3, loss: .categoricalCrossentropy, metrics: [.accuracy])
        let logs = try model.evaluate(x: tensor(c["y_pred"]), y: tensor(c["y_true"]))
        XCTAssertEqual(logs["accuracy"]!, result(c), accuracy: 1e-7)
    }

    func testSparseCategoricalAccuracyWithColumnLabels() throws {
        let c = try fixtureCase("sparse_categorical_accuracy")
        XCTAssertEqual(tensor(c["y_true"]).shape, [4, 1])
        let model = passThrough(width: 3, loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        let logs = try model.evaluate(x: tensor(c["y_pred"]), y: tensor(c["y_true"]))
        XCTAssertEqual(logs["accuracy"]!, result(c), accuracy: 1e-7)
    }

    func testAccuracyIsWeightedBySamplesAcrossUnevenBatches() throws {
        // 5 samples in batches of 2, 2, 1: a mean of batch means would give (1 + 0.5 + 0) / 3.
        let model = passThrough(width: 1, loss: .binaryCrossentropy, metrics: [.accuracy])
        let p = Tensor<Float>(shape: [5, 1], scalars: [0.9, 0.1, 0.9, 0.9, 0.9])
        let y = Tensor<Float>(shape: [5, 1], scalars: [1, 0, 1, 0, 0])
        let logs = try model.evaluate(x: p, y: y, batchSize: 2)
        XCTAssertEqual(logs["accuracy"]!, 3.0 / 5.0, accuracy: 1e-12)
    }

    func testRegressionMetricsKeepTheNameAsGiven() throws {
        let model = passThrough(width: 2, loss: .meanSquaredError, metrics: [.mae, .mse, .meanAbsoluteError])
        let p = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4]), y = Tensor<Float>(shape: [2, 2], scalars: [0, 2, 5, 4])
        let logs = try model.evaluate(x: p, y: y)
        XCTAssertEqual(Set(logs.keys), ["loss", "mae", "mse", "mean_absolute_error"])
        XCTAssertEqual(logs["mae"]!, 0.75, accuracy: 1e-7)
        XCTAssertEqual(logs["mean_absolute_error"]!, 0.75, accuracy: 1e-7)
        XCTAssertEqual(logs["mse"]!, 1.25, accuracy: 1e-7)
        XCTAssertEqual(logs["loss"]!, 1.25, accuracy: 1e-7)
    }
}
