import Foundation

/// Tick positions at "nice" numbers (1, 2, 2.5 or 5 times a power of ten) and their labels.
///
/// ```swift
/// NiceTicks.ticks(from: 0.61, to: 0.93, maxCount: 8)   // [0.65, 0.7, 0.75, 0.8, 0.85, 0.9]
/// NiceTicks.label(0.7, step: 0.05)                      // "0.70"
/// ```
public enum NiceTicks {
    /// The mantissas tried for the step, smallest first, as matplotlib's default locator does.
    static let mantissas: [Double] = [1, 2, 2.5, 5]

    /// The smallest nice step that puts at most `maxCount` ticks in `lower...upper`.
    ///
    /// - Parameter integers: allow only whole-number steps (for epochs and other counts).
    public static func step(from lower: Double, to upper: Double, maxCount: Int, integers: Bool = false) -> Double {
        let span = max(upper - lower, .leastNormalMagnitude)
        let count = max(maxCount, 2)
        var exponent = floor(log10(span / Double(count))) - 1
        while true {
            let scale = pow(10, exponent)
            for mantissa in mantissas {
                let step = mantissa * scale
                if integers && (step < 1 || step.rounded() != step) { continue }
                if ticks(from: lower, to: upper, step: step).count <= count { return step }
            }
            exponent += 1
        }
    }

    /// The multiples of `step` inside `lower...upper`.
    ///
    /// Each tick is an integer divided by a power of ten (14 × 5 / 100, not 14 × 0.05), which
    /// rounds once, so 0.7 comes out as the same double as the literal 0.7.
    public static func ticks(from lower: Double, to upper: Double, step: Double) -> [Double] {
        guard step > 0, lower <= upper else { return [] }
        let first = (lower / step - 1e-9).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        let power = pow(10, Double(decimals(for: step)))
        let wholeStep = (step * power).rounded()
        return stride(from: first, through: last, by: 1).map { index in
            let value = index * wholeStep / power
            return value.isZero ? 0 : value
        }
    }

    /// Nice ticks inside `lower...upper`, at most `maxCount` of them.
    public static func ticks(from lower: Double, to upper: Double, maxCount: Int, integers: Bool = false) -> [Double] {
        ticks(from: lower, to: upper, step: step(from: lower, to: upper, maxCount: maxCount, integers: integers))
    }

    /// The number of decimals that shows every multiple of `step` exactly (0.05 → 2, 2.5 → 1, 10 → 0).
    public static func decimals(for step: Double) -> Int {
        var decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        while decimals < 12 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { break }
            decimals += 1
        }
        return decimals
    }

    /// `value` written with the decimals its axis's `step` needs, never as "-0".
    public static func label(_ value: Double, step: Double) -> String {
        let text = String(format: "%.\(decimals(for: step))f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }
}
