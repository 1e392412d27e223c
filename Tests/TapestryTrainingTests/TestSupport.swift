import Foundation
import XCTest
import TapestryTraining

/// Reads a JSON fixture. `relativePath` is relative to `Tests/` (so the layers fixture of the
/// TapestryLayersTests target is reachable too).
func loadFixture(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    let data = try Data(contentsOf: tests.appendingPathComponent(relativePath))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TrainingError("fixture \(relativePath) is not a JSON object")
    }
    return object
}

/// A fixture array `{"shape": [Int], "data": [Double]}` as a Float tensor (exact: every value is a float32).
func tensor(_ json: Any?) -> Tensor<Float> {
    let dict = json as! [String: Any]
    let shape = (dict["shape"] as! [NSNumber]).map(\.intValue)
    let data = (dict["data"] as! [NSNumber]).map { Float($0.doubleValue) }
    return Tensor(shape: shape, scalars: data)
}

func doubles(_ json: Any?) -> [Double] { (json as! [NSNumber]).map(\.doubleValue) }

/// The largest error of `actual` against `expected`, measured as |a − e| / max(|e|, floor).
/// With `floor = 0.01`, values of magnitude ≥ 0.01 are compared relatively and smaller ones
/// absolutely to 1e-7 (for a 1e-5 tolerance).
func relativeError(_ actual: [Double], _ expected: [Double], floor: Double = 0.01) -> Double {
    precondition(actual.count == expected.count, "\(actual.count) values for \(expected.count)")
    return zip(actual, expected).map { a, e in
        a.isNaN != e.isNaN ? .infinity : Swift.abs(a - e) / Swift.max(Swift.abs(e), floor)
    }.max() ?? 0
}

func assertClose(_ actual: [Double], _ expected: [Double], tolerance: Double, floor: Double = 0.01,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("\(message()): \(actual.count) values, expected \(expected.count)", file: file, line: line); return
    }
    let error = relativeError(actual, expected, floor: floor)
    XCTAssertLessThanOrEqual(error, tolerance, "\(message()): got \(actual), expected \(expected)", file: file, line: line)
}

func scalars(_ t: Tensor<Float>) -> [Double] { t.scalars.map(Double.init) }

/// Bitwise equality of weight lists (NaN-safe, -0 ≠ +0).
func bitIdentical(_ a: [Tensor<Float>], _ b: [Tensor<Float>]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
        x.shape == y.shape && x.scalars.map(\.bitPattern) == y.scalars.map(\.bitPattern)
    }
}

/// Records what `fit` hands to callbacks, and can snapshot weights at a given step.
final class RecordingCallback: Callback {
    var events: [String] = []
    var epochLogs: [[String: Double]] = []
    var batchLogs: [[String: Double]] = []
    var snapshotAt: (epoch: Int, batch: Int)?
    var snapshot: [Tensor<Float>]?
    var trainEndLogs: [String: Double]?
    /// The weights at the end of each epoch, and the learning rate at the start of each epoch.
    var epochWeights: [[Tensor<Float>]] = []
    var learningRates: [Double] = []
    private var epoch = 0

    init(snapshotAt: (epoch: Int, batch: Int)? = nil) { self.snapshotAt = snapshotAt }

    func onTrainBegin(model: Model) throws { events.append("trainBegin") }
    func onEpochBegin(_ epoch: Int, model: Model) throws { self.epoch = epoch; events.append("epochBegin \(epoch)")
        if let rate = model.optimizer?.learningRate { learningRates.append(rate) }
    }
    func onBatchEnd(_ batch: Int, logs: [String: Double], model: Model) throws {
        events.append("batchEnd \(batch)")
        batchLogs.append(logs)
        if let s = snapshotAt, s.epoch == epoch, s.batch == batch { snapshot = model.getWeights() }
    }
    func onEpochEnd(_ epoch: Int, logs: [String: Double], model: Model) throws {
        events.append("epochEnd \(epoch)")
        epochLogs.append(logs)
        epochWeights.append(model.getWeights())
    }
    func onTrainEnd(model: Model, logs: [String: Double]) throws {
        events.append("trainEnd")
        trainEndLogs = logs
    }
}

/// A small MLP `Input(inputs) → Dense(hidden, tanh) → Dense(outputs, activation)`.
func mlp(inputs: Int, hidden: Int, outputs: Int, activation: ActivationFunction, name: String? = nil) -> Model {
    let x = Input(shape: [inputs])
    let h = Dense(hidden, activation: .tanh)(x)
    return Model(inputs: x, outputs: Dense(outputs, activation: activation)(h), name: name)
}

/// A deterministic binary task on 4 features: label 1 when x0 + x1 > x2 + x3.
func separableData(samples: Int, seed: UInt64 = 3) -> (x: Tensor<Float>, y: Tensor<Float>) {
    var g = SeededGenerator(seed: seed)
    var xs: [Float] = [], ys: [Float] = []
    for _ in 0..<samples {
        let row = (0..<4).map { _ in Float(g.nextUnit() * 2 - 1) }
        xs += row
        ys.append(row[0] + row[1] > row[2] + row[3] ? 1 : 0)
    }
    return (Tensor(shape: [samples, 4], scalars: xs), Tensor(shape: [samples, 1], scalars: ys))
}
