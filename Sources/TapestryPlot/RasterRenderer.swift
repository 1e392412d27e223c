/// Draws a ``ChartLayout`` on a ``Canvas``.
enum RasterRenderer {
    static let gridColor = Color(red: 221, green: 221, blue: 221)
    static let legendBorder = Color(red: 204, green: 204, blue: 204)

    static func draw(_ layout: ChartLayout) -> Canvas {
        var canvas = Canvas(width: layout.width, height: layout.height, background: .white)
        let plot = layout.plot
        let s = Double(layout.scale)
        let thin = max(1, (s / 2).rounded())  // frame and grid thickness in whole pixels

        if layout.showsGrid {
            for tick in layout.xTicks {
                canvas.fillRect(x: (tick.position - thin / 2).rounded(), y: plot.y, width: thin, height: plot.height, color: gridColor)
            }
            for tick in layout.yTicks {
                canvas.fillRect(x: plot.x, y: (tick.position - thin / 2).rounded(), width: plot.width, height: thin, color: gridColor)
            }
        }

        for (series, color) in layout.series {
            if series.style != .dots {
                for run in ChartLayout.segments(of: series) {
                    let pixels = run.map(layout.pixel)
                    if pixels.count == 1 {
                        canvas.fillCircle(centerX: pixels[0].x, centerY: pixels[0].y, radius: layout.lineWidth / 2, color: color)
                    }
                    for (a, b) in zip(pixels, pixels.dropFirst()) {
                        canvas.drawLine(from: a, to: b, width: layout.lineWidth, color: color)
                    }
                }
            }
            if series.style != .line {
                for point in series.points where point.isFinite {
                    let p = layout.pixel(point)
                    canvas.fillCircle(centerX: p.x, centerY: p.y, radius: layout.dotRadius, color: color)
                }
            }
        }

        // Frame, then ticks pointing outwards.
        let left = plot.x.rounded(), top = plot.y.rounded(), right = plot.maxX.rounded(), bottom = plot.maxY.rounded()
        canvas.fillRect(x: left - thin, y: top - thin, width: right - left + 2 * thin, height: thin, color: .black)
        canvas.fillRect(x: left - thin, y: bottom, width: right - left + 2 * thin, height: thin, color: .black)
        canvas.fillRect(x: left - thin, y: top, width: thin, height: bottom - top, color: .black)
        canvas.fillRect(x: right, y: top, width: thin, height: bottom - top, color: .black)
        for tick in layout.xTicks {
            canvas.fillRect(x: (tick.position - thin / 2).rounded(), y: bottom + thin, width: thin, height: layout.tickLength, color: .black)
            text(tick.label, layout, &canvas)
        }
        for tick in layout.yTicks {
            canvas.fillRect(x: left - thin - layout.tickLength, y: (tick.position - thin / 2).rounded(), width: layout.tickLength, height: thin, color: .black)
            text(tick.label, layout, &canvas)
        }
        [layout.title, layout.xLabel, layout.yLabel].compactMap { $0 }.forEach { text($0, layout, &canvas) }

        if let box = layout.legendBox {
            canvas.fillRect(x: box.x.rounded(), y: box.y.rounded(), width: box.width.rounded(), height: box.height.rounded(), color: legendBorder)
            canvas.fillRect(x: box.x.rounded() + thin, y: box.y.rounded() + thin,
                            width: box.width.rounded() - 2 * thin, height: box.height.rounded() - 2 * thin, color: .white)
            for entry in layout.legendEntries {
                if entry.series.style != .dots {
                    canvas.drawLine(from: entry.sampleStart, to: entry.sampleEnd, width: layout.lineWidth, color: entry.color)
                }
                if entry.series.style != .line {
                    canvas.fillCircle(centerX: (entry.sampleStart.x + entry.sampleEnd.x) / 2, centerY: entry.sampleStart.y,
                                      radius: layout.dotRadius, color: entry.color)
                }
                text(entry.label, layout, &canvas)
            }
        }
        return canvas
    }

    private static func text(_ text: ChartLayout.Text, _ layout: ChartLayout, _ canvas: inout Canvas) {
        canvas.drawText(text.string, x: Int(text.x.rounded()), y: Int(text.y.rounded()), scale: layout.scale,
                        color: .black, vertical: text.vertical, bold: text.bold)
    }
}
