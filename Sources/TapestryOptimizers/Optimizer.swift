import TapestryTensor
import TapestryAutograd

/// Something that updates weights from their gradients, one training step at a time.
///
/// Training loops and callbacks talk to optimizers only through this protocol: `fit` calls
/// ``apply(gradients:to:)`` once per batch, and callbacks such as ReduceLROnPlateau or
/// LearningRateScheduler read and write ``learningRate``.
///
/// ```swift
/// let optimizer: Optimizer = Adam(learningRate: 1e-3)
/// optimizer.apply(gradients: [w.grad!], to: [w])
/// optimizer.learningRate *= 0.1        // takes effect from the next step
/// ```
public protocol Optimizer: AnyObject {
    /// The learning rate the next step will use. Setting it replaces any schedule.
    var learningRate: Double { get set }
    /// The number of steps applied so far (Keras's `optimizer.iterations`).
    var iterations: Int { get set }
    /// Applies one step: `gradients[i]` updates `variables[i]`, then ``iterations`` grows by one.
    /// Only the variables passed are touched; a frozen weight is simply not passed.
    func apply(gradients: [Tensor<Float>], to variables: [Variable<Float>])
    /// Forgets all per-variable state (moments, velocities) and sets ``iterations`` back to 0.
    func reset()
}

/// The pointers and per-step constants an optimizer's update rule needs for one variable.
///
/// Everything here is already prepared the way Keras 3's `BaseOptimizer.apply` prepares it:
/// the gradient is clipped (through ``gradient(at:)``) and decoupled weight decay is folded in
/// (through ``decayedWeight(_:)``), so a rule runs one fused pass over the elements.
public struct VariableUpdate {
    /// The number of elements in the variable (and in its gradient and each slot).
    public let count: Int
    /// The variable's contiguous, uniquely owned elements, updated in place.
    public let weights: UnsafeMutablePointer<Float>
    /// The raw gradient, before clipping.
    public let gradients: UnsafePointer<Float>
    /// One contiguous buffer per name in ``BaseOptimizer/slotNames``, in that order.
    public let slots: [UnsafeMutablePointer<Float>]
    /// The learning rate of this step (a schedule evaluated at the step's `iterations`).
    public let learningRate: Double
    /// Keras's `local_step`: `iterations + 1`, so 1 on the first step.
    public let step: Int
    /// `weightDecay * learningRate`, or 0 when weight decay is off or excluded for this variable.
    public let decayFactor: Float
    /// The clip-by-norm factor for this gradient (1 when not clipping by norm).
    public let gradientScale: Float
    /// The clip-by-value bound (infinity when not clipping by value).
    public let clipValue: Float

    /// The clipped gradient at element `i`.
    @inline(__always)
    public func gradient(at i: Int) -> Float {
        Swift.min(Swift.max(gradients[i] * gradientScale, -clipValue), clipValue)
    }

    /// Keras's `_apply_weight_decay`: `w = w - w * wd * lr`, which Keras applies to every
    /// variable before any update step; doing it per element just before the update is the same.
    @inline(__always)
    public func decayedWeight(_ w: Float) -> Float { w - w * decayFactor }

    /// Runs `body` over chunks of `0..<count`, on all cores when the variable is large.
    /// `costPerElement` is a rough count of scalar operations per element.
    public func forEachChunk(costPerElement: Int, _ body: (Range<Int>) -> Void) {
        parallelChunks(count, cost: count * costPerElement, body)
    }
}

/// The square root of `x`, NaN for negative `x` like `squareRoot()`, in a form loops vectorise.
///
/// On Linux `Float.squareRoot()` compiles to libm's `sqrtf` behind an `x < 0` errno check, a
/// call that stops the loop vectoriser. The root of `x.magnitude` cannot need errno, so it becomes
/// a plain `sqrtps`; the select restores NaN for negative inputs. This makes Adam and RMSprop
/// steps about twice as fast on large weights.
@inline(__always)
public func vectorizableSquareRoot(_ x: Float) -> Float { x < 0 ? .nan : x.magnitude.squareRoot() }

