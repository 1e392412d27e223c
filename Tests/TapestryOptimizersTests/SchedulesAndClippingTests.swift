import XCTest
import Foundation
import TapestryTensor
import TapestryAutograd
import TapestryOptimizers

/// Learning-rate schedules (Keras `ExponentialDecay`, `PiecewiseConstantDecay`) and gradient
/// clipping (Keras `clipnorm`, `clipvalue`, `global_clipnorm`).
final class SchedulesAndClippingTests: XCTestCase {
    // MARK: Schedules

    func testExponentialDecay() {
        // Keras: initial * rate ^ (step / decay_steps), floored exponent with staircase.
        let smooth = ExponentialDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5)
        XCTAssertEqual(smooth(step: 0), 0.1, accuracy: 1e-12)
        XCTAssertEqual(smooth(step: 5), 0.1 * pow(0.5, 0.5), accuracy: 1e-12)
        XCTAssertEqual(smooth(step: 25), 0.1 * pow(0.5, 2.5), accuracy: 1e-12)
        let stairs = ExponentialDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true)
        XCTAssertEqual(stairs(step: 9), 0.1, accuracy: 1e-12)
        XCTAssertEqual(stairs(step: 10), 0.05, accuracy: 1e-12)
        XCTAssertEqual(stairs(step: 25), 0.025, accuracy: 1e-12)
    }

    func testPiecewiseConstantDecayBoundariesBelongToTheLeftInterval() {
        // Keras: values[0] for step <= b[0], values[i] for b[i-1] < step <= b[i], last after.
        let schedule = PiecewiseConstantDecay(boundaries: [2, 5], values: [1, 0.5, 0.1])
        XCTAssertEqual((0...7).map { schedule(step: $0) }, [1, 1, 1, 0.5, 0.5, 0.5, 0.1, 0.1])
    }

    func testOptimizerEvaluatesTheScheduleAtIterationsBeforeEachStep() {
        // Keras calls the schedule with `iterations` before incrementing it: steps use
        // schedule(0), schedule(1), schedule(2), ...
        let schedule = PiecewiseConstantDecay(boundaries: [1], values: [0.1, 0.01])
        let sgd = SGD(learningRate: schedule)
        let w = weight([0])
        var expected = 0.0
        for step in 0..<4 {
            XCTAssertEqual(sgd.learningRate, schedule(step: step))
            sgd.apply(gradients: [gradient([1])], to: [w])
            expected -= schedule(step: step)
        }
        assertClose(w.value, [expected])
        XCTAssertEqual(expected, -(0.1 + 0.1 + 0.01 + 0.01), accuracy: 1e-12)
    }

    func testScheduledLearningRateAlsoDrivesWeightDecay() {
        let schedule = ExponentialDecay(initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5)
        let adamw = AdamW(learningRate: schedule, weightDecay: 0.5)
        let w = weight([1])
        adamw.apply(gradients: [gradient([0])], to: [w])
        adamw.apply(gradients: [gradient([0])], to: [w])
        assertClose(w.value, [(1 - 0.5 * 0.1) * (1 - 0.5 * 0.05)])
    }

    func testSettingALearningRateReplacesTheSchedule() {
        let sgd = SGD(learningRate: ExponentialDecay(initialLearningRate: 1, decaySteps: 1, decayRate: 0.5))
        let w = weight([0])
        sgd.apply(gradients: [gradient([1])], to: [w])
        XCTAssertEqual(sgd.learningRate, 0.5)
        sgd.learningRate = 0.25
        XCTAssertNil(sgd.learningRateSchedule)
        sgd.apply(gradients: [gradient([1])], to: [w])
        sgd.apply(gradients: [gradient([1])], to: [w])
        assertClose(w.value, [-1 - 0.25 - 0.25])
    }

    // MARK: Clipping

    func testClipnormScalesEachGradientToTheBound() {
        // Keras `_clip_by_norm`: g * c / max(‖g‖, c), per gradient tensor.
        let sgd = SGD(learningRate: 1, clipnorm: 1)
        let big = weight([0, 0]), small = weight([0, 0])
        sgd.apply(gradients: [gradient([3, 4]), gradient([0.3, 0.4])], to: [big, small])
        assertClose(big.value, [-0.6, -0.8])
        assertClose(small.value, [-0.3, -0.4], "a gradient within the bound is unchanged")
    }

    func testClipnormOfAZeroGradientIsZero() {
        let sgd = SGD(learningRate: 1, clipnorm: 1)
        let w = weight([1, 2])
        sgd.apply(gradients: [gradient([0, 0])], to: [w])
        XCTAssertEqual(w.value.scalars, [1, 2])
    }

    func testGlobalClipnormScalesAllGradientsTogether() {
        // Keras `clip_by_global_norm`: scale = c * min(1/n, 1/c) with n over all gradients:
        // n = sqrt(3² + 4² + 12²) = 13, c = 6.5 → every gradient halves.
        let sgd = SGD(learningRate: 1, globalClipnorm: 6.5)
        let a = weight([0, 0]), b = weight([0])
        sgd.apply(gradients: [gradient([3, 4]), gradient([12])], to: [a, b])
        assertClose(a.value, [-1.5, -2])
        assertClose(b.value, [-6])

        let loose = SGD(learningRate: 1, globalClipnorm: 100)
        let c = weight([0, 0])
        loose.apply(gradients: [gradient([3, 4])], to: [c])
        assertClose(c.value, [-3, -4], "under the bound the scale is 1")
    }

    func testGlobalClipnormPropagatesNonFiniteNorms() {
        // Keras adds (n - n) to the scale so an infinite norm yields NaN instead of a silent clip.
        let sgd = SGD(learningRate: 1, globalClipnorm: 1)
        let w = weight([0, 0])
        sgd.apply(gradients: [gradient([.infinity, 1])], to: [w])
        XCTAssertTrue(w.value.scalars.allSatisfy(\.isNaN))
    }

    func testClipvalueClampsElements() {
        let sgd = SGD(learningRate: 1, clipvalue: 0.5)
        let w = weight([0, 0, 0, 0])
        sgd.apply(gradients: [gradient([2, -3, 0.25, -0.5])], to: [w])
        assertClose(w.value, [-0.5, 0.5, -0.25, 0.5])
    }

    func testClippingFeedsTheMomentsOfAdam() {
        // The clipped gradient, not the raw one, enters m and v.
        let adam = Adam(learningRate: 0.01, clipnorm: 1)
        let w = weight([0, 0])
        adam.apply(gradients: [gradient([3, 4])], to: [w])
        let m = adam.slots(for: w)!["momentum"]!
        assertClose(m, [0.1 * 0.6, 0.1 * 0.8])
    }

    func testClippingRuleFromKerasArguments() {
        XCTAssertEqual(GradientClipping(clipnorm: 2, clipvalue: nil, globalClipnorm: nil), .norm(2))
        XCTAssertEqual(GradientClipping(clipnorm: nil, clipvalue: 3, globalClipnorm: nil), .value(3))
        XCTAssertEqual(GradientClipping(clipnorm: nil, clipvalue: nil, globalClipnorm: 4), .globalNorm(4))
        XCTAssertNil(GradientClipping(clipnorm: nil, clipvalue: nil, globalClipnorm: nil))
    }
}
