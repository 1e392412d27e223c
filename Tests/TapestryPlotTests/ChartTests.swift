import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import TapestryPlot

final class ChartTests: XCTestCase {
    private func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    func testSVGHasTitleLabelsLegendAndOneCirclePerPoint() {
        let chart = ChartPNGTests.accuracyChart()
        let svg = chart.svg()
        XCTAssertTrue(svg.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480""#))
        XCTAssertTrue(svg.contains(">Training and validation accuracy</text>"))
        XCTAssertTrue(svg.contains(">Epochs</text>"))
        XCTAssertTrue(svg.contains(">Accuracy</text>"))
        XCTAssertTrue(svg.contains(">Training acc</text>"))
        XCTAssertTrue(svg.contains(">Validation acc</text>"))
        // 20 dots for the training series plus the legend's sample dot; one path for validation.
        XCTAssertEqual(count("<circle", in: svg), 21)
        XCTAssertEqual(count("<path", in: svg), 1)
        XCTAssertEqual(count("fill=\"#0000ff\"", in: svg), 21)
        let path = svg.components(separatedBy: "<path d=\"")[1].components(separatedBy: "\"")[0]
        XCTAssertEqual(count("L", in: path), 19)
        XCTAssertTrue(svg.contains(">0.70</text>"))
        XCTAssertTrue(svg.contains(">20</text>"))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
    }

    func testSVGIsWellFormedAndEscapesText() {
        var chart = Chart(title: "loss < 1 & \"acc\" > 0", xLabel: "x", yLabel: "y")
        chart.add(Series(name: "a<b", values: [1.0, 2.0]))
        let svg = chart.svg(width: 320, height: 240)
        XCTAssertTrue(svg.contains("loss &lt; 1 &amp; &quot;acc&quot; &gt; 0"))
        XCTAssertTrue(svg.contains(">a&lt;b</text>"))
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "\(String(describing: parser.parserError))")
    }

    func testNonFiniteValuesAreSkippedAndBreakLines() {
        var chart = Chart()
        chart.add(Series(name: "loss", values: [1.0, 0.8, .nan, 0.5, 0.4], style: .lineAndDots, color: .red))
        let svg = chart.svg()
        XCTAssertEqual(count("<path", in: svg), 2)
        XCTAssertEqual(count("<circle", in: svg), 4 + 1)
        XCTAssertFalse(svg.lowercased().contains("nan"))
    }