/// A variant switch fixed at compile time (AMSGrad, centred RMSprop, momentum): an update kernel
/// generic over `StaticFlag` is specialised once per combination, so each variant gets its own
/// branch-free, vectorised loop instead of testing a Bool per element.
public protocol StaticFlag { static var isOn: Bool { get } }
/// The variant is on.
public enum FlagOn: StaticFlag { public static var isOn: Bool { true } }
/// The variant is off.
public enum FlagOff: StaticFlag { public static var isOn: Bool { false } }

/// The machinery every Keras 3 optimizer shares (`keras.optimizers.Optimizer`): a learning rate
/// or schedule, the step counter, decoupled weight decay, gradient clipping, and per-variable
/// state ("slots") keyed by variable identity.
///
/// A step follows Keras 3's `BaseOptimizer.apply` order: evaluate the learning rate at the current
/// `iterations`, clip the gradients, apply weight decay `w -= w * weightDecay * lr`, run the
/// optimizer's own rule, then increment `iterations`.
///
/// Subclasses name their slots in ``slotNames`` and implement ``update(_:)``:
///
/// ```swift
/// final class SignDescent: BaseOptimizer {
///     override func update(_ u: VariableUpdate) {
///         let lr = Float(u.learningRate), w = u.weights
///         u.forEachChunk(costPerElement: 4) { r in
///             for i in r { w[i] = u.decayedWeight(w[i]) - lr * (u.gradient(at: i) > 0 ? 1 : -1) }
///         }
///     }
/// }
/// ```
open class BaseOptimizer: Optimizer {
    private var constantLearningRate: Double
    /// When set, the learning rate of each step is `schedule(step: iterations)`, as in Keras.
    public var learningRateSchedule: LearningRateSchedule?
    public var iterations: Int = 0
    /// Decoupled weight decay (Keras's `weight_decay`); nil turns it off.
    public var weightDecay: Double?
    /// At most one clipping rule, as Keras allows only one of `clipnorm`, `clipvalue` and
    /// `global_clipnorm`.
    public var gradientClipping: GradientClipping?

    private final class Slots {
        weak var owner: Variable<Float>?
        var tensors: [Tensor<Float>]
        init(owner: Variable<Float>, tensors: [Tensor<Float>]) {
            self.owner = owner
            self.tensors = tensors
        }
    }
    private final class WeakVariable {
        weak var variable: Variable<Float>?
        init(_ variable: Variable<Float>) { self.variable = variable }
    }
    private var slotsByVariable: [ObjectIdentifier: Slots] = [:]
    private var excludedFromDecay: [ObjectIdentifier: WeakVariable] = [:]
    private var excludedNames: [String] = []

