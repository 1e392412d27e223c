/// An RGBA raster image (8 bits per channel, row-major, top row first) with the few
/// antialiased drawing operations a chart needs.
///
/// Pixel `(x, y)` covers the square from `(x, y)` to `(x + 1, y + 1)`, so its centre is at
/// `(x + 0.5, y + 0.5)`; shapes use the same continuous coordinates as the SVG output.
///
/// ```swift
/// var canvas = Canvas(width: 64, height: 32, background: .white)
/// canvas.drawLine(from: (2, 30), to: (60, 2), width: 2, color: .blue)
/// canvas.fillCircle(centerX: 32, centerY: 16, radius: 4, color: .red)
/// canvas[10, 5]   // Color at column 10, row 5
/// ```
public struct Canvas: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes: red, green, blue, alpha for each pixel. Alpha is always 255.
    public private(set) var pixels: [UInt8]

    /// A canvas filled with `background`.
    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "canvas size must be positive, got \(width)x\(height)")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 255, count: width * height * 4)
        for offset in stride(from: 0, to: pixels.count, by: 4) {
            pixels[offset] = background.red
            pixels[offset + 1] = background.green
            pixels[offset + 2] = background.blue
        }
    }

    /// The colour of pixel `(x, y)`.
    public subscript(x: Int, y: Int) -> Color {
        let offset = (y * width + x) * 4
        return Color(red: pixels[offset], green: pixels[offset + 1], blue: pixels[offset + 2])
    }

    /// Paints pixel `(x, y)` with `color` at opacity `coverage` (0...1); outside the canvas it does nothing.
    public mutating func blend(x: Int, y: Int, color: Color, coverage: Double) {
        guard x >= 0, y >= 0, x < width, y < height, coverage > 0 else { return }
        let offset = (y * width + x) * 4
        let mixed = coverage >= 1 ? color : color.blended(over: self[x, y], alpha: coverage)
        pixels[offset] = mixed.red
        pixels[offset + 1] = mixed.green
        pixels[offset + 2] = mixed.blue
    }

    /// Fills the pixels whose centres lie inside the rectangle, with no antialiasing, which keeps
    /// axis frames, grid lines and ticks crisp.
    public mutating func fillRect(x: Double, y: Double, width w: Double, height h: Double, color: Color) {
        let x0 = max(0, Int((x - 0.5).rounded(.up))), x1 = min(width, Int((x + w - 0.5).rounded(.up)))
        let y0 = max(0, Int((y - 0.5).rounded(.up))), y1 = min(height, Int((y + h - 0.5).rounded(.up)))
        guard x0 < x1, y0 < y1 else { return }
        for py in y0..<y1 {
            for px in x0..<x1 { blend(x: px, y: py, color: color, coverage: 1) }
        }
    }

    /// Draws an antialiased straight line of the given width with round ends.
    ///
    /// Each pixel's opacity is how far its centre lies inside the stroke, in pixels, clamped
    /// to 0...1: a cheap coverage estimate that is exact for long lines and looks smooth.
    public mutating func drawLine(from start: (x: Double, y: Double), to end: (x: Double, y: Double), width lineWidth: Double, color: Color) {
        let half = lineWidth / 2
        let dx = end.x - start.x, dy = end.y - start.y
        let lengthSquared = dx * dx + dy * dy
        stamp(minX: min(start.x, end.x) - half, maxX: max(start.x, end.x) + half,
              minY: min(start.y, end.y) - half, maxY: max(start.y, end.y) + half, color: color) { px, py in
            var t = lengthSquared > 0 ? ((px - start.x) * dx + (py - start.y) * dy) / lengthSquared : 0
            t = min(1, max(0, t))
            let cx = start.x + t * dx - px, cy = start.y + t * dy - py
            return half + 0.5 - (cx * cx + cy * cy).squareRoot()
        }
    }

    /// Fills an antialiased circle.
    public mutating func fillCircle(centerX: Double, centerY: Double, radius: Double, color: Color) {
        stamp(minX: centerX - radius, maxX: centerX + radius, minY: centerY - radius, maxY: centerY + radius, color: color) { px, py in
            let dx = px - centerX, dy = py - centerY
            return radius + 0.5 - (dx * dx + dy * dy).squareRoot()
        }
    }

    /// Visits the pixels around a shape's bounding box and blends each by the coverage that
    /// `coverage(centreX, centreY)` returns (clamped to 0...1).
    private mutating func stamp(minX: Double, maxX: Double, minY: Double, maxY: Double, color: Color,
                                coverage: (Double, Double) -> Double) {
        let x0 = max(0, Int(minX.rounded(.down)) - 1), x1 = min(width - 1, Int(maxX.rounded(.up)) + 1)
        let y0 = max(0, Int(minY.rounded(.down)) - 1), y1 = min(height - 1, Int(maxY.rounded(.up)) + 1)
        guard x0 <= x1, y0 <= y1 else { return }
        for py in y0...y1 {
            for px in x0...x1 {
                let amount = min(1, coverage(Double(px) + 0.5, Double(py) + 0.5))
                if amount > 0 { blend(x: px, y: py, color: color, coverage: amount) }
            }
        }
    }
}
