extension Canvas {
    /// Draws `text` in the ``BitmapFont``, each font pixel a `scale`×`scale` block.
    ///
    /// Horizontal text has its top-left corner at `(x, y)`. Vertical text reads bottom to top
    /// (like a y-axis label) and has its bottom-left corner at `(x, y)`. `bold` doubles each
    /// stroke one pixel to the right.
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 1, color: Color,
                                  vertical: Bool = false, bold: Bool = false) {
        for (index, character) in text.unicodeScalars.enumerated() {
            let rows = BitmapFont.rows(of: character)
            for row in 0..<BitmapFont.glyphHeight {
                for column in 0..<BitmapFont.glyphWidth where rows[row] & (1 << (BitmapFont.glyphWidth - 1 - column)) != 0 {
                    // Offsets along and across the text line, in canvas pixels.
                    let along = (index * BitmapFont.advance + column) * scale
                    let across = row * scale
                    for dy in 0..<scale {
                        for dx in 0..<(scale + (bold ? 1 : 0)) {
                            if vertical {
                                blend(x: x + across + dy, y: y - 1 - (along + dx), color: color, coverage: 1)
                            } else {
                                blend(x: x + along + dx, y: y + across + dy, color: color, coverage: 1)
                            }
                        }
                    }
                }
            }
        }
    }
}
