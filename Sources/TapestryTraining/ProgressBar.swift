import Foundation

/// How much `fit`, `evaluate` and `predict` print (Keras's `verbose`).
public enum Verbosity: Int, Sendable {
    /// Nothing.
    case silent = 0
    /// A progress bar updated in place on a terminal; one line per epoch otherwise.
    case progressBar = 1
    /// One line per epoch.
    case oneLinePerEpoch = 2
}

/// Keras's progress bar: `63/100 ━━━━━━━━━━━━──────── 1s 15ms/step - accuracy: 0.8512 - loss: 0.3321`.
///
/// On a terminal the line is redrawn in place at most ten times a second; when output goes to a
/// file or pipe only the finished line is printed, so logs stay readable.
public final class ProgressBar {
    public let total: Int
    let verbosity: Verbosity
    let interactive: Bool
    let write: (String) -> Void
    private let start = Date()
    private var lastDraw = Date.distantPast

    public init(total: Int, verbosity: Verbosity, interactive: Bool = isatty(STDOUT_FILENO) == 1,
                write: @escaping (String) -> Void = ProgressBar.standardOutput) {
        self.total = total; self.verbosity = verbosity; self.interactive = interactive; self.write = write
    }

    /// Writes through `print` and flushes, so bar lines and other printed lines keep their order
    /// even when standard output is a pipe.
    public static func standardOutput(_ text: String) {
        print(text, terminator: "")
        fflush(stdout)
    }

    /// Shows progress after `step` of `total` steps with the running values.
    public func update(step: Int, values: [String: Double]) {
        guard verbosity == .progressBar, interactive, step < total else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(start)
        let eta = step > 0 ? elapsed / Double(step) * Double(total - step) : 0
        write("\r" + line(step: step, seconds: eta, values: values) + "\u{1B}[K")
    }

    /// Prints the finished line, with validation values if any.
    public func finish(values: [String: Double]) {
        guard verbosity != .silent else { return }
        let elapsed = Date().timeIntervalSince(start)
        if verbosity == .oneLinePerEpoch {
            write("\(total)/\(total) - \(Int(elapsed.rounded()))s - \(perStep(elapsed))\(formatValues(values))\n")
        } else {
            write((interactive ? "\r" : "") + line(step: total, seconds: elapsed, values: values) + (interactive ? "\u{1B}[K" : "") + "\n")
        }
    }

    func line(step: Int, seconds: Double, values: [String: Double]) -> String {
        let width = 20
        let done = total == 0 ? width : width * step / total
        let bar = String(repeating: "━", count: done) + String(repeating: "─", count: width - done)
        let counter = String(repeating: " ", count: max(0, String(total).count - String(step).count)) + "\(step)/\(total)"
        let elapsed = Date().timeIntervalSince(start)
        return "\(counter) \(bar) \(Int(seconds.rounded()))s \(perStep(elapsed, steps: max(step, 1)))\(formatValues(values))"
    }

    private func perStep(_ elapsed: Double, steps: Int? = nil) -> String {
        let perStep = elapsed / Double(max(steps ?? total, 1))
        return perStep >= 1 ? String(format: "%.0fs/step", perStep) : String(format: "%.0fms/step", perStep * 1000)
    }

    private func formatValues(_ values: [String: Double]) -> String {
        values.keys.sorted { orderKey($0) < orderKey($1) }.map { String(format: " - %@: %.4f", $0, values[$0]!) }.joined()
    }
}
