import Foundation

/// Keras-style default names: the class name in snake case, then `_1`, `_2`, … for later
/// layers of the same kind (`dense`, `dense_1`, …), counted per process like Keras's uids.
package enum LayerNames {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var counts: [String: Int] = [:]

    static func unique(_ prefix: String) -> String {
        lock.lock(); defer { lock.unlock() }
        let n = counts[prefix, default: 0]
        counts[prefix] = n + 1
        return n == 0 ? prefix : "\(prefix)_\(n)"
    }

    static func reset() {
        lock.lock(); defer { lock.unlock() }
        counts = [:]
    }

    /// Keras's `to_snake_case`: `MaxPooling2D` → `max_pooling2d`, `Conv2D` → `conv2d`.
    /// Package-visible so the weights writer names Keras 3 groups (`layers/conv2d_1`) the same way.
    package static func snakeCase(_ name: String) -> String {
        var step1 = name.replacingOccurrences(of: "(.)([A-Z][a-z0-9]+)", with: "$1_$2", options: .regularExpression)
        step1 = step1.replacingOccurrences(of: "([a-z])([A-Z])", with: "$1_$2", options: .regularExpression)
        return step1.lowercased()
    }
}

/// Resets default layer naming, like `keras.backend.clear_session()`: the next Dense is `dense` again.
public func clearSession() { LayerNames.reset() }
