import Foundation
import TapestryTensor
import TapestryAutograd

/// Adam: Keras 3's `keras.optimizers.Adam`, with its bias correction folded into the step size.
///
/// With moments starting at 0 and `t = iterations + 1` (1 on the first step):
/// ```
/// alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
/// m = m + (g - m) * (1 - beta1)
/// v = v + (g² - v) * (1 - beta2)
/// amsgrad: vhat = max(vhat, v), and vhat replaces v below
/// w = w - alpha * m / (sqrt(v) + epsilon)      // epsilon OUTSIDE the square root ("epsilon hat")
/// ```
///
/// ```swift
/// let adam = Adam(learningRate: 1e-3)
/// adam.apply(gradients: grads, to: weights)
/// ```
public class Adam: BaseOptimizer {
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let amsgrad: Bool

    /// Keras defaults: `learningRate 0.001`, `beta1 0.9`, `beta2 0.999`, `epsilon 1e-7`, no AMSGrad.
    public init(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7,
                amsgrad: Bool = false, weightDecay: Double? = nil,
                clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        super.init(learningRate: learningRate, weightDecay: weightDecay,
                   clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// The same optimizer with a learning-rate schedule.
    public convenience init(learningRate schedule: LearningRateSchedule, beta1: Double = 0.9, beta2: Double = 0.999,
                            epsilon: Double = 1e-7, amsgrad: Bool = false, weightDecay: Double? = nil,
                            clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil) {
        self.init(learningRate: schedule(step: 0), beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad,
                  weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        learningRateSchedule = schedule
    }

    /// Keras's slots: `momentum` (m), `velocity` (v), and `velocity_hat` with AMSGrad.
    public override var slotNames: [String] { ["momentum", "velocity"] + (amsgrad ? ["velocity_hat"] : []) }

    public override func update(_ u: VariableUpdate) {
        let t = Double(u.step)
        let alpha = Float(u.learningRate * (1 - Foundation.pow(beta2, t)).squareRoot() / (1 - Foundation.pow(beta1, t)))
        // Keras multiplies by the Python floats 1 - beta, each rounded once to float32.
        let oneMinusB1 = Float(1 - beta1), oneMinusB2 = Float(1 - beta2), eps = Float(epsilon)
        if amsgrad {
            Adam.step(u, alpha: alpha, oneMinusB1: oneMinusB1, oneMinusB2: oneMinusB2, eps: eps, amsgrad: FlagOn.self)
        } else {
            Adam.step(u, alpha: alpha, oneMinusB1: oneMinusB1, oneMinusB2: oneMinusB2, eps: eps, amsgrad: FlagOff.self)
        }
    }

    private static func step<AMSGrad: StaticFlag>(_ u: VariableUpdate, alpha: Float, oneMinusB1: Float,
                                                  oneMinusB2: Float, eps: Float, amsgrad: AMSGrad.Type) {
        let w = u.weights, m = u.slots[0], v = u.slots[1]
        let vhat = AMSGrad.isOn ? u.slots[2] : v
        u.forEachChunk(costPerElement: 16) { range in
            // Local copies: values read from the closure's context could alias the stores below,
            // which would keep the loop from being vectorised.
            let (u, w, m, v, vhat, alpha, oneMinusB1, oneMinusB2, eps) = (u, w, m, v, vhat, alpha, oneMinusB1, oneMinusB2, eps)
            for i in range {
                let g = u.gradient(at: i)
                let moment = m[i] + (g - m[i]) * oneMinusB1
                m[i] = moment
                var velocity = v[i] + (g * g - v[i]) * oneMinusB2
                v[i] = velocity
                if AMSGrad.isOn {
                    velocity = Swift.max(vhat[i], velocity)
                    vhat[i] = velocity
                }
                w[i] = u.decayedWeight(w[i]) - (moment * alpha) / (vectorizableSquareRoot(velocity) + eps)
            }
        }
    }
}
