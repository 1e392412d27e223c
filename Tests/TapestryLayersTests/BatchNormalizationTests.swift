import XCTest
@testable import TapestryLayers

final class BatchNormalizationTests: XCTestCase {
    private func makeLayer(_ testCase: [String: Any]) throws -> (BatchNormalization, Tensor<Float>) {
        let args = testCase["args"] as! [String: Any]
        let bn = BatchNormalization(momentum: Float(fixtureDouble(args["momentum"])), epsilon: Float(fixtureDouble(args["epsilon"])))
        let input = fixtureTensor(testCase["input"])
        try bn.buildIfNeeded([Array(input.shape.dropFirst())])
        let before = testCase["weights_before"] as! [String: Any]
        try bn.setWeights(["gamma", "beta", "moving_mean", "moving_variance"].map { fixtureTensor(before[$0]) })
        return (bn, input)
    }

    func testWeightsAreGammaBetaMovingMeanMovingVarianceInKerasOrder() throws {
        let bn = BatchNormalization()
        _ = try bn(Variable(Tensor<Float>.ones([1, 2, 2, 3])))
        XCTAssertEqual(bn.weights.map(\.name), ["gamma", "beta", "moving_mean", "moving_variance"].map { "\(bn.name)/\($0)" })
        XCTAssertEqual(bn.trainableWeights.count, 2)
        XCTAssertEqual(bn.nonTrainableWeights.count, 2)
        XCTAssertEqual(bn.countParams(), 12)
        XCTAssertEqual(bn.movingVariance.value.scalars, [1, 1, 1])
    }

    func testInferenceUsesMovingStatisticsLikeKeras() throws {
        let testCase = KerasFixture.named("batchnorm_inference", in: "batchnorm")
        XCTAssertEqual(testCase["training"] as? Bool, false)
        let (bn, input) = try makeLayer(testCase)
        let y = try bn(Variable(input), training: false)
        assertClose(y.value, fixtureTensor(testCase["output"]), "inference output")
        XCTAssertEqual(bn.movingMean.value.scalars, fixtureTensor(testCase["moving_mean_after"]).scalars)
        XCTAssertEqual(bn.movingVariance.value.scalars, fixtureTensor(testCase["moving_variance_after"]).scalars)
    }

    func testTrainingUsesBatchStatisticsAndUpdatesMovingOnesLikeKeras() throws {
        let testCase = KerasFixture.named("batchnorm_training", in: "batchnorm")
        XCTAssertEqual(testCase["training"] as? Bool, true)
        let (bn, input) = try makeLayer(testCase)
        let y = try bn(Variable(input), training: true)
        assertClose(y.value, fixtureTensor(testCase["output"]), "training output")
        assertClose(bn.movingMean.value, fixtureTensor(testCase["moving_mean_after"]), "moving mean")
        assertClose(bn.movingVariance.value, fixtureTensor(testCase["moving_variance_after"]), "moving variance")
    }

    /// Keras moves the variance towards the *biased* batch variance (divide by n, not n − 1).
    func testMovingVarianceUsesTheBiasedBatchVariance() throws {
        let testCase = KerasFixture.named("batchnorm_training", in: "batchnorm")
        let (bn, input) = try makeLayer(testCase)
        let before = bn.movingVariance.value.scalars.map(Double.init)
        _ = try bn(Variable(input), training: true)
        let biased = fixtureTensor(testCase["batch_variance_biased"]).scalars.map(Double.init)
        let n = Double(input.count / input.shape.last!)
        for c in biased.indices {
            let expected = before[c] * 0.99 + biased[c] * 0.01
            let unbiased = before[c] * 0.99 + biased[c] * n / (n - 1) * 0.01
            let got = Double(bn.movingVariance.value.scalars[c])
            XCTAssertEqual(got, expected, accuracy: 1e-5 * abs(expected), "channel \(c)")
            XCTAssertGreaterThan(abs(got - unbiased), 1e-4, "channel \(c) looks like the unbiased variance")
        }
        let mean = fixtureTensor(testCase["batch_mean"]).scalars
        let mmBefore = fixtureTensor((testCase["weights_before"] as! [String: Any])["moving_mean"]).scalars
        for c in mean.indices {
            XCTAssertEqual(bn.movingMean.value.scalars[c], mmBefore[c] * 0.99 + mean[c] * 0.01, accuracy: 1e-6)
        }
    }

    func testFrozenLayerRunsInInferenceModeEvenWhenTrainingAndKeepsItsStatistics() throws {
        let inference = KerasFixture.named("batchnorm_inference", in: "batchnorm")
        let (bn, input) = try makeLayer(KerasFixture.named("batchnorm_training", in: "batchnorm"))
        bn.trainable = false
        let meanBefore = bn.movingMean.value.scalars, varianceBefore = bn.movingVariance.value.scalars
        let y = try bn(Variable(input), training: true)
        assertClose(y.value, fixtureTensor(inference["output"]), "frozen BN with training: true")
        XCTAssertEqual(bn.movingMean.value.scalars.map(\.bitPattern), meanBefore.map(\.bitPattern))
        XCTAssertEqual(bn.movingVariance.value.scalars.map(\.bitPattern), varianceBefore.map(\.bitPattern))
        XCTAssertEqual(bn.trainableWeights.count, 0)
        XCTAssertEqual(bn.nonTrainableWeights.count, 4)
    }

    func testBatchNormFrozenThroughItsModelAlsoRunsInInferenceMode() throws {
        let inference = KerasFixture.named("batchnorm_inference", in: "batchnorm")
        let (bn, input) = try makeLayer(inference)
        let inputs = Input(shape: Array(input.shape.dropFirst()))
        let model = Model(inputs: inputs, outputs: bn(inputs))
        model.trainable = false
        let varianceBefore = bn.movingVariance.value.scalars
        let y = try model(Variable(input), training: true)
        assertClose(y.value, fixtureTensor(inference["output"]), "BN inside a frozen model")
        XCTAssertEqual(bn.movingVariance.value.scalars.map(\.bitPattern), varianceBefore.map(\.bitPattern))
    }

    func testTrainingOutputIsNormalisedPerChannel() throws {
        let bn = BatchNormalization()
        setRandomSeed(3)
        let x = Tensor<Float>.randomNormal([8, 3, 3, 4], mean: 5, standardDeviation: 3)
        let y = try bn(Variable(x), training: true).value
        let mean = y.mean(axes: [0, 1, 2]).scalars
        let variance = (y * y).mean(axes: [0, 1, 2]).scalars
        for c in 0..<4 {
            XCTAssertEqual(mean[c], 0, accuracy: 1e-5)
            XCTAssertEqual(variance[c], 1, accuracy: 2e-3, "variance is 1 less the epsilon share")
        }
    }
}
