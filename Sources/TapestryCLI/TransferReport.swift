import Foundation
import Tapestry

/// `report.md` and `report.json`: what ran, on what, and the accuracies this run measured.
struct TransferReport {
    let options: TransferOptions
    let data: TransferData
    let rows: [ResultRow]
    let notes: [String]
    let seconds: Double

    func write(to directory: String) throws {
        var md = "# Tapestry transfer-learning report\n\n"
        md += "- Data: \(data.description)\n"
        md += "- Classes (label 0, 1): \(data.classNames.joined(separator: ", "))\n"
        md += "- Backbone: VGG16 without the top, weights from `\(options.weightsPath)`\n"
        md += "- Head: Flatten → Dense(256, relu) → Dropout(0.5) → Dense(1, sigmoid), RMSprop(2e-5), binary cross-entropy, batch \(options.batchSize)\n"
        md += String(format: "- Total time: %.0f s; seed %llu; BLAS: %@\n\n", seconds, options.seed, BLAS.openBLASConfiguration ?? "reference (not OpenBLAS)")
        md += "| approach | preprocessing | test accuracy | test loss | best val accuracy | epochs | train time |\n|---|---|---|---|---|---|---|\n"
        for r in rows {
            md += String(format: "| %@ | %@ | **%.4f** | %.4f | %.4f | %d | %.0f s |\n", r.approach, r.preprocessing, r.testAccuracy,
                         r.testLoss, r.bestValidationAccuracy, r.epochs, r.seconds)
        }
        if let keras = try kerasRows() {
            md += "\n## Side by side with Keras\n\nKeras's rows from `\(options.kerasResultPath!)` (Benchmarks/keras_transfer.py: the same pipeline on the same image files and weights; each library draws its own initial weights, dropout masks and shuffles):\n\n"
            md += "| approach | preprocessing | test accuracy: Tapestry | Keras | best val accuracy: Tapestry | Keras | train time: Tapestry | Keras |\n|---|---|---|---|---|---|---|---|\n"
            for k in keras {
                let t = rows.first { $0.approach == k.approach && $0.preprocessing == k.preprocessing }
                func cell(_ v: Double?, _ f: String) -> String { v.map { String(format: f, $0) } ?? "—" }
                md += "| \(k.approach) | \(k.preprocessing) | \(cell(t?.testAccuracy, "%.4f")) | \(cell(k.testAccuracy, "%.4f")) | \(cell(t?.bestValidationAccuracy, "%.4f")) | \(cell(k.bestValidationAccuracy, "%.4f")) | \(cell(t?.seconds, "%.0f s")) | \(cell(k.seconds, "%.0f s")) |\n"
            }
        }
        if !notes.isEmpty { md += "\n## Notes\n\n" + notes.map { "- \($0)\n" }.joined() }
        md += "\nCurves: `curves/*/accuracy.png`, `curves/*/loss.png`; histories: `histories/*.csv|json`; weights: `model.weights.h5` (VGG16 + head after fine-tuning), `head.weights.h5`.\n"
        try writeAtomically(md, to: directory + "/report.md")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        struct Summary: Codable { let data: String; let classNames: [String]; let weights: String; let seconds: Double; let results: [ResultRow] }
        try writeAtomically(try encoder.encode(Summary(data: data.description, classNames: data.classNames, weights: options.weightsPath,
                                                       seconds: seconds, results: rows)), to: directory + "/report.json")
    }

    private func kerasRows() throws -> [ResultRow]? {
        guard let path = options.kerasResultPath else { return nil }
        guard let bytes = FileManager.default.contents(atPath: path) else { throw CLIError("--keras-result: cannot read \(path)") }
        struct KerasResult: Codable { let results: [ResultRow] }
        return try JSONDecoder().decode(KerasResult.self, from: bytes).results
    }
}
