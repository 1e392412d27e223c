import TapestryTensor
import TapestryAutograd

/// Gradient descent, optionally with (Nesterov) momentum: Keras 3's `keras.optimizers.SGD`.
///
/// With `momentum == 0`: `w = w - lr * g`. Otherwise, with velocity `m` starting at 0:
/// `m = momentum * m - lr * g`, then `w = w + m`, or with `nesterov`,
/// `w = w + momentum * m - lr * g` (using the updated `m`).
///
/// ```swift
/// let sgd = SGD(learningRate: 0.01, momentum: 0.9, nesterov: true)
/// sgd.apply(gradients: variables.map { $0.grad! }, to: variables)
/// ```
public final class SGD: BaseOptimizer {
    public let momentum: Double
    public let nesterov: Bool

    /// Keras defaults: `learningRate 0.01`, `momentum 0`, `nesterov false`, no weight decay.
    public init(learningRate: Double = 0.01, momentum: Double = 0, nesterov: Bool = false,
                weightDecay: Double? = nil,
                clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil) {
        // Keras accepts momentum only in [0, 1].
        precondition((0...1).contains(momentum), "SGD: momentum must be in [0, 1], got \(momentum)")
        self.momentum = momentum
        self.nesterov = nesterov
        super.init(learningRate: learningRate, weightDecay: weightDecay,
                   clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// The same optimizer with a learning-rate schedule.
    public convenience init(learningRate schedule: LearningRateSchedule, momentum: Double = 0, nesterov: Bool = false,
                            weightDecay: Double? = nil,
                            clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil) {
        self.init(learningRate: schedule(step: 0), momentum: momentum, nesterov: nesterov, weightDecay: weightDecay,
                  clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        learningRateSchedule = schedule
    }

    /// Keras keeps a velocity only when `momentum != 0`.
    public override var slotNames: [String] { momentum != 0 ? ["momentum"] : [] }

    public override func update(_ u: VariableUpdate) {
        let lr = Float(u.learningRate), mu = Float(momentum), w = u.weights
        guard momentum != 0 else {
            u.forEachChunk(costPerElement: 4) { range in
                let (u, w, lr) = (u, w, lr)   // local copies keep the loop vectorisable
                for i in range { w[i] = u.decayedWeight(w[i]) - u.gradient(at: i) * lr }
            }
            return
        }
        let m = u.slots[0]
        if nesterov {
            u.forEachChunk(costPerElement: 8) { range in
                let (u, w, m, lr, mu) = (u, w, m, lr, mu)
                for i in range {
                    let g = u.gradient(at: i)
                    let velocity = m[i] * mu - g * lr
                    m[i] = velocity
                    w[i] = u.decayedWeight(w[i]) + (velocity * mu - g * lr)
                }
            }
        } else {
            u.forEachChunk(costPerElement: 6) { range in
                let (u, w, m, lr, mu) = (u, w, m, lr, mu)
                for i in range {
                    let velocity = m[i] * mu - u.gradient(at: i) * lr
                    m[i] = velocity
                    w[i] = u.decayedWeight(w[i]) + velocity
                }
            }
        }
    }
}
