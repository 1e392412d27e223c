import Foundation
import TapestryTensor
import TapestryAutograd

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
        let c = Coefficients(lr: Float(u.learningRate), rho: Float(rho), oneMinusRho: Float(1 - rho),
                             momentum: Float(momentum), eps: Float(epsilon))
        switch (centered, momentum > 0) {
        case (false, false): RMSprop.step(u, c, centered: FlagOff.self, withMomentum: FlagOff.self)
        case (false, true): RMSprop.step(u, c, centered: FlagOff.self, withMomentum: FlagOn.self)
        case (true, false): RMSprop.step(u, c, centered: FlagOn.self, withMomentum: FlagOff.self)
        case (true, true): RMSprop.step(u, c, centered: FlagOn.self, withMomentum: FlagOn.self)
        }
    }

    private struct Coefficients { let lr, rho, oneMinusRho, momentum, eps: Float }

    private static func step<Centered: StaticFlag, Momentum: StaticFlag>(
        _ u: VariableUpdate, _ c: Coefficients, centered: Centered.Type, withMomentum: Momentum.Type) {
        // Slot order follows slotNames: velocity, then momentum if any, then average_gradient.
        let w = u.weights, v = u.slots[0]
        let m = Momentum.isOn ? u.slots[1] : v
        let a = Centered.isOn ? u.slots[Momentum.isOn ? 2 : 1] : v
        u.forEachChunk(costPerElement: 16) { range in
            // Local copies: values read from the closure's context could alias the stores below,
            // which would keep the loop from being vectorised.
            let (u, c, w, v, m, a) = (u, c, w, v, m, a)
            for i in range {
                let g = u.gradient(at: i)
                let velocity = c.rho * v[i] + c.oneMinusRho * (g * g)
                v[i] = velocity
                var denominator = velocity + c.eps
                if Centered.isOn {
                    let average = c.rho * a[i] + c.oneMinusRho * g
                    a[i] = average
                    denominator = velocity - average * average + c.eps
                }
                let increment = (c.lr * g) / vectorizableSquareRoot(denominator)
                if Momentum.isOn {
                    let moment = c.momentum * m[i] + increment
                    m[i] = moment
                    w[i] = u.decayedWeight(w[i]) - moment
                } else {
                    w[i] = u.decayedWeight(w[i]) - increment
                }
            }
        }
    }
}
