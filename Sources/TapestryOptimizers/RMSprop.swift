import Foundation
import TapestryTensor
import TapestryAutograd
import CTapestryKernels

/// RMSprop: Keras 3's `keras.optimizers.RMSprop`, dividing each gradient by a running root mean
/// square of past gradients.
///
/// With state starting at 0, Keras 3's rule is:
/// ```
/// v = rho * v + (1 - rho) * g²
/// centered:     a = rho * a + (1 - rho) * g;   d = v - a² + epsilon
/// not centered: d = v + epsilon
/// increment = lr * g / sqrt(d)              // epsilon sits INSIDE the square root
/// momentum > 0: m = momentum * m + increment;  w = w - m
/// otherwise:    w = w - increment
/// ```
///
/// ```swift
/// let rmsprop = RMSprop(learningRate: 0.001, rho: 0.9, centered: true)
/// rmsprop.apply(gradients: grads, to: weights)
/// ```
public final class RMSprop: BaseOptimizer {
    public let rho: Double
    public let momentum: Double
    public let epsilon: Double
    public let centered: Bool

    /// Keras defaults: `learningRate 0.001`, `rho 0.9`, `momentum 0`, `epsilon 1e-7`, not centered.
    public init(learningRate: Double = 0.001, rho: Double = 0.9, momentum: Double = 0, epsilon: Double = 1e-7,
                centered: Bool = false, weightDecay: Double? = nil,
                clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil) {
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
        super.init(learningRate: learningRate, weightDecay: weightDecay,
                   clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// The same optimizer with a learning-rate schedule.
    public convenience init(learningRate schedule: LearningRateSchedule, rho: Double = 0.9, momentum: Double = 0,
                            epsilon: Double = 1e-7, centered: Bool = false, weightDecay: Double? = nil,
                            clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil) {
        self.init(learningRate: schedule(step: 0), rho: rho, momentum: momentum, epsilon: epsilon, centered: centered,
                  weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        learningRateSchedule = schedule
    }

    /// Keras's slots: always `velocity`; `momentum` only when momentum > 0; `average_gradient`
    /// only when centered.
    public override var slotNames: [String] {
        ["velocity"] + (momentum > 0 ? ["momentum"] : []) + (centered ? ["average_gradient"] : [])
    }

    public override func update(_ u: VariableUpdate) {
        // Keras multiplies by the Python floats rho and 1 - rho, each rounded once to float32.
        let (lr, rho, oneMinusRho) = (Float(u.learningRate), Float(rho), Float(1 - rho))
        let (momentum, epsilon) = (Float(momentum), Float(epsilon))
        // Slot order follows slotNames: velocity, then momentum if any, then average_gradient.
        let velocity = u.slots[0]
        let moment = self.momentum > 0 ? u.slots[1] : nil
        let average = centered ? u.slots[self.momentum > 0 ? 2 : 1] : nil
        // The loop is CTapestryKernels' tk_rmsprop: the rule above, compiled for the CPU's vector width.
        u.forEachChunk(costPerElement: 16) { range in
            let start = range.lowerBound
            tk_rmsprop(range.count, u.weights + start, u.gradients + start, velocity + start, moment.map { $0 + start },
                       average.map { $0 + start }, lr, rho, oneMinusRho, momentum, epsilon,
                       u.decayFactor, u.gradientScale, u.clipValue)
        }
    }
}
