import Foundation

/// A learning rate that changes with the optimizer's step count (Keras's
/// `keras.optimizers.schedules.LearningRateSchedule`).
///
/// An optimizer given a schedule evaluates it at its `iterations` before each step, so the first
/// step uses `schedule(step: 0)`, exactly as Keras does.
///
/// ```swift
/// let schedule = ExponentialDecay(initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96)
/// let sgd = SGD(learningRate: schedule)
/// print(schedule(step: 1000))   // 0.096
/// ```
public protocol LearningRateSchedule {
    /// The learning rate for the step that follows `step` completed steps.
    func callAsFunction(step: Int) -> Double
}

/// Keras `ExponentialDecay`: `initialLearningRate * decayRate ^ (step / decaySteps)`, with
/// `step / decaySteps` rounded down when `staircase` is true.
///
/// ```swift
/// let schedule = ExponentialDecay(initialLearningRate: 0.01, decaySteps: 100, decayRate: 0.5, staircase: true)
/// schedule(step: 150)   // 0.005
/// ```
public struct ExponentialDecay: LearningRateSchedule, Equatable {
    public let initialLearningRate: Double
    public let decaySteps: Int
    public let decayRate: Double
    public let staircase: Bool

    public init(initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false) {
        // Keras rejects decay_steps <= 0 for the same reason: the exponent would be undefined.
        precondition(decaySteps > 0, "ExponentialDecay: decaySteps must be > 0, got \(decaySteps)")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.decayRate = decayRate
        self.staircase = staircase
    }

    public func callAsFunction(step: Int) -> Double {
        var p = Double(step) / Double(decaySteps)
        if staircase { p = p.rounded(.down) }
        return initialLearningRate * Foundation.pow(decayRate, p)
    }
}

/// Keras `PiecewiseConstantDecay`: `values[0]` while `step <= boundaries[0]`, `values[i]` while
/// `boundaries[i-1] < step <= boundaries[i]`, and `values.last` once `step > boundaries.last`.
///
/// ```swift
/// let schedule = PiecewiseConstantDecay(boundaries: [100, 110], values: [1.0, 0.5, 0.1])
/// schedule(step: 100)   // 1.0  (boundaries are inclusive on the left interval)
/// schedule(step: 101)   // 0.5
/// ```
public struct PiecewiseConstantDecay: LearningRateSchedule, Equatable {
    public let boundaries: [Int]
    public let values: [Double]

    public init(boundaries: [Int], values: [Double]) {
        precondition(boundaries.count == values.count - 1,
                     "PiecewiseConstantDecay: needs one more value than boundaries, got \(boundaries.count) boundaries and \(values.count) values")
        precondition(zip(boundaries, boundaries.dropFirst()).allSatisfy { $0 < $1 },
                     "PiecewiseConstantDecay: boundaries must increase strictly, got \(boundaries)")
        self.boundaries = boundaries
        self.values = values
    }

    public func callAsFunction(step: Int) -> Double {
        // The first boundary not below `step` picks the interval; past the last one, the last value.
        values[boundaries.firstIndex { step <= $0 } ?? boundaries.count]
    }
}
