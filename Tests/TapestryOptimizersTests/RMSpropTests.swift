import XCTest
import TapestryTensor
import TapestryAutograd
import TapestryOptimizers

/// RMSprop against Keras 3's `RMSprop.update_step`, recomputed in Double here:
///   v = rho * v + (1 - rho) * g²
///   centered: a = rho * a + (1 - rho) * g; d = v - a² + eps, else d = v + eps
///   inc = lr * g / sqrt(d)                      (epsilon inside the square root)
///   momentum > 0: m = momentum * m + inc; w = w - m, else w = w - inc
final class RMSpropTests: XCTestCase {
    // The last element's gradient is tiny, so v is far below epsilon and the epsilon placement
    // decides the step: inside the root the step is ~lr * g / sqrt(eps), outside it would be ~lr.
    let start: [Float] = [1, -2, 0.5, 0.25]
    let grads: [[Float]] = [[0.5, -1, 2, 1e-5], [-0.75, 0.5, 1, 2e-5], [1.5, 0.125, -0.5, -1e-5]]

    func check(_ rmsprop: RMSprop, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let lr = rmsprop.learningRate, rho = rmsprop.rho, mu = rmsprop.momentum, eps = rmsprop.epsilon
        let w = weight(start)
        let n = start.count
        var ew = widened(start), v = [Double](repeating: 0, count: n), a = v, m = v
        for (step, g32) in grads.enumerated() {
            rmsprop.apply(gradients: [gradient(g32)], to: [w])
            for i in 0..<n {
                let g = Double(g32[i])
                v[i] = rho * v[i] + (1 - rho) * g * g
                var d = v[i] + eps
                if rmsprop.centered {
                    a[i] = rho * a[i] + (1 - rho) * g
                    d = v[i] - a[i] * a[i] + eps
                }
                let increment = lr * g / d.squareRoot()
                if mu > 0 {
                    m[i] = mu * m[i] + increment
                    ew[i] -= m[i]
                } else {
                    ew[i] -= increment
                }
            }
            assertClose(w.value, ew, "\(message) step \(step + 1)", file: file, line: line)
            let slots = rmsprop.slots(for: w)!
            assertClose(slots["velocity"]!, v, "\(message) velocity", file: file, line: line)
            if rmsprop.centered { assertClose(slots["average_gradient"]!, a, "\(message) average", file: file, line: line) }
            if mu > 0 { assertClose(slots["momentum"]!, m, "\(message) momentum", file: file, line: line) }
        }
    }

    func testKerasDefaults() {
        let r = RMSprop()
        XCTAssertEqual(r.learningRate, 0.001)
        XCTAssertEqual(r.rho, 0.9)
        XCTAssertEqual(r.momentum, 0)
        XCTAssertEqual(r.epsilon, 1e-7)
        XCTAssertFalse(r.centered)
        XCTAssertNil(r.weightDecay)
    }

    func testKerasDocstringExample() {
        // keras.optimizers.RMSprop docstring: lr 0.1, var 10, loss var²/2 (gradient = var) → 9.683772.
        let r = RMSprop(learningRate: 0.1)
        let w = weight([10])
        r.apply(gradients: [w.value], to: [w])
        XCTAssertEqual(w.value.scalars[0], 9.683772, accuracy: 1e-5)
    }

    func testPlain() { check(RMSprop(learningRate: 0.01), "plain") }
    func testCentered() { check(RMSprop(learningRate: 0.01, rho: 0.8, centered: true), "centered") }
    func testMomentum() { check(RMSprop(learningRate: 0.01, momentum: 0.9), "momentum") }
    func testCenteredWithMomentum() { check(RMSprop(learningRate: 0.005, rho: 0.7, momentum: 0.5, centered: true), "centered momentum") }

    func testSlotsFollowKeras() {
        let w = weight([1])
        for (optimizer, names) in [(RMSprop(), ["velocity"]), (RMSprop(momentum: 0.5), ["velocity", "momentum"]),
                                   (RMSprop(centered: true), ["velocity", "average_gradient"])] {
            optimizer.apply(gradients: [gradient([1])], to: [w])
            XCTAssertEqual(optimizer.slots(for: w).map { Set($0.keys) }, Set(names))
        }
    }

    func testWeightDecay() {
        let lr = 0.01, wd = 0.5, rho = 0.9, eps = 1e-7
        let r = RMSprop(learningRate: lr, weightDecay: wd)
        let w = weight([2])
        var ew = 2.0, v = 0.0
        for g in [1.0, -0.5] {
            r.apply(gradients: [gradient([Float(g)])], to: [w])
            ew -= ew * wd * lr
            v = rho * v + (1 - rho) * g * g
            ew -= lr * g / (v + eps).squareRoot()
        }
        assertClose(w.value, [ew])
    }

    func testNegativeDenominatorGivesNaNLikeKeras() {
        // sqrt of a negative denominator is NaN in Keras; the vectorised square root must agree.
        let r = RMSprop(learningRate: 0.1, epsilon: -1)
        let w = weight([1, 2])
        r.apply(gradients: [gradient([0.5, 0])], to: [w])
        XCTAssertTrue(w.value.scalars.allSatisfy(\.isNaN))
    }

    func testLargeVariableTakesTheParallelPath() {
        let n = 100_000
        let startValues = (0..<n).map { Float(($0 % 89) - 44) / 40 }
        let gradientValues = (0..<n).map { Float(($0 % 23) - 11) / 8 }
        let w = Variable(Tensor(shape: [n], scalars: startValues), requiresGrad: true)
        let r = RMSprop(learningRate: 0.01, momentum: 0.5, centered: true, weightDecay: 0.1)
        var ew = widened(startValues), v = [Double](repeating: 0, count: n), a = v, m = v
        let (lr, rho, eps, wd) = (0.01, 0.9, 1e-7, 0.1)
        for _ in 0..<2 {
            r.apply(gradients: [Tensor(shape: [n], scalars: gradientValues)], to: [w])
            for i in 0..<n {
                let g = Double(gradientValues[i])
                ew[i] -= ew[i] * wd * lr
                v[i] = rho * v[i] + (1 - rho) * g * g
                a[i] = rho * a[i] + (1 - rho) * g
                m[i] = 0.5 * m[i] + lr * g / (v[i] - a[i] * a[i] + eps).squareRoot()
                ew[i] -= m[i]
            }
        }
        assertClose(w.value, ew, "large")
    }
}
