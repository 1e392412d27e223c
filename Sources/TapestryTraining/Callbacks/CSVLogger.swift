import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes one CSV row per epoch — `epoch` then the logged values in Keras's order (Keras
/// `CSVLogger`). The file is rewritten through a temporary file and a rename after every epoch,
/// so it is never left half-written.
public final class CSVLogger: Callback {
    public let path: String
    public let separator: String
    private var rows: [(Int, [String: Double])] = []

    public init(_ path: String, separator: String = ",") {
        self.path = path; self.separator = separator
    }

    public func onTrainBegin(model: Model) throws { rows = [] }

    public func onEpochEnd(_ epoch: Int, logs: [String: Double], model: Model) throws {
        rows.append((epoch, logs))
        let keys = logs.keys.sorted { orderKey($0) < orderKey($1) }
        var text = (["epoch"] + keys).joined(separator: separator) + "\n"
        for (e, values) in rows {
            text += ([String(e)] + keys.map { values[$0].map { String($0) } ?? "" }).joined(separator: separator) + "\n"
        }
        try writeAtomically(text, to: path)
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it into place.
public func writeAtomically(_ text: String, to path: String) throws {
    try writeAtomically(Data(text.utf8), to: path)
}

/// Writes `data` to a temporary file beside `path`, then renames it into place.
public func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
        try data.write(to: temp)
        // rename(2) replaces the target in one step: readers see the old file or the new one.
        guard rename(temp.path, path) == 0 else {
            throw TrainingError("cannot rename '\(temp.path)' to '\(path)': \(String(cString: strerror(errno)))")
        }
    } catch {
        try? FileManager.default.removeItem(at: temp)
        throw TrainingError("cannot write '\(path)': \(error.localizedDescription)")
    }
}
