import XCTest
import TapestryTensor
import TapestryAutograd
@testable import TapestryOptimizers

/// SGD against Keras 3's `SGD.update_step`, recomputed in Double here:
///   momentum == 0: w = w - lr * g
///   momentum != 0: m = momentum * m - lr * g; w = w + m
///   nesterov:      m = momentum * m - lr * g; w = w + momentum * m - lr * g
/// and `BaseOptimizer._apply_weight_decay` before the step: w = w - w * wd * lr.
final class SGDTests: XCTestCase {
    let start: [Float] = [1, -2, 0.5, 3]
    let grads: [[Float]] = [[0.5, -1, 2, 0.25], [-0.75, 0.5, 1, -2], [1.5, 0.125, -0.5, 1]]

    /// Runs `optimizer` over `grads` and compares with `reference`, which maps (w, m, g) to (w, m).
    func check(_ optimizer: SGD, _ message: String,
               reference: (_ w: Double, _ m: Double, _ g: Double) -> (Double, Double),
               file: StaticString = #filePath, line: UInt = #line) {
        let w = weight(start)
        var expectedW = widened(start), expectedM = [Double](repeating: 0, count: start.count)
        for (step, g) in grads.enumerated() {
            optimizer.apply(gradients: [gradient(g)], to: [w])
            for i in expectedW.indices { (expectedW[i], expectedM[i]) = reference(expectedW[i], expectedM[i], Double(g[i])) }
            assertClose(w.value, expectedW, "\(message) step \(step + 1)", file: file, line: line)
            if optimizer.momentum != 0 {
                assertClose(optimizer.slots(for: w)!["momentum"]!, expectedM, "\(message) momentum \(step + 1)", file: file, line: line)
            }
        }
        XCTAssertEqual(optimizer.iterations, grads.count, file: file, line: line)
    }

    func testKerasDefaults() {
        let sgd = SGD()
        XCTAssertEqual(sgd.learningRate, 0.01)
        XCTAssertEqual(sgd.momentum, 0)
        XCTAssertFalse(sgd.nesterov)
        XCTAssertNil(sgd.weightDecay)
        XCTAssertNil(sgd.gradientClipping)
    }

    func testPlainStepsKeepNoState() {
        let lr = 0.1
        let sgd = SGD(learningRate: lr)
        check(sgd, "plain") { w, m, g in (w - lr * g, m) }
        XCTAssertEqual(sgd.trackedVariableCount, 0, "Keras keeps no velocity when momentum is 0")
    }

    func testMomentum() {
        let lr = 0.1, mu = 0.9
        check(SGD(learningRate: lr, momentum: mu), "momentum") { w, m, g in
            let m1 = mu * m - lr * g
            return (w + m1, m1)
        }
    }

    func testNesterov() {
        let lr = 0.05, mu = 0.8
        check(SGD(learningRate: lr, momentum: mu, nesterov: true), "nesterov") { w, m, g in
            let m1 = mu * m - lr * g
            return (w + mu * m1 - lr * g, m1)
        }
    }

    func testWeightDecayIsAppliedBeforeTheStep() {
        let lr = 0.1, mu = 0.5, wd = 0.2
        check(SGD(learningRate: lr, momentum: mu, weightDecay: wd), "weight decay") { w, m, g in
            let decayed = w - w * wd * lr
            let m1 = mu * m - lr * g
            return (decayed + m1, m1)
        }
    }

    func testFrozenVariableIsUntouchedAndGetsNoState() {
        let sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.1)
        let trained = weight([1, 2])
        let frozen = weight([3, -4])
        frozen.requiresGrad = false
        let frozenBits = frozen.value.scalars.map(\.bitPattern)
        for _ in 0..<3 { sgd.apply(gradients: [gradient([1, 1])], to: [trained]) }
        XCTAssertEqual(frozen.value.scalars.map(\.bitPattern), frozenBits)
        XCTAssertNil(sgd.slots(for: frozen))
        XCTAssertNotNil(sgd.slots(for: trained))
        XCTAssertEqual(sgd.trackedVariableCount, 1)

        // Unfreezing later starts it from fresh state: its first step has m = -lr * g only.
        sgd.apply(gradients: [gradient([1, 1]), gradient([0.5, 0.5])], to: [trained, frozen])
        let lr = 0.1, wd = 0.1
        assertClose(frozen.value, [3 - 3 * wd * lr - lr * 0.5, -4 + 4 * wd * lr - lr * 0.5], "unfrozen first step")
    }

    func testChangingLearningRateBetweenStepsTakesEffect() {
        let sgd = SGD(learningRate: 0.1)
        let w = weight([1])
        sgd.apply(gradients: [gradient([1])], to: [w])
        sgd.learningRate = 0.01
        sgd.apply(gradients: [gradient([1])], to: [w])
        assertClose(w.value, [1 - 0.1 - 0.01])
        XCTAssertEqual(sgd.learningRate, 0.01)
    }

    func testUpdatesAreNotRecordedOnATape() {
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        let w = weight([1, 2])
        let tape = GradientTape()
        tape.record {
            _ = w * w
            let before = tape.nodeCount
            sgd.apply(gradients: [gradient([1, 1])], to: [w])
            XCTAssertEqual(tape.nodeCount, before)
        }
        assertClose(w.value, [0.9, 1.9])
    }

    func testEmptyStepIsANoOp() {
        let sgd = SGD()
        sgd.apply(gradients: [], to: [])
        XCTAssertEqual(sgd.iterations, 0, "Keras: an empty gradient list does not count as a step")
    }

    func testResetForgetsStateAndIterations() {
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        let w = weight([0])
        sgd.apply(gradients: [gradient([1])], to: [w])
        sgd.reset()
        XCTAssertEqual(sgd.iterations, 0)
        XCTAssertNil(sgd.slots(for: w))
        sgd.apply(gradients: [gradient([1])], to: [w])
        assertClose(w.value, [-0.2], "second first step: m restarts at 0")
    }

    func testStateOfADeallocatedVariableIsNotInherited() {
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        do {
            let old = weight([0, 0])
            sgd.apply(gradients: [gradient([5, 5])], to: [old])
        }
        let fresh = weight([0, 0])
        sgd.apply(gradients: [gradient([1, 1])], to: [fresh])
        assertClose(fresh.value, [-0.1, -0.1], "fresh variable starts with zero momentum")
        XCTAssertEqual(sgd.trackedVariableCount, 1)
    }
}
