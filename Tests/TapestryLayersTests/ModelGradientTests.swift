import XCTest
@testable import TapestryLayers

/// End-to-end gradients of small functional models with a branch and a merge, checked against
/// central finite differences in Float (step 1e-2, tolerances 1e-2, as `gradientCheck` advises).
final class ModelGradientTests: XCTestCase {
    /// x → Dense(tanh) ┬→ Add → Concatenate(with the tanh branch) → Dense
    ///                 └ Dense(sigmoid) ┘
    private func denseBranchModel() -> Model {
        let inputs = Input(shape: [3])
        let a = Dense(4, activation: .tanh, name: "branch_a")(inputs)
        let b = Dense(4, activation: .sigmoid, name: "branch_b")(inputs)
        let merged = Add(name: "merge")([a, b])
        let joined = Concatenate(name: "join")([merged, a])
        return Model(inputs: inputs, outputs: Dense(2, name: "out")(joined))
    }

    /// A conv branch and a 1×1 conv shortcut added, pooled two ways and joined.
    private func convBranchModel() -> Model {
        let inputs = Input(shape: [4, 4, 2])
        let conv = Conv2D(3, kernelSize: 3, activation: .tanh, padding: .same, name: "conv")(inputs)
        let shortcut = Conv2D(3, kernelSize: 1, name: "shortcut")(inputs)
        let sum = Add()([conv, shortcut])
        let pooled = Flatten()(AveragePooling2D(poolSize: 2)(sum))
        let global = GlobalAveragePooling2D()(sum)
        return Model(inputs: inputs, outputs: Dense(2, activation: .elu)(Concatenate()([pooled, global])))
    }

    func testInputGradientOfABranchedDenseModel() throws {
        setRandomSeed(31)
        let model = denseBranchModel()
        try model.validate()
        let x = Tensor<Float>.randomNormal([2, 3])
        let result = gradientCheck(of: { v in model.call(v, training: false)[0] }, at: [x],
                                   epsilon: 1e-2, relativeTolerance: 1e-2, absoluteTolerance: 1e-2)
        XCTAssertTrue(result.passed, result.description)
        XCTAssertEqual(result.checkedElements, 6)
    }

    func testInputGradientOfABranchedConvModel() throws {
        setRandomSeed(32)
        let model = convBranchModel()
        try model.validate()
        let x = Tensor<Float>.randomNormal([2, 4, 4, 2])
        let result = gradientCheck(of: { v in model.call(v, training: false)[0] }, at: [x],
                                   epsilon: 1e-2, relativeTolerance: 1e-2, absoluteTolerance: 1e-2)
        XCTAssertTrue(result.passed, result.description)
        XCTAssertEqual(result.checkedElements, 64)
    }

    /// The tape's gradients for every weight (through both branches and the merges) against finite differences.
    func testWeightGradientsOfBranchedModels() throws {
        for (label, model, inputShape) in [("dense", denseBranchModel(), [2, 3]), ("conv", convBranchModel(), [2, 4, 4, 2])] {
            setRandomSeed(33)
            let x = Variable(Tensor<Float>.randomNormal(inputShape))
            let probe = Tensor<Float>.randomNormal([2, 2])
            func loss() -> Variable<Float> { (model.call([x], training: false)[0] * Variable(probe)).sum() }
            let weights = model.trainableWeights
            XCTAssertEqual(weights.count, 6, "\(label): two kernels and biases per branch plus the head")
            let tape = GradientTape()
            let value = tape.record { loss() }
            let analytic = tape.gradient(of: value, withRespectTo: weights).map(\.scalars)
            var worst = 0.0
            for (w, grad) in zip(weights, analytic) {
                let original = w.value
                for i in 0..<original.count {
                    var plus = original.scalars, minus = original.scalars
                    plus[i] += 1e-2; minus[i] -= 1e-2
                    w.value = Tensor(shape: original.shape, scalars: plus)
                    let up = Double(withoutGradients { loss() }.value.scalar)
                    w.value = Tensor(shape: original.shape, scalars: minus)
                    let down = Double(withoutGradients { loss() }.value.scalar)
                    w.value = original
                    let numeric = (up - down) / (Double(plus[i]) - Double(minus[i]))
                    let a = Double(grad[i])
                    worst = max(worst, abs(a - numeric) / (1e-2 + 1e-2 * max(abs(a), abs(numeric))))
                    XCTAssertEqual(a, numeric, accuracy: 1e-2 + 1e-2 * max(abs(a), abs(numeric)), "\(label): \(w.name ?? "?")[\(i)]")
                }
            }
            XCTAssertLessThanOrEqual(worst, 1, label)
        }
    }

    func testAFrozenBranchGetsNoGradientThroughTheTrainingPath() throws {
        let model = denseBranchModel()
        try model.layer(named: "branch_b").trainable = false
        let names = model.trainableWeights.compactMap(\.name)
        XCTAssertFalse(names.contains { $0.hasPrefix("branch_b/") })
        XCTAssertEqual(names.count, 4)
        XCTAssertEqual(model.nonTrainableWeights.compactMap(\.name), ["branch_b/kernel", "branch_b/bias"])
    }
}
