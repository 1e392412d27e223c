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
    ///
    /// As Keras: a model that is not a simple chain (branches, merges, several inputs or outputs,
    /// a layer called twice) gets a fourth column, "Connected to" (`dense[0][0]`: layer, call,
    /// output); cells wrap at spaces and cut words that do not fit with `…`; layers not built yet
    /// show `?` and `0 (unbuilt)`.
    public func summary(showTrainable: Bool = false) -> String {
        let chain = isSequentialLike
        // Keras's column widths at its default line lengths (88 for chains, 108 otherwise, +12
        // with the trainable column), as its table library lays them out.
        let widths: [Int]
        switch (chain, showTrainable) {
        case (true, false): widths = [38, 29, 17]
        case (true, true): widths = [39, 31, 16, 9]
        case (false, false): widths = [31, 27, 17, 28]
        case (false, true): widths = [31, 27, 18, 27, 11]
        }
        enum Alignment { case left, right, center }
        let alignments: [Alignment] = (chain ? [.left, .left, .right] : [.left, .left, .right, .left]) + [.center]
        func rule(_ left: String, _ fill: String, _ mid: String, _ right: String) -> String {
            left + widths.map { String(repeating: fill, count: $0) }.joined(separator: mid) + right
        }
        /// Greedy word wrap to `width`; a word longer than a line is cut to fit, ending in `…`.
        func wrap(_ text: String, _ width: Int) -> [String] {
            var lines: [String] = []
            var line = ""
            for word in text.split(separator: " ", omittingEmptySubsequences: true) {
                if line.isEmpty { line = String(word) } else if line.count + 1 + word.count <= width { line += " " + word } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            lines.append(line)
            return lines.map { $0.count > width ? String($0.prefix(width - 1)) + "…" : $0 }
        }
        func pad(_ text: String, _ width: Int, _ alignment: Alignment) -> String {
            let excess = width - text.count
            let before = alignment == .right ? excess : alignment == .center ? excess / 2 : 0
            return " " + String(repeating: " ", count: before) + text + String(repeating: " ", count: excess - before) + " "
        }
        func row(_ cells: [String], _ bar: String) -> [String] {
            let wrapped = zip(cells, widths).map { wrap($0.0, $0.1 - 2) }
            let height = wrapped.map(\.count).max() ?? 1
            return (0..<height).map { k in
                bar + wrapped.indices.map { c in
                    pad(k < wrapped[c].count ? wrapped[c][k] : "", widths[c] - 2, alignments[c])
                }.joined(separator: bar) + bar
            }
        }
        var header = ["Layer (type)", "Output Shape", "Param #"]
        if !chain { header.append("Connected to") }
        if showTrainable { header.append("Trainable") }
        var lines = ["Model: \"\(name)\""]
        lines.append(rule("┏", "━", "┳", "┓"))
        lines += row(header, "┃")
        lines.append(rule("┡", "━", "╇", "┩"))
        let shown = layers
        for (i, layer) in shown.enumerated() {
            let shape = outputShape(of: layer).map(kerasShapeString) ?? "?"
            let params = layer.isBuilt ? formatCount(layer.countParams()) : "0 (unbuilt)"
            var cells = ["\(layer.name) (\(layer.className))", shape, params]
            if !chain { cells.append(connections(of: layer)) }
            if showTrainable { cells.append(layer.weights.isEmpty ? "-" : layer.trainable ? "Y" : "N") }
            lines += row(cells, "│")
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

    /// Keras's test for the 3-column summary: one layer call per depth, each with at most one
    /// input, and no layer called twice. A `Sequential` always qualifies.
    var isSequentialLike: Bool {
        if self is Sequential { return true }
        for nodes in Dictionary(grouping: graphNodeDepths, by: \.depth).values {
            if nodes.count > 1 || nodes[0].node.inputs.count > 1 { return false }
        }
        var seen = Set<ObjectIdentifier>()
        return graphNodeDepths.allSatisfy { seen.insert(ObjectIdentifier($0.node.layer)).inserted }
    }

    /// "Connected to": `layer[call][output]` for each input of each call of `layer` in this graph.
    private func connections(of layer: Layer) -> String {
        let inGraph = Set(graphNodeDepths.map { ObjectIdentifier($0.node) })
        var parts: [String] = []
        for node in layer.inboundNodes where inGraph.contains(ObjectIdentifier(node)) {
            for input in node.inputs {
                guard let producer = input.node else { continue }
                let call = producer.layer.inboundNodes.firstIndex { $0 === producer } ?? 0
                parts.append("\(producer.layer.name)[\(call)][\(input.outputIndex)]")
            }
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
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
