import Foundation

/// A Jupyter notebook (nbformat 4) kept as JSON, so fields the runner does not know survive.
struct Notebook {
    var json: [String: Any]
    let path: String

    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["cells"] is [Any] else {
            throw CLIError("\(path) is not a Jupyter notebook (nbformat 4 JSON with cells)")
        }
        json = object
    }

    var cells: [[String: Any]] {
        get { json["cells"] as? [[String: Any]] ?? [] }
        set { json["cells"] = newValue }
    }

    /// The indices and source of the code cells.
    var codeCells: [(index: Int, source: String)] {
        cells.enumerated().compactMap { i, cell in
            guard cell["cell_type"] as? String == "code" else { return nil }
            return (i, Notebook.text(cell["source"]))
        }
    }

    /// ipynb stores text as one string or as a list of lines.
    static func text(_ value: Any?) -> String {
        if let s = value as? String { return s }
        return (value as? [String] ?? []).joined()
    }

    /// Text in ipynb's list-of-lines form.
    static func lines(_ text: String) -> [String] {
        var lines = text.components(separatedBy: "\n").map { $0 + "\n" }
        if let last = lines.last { lines[lines.count - 1] = String(last.dropLast()) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    func write() throws {
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        let tmp = path + ".tmp"
        try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, path) == 0 else { throw CLIError("cannot replace \(path)") }
    }
}
