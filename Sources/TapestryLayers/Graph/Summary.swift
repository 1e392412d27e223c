import Foundation

extension Model {
    /// Keras 3's model summary: one row per layer (a nested model is one row), then the total,
    /// trainable and non-trainable parameter counts with their size as float32. The counts
    /// follow freezing. The text is Keras's exactly, down to the final newline (print it with
    /// `print(model.summary(), terminator: "")`).
    ///
    /// ```
    /// Model: "vgg16"
    /// ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
    /// ┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
    /// …
    ///  Total params: 14,714,688 (56.13 MB)
    /// ```
    ///
    /// `showTrainable` adds Keras's `show_trainable=True` column: `Y` or `N` for layers with
    /// weights, `-` for the others.
    public func summary(showTrainable: Bool = false) -> String {
        // Keras's widths at its default line length (88, or 100 with the trainable column).
        let widths = showTrainable ? [39, 31, 16, 9] : [38, 29, 17]
        enum Alignment { case left, right, center }
        let alignments: [Alignment] = [.left, .left, .right, .center]
        func rule(_ left: String, _ fill: String, _ mid: String, _ right: String) -> String {
            left + widths.map { String(repeating: fill, count: $0) }.joined(separator: mid) + right
        }
        func cell(_ text: String, _ width: Int, _ alignment: Alignment) -> String {
            let inner = width - 2
            let t = text.count > inner ? String(text.prefix(inner - 1)) + "…" : text
            let excess = inner - t.count
            let (before, after): (Int, Int)
            switch alignment {
            case .left: (before, after) = (0, excess)
            case .right: (before, after) = (excess, 0)
            case .center: (before, after) = (excess / 2, excess - excess / 2)
            }
            return " " + String(repeating: " ", count: before) + t + String(repeating: " ", count: after) + " "
        }
        func row(_ cells: [String], _ bar: String) -> String {
            bar + zip(cells, widths).enumerated().map { cell($0.element.0, $0.element.1, alignments[$0.offset]) }
                .joined(separator: bar) + bar
        }
        let header = ["Layer (type)", "Output Shape", "Param #"] + (showTrainable ? ["Trainable"] : [])
        var lines = ["Model: \"\(name)\""]
        lines.append(rule("┏", "━", "┳", "┓"))
        lines.append(row(header, "┃"))
        lines.append(rule("┡", "━", "╇", "┩"))
        let shown = layers
        for (i, layer) in shown.enumerated() {
            let shape = outputShape(of: layer).map(kerasShapeString) ?? "?"
            var cells = ["\(layer.name) (\(layer.className))", shape, formatCount(layer.countParams())]
            if showTrainable { cells.append(layer.weights.isEmpty ? "-" : layer.trainable ? "Y" : "N") }
            lines.append(row(cells, "│"))
            lines.append(i == shown.count - 1 ? rule("└", "─", "┴", "┘") : rule("├", "─", "┼", "┤"))
        }
        if shown.isEmpty { lines.append(rule("└", "─", "┴", "┘")) }
        let total = countParams()
        let trainableCount = trainableWeights.reduce(0) { $0 + $1.value.count }
        let frozenCount = nonTrainableWeights.reduce(0) { $0 + $1.value.count }
        lines.append(" Total params: \(formatCount(total)) (\(formatBytes(total * 4)))")
        lines.append(" Trainable params: \(formatCount(trainableCount)) (\(formatBytes(trainableCount * 4)))")
        lines.append(" Non-trainable params: \(formatCount(frozenCount)) (\(formatBytes(frozenCount * 4)))")
        // Keras's text ends with a newline after the last count line.
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `14714688` → `14,714,688`.
func formatCount(_ n: Int) -> String {
    let digits = Array(String(n))
    var out = ""
    for (i, d) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(d)
    }
    return out
}

/// Keras's `readable_memory_size`: powers of 1024 with two decimals (`56.13 MB`, `0.00 B`).
func formatBytes(_ bytes: Int) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"]
    var size = Double(bytes), unit = 0
    while size >= 1024 && unit < units.count - 1 { size /= 1024; unit += 1 }
    return String(format: "%.2f %@", size, units[unit])
}
