/// One axis of a chart: its view limits, ticks and tick labels.
struct Axis {
    /// The data value at the start of the axis (left or bottom edge of the plot area).
    let lower: Double
    /// The data value at the end of the axis (right or top edge).
    let upper: Double
    let ticks: [Double]
    let labels: [String]

    /// Limits that hold every value with a 5% margin on each side (matplotlib's default
    /// `axes.xmargin`/`ymargin`), so that no dot sits on the frame, and ticks chosen so that at
    /// most `maxTicks` fit. `integers` keeps the step a whole number (epochs).
    init(values: [Double], maxTicks: Int, integers: Bool) {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if low == high {
            // A single value or a flat curve: open a window around it instead of a zero-width axis.
            let half = max(abs(low) * 0.1, 0.1)
            low -= half
            high += half
        }
        let margin = (high - low) * 0.05
        lower = low - margin
        upper = high + margin
        let step = NiceTicks.step(from: lower, to: upper, maxCount: maxTicks, integers: integers)
        ticks = NiceTicks.ticks(from: lower, to: upper, step: step)
        labels = ticks.map { NiceTicks.label($0, step: step) }
    }

    /// Where `value` falls between `start` and `end` (pixel coordinates of the two ends).
    func position(of value: Double, start: Double, end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }
}
