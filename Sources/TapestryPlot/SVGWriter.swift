import Foundation

/// Writes a ``ChartLayout`` as an SVG document.
///
/// Text uses a sans-serif font sized so that its capital letters match the bitmap font's
/// cap height; widths then agree with the raster layout to within a few pixels.
enum SVGWriter {
    static func document(for layout: ChartLayout) -> String {
        var out: [String] = []
        let plot = layout.plot
        let s = Double(layout.scale)
        let fontSize = Double(BitmapFont.capHeight) * s / 0.72  // cap height is about 0.72 em in sans fonts
        out.append(##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(layout.width)" height="\##(layout.height)" viewBox="0 0 \##(layout.width) \##(layout.height)" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="\##(n(fontSize))">"##)
        out.append(##"<rect x="0" y="0" width="\##(layout.width)" height="\##(layout.height)" fill="#ffffff"/>"##)

        if layout.showsGrid {
            out.append(##"<g class="grid" stroke="\##(RasterRenderer.gridColor.hex)" stroke-width="\##(n(s / 2))">"##)
            for tick in layout.xTicks { out.append(##"<line x1="\##(n(tick.position))" y1="\##(n(plot.y))" x2="\##(n(tick.position))" y2="\##(n(plot.maxY))"/>"##) }
            for tick in layout.yTicks { out.append(##"<line x1="\##(n(plot.x))" y1="\##(n(tick.position))" x2="\##(n(plot.maxX))" y2="\##(n(tick.position))"/>"##) }
            out.append("</g>")
        }

        for (series, color) in layout.series {
            out.append(##"<g class="series" data-name="\##(escape(series.name))">"##)
            if series.style != .dots {
                for run in ChartLayout.segments(of: series) {
                    let d = run.map(layout.pixel).enumerated()
                        .map { "\($0.offset == 0 ? "M" : "L")\(n($0.element.x)) \(n($0.element.y))" }.joined(separator: " ")
                    out.append(##"<path d="\##(d)" fill="none" stroke="\##(color.hex)" stroke-width="\##(n(layout.lineWidth))" stroke-linejoin="round" stroke-linecap="round"/>"##)
                }
            }
            if series.style != .line {
                for point in series.points where point.isFinite {
                    let p = layout.pixel(point)
                    out.append(##"<circle cx="\##(n(p.x))" cy="\##(n(p.y))" r="\##(n(layout.dotRadius))" fill="\##(color.hex)"/>"##)
                }
            }
            out.append("</g>")
        }

        out.append(##"<rect class="frame" x="\##(n(plot.x))" y="\##(n(plot.y))" width="\##(n(plot.width))" height="\##(n(plot.height))" fill="none" stroke="#000000" stroke-width="\##(n(s / 2))"/>"##)
        out.append(##"<g class="ticks" stroke="#000000" stroke-width="\##(n(s / 2))">"##)
        for tick in layout.xTicks { out.append(##"<line x1="\##(n(tick.position))" y1="\##(n(plot.maxY))" x2="\##(n(tick.position))" y2="\##(n(plot.maxY + layout.tickLength))"/>"##) }
        for tick in layout.yTicks { out.append(##"<line x1="\##(n(plot.x - layout.tickLength))" y1="\##(n(tick.position))" x2="\##(n(plot.x))" y2="\##(n(tick.position))"/>"##) }
        out.append("</g>")
        for tick in layout.xTicks + layout.yTicks { out.append(text(tick.label, layout)) }
        for label in [layout.title, layout.xLabel, layout.yLabel].compactMap({ $0 }) { out.append(text(label, layout)) }

        if let box = layout.legendBox {
            out.append(##"<g class="legend">"##)
            out.append(##"<rect x="\##(n(box.x))" y="\##(n(box.y))" width="\##(n(box.width))" height="\##(n(box.height))" fill="#ffffff" fill-opacity="0.8" stroke="\##(RasterRenderer.legendBorder.hex)" stroke-width="\##(n(s / 2))"/>"##)
            for entry in layout.legendEntries {
                if entry.series.style != .dots {
                    out.append(##"<line x1="\##(n(entry.sampleStart.x))" y1="\##(n(entry.sampleStart.y))" x2="\##(n(entry.sampleEnd.x))" y2="\##(n(entry.sampleEnd.y))" stroke="\##(entry.color.hex)" stroke-width="\##(n(layout.lineWidth))"/>"##)
                }
                if entry.series.style != .line {
                    out.append(##"<circle cx="\##(n((entry.sampleStart.x + entry.sampleEnd.x) / 2))" cy="\##(n(entry.sampleStart.y))" r="\##(n(layout.dotRadius))" fill="\##(entry.color.hex)"/>"##)
                }
                out.append(text(entry.label, layout))
            }
            out.append("</g>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// SVG places text by its baseline; the layout gives the bitmap glyph's top-left corner,
    /// whose baseline is one cap height lower (or to the right, for vertical text). The anchor
    /// moves along the text to the point the layout aligned (centre of a tick label, …).
    private static func text(_ text: ChartLayout.Text, _ layout: ChartLayout) -> String {
        let cap = Double(BitmapFont.capHeight * layout.scale)
        let width = layout.textWidth(text.string)
        let offset: Double
        let anchor: String
        switch text.alignment {
        case .start: (offset, anchor) = (0, "")
        case .middle: (offset, anchor) = (width / 2, #" text-anchor="middle""#)
        case .end: (offset, anchor) = (width, #" text-anchor="end""#)
        }
        let attributes = anchor + (text.bold ? #" font-weight="bold""# : "")
        if text.vertical {
            let x = text.x + cap, y = text.y - offset
            return ##"<text x="\##(n(x))" y="\##(n(y))" transform="rotate(-90 \##(n(x)) \##(n(y)))"\##(attributes)>\##(escape(text.string))</text>"##
        }
        return ##"<text x="\##(n(text.x + offset))" y="\##(n(text.y + cap))"\##(attributes)>\##(escape(text.string))</text>"##
    }

    /// Coordinates with at most two decimals and no trailing zeros, so output is compact and
    /// identical on every run.
    static func n(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// Escapes the five XML special characters.
    static func escape(_ string: String) -> String {
        var out = ""
        for character in string {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
