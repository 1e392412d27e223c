/// Where everything goes on a chart of a given pixel size.
///
/// The SVG writer and the raster renderer both draw from this one layout, so the two
/// outputs agree on positions. Sizes scale with the canvas through ``scale``, the size of
/// one bitmap-font pixel (2 at matplotlib's default 640×480).
struct ChartLayout {
    struct Rect: Equatable {
        var x: Double, y: Double, width: Double, height: Double
        var maxX: Double { x + width }
        var maxY: Double { y + height }
        func contains(_ px: Double, _ py: Double) -> Bool { px >= x && px <= maxX && py >= y && py <= maxY }
    }

    /// A piece of text; `(x, y)` is its top-left corner before rotation. Vertical text
    /// (the y label) reads bottom to top, with `(x, y)` its bottom-left corner on the page.
    struct Text {
        /// Which point of the text the layout lines up: SVG fonts are wider or narrower than
        /// the bitmap font, so the SVG writer anchors there instead of at the left edge.
        enum Alignment { case start, middle, end }

        var string: String
        var x: Double, y: Double
        var alignment = Alignment.start
        var vertical = false
        var bold = false
    }

    struct Tick {
        var position: Double
        var label: Text
    }

    struct LegendEntry {
        var series: Series
        var color: Color
        var sampleStart: (x: Double, y: Double)
        var sampleEnd: (x: Double, y: Double)
        var label: Text
    }

    let width: Int
    let height: Int
    let scale: Int
    let plot: Rect
    let xAxis: Axis
    let yAxis: Axis
    let xTicks: [Tick]
    let yTicks: [Tick]
    let title: Text?
    let xLabel: Text?
    let yLabel: Text?
    /// Each series with its resolved colour, in drawing order.
    let series: [(series: Series, color: Color)]
    let legendBox: Rect?
    let legendEntries: [LegendEntry]
    let showsGrid: Bool

    var tickLength: Double { Double(3 * scale) }
    var lineWidth: Double { Double(scale) }
    var dotRadius: Double { 2.25 * Double(scale) }
    var textHeight: Double { Double(BitmapFont.glyphHeight * scale) }

    func textWidth(_ string: String) -> Double { Double(BitmapFont.width(of: string, scale: scale)) }

    /// Maps a data point to pixel coordinates (y grows downwards).
    func pixel(_ point: Series.Point) -> (x: Double, y: Double) {
        (xAxis.position(of: point.x, start: plot.x, end: plot.maxX),
         yAxis.position(of: point.y, start: plot.maxY, end: plot.y))
    }