    /// `clipnorm`, `clipvalue` and `globalClipnorm` are Keras's options; at most one may be set.
    public init(learningRate: Double, weightDecay: Double? = nil,
                clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil) {
        constantLearningRate = learningRate
        self.weightDecay = weightDecay
        gradientClipping = GradientClipping(clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    /// The learning rate the next step will use: the schedule at ``iterations`` if there is one.
    /// Setting a value removes the schedule (Keras refuses instead; callbacks are simpler this way).
    public var learningRate: Double {
        get { learningRateSchedule.map { $0(step: iterations) } ?? constantLearningRate }
        set {
            learningRateSchedule = nil
            constantLearningRate = newValue
        }
    }

    /// The names of the state tensors this optimizer keeps per variable, each shaped like it
    /// (Keras's optimizer variables, e.g. `["momentum", "velocity"]` for Adam).
    open var slotNames: [String] { [] }

    /// The optimizer's own rule for one variable (Keras's `update_step`).
    open func update(_ u: VariableUpdate) {
        preconditionFailure("\(type(of: self)) must override update(_:) with its update rule")
    }

    /// Keeps weight decay off the given variables and off any variable whose name contains one of
    /// `names` (Keras's `exclude_from_weight_decay`; Keras matches names as regular expressions,
    /// here they are plain substrings). Typical use: `names: ["bias"]`.
    public func excludeFromWeightDecay(variables: [Variable<Float>] = [], names: [String] = []) {
        for v in variables { excludedFromDecay[ObjectIdentifier(v)] = WeakVariable(v) }
        excludedNames += names
    }

    private func usesWeightDecay(_ v: Variable<Float>) -> Bool {
        if let excluded = excludedFromDecay[ObjectIdentifier(v)], excluded.variable === v { return false }
        if let name = v.name, excludedNames.contains(where: { name.contains($0) }) { return false }
        return true
    }

    /// The state kept for `variable`, by slot name; nil if this optimizer has none for it
    /// (it was never passed to ``apply(gradients:to:)``, or the optimizer keeps no slots).
    public func slots(for variable: Variable<Float>) -> [String: Tensor<Float>]? {
        guard let entry = slotsByVariable[ObjectIdentifier(variable)], entry.owner === variable else { return nil }
        return Dictionary(uniqueKeysWithValues: zip(slotNames, entry.tensors))
    }

    /// The number of variables this optimizer currently keeps state for.
    public var trackedVariableCount: Int { slotsByVariable.values.filter { $0.owner != nil }.count }

    public func reset() {
        slotsByVariable.removeAll()
        iterations = 0
    }

    public func apply(gradients: [Tensor<Float>], to variables: [Variable<Float>]) {
        precondition(gradients.count == variables.count,
                     "\(type(of: self)).apply: \(gradients.count) gradients for \(variables.count) variables")
        // Keras: an empty gradient list is a no-op and does not count as a step.
        guard !variables.isEmpty else { return }
        for (g, v) in zip(gradients, variables) {
            precondition(g.shape == v.shape,
                         "\(type(of: self)).apply: gradient shape \(g.shape) for variable \(v.name ?? "") of shape \(v.shape)")
        }
        withoutGradients {
            // Keras evaluates `self.learning_rate` (the schedule at `iterations`) once for weight
            // decay and once for the update, both before `iterations` moves: the same value.
            let lr = learningRate
            let scales = gradientClipping?.scales(for: gradients) ?? Array(repeating: 1, count: gradients.count)
            let clipValue = gradientClipping?.valueBound ?? .infinity
            // Variables that no longer exist must not leave state behind (nor pass their
            // ObjectIdentifier on to a new variable's state).
            slotsByVariable = slotsByVariable.filter { $0.value.owner != nil }
            for (index, variable) in variables.enumerated() {
                let decay = weightDecay.flatMap { usesWeightDecay(variable) ? Float($0 * lr) : nil } ?? 0
                step(variable, gradient: gradients[index], learningRate: lr, decayFactor: decay,
                     gradientScale: scales[index], clipValue: clipValue)
            }
            iterations += 1
        }
    }

    private func step(_ variable: Variable<Float>, gradient: Tensor<Float>, learningRate: Double,
                      decayFactor: Float, gradientScale: Float, clipValue: Float) {
        let entry = slotEntry(for: variable)
        // Slots are created contiguous; makeUnique copies one only if someone kept a copy of it
        // (from `slots(for:)`), so writing through the pointer never changes another tensor.
        var slotPointers: [UnsafeMutablePointer<Float>] = []
        if let entry {
            for k in entry.tensors.indices { entry.tensors[k].makeUnique() }
            slotPointers = entry.tensors.map { $0.storage.pointer + $0.offset }
        }
        gradient.withUnsafeBufferPointer { g in
            variable.value.withUnsafeMutableBufferPointer { w in
                guard let wp = w.baseAddress, let gp = g.baseAddress, w.count > 0 else { return }
                withExtendedLifetime(entry) {
                    update(VariableUpdate(count: w.count, weights: wp, gradients: gp, slots: slotPointers,
                                          learningRate: learningRate, step: iterations + 1,
                                          decayFactor: decayFactor, gradientScale: gradientScale,
                                          clipValue: clipValue))
                }
            }
        }
    }

    private func slotEntry(for variable: Variable<Float>) -> Slots? {
        let names = slotNames
        guard !names.isEmpty else { return nil }
        let id = ObjectIdentifier(variable)
        if let entry = slotsByVariable[id], entry.owner === variable {
            precondition(entry.tensors.allSatisfy { $0.shape == variable.shape },
                         "\(type(of: self)): variable \(variable.name ?? "") changed shape to \(variable.shape) after its optimizer state was created; call reset()")
            return entry
        }
        // Keras creates its slot variables zero-initialised (`add_variable_from_reference`).
        let entry = Slots(owner: variable, tensors: names.map { _ in Tensor<Float>.zeros(variable.shape) })
        slotsByVariable[id] = entry
        return entry
    }
}
