import Foundation
import TapestryTraining

/// Saves the model's weights after each epoch (Keras `ModelCheckpoint` with `save_weights_only`).
///
/// `filepath` may hold Python-style fields filled from the epoch (1-based, as Keras prints it)
/// and the epoch's logs: `{epoch}`, `{epoch:02d}`, `{val_loss:.2f}`, `{accuracy:.4f}`.
/// The layout follows the extension, as in ``Model/saveWeights(to:)``.
///
/// ```swift
/// let checkpoint = try ModelCheckpoint(filepath: "ckpt/weights.{epoch:02d}-{val_loss:.2f}.weights.h5",
///                                      monitor: "val_loss", saveBestOnly: true)
/// try model.fit(x: x, y: y, epochs: 30, validationSplit: 0.2, callbacks: [checkpoint])
/// ```
///
/// With `saveBestOnly`, a file is written only when the monitored value improves on the best
/// so far (lower for losses, higher for accuracy-like metrics under `.auto`).
public final class ModelCheckpoint: Callback {
    /// Which direction counts as an improvement.
    public enum Mode: Sendable {
        /// Higher is better for accuracy, AUC, precision and recall (with or without `val_`), lower otherwise.
        case auto
        case min
        case max
    }

    public let filepath: String
    public let monitor: String
    public let saveBestOnly: Bool
    public let mode: Mode
    /// The best monitored value so far (with `saveBestOnly`).
    public private(set) var best: Double
    /// Every path written, in order.
    public private(set) var savedPaths: [String] = []
    private let higherIsBetter: Bool

    /// - Throws: ``WeightsError`` when `filepath` does not end in `.h5` (or `.weights.h5`), or
    ///   ``TrainingError`` when a `{…}` field in it is malformed.
    public init(filepath: String, monitor: String = "val_loss", saveBestOnly: Bool = false, mode: Mode = .auto) throws {
        _ = try KerasWeightsFormat(forPath: filepath)
        _ = try Self.fields(in: filepath)
        self.filepath = filepath
        self.monitor = monitor
        self.saveBestOnly = saveBestOnly
        self.mode = mode
        switch mode {
        case .min: higherIsBetter = false
        case .max: higherIsBetter = true
        case .auto:
            let bare = monitor.hasPrefix("val_") ? String(monitor.dropFirst(4)) : monitor
            higherIsBetter = bare.contains("acc") || ["auc", "precision", "recall"].contains(bare) || bare.hasPrefix("fmeasure")
        }
        best = higherIsBetter ? -.infinity : .infinity
    }

    public func onTrainBegin(model: Model) throws {
        best = higherIsBetter ? -.infinity : .infinity
    }

    public func onEpochEnd(_ epoch: Int, logs: [String: Double], model: Model) throws {
        if saveBestOnly {
            guard let current = logs[monitor] else {
                throw TrainingError("ModelCheckpoint(saveBestOnly: true) monitors '\(monitor)', which is not among the logged values \(logs.keys.sorted())")
            }
            guard higherIsBetter ? current > best : current < best else { return }
            best = current
        }
        let path = try Self.format(filepath, epoch: epoch + 1, logs: logs)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try model.saveWeights(to: path)
        savedPaths.append(path)
    }

    // MARK: Filling in the path

    /// One `{name}` or `{name:spec}` field of the path.
    struct Field {
        let range: Range<String.Index>
        let key: String
        let spec: String
    }

    static func fields(in template: String) throws -> [Field] {
        var fields: [Field] = []
        var index = template.startIndex
        while let open = template[index...].firstIndex(of: "{") {
            guard let close = template[open...].firstIndex(of: "}") else {
                throw TrainingError("ModelCheckpoint: unclosed '{' in filepath '\(template)'")
            }
            let body = template[template.index(after: open)..<close]
            let parts = body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            guard !key.isEmpty else { throw TrainingError("ModelCheckpoint: empty field '{\(body)}' in filepath '\(template)'") }
            fields.append(Field(range: open..<template.index(after: close), key: key, spec: parts.count > 1 ? String(parts[1]) : ""))
            index = template.index(after: close)
        }
        return fields
    }

    /// Fills a filepath template's fields in Python's `str.format` style: `d` for integers
    /// (`02d` zero-pads), `.Nf`/`.Ne` for floats, none for the plain value. `epoch` is 1-based.
    ///
    /// ```swift
    /// try ModelCheckpoint.format("w.{epoch:02d}-{val_loss:.2f}.h5", epoch: 3, logs: ["val_loss": 0.1234])  // "w.03-0.12.h5"
    /// ```
    public static func format(_ template: String, epoch: Int, logs: [String: Double]) throws -> String {
        var result = template
        for field in try fields(in: template).reversed() {
            let value: Double
            if field.key == "epoch" {
                value = Double(epoch)
            } else if let logged = logs[field.key] {
                value = logged
            } else {
                throw TrainingError("ModelCheckpoint: filepath field '{\(field.key)}' is neither 'epoch' nor a logged value \(logs.keys.sorted())")
            }
            result.replaceSubrange(field.range, with: try render(value, spec: field.spec, isEpoch: field.key == "epoch"))
        }
        return result
    }

    private static func render(_ value: Double, spec: String, isEpoch: Bool) throws -> String {
        if spec.isEmpty { return isEpoch ? String(Int(value)) : String(value) }
        guard let kind = spec.last, "dfe".contains(kind) else {
            throw TrainingError("ModelCheckpoint: unsupported format '\(spec)' (use d, 0Nd, .Nf or .Ne)")
        }
        let flags = spec.dropLast()
        guard flags.allSatisfy({ $0.isNumber || $0 == "." }) else {
            throw TrainingError("ModelCheckpoint: unsupported format '\(spec)' (use d, 0Nd, .Nf or .Ne)")
        }
        if kind == "d" { return String(format: "%\(flags)d", Int(value.rounded())) }
        return String(format: "%\(flags)\(kind)", value)
    }
}
