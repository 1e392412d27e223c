/// What `fit` recorded: one value per epoch for the loss and each metric, under Keras's keys
/// (`loss`, `accuracy`, `val_loss`, `val_accuracy`, …).
///
/// ```swift
/// let history = try model.fit(x: x, y: y, epochs: 30, validationData: (vx, vy))
/// print(history["val_accuracy"].max()!)
/// ```
public final class History: CustomStringConvertible {
    public private(set) var history: [String: [Double]] = [:]
    public private(set) var epochs: [Int] = []

    public init() {}

    public subscript(key: String) -> [Double] { history[key] ?? [] }

    /// The keys in Keras's display order: training entries sorted, then validation ones.
    public var keys: [String] { history.keys.sorted { orderKey($0) < orderKey($1) } }

    func record(epoch: Int, logs: [String: Double]) {
        epochs.append(epoch)
        for (k, v) in logs { history[k, default: []].append(v) }
    }

    public var description: String {
        keys.map { key in "\(key): [" + self[key].map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]" }
            .joined(separator: "\n")
    }
}

/// Sorts `val_` keys after the others, each group alphabetically.
func orderKey(_ key: String) -> String { key.hasPrefix("val_") ? "1" + key : "0" + key }

import Foundation
