import Foundation
import TapestryImage
import XCTest
@testable import TapestryPlot

/// The tutorial figure end to end: render, encode as PNG, decode again.
///
/// Set TAPESTRY_PLOT_EXPORT to a folder to keep the PNG and SVG for a look by eye.
final class ChartPNGTests: XCTestCase {
    /// Accuracy curves shaped like the Keras cats-vs-dogs tutorial's: training climbs steadily,
    /// validation flattens out around 0.72.
    static func accuracyChart() -> Chart {
        let acc: [Double] = [0.531, 0.598, 0.652, 0.689, 0.713, 0.742, 0.768, 0.781, 0.806, 0.823,
                             0.839, 0.851, 0.869, 0.878, 0.893, 0.902, 0.915, 0.921, 0.934, 0.941]
        let valAcc: [Double] = [0.583, 0.627, 0.655, 0.681, 0.694, 0.705, 0.701, 0.716, 0.712, 0.724,
                                0.719, 0.728, 0.722, 0.731, 0.717, 0.726, 0.733, 0.721, 0.729, 0.724]
        var chart = Chart(title: "Training and validation accuracy", xLabel: "Epochs", yLabel: "Accuracy")
        chart.add(Series(name: "Training acc", values: acc, format: "bo"))
        chart.add(Series(name: "Validation acc", values: valAcc, format: "b"))
        return chart
    }

    func testAccuracyChartPNGRoundTrips() throws {
        let chart = Self.accuracyChart()
        let folder: URL
        if let export = ProcessInfo.processInfo.environment["TAPESTRY_PLOT_EXPORT"] {
            folder = URL(fileURLWithPath: export)
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("TapestryPlotTests-\(UUID().uuidString)")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let png = folder.appendingPathComponent("accuracy.png").path
        try chart.writePNG(to: png)
        try chart.writeSVG(to: folder.appendingPathComponent("accuracy.svg").path)

        let decoded = try Image(contentsOfFile: png)
        let canvas = chart.render()
        XCTAssertEqual(decoded.width, 640)
        XCTAssertEqual(decoded.height, 480)
        XCTAssertEqual(decoded.channels, 4)
        XCTAssertEqual(decoded.pixels, canvas.pixels)
        XCTAssertEqual(try chart.pngData(), try Data(contentsOf: URL(fileURLWithPath: png)))
        if ProcessInfo.processInfo.environment["TAPESTRY_PLOT_EXPORT"] == nil {
            try FileManager.default.removeItem(at: folder)
        }
    }
}
