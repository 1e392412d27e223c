import XCTest
import Foundation
import TapestryImage
import TapestryTraining
@testable import TapestryPlot

final class HistoryPlotsTests: XCTestCase {
    func history() throws -> History {
        // A real History from a short fit, so the keys are the ones fit writes.
        setRandomSeed(2)
        let inputs = Input(shape: [2])
        let model = Model(inputs: inputs, outputs: Dense(1, activation: .sigmoid)(Dense(4, activation: .tanh)(inputs)))
        model.compile(optimizer: Adam(learningRate: 0.05), loss: .binaryCrossentropy, metrics: [.accuracy])
        let x = Tensor<Float>(shape: [8, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1, 0, 0.1, 0.1, 1, 1, 0.1, 0.9, 1])
        let y = Tensor<Float>(shape: [8, 1], scalars: [0, 1, 1, 0, 0, 1, 1, 0])
        return try model.fit(x: x, y: y, batchSize: 4, epochs: 12, validationData: (x, y), verbose: .silent)
    }

    func testWritesAccuracyAndLossFiguresAsValidPNGAndSVG() throws {
        let dir = NSTemporaryDirectory() + "tapestry-curves-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = try history().writeCurves(to: dir)
        XCTAssertEqual(written.map { ($0 as NSString).lastPathComponent }, ["accuracy.png", "accuracy.svg", "loss.png", "loss.svg"])
        let png = try Image(contentsOfFile: dir + "/accuracy.png")
        XCTAssertEqual(png.width, Chart.defaultWidth)
        // Both series colours (matplotlib's blue 'b' for dots and line) and dark legend text appear.
        let blue = stride(from: 0, to: png.pixels.count, by: png.channels).filter { i in
            png.pixels[i] < 60 && png.pixels[i + 1] < 60 && png.pixels[i + 2] > 180
        }.count
        XCTAssertGreaterThan(blue, 200)
        let svg = try String(contentsOfFile: dir + "/loss.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains("Training and validation loss"))
        XCTAssertTrue(svg.contains("Training loss") && svg.contains("Validation loss"))
        if let keep = ProcessInfo.processInfo.environment["TAPESTRY_PLOT_EXPORT"] {
            try? FileManager.default.copyItem(atPath: dir + "/accuracy.png", toPath: keep + "/history-accuracy.png")
        }
    }
}
