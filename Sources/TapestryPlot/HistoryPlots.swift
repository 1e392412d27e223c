import Foundation
import TapestryTraining

extension History {
    /// The tutorials' two figures: training (dots) and validation (line) accuracy, and the same
    /// for loss, one point per epoch.
    ///
    /// The accuracy chart uses the first metric key that is not the loss (`accuracy` for
    /// `metrics: [.accuracy]`); a history without validation values plots the training curve only.
    public func charts() -> [(name: String, chart: Chart)] {
        var result: [(String, Chart)] = []
        let metric = keys.first { !$0.hasPrefix("val_") && $0 != "loss" }
        for key in [metric, "loss"].compactMap({ $0 }) {
            let label = key == "loss" ? "loss" : key
            var chart = Chart(title: "Training and validation \(label)", xLabel: "Epochs", yLabel: label.capitalized)
            chart.add(Series(name: "Training \(label)", values: self[key], format: "bo"))
            if !self["val_" + key].isEmpty { chart.add(Series(name: "Validation \(label)", values: self["val_" + key], format: "b")) }
            result.append((key, chart))
        }
        return result
    }

    /// Writes `<metric>.png`, `<metric>.svg`, `loss.png` and `loss.svg` into `directory` and
    /// returns their paths. Each file is written to a temporary name and renamed into place.
    @discardableResult
    public func writeCurves(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        for (name, chart) in charts() {
            let base = (directory as NSString).appendingPathComponent(name)
            try chart.writePNG(to: base + ".png")
            try chart.writeSVG(to: base + ".svg")
            written += [base + ".png", base + ".svg"]
        }
        return written
    }
}
