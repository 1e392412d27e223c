import Foundation
import TapestryImage

/// A line/scatter chart of training curves, rendered without Python to SVG, to an RGBA
/// ``Canvas`` or to PNG.
///
/// The Keras tutorials' accuracy figure:
///
/// ```swift
/// var chart = Chart(title: "Training and validation accuracy", xLabel: "Epochs", yLabel: "Accuracy")
/// chart.add(Series(name: "Training acc", values: acc, style: .dots, color: .blue))      // 'bo'
/// chart.add(Series(name: "Validation acc", values: valAcc, style: .line, color: .blue)) // 'b'
/// try chart.writeSVG(to: "accuracy.svg")
/// try chart.writePNG(to: "accuracy.png")
/// ```
///
/// Axes fit the data with a 5% margin and carry ticks at nice numbers (whole numbers when
/// every x is whole, as epochs are). The legend goes to the corner that hides the fewest points.
/// Rendering is deterministic: the same chart always gives the same bytes.
public struct Chart: Sendable {
    /// Drawn centred above the plot; empty for none.
    public var title: String
    /// Drawn below the x axis; empty for none.
    public var xLabel: String
    /// Drawn left of the y axis, reading upwards; empty for none.
    public var yLabel: String
    /// Light grey lines at every tick (off by default, as in matplotlib).
    public var showsGrid: Bool
    /// Whether named series are listed in a legend box.
    public var showsLegend: Bool
    /// The series in drawing order (later ones on top).
    public private(set) var series: [Series] = []

    /// matplotlib's default figure size at its default 100 dpi.
    public static let defaultWidth = 640
    public static let defaultHeight = 480

    public init(title: String = "", xLabel: String = "", yLabel: String = "", showsGrid: Bool = false, showsLegend: Bool = true) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.showsGrid = showsGrid
        self.showsLegend = showsLegend
    }

    /// Adds a series on top of the ones already there. A series without a colour takes the next
    /// colour of ``Color/cycle`` among the series without one.
    public mutating func add(_ series: Series) {
        self.series.append(series)
    }

    /// The chart as an SVG document of `width`×`height` pixels.
    public func svg(width: Int = defaultWidth, height: Int = defaultHeight) -> String {
        SVGWriter.document(for: ChartLayout(chart: self, width: width, height: height))
    }

    /// The chart drawn on a white RGBA canvas of `width`×`height` pixels.
    ///
    /// - Precondition: `width` and `height` are positive.
    public func render(width: Int = defaultWidth, height: Int = defaultHeight) -> Canvas {
        RasterRenderer.draw(ChartLayout(chart: self, width: width, height: height))
    }

    /// Writes ``svg(width:height:)`` to `path` through a temporary file that is renamed over
    /// `path`, so a reader never sees half a file.
    public func writeSVG(to path: String, width: Int = defaultWidth, height: Int = defaultHeight) throws {
        try Data(svg(width: width, height: height).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The rendered chart encoded as an RGBA PNG.
    public func pngData(width: Int = defaultWidth, height: Int = defaultHeight) throws -> Data {
        try image(width: width, height: height).pngData()
    }

    /// Renders the chart and writes it as a PNG (atomically, through a temporary file).
    public func writePNG(to path: String, width: Int = defaultWidth, height: Int = defaultHeight) throws {
        try image(width: width, height: height).write(toPNG: path)
    }

    private func image(width: Int, height: Int) throws -> Image {
        let canvas = render(width: width, height: height)
        return try Image(width: canvas.width, height: canvas.height, channels: 4, pixels: canvas.pixels)
    }
}