    init(chart: Chart, width: Int, height: Int) {
        self.width = width
        self.height = height
        let s = max(1, min(width, height) / 240)
        scale = s
        showsGrid = chart.showsGrid
        let sd = Double(s)
        let textH = Double(BitmapFont.glyphHeight * s)
        func textW(_ string: String) -> Double { Double(BitmapFont.width(of: string, scale: s)) }
        let pad = 5 * sd
        let tickLength = 3 * sd

        var palette = Color.cycle.makeIterator()
        series = chart.series.map { ($0, $0.color ?? palette.next() ?? .black) }

        let finite = chart.series.flatMap { $0.points.filter(\.isFinite) }
        let allIntegerX = !finite.isEmpty && finite.allSatisfy { $0.x.rounded() == $0.x }

        // Vertical space does not depend on the tick labels, so the y axis comes first;
        // its label widths then decide the left margin and so the x axis length.
        let top = pad + (chart.title.isEmpty ? 0 : textH + 4 * sd)
        let bottom = tickLength + 2 * sd + textH + (chart.xLabel.isEmpty ? 0 : 3 * sd + textH) + pad
        let plotHeight = max(1, Double(height) - top - bottom)
        yAxis = Axis(values: finite.map(\.y), maxTicks: max(2, min(9, Int(plotHeight / (2.5 * textH)))), integers: false)
        let yLabelWidth = yAxis.labels.map(textW).max() ?? 0
        let left = pad + (chart.yLabel.isEmpty ? 0 : textH + 3 * sd) + yLabelWidth + 2 * sd + tickLength

        // Leave room for half of a right-most tick label that is centred on the frame.
        let roughWidth = max(1, Double(width) - left - pad)
        let xMaxTicks = max(2, min(10, Int(roughWidth / (textW("0.000") + 6 * sd))))
        xAxis = Axis(values: finite.map(\.x), maxTicks: xMaxTicks, integers: allIntegerX)
        let overhang = (xAxis.labels.last.map(textW) ?? 0) / 2
        let right = max(pad, overhang + sd)
        plot = Rect(x: left, y: top, width: max(1, Double(width) - left - right), height: plotHeight)

        let plotRect = plot
        let xAxisCopy = xAxis, yAxisCopy = yAxis
        xTicks = zip(xAxis.ticks, xAxis.labels).map { value, label in
            let x = xAxisCopy.position(of: value, start: plotRect.x, end: plotRect.maxX)
            return Tick(position: x, label: Text(string: label, x: x - textW(label) / 2,
                                                 y: plotRect.maxY + tickLength + 2 * sd, alignment: .middle))
        }
        yTicks = zip(yAxis.ticks, yAxis.labels).map { value, label in
            let y = yAxisCopy.position(of: value, start: plotRect.maxY, end: plotRect.y)
            // Centre the digits (cap height), not the descender row, on the tick.
            return Tick(position: y, label: Text(string: label, x: plotRect.x - tickLength - 2 * sd - textW(label),
                                                 y: y - Double(BitmapFont.capHeight * s) / 2, alignment: .end))
        }
        title = chart.title.isEmpty ? nil
            : Text(string: chart.title, x: plot.x + (plot.width - textW(chart.title)) / 2, y: pad, alignment: .middle, bold: true)
        xLabel = chart.xLabel.isEmpty ? nil
            : Text(string: chart.xLabel, x: plot.x + (plot.width - textW(chart.xLabel)) / 2,
                   y: plot.maxY + tickLength + 2 * sd + textH + 3 * sd, alignment: .middle)
        yLabel = chart.yLabel.isEmpty ? nil
            : Text(string: chart.yLabel, x: pad, y: plot.y + (plot.height + textW(chart.yLabel)) / 2,
                   alignment: .middle, vertical: true)

        // Legend
        let named = series.filter { !$0.series.name.isEmpty }
        if chart.showsLegend && !named.isEmpty {
            let sampleWidth = 12 * sd
            let inner = 4 * sd
            let rowHeight = textH + 3 * sd
            let boxWidth = inner * 2 + sampleWidth + 4 * sd + (named.map { textW($0.series.name) }.max() ?? 0)
            let boxHeight = inner * 2 + rowHeight * Double(named.count) - 3 * sd
            let inset = 5 * sd
            // matplotlib's "best": the first corner, in its order, that covers the fewest points.
            let corners = [
                (plot.maxX - inset - boxWidth, plot.y + inset),               // upper right
                (plot.x + inset, plot.y + inset),                             // upper left
                (plot.x + inset, plot.maxY - inset - boxHeight),              // lower left
                (plot.maxX - inset - boxWidth, plot.maxY - inset - boxHeight), // lower right
            ].map { Rect(x: $0.0, y: $0.1, width: boxWidth, height: boxHeight) }
            let samples = Self.coverageSamples(series.map(\.series), xAxis: xAxis, yAxis: yAxis, plot: plot)
            let box = corners.min { a, b in
                samples.filter { a.contains($0.x, $0.y) }.count < samples.filter { b.contains($0.x, $0.y) }.count
            }!
            legendBox = box
            legendEntries = named.enumerated().map { index, item in
                let rowTop = box.y + inner + Double(index) * rowHeight
                let midY = rowTop + Double(BitmapFont.capHeight * s) / 2
                return LegendEntry(series: item.series, color: item.color,
                                   sampleStart: (box.x + inner, midY), sampleEnd: (box.x + inner + sampleWidth, midY),
                                   label: Text(string: item.series.name, x: box.x + inner + sampleWidth + 4 * sd, y: rowTop))
            }
        } else {
            legendBox = nil
            legendEntries = []
        }
    }

    /// Pixel positions of every point and of points along each line, for placing the legend
    /// where it hides the least of the data.
    private static func coverageSamples(_ series: [Series], xAxis: Axis, yAxis: Axis, plot: Rect) -> [(x: Double, y: Double)] {
        func pixel(_ p: Series.Point) -> (x: Double, y: Double) {
            (xAxis.position(of: p.x, start: plot.x, end: plot.maxX), yAxis.position(of: p.y, start: plot.maxY, end: plot.y))
        }
        var samples: [(x: Double, y: Double)] = []
        for item in series {
            let points = item.points.filter(\.isFinite).map(pixel)
            samples += points
            guard item.style != .dots else { continue }
            for (a, b) in zip(points, points.dropFirst()) {
                for t in stride(from: 0.125, to: 1, by: 0.125) {
                    samples.append((a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t))
                }
            }
        }
        return samples
    }

    /// The runs of consecutive finite points of a line series; a non-finite value breaks the line.
    static func segments(of series: Series) -> [[Series.Point]] {
        var runs: [[Series.Point]] = [[]]
        for point in series.points {
            if point.isFinite { runs[runs.count - 1].append(point) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        return runs.filter { !$0.isEmpty }
    }
}
