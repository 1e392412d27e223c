/// AdamW: Keras 3's `keras.optimizers.AdamW`, which is ``Adam`` with decoupled weight decay on.
///
/// Each step first shrinks every weight, `w = w - w * weightDecay * lr` (Keras's
/// `_apply_weight_decay`, run before the update step, with the same learning rate), then applies
/// Adam's update with the (clipped) gradient. The decay never enters the moments.
///
/// ```swift
/// let adamw = AdamW(learningRate: 1e-3, weightDecay: 0.004)
/// adamw.excludeFromWeightDecay(names: ["bias"])
/// adamw.apply(gradients: grads, to: weights)
/// ```
public final class AdamW: Adam {
    /// Keras defaults: `learningRate 0.001`, `weightDecay 0.004`, `beta1 0.9`, `beta2 0.999`,
    /// `epsilon 1e-7`, no AMSGrad. Keras requires a weight decay here, hence no nil.
    public init(learningRate: Double = 0.001, weightDecay: Double = 0.004, beta1: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-7, amsgrad: Bool = false,
                clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil) {
        super.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad,
                   weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// The same optimizer with a learning-rate schedule (the decay uses the scheduled rate too).
    public convenience init(learningRate schedule: LearningRateSchedule, weightDecay: Double = 0.004,
                            beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7, amsgrad: Bool = false,
                            clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil) {
        self.init(learningRate: schedule(step: 0), weightDecay: weightDecay, beta1: beta1, beta2: beta2,
                  epsilon: epsilon, amsgrad: amsgrad,
                  clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        learningRateSchedule = schedule
    }
}
