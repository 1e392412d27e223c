import XCTest
import TapestryTraining

/// Losses against Keras 3 (Tests/TapestryLayersTests/Fixtures/layers.json, `losses`).
final class LossTests: XCTestCase {
    static func cases() throws -> [[String: Any]] {
        try loadFixture("TapestryLayersTests/Fixtures/layers.json")["losses"] as! [[String: Any]]
    }

    static func loss(_ c: [String: Any]) -> Loss {
        let fromLogits = ((c["args"] as? [String: Any])?["from_logits"] as? Bool) ?? false
        switch c["class"] as! String {
        case "BinaryCrossentropy": return .binaryCrossentropy(fromLogits: fromLogits)
        case "CategoricalCrossentropy": return .categoricalCrossentropy(fromLogits: fromLogits)
        case "SparseCategoricalCrossentropy": return .sparseCategoricalCrossentropy(fromLogits: fromLogits)
        case "MeanSquaredError": return .meanSquaredError
        default: fatalError("unknown loss class \(c["class"]!)")
        }
    }

    func testEveryFixtureLossMatchesKeras() throws {
        let cases = try Self.cases()
        XCTAssertEqual(cases.count, 8)
        for c in cases where c["reduced_sum_over_batch_size"] is NSNumber {
            let name = c["name"] as! String
            let loss = Self.loss(c)
            let p = tensor(c["y_pred"])
            let y = try loss.conformTargets(tensor(c["y_true"]), toPredictions: p.shape)
            let perSample = loss.perSample(predictions: Variable(p), targets: y).value
            XCTAssertEqual(perSample.shape, [p.shape[0]], name)
            assertClose(scalars(perSample), doubles((c["per_sample"] as! [String: Any])["data"]), tolerance: 1e-6, floor: 1e-6, name)
            let reduced = Double(loss(predictions: Variable(p), targets: y).value.scalar)
            XCTAssertEqual(reduced, (c["reduced_sum_over_batch_size"] as! NSNumber).doubleValue,
                           accuracy: 1e-6 * reduced, name)
        }
    }

    func testExactZeroAndOneProbabilitiesAreClippedToEpsilon() throws {
        // y = 0, p = 0 costs -log(1 - (1 - 1e-7)) in float32 = 1.19e-7, not 0; y = 1, p = 0 costs
        // -log(1e-7) = 16.118, not infinity.
        let p = Variable(Tensor<Float>(shape: [3, 1], scalars: [0, 0, 1]))
        let y = Tensor<Float>(shape: [3, 1], scalars: [0, 1, 0])
        let values = Loss.binaryCrossentropy.perSample(predictions: p, targets: y).value.scalars
        XCTAssertEqual(values[0], 1.1920929e-7, accuracy: 1e-12)
        XCTAssertEqual(values[1], 16.118095, accuracy: 1e-5)
        XCTAssertEqual(values[2], 15.942385, accuracy: 1e-5)
        XCTAssertTrue(values.allSatisfy(\.isFinite))
    }

    func testSigmoidOutputIsScoredFromItsLogitsAsKeras3Does() throws {
        let c = try XCTUnwrap(Self.cases().first { $0["name"] as? String == "bce_of_sigmoid_output_uses_attached_logits" })
        let logits = Variable(tensor(c["y_pred_logits"]))
        let probabilities = logits.sigmoid()
        assertClose(scalars(probabilities.value), scalars(tensor(c["y_pred"])), tolerance: 1e-6, floor: 1e-6, "sigmoid")
        let y = tensor(c["y_true"])
        let fromAttached = Loss.binaryCrossentropy.perSample(predictions: probabilities, targets: y).value
        assertClose(scalars(fromAttached), doubles((c["per_sample"] as! [String: Any])["data"]), tolerance: 1e-6, floor: 1e-6,
                    "attached logits")
        // The same probabilities without attached logits are clipped: a logit of -25 with label 1
        // costs -log(1e-7) = 16.1 instead of 25.
        let plain = Loss.binaryCrossentropy.perSample(predictions: Variable(probabilities.value), targets: y).value
        let expectedPlain = doubles((c["per_sample_if_probabilities_only"] as! [String: Any])["data"])
        assertClose(scalars(plain), expectedPlain, tolerance: 1e-6, floor: 1e-6, "probabilities only")
        XCTAssertGreaterThan(Swift.abs(Double(fromAttached.scalars[2]) - expectedPlain[2]), 1)
    }

    func testSoftmaxOutputIsScoredFromItsLogits() {
        let logits = Variable(Tensor<Float>(shape: [2, 3], scalars: [0.5, 2, -1, -50, 3, 1]))
        let y = Tensor<Float>(shape: [2, 3], scalars: [0, 1, 0, 1, 0, 0])
        let viaSoftmax = Loss.categoricalCrossentropy.perSample(predictions: logits.softmax(axis: -1), targets: y).value.scalars
        let direct = Loss.categoricalCrossentropy(fromLogits: true).perSample(predictions: logits, targets: y).value.scalars
        XCTAssertEqual(viaSoftmax, direct)
        XCTAssertEqual(Double(viaSoftmax[1]), 53.126926, accuracy: 1e-4, "no 1e-7 clip (which would give 16.1)")
    }

    func testGradientOfCrossEntropyFromLogitsIsSoftmaxMinusLabels() {
        let logits = Variable(Tensor<Float>(shape: [2, 3], scalars: [0.5, 2, -1, -1, 3, 1]), requiresGrad: true)
        let y = Tensor<Float>(shape: [2, 3], scalars: [0, 1, 0, 1, 0, 0])
        let tape = GradientTape()
        let loss = tape.record { Loss.categoricalCrossentropy(predictions: logits.softmax(axis: -1), targets: y) }
        let g = tape.gradient(of: loss, withRespectTo: [logits])[0].scalars
        let p = logits.value.softmax(axis: -1).scalars
        for i in 0..<6 { XCTAssertEqual(g[i], (p[i] - y.scalars[i]) / 2, accuracy: 1e-7, "element \(i)") }
    }

    func testKerasNames() {
        XCTAssertEqual(Loss.binaryCrossentropy.name, "binary_crossentropy")
        XCTAssertEqual(Loss.categoricalCrossentropy.name, "categorical_crossentropy")
        XCTAssertEqual(Loss.sparseCategoricalCrossentropy.name, "sparse_categorical_crossentropy")
        XCTAssertEqual(Loss.meanSquaredError.name, "mean_squared_error")
    }
}
