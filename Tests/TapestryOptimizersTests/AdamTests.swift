import XCTest
import Foundation
import TapestryTensor
import TapestryAutograd
import TapestryOptimizers

/// Adam against Keras 3's `Adam.update_step`, recomputed in Double here, with t = iterations + 1:
///   alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
///   m = m + (g - m) * (1 - beta1);  v = v + (g² - v) * (1 - beta2)
///   amsgrad: vhat = max(vhat, v) replaces v
///   w = w - alpha * m / (sqrt(v) + eps)         (epsilon outside the square root)
struct AdamReference {
    var lr: Double, beta1: Double, beta2: Double, eps: Double, amsgrad: Bool, weightDecay: Double?
    var w: [Double], m: [Double], v: [Double], vhat: [Double]
    var t = 0

    init(_ adam: Adam, start: [Float]) {
        lr = adam.learningRate; beta1 = adam.beta1; beta2 = adam.beta2; eps = adam.epsilon
        amsgrad = adam.amsgrad; weightDecay = adam.weightDecay
        w = widened(start)
        m = Array(repeating: 0, count: start.count); v = m; vhat = m
    }

    mutating func step(_ g32: [Float]) {
        t += 1
        // Keras computes alpha in float32 from the betas cast to float32 (Float(0.999) = 0.99900001).
        let ft = Float(t)
        let alpha = Double(Float(lr) * (1 - pow(Float(beta2), ft)).squareRoot() / (1 - pow(Float(beta1), ft)))
        for i in w.indices {
            let g = Double(g32[i])
            // BaseOptimizer._apply_weight_decay runs before update_step.
            if let wd = weightDecay { w[i] -= w[i] * wd * lr }
            m[i] += (g - m[i]) * (1 - beta1)
            v[i] += (g * g - v[i]) * (1 - beta2)
            var denominatorSquare = v[i]
            if amsgrad {
                vhat[i] = max(vhat[i], v[i])
                denominatorSquare = vhat[i]
            }
            w[i] -= alpha * m[i] / (denominatorSquare.squareRoot() + eps)
        }
    }
}

final class AdamTests: XCTestCase {
    // The gradients shrink, so v decays and AMSGrad's running maximum differs from v; the last
    // element's tiny gradient makes sqrt(v) comparable to epsilon, so epsilon's placement shows.
    let start: [Float] = [1, -2, 0.5, 0.25]
    let grads: [[Float]] = [[2, -1, 0.5, 1e-7], [0.2, 0.5, -0.25, 2e-7], [0.02, -0.1, 0.125, -1e-7]]

    func check(_ adam: Adam, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let w = weight(start)
        var reference = AdamReference(adam, start: start)
        for (step, g) in grads.enumerated() {
            adam.apply(gradients: [gradient(g)], to: [w])
            reference.step(g)
            assertClose(w.value, reference.w, "\(message) step \(step + 1)", file: file, line: line)
            let slots = adam.slots(for: w)!
            assertClose(slots["momentum"]!, reference.m, "\(message) m", file: file, line: line)
            assertClose(slots["velocity"]!, reference.v, "\(message) v", file: file, line: line)
            if adam.amsgrad { assertClose(slots["velocity_hat"]!, reference.vhat, "\(message) vhat", file: file, line: line) }
        }
    }

    func testKerasDefaults() {
        let adam = Adam()
        XCTAssertEqual(adam.learningRate, 0.001)
        XCTAssertEqual(adam.beta1, 0.9)
        XCTAssertEqual(adam.beta2, 0.999)
        XCTAssertEqual(adam.epsilon, 1e-7)
        XCTAssertFalse(adam.amsgrad)
        XCTAssertNil(adam.weightDecay)
    }

    func testBiasCorrectedSteps() { check(Adam(learningRate: 0.01), "adam") }

    func testFirstStepMovesEachWeightByAboutTheLearningRate() {
        // With bias correction, step 1 is lr * g / (|g| + eps / sqrt(1 - beta2)): about lr against the gradient.
        let adam = Adam(learningRate: 0.01)
        let w = weight([0, 0])
        adam.apply(gradients: [gradient([3, -0.5])], to: [w])
        // Keras's bias correction uses 1 - Float(0.999) = 0.00099998713, so the step is 0.0099998694.
        assertClose(w.value, [-0.01, 0.01], tolerance: 2e-7)
        XCTAssertNotEqual(w.value.scalars[0], -0.01, "alpha must use the float32 betas, as Keras")
    }

    func testAMSGrad() {
        let adam = Adam(learningRate: 0.01, beta2: 0.5, amsgrad: true)
        check(adam, "amsgrad")
        // The check above only means something if vhat really departed from v.
        var reference = AdamReference(adam, start: start)
        grads.forEach { reference.step($0) }
        XCTAssertGreaterThan(reference.vhat[0], reference.v[0] * 2)
    }

    func testWeightDecay() { check(Adam(learningRate: 0.01, weightDecay: 0.3), "weight decay") }

    func testOtherHyperparameters() { check(Adam(learningRate: 0.02, beta1: 0.5, beta2: 0.75, epsilon: 1e-3), "custom betas") }

    func testLargeVariableInParallelWithAStridedGradient() {
        // 300×400 elements crosses the parallel threshold; the gradient is a transposed view,
        // which the optimizer must read in row-major order.
        let rows = 300, cols = 400
        let startValues = (0..<(rows * cols)).map { Float(($0 % 97) - 48) / 50 }
        let w = Variable(Tensor(shape: [rows, cols], scalars: startValues), requiresGrad: true)
        let gradientValues = (0..<(rows * cols)).map { Float(($0 % 31) - 15) / 10 }
        let stored = Tensor(shape: [cols, rows], scalars: gradientValues)
        let g = stored.transposed()
        let adam = Adam(learningRate: 0.01, amsgrad: true)
        var reference = AdamReference(adam, start: startValues)
        let rowMajor = g.scalars
        for _ in 0..<2 {
            adam.apply(gradients: [g], to: [w])
            reference.step(rowMajor)
        }
        assertClose(w.value, reference.w, "large strided")
        XCTAssertEqual(w.shape, [rows, cols])
    }

    func testIterationsDriveBiasCorrectionNotPerVariableCounts() {
        // Keras uses the optimizer's global iteration count: a variable first updated on step 3
        // gets t = 3 in its bias correction, not t = 1.
        let adam = Adam(learningRate: 0.01)
        let a = weight([0]), late = weight([0])
        adam.apply(gradients: [gradient([1])], to: [a])
        adam.apply(gradients: [gradient([1])], to: [a])
        adam.apply(gradients: [gradient([1]), gradient([1])], to: [a, late])
        let t = 3.0, lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7
        let alpha = Double(Float(lr) * (1 - pow(Float(b2), Float(t))).squareRoot() / (1 - pow(Float(b1), Float(t))))
        let m = 1 - b1, v = 1 - b2
        assertClose(late.value, [-alpha * m / (v.squareRoot() + eps)])
    }

    func testLearningRateChangeTakesEffect() {
        let adam = Adam(learningRate: 0.01)
        let w = weight([0])
        adam.apply(gradients: [gradient([1])], to: [w])
        adam.learningRate = 0.1
        adam.apply(gradients: [gradient([1])], to: [w])
        // Constant gradients keep m/sqrt(v) at 1 after bias correction, so each step is -lr (to the
        // 1.3e-5 relative by which Keras's float32 beta2 bias correction differs from the exact one).
        assertClose(w.value, [-0.01 - 0.1], tolerance: 2e-6)
    }
}
