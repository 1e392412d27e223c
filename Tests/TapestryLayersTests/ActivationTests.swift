import XCTest
@testable import TapestryLayers

final class ActivationTests: XCTestCase {
    private func fixture(_ name: String) -> (input: Tensor<Float>, output: Tensor<Float>) {
        let c = KerasFixture.named(name, in: "activations")
        return (fixtureTensor(c["input"]), fixtureTensor(c["output"]))
    }

    func testNamedActivationsMatchKerasThroughTheFunctionAndTheLayer() throws {
        for name in ["relu", "sigmoid", "tanh", "elu", "gelu"] {
            let (x, expected) = fixture(name)
            let function = try XCTUnwrap(ActivationFunction(rawValue: name), name)
            assertClose(function.apply(Variable(x)).value, expected, name)
            assertClose(try Activation(function)(Variable(x)).value, expected, "Activation(.\(name))")
        }
    }

    func testGeluDefaultIsExactAndApproximateIsTheTanhForm() {
        let notes = KerasFixture.object("activation_notes")
        XCTAssertEqual(notes["gelu_default_approximate"] as? Bool, false)
        let exact = fixture("gelu"), approximate = fixture("gelu_approximate_true")
        assertClose(Variable(exact.input).gelu().value, exact.output, "gelu default")
        assertClose(Variable(approximate.input).gelu(approximate: true).value, approximate.output, "gelu approximate")
        // The two forms differ enough here that matching one is not matching the other.
        let difference = zip(exact.output.scalars, approximate.output.scalars).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(difference, 1e-4)
    }

    func testEluDefaultAlphaIsOne() {
        XCTAssertEqual(fixtureDouble(KerasFixture.object("activation_notes")["elu_default_alpha"]), 1.0)
        let (x, expected) = fixture("elu")
        assertClose(Variable(x).elu().value, expected, "elu()")
        XCTAssertEqual(Variable(Tensor<Float>(shape: [1], scalars: [-30])).elu().value.scalars[0], -1, accuracy: 1e-6)
    }

    /// Keras's `LeakyReLU` layer defaults to slope 0.3, its `leaky_relu` activation to 0.2.
    func testLeakyReluLayerDefaultSlopeAsRecorded() {
        let slope = fixtureDouble(KerasFixture.object("activation_notes")["leaky_relu_layer_default_negative_slope"])
        XCTAssertEqual(slope, 0.3, accuracy: 1e-7)
        let (x, expected) = fixture("leaky_relu_layer_default")
        assertClose(Variable(x).leakyRelu().value, expected, "leakyRelu() default")
        assertClose(Variable(x).leakyRelu(alpha: Float(slope)).value, expected, "leakyRelu(alpha: recorded slope)")
        let layer = LeakyReLU()
        XCTAssertEqual(Double(layer.negativeSlope), slope, accuracy: 1e-7)
        assertClose(try! layer(Variable(x)).value, expected, "LeakyReLU() layer")
        let negative = Variable(Tensor<Float>(shape: [1], scalars: [-10]))
        XCTAssertEqual(ActivationFunction.leakyRelu.apply(negative).value.scalars, [-2], "activation 'leaky_relu' slope 0.2")
    }

    func testSoftmaxOnTheLastAxisIsStableForHugeLogits() {
        let (x, expected) = fixture("softmax_last_axis")
        let y = ActivationFunction.softmax.apply(Variable(x)).value
        assertClose(y, expected, "softmax")
        XCTAssertFalse(y.scalars.contains { $0.isNaN })
        for row in y.sum(axes: [1]).scalars { XCTAssertEqual(row, 1, accuracy: 1e-6) }
    }

    func testLinearIsTheIdentityAndSeluUsesKerasConstants() {
        let x = Tensor<Float>(shape: [3], scalars: [-1, 0, 2])
        XCTAssertEqual(ActivationFunction.linear.apply(Variable(x)).value.scalars, x.scalars)
        let selu = ActivationFunction.selu.apply(Variable(x)).value.scalars
        XCTAssertEqual(selu[0], Float(1.0507009873554805 * 1.6732632423543772 * (exp(-1.0) - 1)), accuracy: 1e-6)
        XCTAssertEqual(selu[2], Float(2 * 1.0507009873554805), accuracy: 1e-6)
    }

    func testDenseAndConvApplyTheirActivation() throws {
        let dense = Dense(2, activation: .sigmoid)
        _ = try dense(Variable(Tensor<Float>.zeros([1, 2])))
        try dense.setWeights([Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]), Tensor(shape: [2], scalars: [0, 0])])
        let y = try dense(Variable(Tensor<Float>(shape: [1, 2], scalars: [0, 100]))).value.scalars
        XCTAssertEqual(y[0], 0.5, accuracy: 1e-7)
        XCTAssertEqual(y[1], 1, accuracy: 1e-7)
    }
}
