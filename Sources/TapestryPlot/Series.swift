/// One curve on a ``Chart``: named points drawn as dots, a line, or both.
///
/// The Keras tutorials plot training accuracy with `'bo'` (blue dots) and validation
/// accuracy with `'b'` (a blue line), against epochs 1, 2, 3, …:
///
/// ```swift
/// Series(name: "Training acc", values: history["accuracy"], style: .dots, color: .blue)
/// Series(name: "Validation acc", values: history["val_accuracy"], format: "b")
/// ```
///
/// Non-finite values (a NaN loss) are skipped, and a line breaks where they occur.
public struct Series: Sendable {
    /// How the points are drawn.
    public enum Style: Sendable {
        /// A filled circle per point (matplotlib `'o'`).
        case dots
        /// Straight segments joining consecutive points (matplotlib `'-'`, the default).
        case line
        /// Both a line and a circle per point (matplotlib `'o-'`).
        case lineAndDots
    }

    /// A point in data coordinates.
    public struct Point: Equatable, Sendable {
        public var x: Double
        public var y: Double

        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }

        var isFinite: Bool { x.isFinite && y.isFinite }
    }

    /// The legend text; an empty name leaves the series out of the legend.
    public var name: String
    /// The points in drawing order.
    public var points: [Point]
    /// Dots, a line, or both.
    public var style: Style
    /// The colour, or `nil` to take the next one from ``Color/cycle`` when added to a chart.
    public var color: Color?

    /// A series of explicit points.
    public init(name: String, points: [Point], style: Style = .line, color: Color? = nil) {
        self.name = name
        self.points = points
        self.style = style
        self.color = color
    }

    /// A series of `(x, y)` pairs.
    public init(name: String, points: [(x: Double, y: Double)], style: Style = .line, color: Color? = nil) {
        self.init(name: name, points: points.map { Point(x: $0.x, y: $0.y) }, style: style, color: color)
    }

    /// A series of values at x = 1, 2, 3, …, as Keras tutorials plot per-epoch history
    /// (`epochs = range(1, len(acc) + 1)`).
    public init<V: BinaryFloatingPoint>(name: String, values: [V], style: Style = .line, color: Color? = nil) {
        let points = values.enumerated().map { Point(x: Double($0.offset + 1), y: Double($0.element)) }
        self.init(name: name, points: points, style: style, color: color)
    }

    /// A series of values at x = 1, 2, 3, … styled by a matplotlib format string:
    /// an optional colour letter (`b g r c m y k w`) followed by `o` (dots), `-` (line) or `o-`
    /// (both). `"bo"` is blue dots, `"b"` a blue line.
    ///
    /// - Precondition: `format` uses only those characters.
    public init<V: BinaryFloatingPoint>(name: String, values: [V], format: String) {
        var color: Color?
        var rest = Substring(format)
        if let first = rest.first, let letterColor = Color(matplotlibLetter: first) {
            color = letterColor
            rest = rest.dropFirst()
        }
        let style: Style
        switch rest {
        case "", "-": style = .line
        case "o": style = .dots
        case "o-", "-o": style = .lineAndDots
        default: preconditionFailure("unsupported matplotlib format string '\(format)'")
        }
        self.init(name: name, values: values, style: style, color: color)
    }
}
