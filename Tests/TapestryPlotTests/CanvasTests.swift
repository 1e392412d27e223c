import XCTest
@testable import TapestryPlot

final class CanvasTests: XCTestCase {
    func testBackgroundAndOpaqueAlpha() {
        let canvas = Canvas(width: 3, height: 2, background: Color(red: 1, green: 2, blue: 3))
        XCTAssertEqual(canvas.pixels.count, 24)
        XCTAssertEqual(Array(canvas.pixels[20..<24]), [1, 2, 3, 255])
    }

    func testFillRectCoversPixelCentresOnly() {
        var canvas = Canvas(width: 10, height: 10)
        canvas.fillRect(x: 2, y: 3, width: 3, height: 1, color: .red)
        XCTAssertEqual(canvas[2, 3], .red)
        XCTAssertEqual(canvas[4, 3], .red)
        XCTAssertEqual(canvas[5, 3], .white)
        XCTAssertEqual(canvas[2, 4], .white)
        XCTAssertEqual(canvas.pixels.filter { $0 == 0 }.count, 3 * 2)  // 3 red pixels, green and blue 0
    }

    func testAntialiasedLineIsSolidOnItsAxisAndFadesAtItsEdges() {
        var canvas = Canvas(width: 40, height: 20)
        // A 2-pixel stroke from y = 9.25 to 11.25: row 10 lies inside, row 9 is 3/4 covered, row 11 1/4.
        canvas.drawLine(from: (5, 10.25), to: (35, 10.25), width: 2, color: .blue)
        XCTAssertEqual(canvas[20, 10], .blue)
        XCTAssertEqual(canvas[20, 9], Color(red: 64, green: 64, blue: 255))
        XCTAssertEqual(canvas[20, 11], Color(red: 191, green: 191, blue: 255))
        XCTAssertEqual(canvas[20, 12], .white)
        XCTAssertEqual(canvas[20, 8], .white)
        XCTAssertEqual(canvas[38, 10], .white)   // beyond the round cap
        // Round cap: pixel centre (35.5, 10.5) is 0.56 from the end point, so coverage
        // 1.5 - 0.56 = 0.94 leaves red at 255 × 0.06 = 15; the next column is outside.
        XCTAssertEqual(canvas[35, 10].red, 15)
        XCTAssertEqual(canvas[36, 10], .white)
    }

    func testCircleAndClipping() {
        var canvas = Canvas(width: 10, height: 10)
        canvas.fillCircle(centerX: 5, centerY: 5, radius: 2, color: .green)
        XCTAssertEqual(canvas[4, 4], .green)
        XCTAssertEqual(canvas[5, 5], .green)
        XCTAssertEqual(canvas[0, 0], .white)
        XCTAssertEqual(canvas[8, 5], .white)
        // Shapes partly or wholly outside the canvas are clipped without trapping.
        canvas.fillCircle(centerX: -3, centerY: 50, radius: 10, color: .red)
        canvas.drawLine(from: (-20, -20), to: (30, 30), width: 3, color: .red)
        XCTAssertEqual(canvas[9, 9], .red)
    }
}
