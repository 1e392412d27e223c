import XCTest
import TapestryTensor
import TapestryAutograd
import TapestryOptimizers

/// AdamW against Keras 3: `AdamW` is `Adam` with `weight_decay` required (default 0.004), and
/// `BaseOptimizer._apply_weight_decay` runs `w = w - w * wd * lr` before Adam's update step.
final class AdamWTests: XCTestCase {
    let start: [Float] = [1, -2, 0.5]
    let grads: [[Float]] = [[0.5, -1, 2], [-0.75, 0.5, 1], [1.5, 0.125, -0.5]]

    func testKerasDefaults() {
        let adamw = AdamW()
        XCTAssertEqual(adamw.learningRate, 0.001)
        XCTAssertEqual(adamw.weightDecay, 0.004)
        XCTAssertEqual(adamw.beta1, 0.9)
        XCTAssertEqual(adamw.beta2, 0.999)
        XCTAssertEqual(adamw.epsilon, 1e-7)
        XCTAssertFalse(adamw.amsgrad)
    }

    func testDecoupledDecayThenAdam() {
        let adamw = AdamW(learningRate: 0.01, weightDecay: 0.5)
        let w = weight(start)
        var reference = AdamReference(adamw, start: start)
        for (step, g) in grads.enumerated() {
            adamw.apply(gradients: [gradient(g)], to: [w])
            reference.step(g)   // decays first, with the same lr, then Adam on the raw gradient
            assertClose(w.value, reference.w, "step \(step + 1)")
        }
        // The decay must not leak into the moments: m is the EMA of the gradients alone.
        let m1 = 0.1 * 0.5, m2 = m1 + (-0.75 - m1) * 0.1, m3 = m2 + (1.5 - m2) * 0.1
        XCTAssertEqual(Double(adamw.slots(for: w)!["momentum"]!.scalars[0]), m3, accuracy: 1e-7)
    }

    func testZeroGradientOnlyDecays() {
        let lr = 0.01, wd = 0.004
        let adamw = AdamW(learningRate: lr)
        let w = weight([2, -3])
        adamw.apply(gradients: [gradient([0, 0])], to: [w])
        assertClose(w.value, [2 - 2 * wd * lr, -3 + 3 * wd * lr])
    }

    func testAMSGradVariant() {
        let adamw = AdamW(learningRate: 0.01, weightDecay: 0.1, beta2: 0.5, amsgrad: true)
        let w = weight(start)
        var reference = AdamReference(adamw, start: start)
        for g in grads {
            adamw.apply(gradients: [gradient(g)], to: [w])
            reference.step(g)
        }
        assertClose(w.value, reference.w)
    }

    func testExcludeFromWeightDecayByNameAndByVariable() {
        let lr = 0.01, wd = 0.5
        let adamw = AdamW(learningRate: lr, weightDecay: wd)
        let kernel = weight([1], name: "dense/kernel")
        let bias = weight([1], name: "dense/bias")
        let gamma = weight([1], name: "bn/gamma")
        adamw.excludeFromWeightDecay(variables: [gamma], names: ["bias"])
        let zero = gradient([0])
        adamw.apply(gradients: [zero, zero, zero], to: [kernel, bias, gamma])
        assertClose(kernel.value, [1 - wd * lr])
        XCTAssertEqual(bias.value.scalars, [1])
        XCTAssertEqual(gamma.value.scalars, [1])
    }

    func testFrozenVariableIsNotDecayed() {
        let adamw = AdamW(learningRate: 0.1, weightDecay: 0.5)
        let trained = weight([1]), frozen = weight([1])
        frozen.requiresGrad = false
        for _ in 0..<3 { adamw.apply(gradients: [gradient([0.5])], to: [trained]) }
        XCTAssertEqual(frozen.value.scalars[0].bitPattern, Float(1).bitPattern)
        XCTAssertNil(adamw.slots(for: frozen))
    }
}