    func testCanvasHasSeriesColourAtEveryDotAndAlongTheLine() {
        let chart = ChartPNGTests.accuracyChart()
        let canvas = chart.render()
        let layout = ChartLayout(chart: chart, width: 640, height: 480)
        XCTAssertEqual(canvas.width, 640)
        XCTAssertEqual(canvas.pixels.count, 640 * 480 * 4)
        for point in chart.series[0].points {
            let p = layout.pixel(point)
            XCTAssertEqual(canvas[Int(p.x), Int(p.y)], .blue, "dot at \(point)")
        }
        let line = chart.series[1].points.map(layout.pixel)
        for (a, b) in zip(line, line.dropFirst()) {
            XCTAssertEqual(canvas[Int((a.x + b.x) / 2), Int((a.y + b.y) / 2)].blue, 255)
            XCTAssertLessThan(canvas[Int((a.x + b.x) / 2), Int((a.y + b.y) / 2)].red, 100, "line midpoint between \(a) and \(b)")
        }
        // Blue appears only inside the plot area and the legend.
        let plot = layout.plot
        let legend = layout.legendBox!
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas[x, y] == .blue {
                let inPlot = plot.contains(Double(x), Double(y))
                let inLegend = legend.contains(Double(x), Double(y))
                XCTAssertTrue(inPlot || inLegend, "stray blue at (\(x), \(y))")
            }
        }
        XCTAssertEqual(canvas[0, 0], .white)
        XCTAssertEqual(canvas[639, 479], .white)
    }

    func testTextAndFrameAreDrawnInBlack() {
        let chart = ChartPNGTests.accuracyChart()
        let canvas = chart.render()
        let layout = ChartLayout(chart: chart, width: 640, height: 480)
        func blackPixels(x: ClosedRange<Int>, y: ClosedRange<Int>) -> Int {
            y.reduce(0) { total, py in total + x.filter { canvas[$0, py] == .black }.count }
        }
        let title = layout.title!
        let titleWidth = BitmapFont.width(of: title.string, scale: layout.scale)
        XCTAssertGreaterThan(blackPixels(x: Int(title.x)...(Int(title.x) + titleWidth), y: Int(title.y)...(Int(title.y) + 16)), 300)
        XCTAssertEqual(blackPixels(x: 0...639, y: 0...Int(title.y) - 1), 0)
        // The frame's left edge is black from top to bottom.
        let left = Int(layout.plot.x.rounded()) - 1
        XCTAssertTrue((Int(layout.plot.y)..<Int(layout.plot.maxY)).allSatisfy { canvas[left, $0] == .black })
    }

    func testLegendAvoidsTheData() {
        // Rising curve: the upper right is full, so the legend goes to the upper left.
        var rising = Chart()
        rising.add(Series(name: "up", values: (1...10).map { Double($0) }, style: .dots))
        let risingLayout = ChartLayout(chart: rising, width: 640, height: 480)
        XCTAssertEqual(risingLayout.legendBox!.x, risingLayout.plot.x + 10)
        XCTAssertEqual(risingLayout.legendBox!.y, risingLayout.plot.y + 10)
        // Falling loss curve: the upper right is free, matplotlib's first choice.
        var falling = Chart()
        falling.add(Series(name: "loss", values: (1...10).map { 1 / Double($0) }, style: .line))
        let fallingLayout = ChartLayout(chart: falling, width: 640, height: 480)
        XCTAssertEqual(fallingLayout.legendBox!.maxX, fallingLayout.plot.maxX - 10)
        XCTAssertEqual(fallingLayout.legendBox!.y, fallingLayout.plot.y + 10)
        // No names or legend switched off: no legend.
        var unnamed = Chart()
        unnamed.add(Series(name: "", values: [1.0, 2.0]))
        XCTAssertNil(ChartLayout(chart: unnamed, width: 640, height: 480).legendBox)
        var off = rising
        off.showsLegend = false
        XCTAssertFalse(off.svg().contains("class=\"legend\""))
    }

    func testRenderingIsDeterministic() {
        let a = ChartPNGTests.accuracyChart()
        let b = ChartPNGTests.accuracyChart()
        XCTAssertEqual(a.svg(), b.svg())
        XCTAssertEqual(a.render(), b.render())
        XCTAssertEqual(a.render(width: 300, height: 200), a.render(width: 300, height: 200))
    }

    func testGridIsOptional() {
        var chart = ChartPNGTests.accuracyChart()
        XCTAssertFalse(chart.svg().contains("class=\"grid\""))
        let plain = chart.render()
        chart.showsGrid = true
        XCTAssertTrue(chart.svg().contains("class=\"grid\""))
        let gridded = chart.render()
        let grey = RasterRenderer.gridColor
        XCTAssertEqual(plain.pixels.count, gridded.pixels.count)
        let greyCount = (0..<480).reduce(0) { total, y in total + (0..<640).filter { gridded[$0, y] == grey }.count }
        XCTAssertGreaterThan(greyCount, 1000)
        XCTAssertEqual((0..<480).reduce(0) { total, y in total + (0..<640).filter { plain[$0, y] == grey }.count }, 0)
    }

    func testMatplotlibFormatsAndColourCycle() {
        let dots = Series(name: "t", values: [1.0], format: "bo")
        XCTAssertEqual(dots.style, .dots)
        XCTAssertEqual(dots.color, .blue)
        let line = Series(name: "v", values: [1.0], format: "r")
        XCTAssertEqual(line.style, .line)
        XCTAssertEqual(line.color, .red)
        XCTAssertEqual(Series(name: "x", values: [1.0], format: "o-").style, .lineAndDots)
        XCTAssertNil(Series(name: "x", values: [1.0], format: "o-").color)
        XCTAssertEqual(Series(name: "e", values: [Float(0.5), 0.25]).points, [.init(x: 1, y: 0.5), .init(x: 2, y: 0.25)])

        var chart = Chart()
        chart.add(Series(name: "a", values: [1.0, 2.0]))
        chart.add(Series(name: "b", values: [1.0, 2.0], color: .black))
        chart.add(Series(name: "c", values: [1.0, 2.0]))
        let colours = ChartLayout(chart: chart, width: 640, height: 480).series.map(\.color)
        XCTAssertEqual(colours, [Color.cycle[0], .black, Color.cycle[1]])
        XCTAssertEqual(Color.cycle[0].hex, "#1f77b4")
    }

    func testSmallAndEmptyCharts() {
        let empty = Chart(title: "nothing yet")
        XCTAssertEqual(empty.render(width: 200, height: 100).width, 200)
        XCTAssertTrue(empty.svg().contains(">nothing yet</text>"))
        var single = Chart()
        single.add(Series(name: "one", values: [0.5], style: .dots))
        XCTAssertEqual(count("<circle", in: single.svg()), 2)
        XCTAssertEqual(single.render(width: 16, height: 16).pixels.count, 16 * 16 * 4)
    }

    func testWriteSVGReplacesTheFileWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("TapestryPlotTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("chart.svg").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        let chart = ChartPNGTests.accuracyChart()
        try chart.writeSVG(to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), chart.svg())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["chart.svg"])
    }
}
