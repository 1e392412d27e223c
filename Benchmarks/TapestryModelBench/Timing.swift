import Foundation

/// Warm-up runs and measured repetitions, as keras_reference.py's `reps(quick, full)`.
struct Repetitions {
    let warmup: Int, reps: Int

    init(quick: Bool, quickReps: Int, fullReps: Int) {
        self.init(warmup: quick ? 1 : 2, reps: quick ? quickReps : fullReps)
    }

    init(warmup: Int, reps: Int) { self.warmup = warmup; self.reps = reps }

    var fields: [String: Any] { ["warmup": warmup, "reps": reps] }

    /// Wall-clock seconds of each measured run of `body`, after the unmeasured warm-up runs.
    func times(_ body: () throws -> Void) rethrows -> [Double] {
        for _ in 0..<warmup { try body() }
        return try (0..<reps).map { _ in try seconds(body) }
    }
}

/// Wall-clock seconds of one run of `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = now()
    try body()
    return now() - start
}

/// Monotonic time in seconds.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// The median, as Python's `statistics.median` (mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "median of no values")
    let s = values.sorted(), mid = s.count / 2
    return s.count % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}
