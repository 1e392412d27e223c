import Foundation
import XCTest
import TapestryTraining

/// `fit` against Keras 3.15 runs (Fixtures/optimizers.json): 3 models × 10 optimizer configs,
/// fixed initial weights, batch 8, 3 epochs, no shuffling.
///
/// Tolerance: every compared value v against Keras's e satisfies |v − e| ≤ 1e-5 · max(|e|, 0.01),
/// i.e. 1e-5 relative, with an absolute floor of 1e-7 for values below 0.01 in magnitude.
final class KerasFitParityTests: XCTestCase {
    static let tolerance = 1e-5
    static let floor = 0.01

    func optimizer(_ json: [String: Any]) throws -> any Optimizer {
        let cls = json["class"] as! String
        let c = json["config"] as! [String: Any]
        func double(_ key: String) -> Double? { (c[key] as? NSNumber)?.doubleValue }
        func bool(_ key: String) -> Bool { (c[key] as? Bool) ?? false }
        // Options Tapestry does not implement must be off in the fixture, or the comparison is meaningless.
        XCTAssertFalse(bool("use_ema"), "use_ema")
        XCTAssertNil(double("loss_scale_factor"), "loss_scale_factor")
        XCTAssertNil(double("gradient_accumulation_steps"), "gradient_accumulation_steps")
        let lr = double("learning_rate")!
        let wd = double("weight_decay")
        let clipnorm = double("clipnorm"), clipvalue = double("clipvalue"), global = double("global_clipnorm")
        switch cls {
        case "SGD":
            return SGD(learningRate: lr, momentum: double("momentum") ?? 0, nesterov: bool("nesterov"), weightDecay: wd,
                       clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: global)
        case "RMSprop":
            return RMSprop(learningRate: lr, rho: double("rho")!, momentum: double("momentum") ?? 0,
                           epsilon: double("epsilon")!, centered: bool("centered"), weightDecay: wd,
                           clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: global)
        case "Adam":
            return Adam(learningRate: lr, beta1: double("beta_1")!, beta2: double("beta_2")!, epsilon: double("epsilon")!,
                        amsgrad: bool("amsgrad"), weightDecay: wd,
                        clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: global)
        case "AdamW":
            return AdamW(learningRate: lr, weightDecay: wd!, beta1: double("beta_1")!, beta2: double("beta_2")!,
                         epsilon: double("epsilon")!, amsgrad: bool("amsgrad"),
                         clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: global)
        default:
            throw TrainingError("unknown optimizer class \(cls)")
        }
    }

    static func loss(_ name: String) -> Loss {
        switch name {
        case "binary_crossentropy": return .binaryCrossentropy
        case "categorical_crossentropy": return .categoricalCrossentropy
        case "mean_squared_error": return .meanSquaredError
        default: fatalError("unknown loss \(name)")
        }
    }

    static func metric(_ name: String) -> Metric {
        switch name {
        case "accuracy": return .accuracy
        case "mae": return .mae
        default: fatalError("unknown metric \(name)")
        }
    }

    static func build(_ spec: [String: Any]) -> Model {
        let layers = spec["layers"] as! [[String: Any]]
        let x = Input(shape: [4])
        var h = x
        for l in layers {
            h = Dense(l["units"] as! Int, activation: ActivationFunction(rawValue: l["activation"] as! String)!,
                      name: l["name"] as? String)(h)
        }
        return Model(inputs: x, outputs: h)
    }

    /// Layer-by-layer `[kernel, bias]` in the fixture's order.
    static func weights(_ json: Any?) -> [(name: String, kernel: Tensor<Float>, bias: Tensor<Float>)] {
        (json as! [[String: Any]]).map { ($0["name"] as! String, tensor($0["kernel"]), tensor($0["bias"])) }
    }

    func compareWeights(_ model: Model, _ expected: Any?, _ what: String) throws -> Double {
        var worst = 0.0
        for w in Self.weights(expected) {
            let layer = try model.layer(named: w.name)
            let values = layer.getWeights()
            XCTAssertEqual(values.count, 2)
            XCTAssertEqual(values[0].shape, w.kernel.shape)
            let actual = scalars(values[0]) + scalars(values[1]), expected = scalars(w.kernel) + scalars(w.bias)
            let e = relativeError(actual, expected, floor: Self.floor)
            let worstIndex = zip(actual, expected).map { abs($0 - $1) / max(abs($1), Self.floor) }.enumerated().max { $0.1 < $1.1 }!.0
            XCTAssertLessThanOrEqual(e, Self.tolerance, "\(what) \(w.name) (kernel then bias) element \(worstIndex): \(actual[worstIndex]) vs Keras \(expected[worstIndex])")
            worst = max(worst, e)
        }
        return worst
    }

    func testEveryOptimizerCaseMatchesKerasFit() throws {
        let fixture = try loadFixture("TapestryTrainingTests/Fixtures/optimizers.json")
        let data = fixture["data"] as! [String: Any]
        let fit = fixture["fit"] as! [String: Any]
        let models = fixture["models"] as! [String: [String: Any]]
        let cases = fixture["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 30)
        XCTAssertEqual(fit["shuffle"] as? Bool, false)
        let x = tensor(data["x"])
        var report: [String] = []
        for c in cases {
            let name = c["name"] as! String
            let spec = models[c["model"] as! String]!
            let y = tensor(data[spec["target"] as! String])
            let model = Self.build(spec)
            for w in Self.weights(spec["initial_weights"]) {
                try model.layer(named: w.name).setWeights([w.kernel, w.bias])
            }
            let metricNames = spec["metrics"] as! [String]
            let opt = try optimizer(c["optimizer"] as! [String: Any])
            model.compile(optimizer: opt, loss: Self.loss(spec["loss"] as! String), metrics: metricNames.map(Self.metric))
            let probe = RecordingCallback(snapshotAt: (epoch: 0, batch: 0))
            let history = try model.fit(x: x, y: y, batchSize: fit["batch_size"] as! Int, epochs: fit["epochs"] as! Int,
                                        shuffle: false, callbacks: [probe], verbose: .silent)

            let expectedHistory = c["history"] as! [String: Any]
            XCTAssertEqual(Set(history.keys), Set(expectedHistory.keys), name)
            var historyError = 0.0
            for (key, values) in expectedHistory {
                let e = relativeError(history[key], doubles(values), floor: Self.floor)
                XCTAssertLessThanOrEqual(e, Self.tolerance, "\(name) history[\(key)]: \(history[key]) vs \(doubles(values))")
                historyError = max(historyError, e)
            }
            XCTAssertEqual(opt.iterations, c["iterations"] as? Int, name)

            let firstModel = Self.build(spec)
            try firstModel.setWeights(try XCTUnwrap(probe.snapshot, name))
            let firstError = try compareWeights(firstModel, c["weights_after_first_step"], "\(name) after first step")
            let finalError = try compareWeights(model, c["final_weights"], "\(name) final")
            report.append(String(format: "%@ history %.1e, first step %.1e, final %.1e", name, historyError, firstError, finalError))
        }
        print("Keras fit parity (max |a-e|/max(|e|,\(Self.floor))):\n" + report.joined(separator: "\n"))
    }
}
