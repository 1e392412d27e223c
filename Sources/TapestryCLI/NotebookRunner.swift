import Foundation

/// Runs a notebook's Swift cells as one program against the Tapestry library.
///
/// The cells are joined, in order, into the `main.swift` of a small package that depends on
/// Tapestry by path (kept under `.build/notebook-runner`, so later runs only recompile the
/// cells). Markers printed between cells split the program's output back into per-cell
/// outputs; `display(png:)` in a cell embeds a PNG. A compile error or a thrown error is
/// reported against its cell, and later cells are left without outputs.
struct NotebookRunner {
    let packageRoot: String
    let quick: Bool
    private let marker = "\u{1E}TAPESTRY-NOTEBOOK:"
    /// The same marker as it is spelled inside the generated Swift source.
    private let markerLiteral = "\\u{1E}TAPESTRY-NOTEBOOK:"

    struct Result {
        let succeeded: Bool
        let summary: String
    }

    init(packageRoot: String, quick: Bool) throws {
        let root = URL(fileURLWithPath: packageRoot).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: root + "/Package.swift") else {
            throw CLIError("no Package.swift in \(root): run from the Tapestry checkout or pass --package-root")
        }
        self.packageRoot = root
        self.quick = quick
    }

    private var workDirectory: String { packageRoot + "/.build/notebook-runner" }

    func run(notebookAt path: String, writeBack: Bool) throws -> Result {
        var notebook = try Notebook(path: path)
        let code = notebook.codeCells
        try writePackage(program: program(code.map(\.source)))
        let build = try shell(["swift", "build", "-c", "release", "--package-path", workDirectory], in: workDirectory)
        if build.status != 0 {
            let cell = failingCell(compilerOutput: build.output, cellCount: code.count)
            return Result(succeeded: false, summary: "compile error\(cell.map { " in code cell \($0 + 1)" } ?? ""):\n" + build.output
                .components(separatedBy: "\n").filter { $0.contains("error:") }.prefix(10).joined(separator: "\n"))
        }
        var environment = ProcessInfo.processInfo.environment
        if quick { environment["TAPESTRY_QUICK"] = "1" }
        let notebookDirectory = (URL(fileURLWithPath: path).standardizedFileURL.path as NSString).deletingLastPathComponent
        let started = Date()
        let run = try shell([workDirectory + "/.build/release/NotebookProgram"], in: notebookDirectory, environment: environment)
        let outputs = splitOutputs(run.output, cellCount: code.count, baseDirectory: notebookDirectory)
        var cells = notebook.cells
        var executed = 0
        for (k, (index, _)) in code.enumerated() {
            cells[index]["outputs"] = outputs.perCell[k]
            cells[index]["execution_count"] = outputs.finished > k ? k + 1 : NSNull()
            if outputs.finished > k { executed += 1 }
        }
        let succeeded = run.status == 0 && executed == code.count
        if !succeeded, executed < code.count {
            let index = code[executed].index
            var failing = cells[index]["outputs"] as? [[String: Any]] ?? []
            failing.append(["output_type": "error", "ename": "CellFailed", "evalue": "exit status \(run.status)",
                            "traceback": outputs.trailing.components(separatedBy: "\n").suffix(20).map { $0 }])
            cells[index]["outputs"] = failing
        }
        notebook.cells = cells
        if writeBack { try notebook.write() }
        let seconds = Int(Date().timeIntervalSince(started).rounded())
        return Result(succeeded: succeeded,
                      summary: succeeded ? "  \(code.count) code cells ran in \(seconds) s\(writeBack ? "; outputs written" : "")"
                                         : "  code cell \(executed + 1) of \(code.count) failed (exit status \(run.status)):\n" +
                                           outputs.trailing.components(separatedBy: "\n").suffix(15).joined(separator: "\n"))
    }

    /// The cells joined into one program, with markers between them.
    func program(_ cells: [String]) -> String {
        var source = """
            import Foundation
            import Tapestry
            #if canImport(Glibc)
            import Glibc
            #endif
            setvbuf(stdout, nil, _IOLBF, 0)
            /// Shows a PNG file as the cell's output.
            func display(png path: String) { print("\(markerLiteral)IMAGE:" + path) }

            """
        for (k, cell) in cells.enumerated() {
            source += "print(\"\(markerLiteral)BEGIN:\(k)\")\n// CELL \(k)\n\(cell)\nprint(\"\(markerLiteral)END:\(k)\")\n"
        }
        return source
    }

    private func writePackage(program: String) throws {
        let sources = workDirectory + "/Sources/NotebookProgram"
        try FileManager.default.createDirectory(atPath: sources, withIntermediateDirectories: true)
        let manifest = """
            // swift-tools-version:5.10
            // Generated by `tapestry notebook run`: the cells of one notebook, built against Tapestry.
            import PackageDescription
            let package = Package(
                name: "NotebookProgram",
                dependencies: [.package(name: "Tapestry", path: "\(packageRoot)")],
                targets: [.executableTarget(name: "NotebookProgram", dependencies: [.product(name: "Tapestry", package: "Tapestry")])]
            )

            """
        try writeIfChanged(manifest, to: workDirectory + "/Package.swift")
        try writeIfChanged(program, to: sources + "/main.swift")
    }

    private func writeIfChanged(_ text: String, to path: String) throws {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing == text { return }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The cell whose `// CELL k` marker precedes the first error line of main.swift.
    private func failingCell(compilerOutput: String, cellCount: Int) -> Int? {
        guard let line = compilerOutput.components(separatedBy: "\n").first(where: { $0.contains("main.swift:") && $0.contains("error:") }),
              let number = Int(line.components(separatedBy: "main.swift:")[1].components(separatedBy: ":")[0]),
              let source = try? String(contentsOfFile: workDirectory + "/Sources/NotebookProgram/main.swift", encoding: .utf8) else { return nil }
        var cell: Int?
        for (i, text) in source.components(separatedBy: "\n").enumerated() where i < number {
            if text.hasPrefix("// CELL "), let k = Int(text.dropFirst(8)) { cell = k }
        }
        return cell
    }

    private func splitOutputs(_ output: String, cellCount: Int, baseDirectory: String)
        -> (perCell: [[[String: Any]]], finished: Int, trailing: String) {
        var perCell = [[[String: Any]]](repeating: [], count: cellCount)
        var current: Int?
        var text = ""
        var finished = 0
        var trailing = ""
        func flush() {
            guard let c = current, !text.isEmpty else { text = ""; return }
            perCell[c].append(["output_type": "stream", "name": "stdout", "text": Notebook.lines(text)])
            text = ""
        }
        // Progress bars redraw with carriage returns; keep only what a reader would finally see.
        for rawLine in output.components(separatedBy: "\n") {
            let line = rawLine.components(separatedBy: "\r").last!.replacingOccurrences(of: "\u{1B}[K", with: "")
            if line.hasPrefix(marker) {
                let payload = String(line.dropFirst(marker.count))
                if payload.hasPrefix("BEGIN:") { flush(); current = Int(payload.dropFirst(6)); trailing = "" }
                else if payload.hasPrefix("END:") { flush(); finished = (Int(payload.dropFirst(4)) ?? 0) + 1; current = nil }
                else if payload.hasPrefix("IMAGE:"), let c = current {
                    flush()
                    let file = String(payload.dropFirst(6))
                    let full = file.hasPrefix("/") ? file : baseDirectory + "/" + file
                    if let data = FileManager.default.contents(atPath: full) {
                        perCell[c].append(["output_type": "display_data", "metadata": [String: Any](),
                                           "data": ["image/png": data.base64EncodedString(), "text/plain": ["<\(file)>"]]])
                    }
                }
            } else {
                text += line + "\n"
                if current != nil { trailing += line + "\n" }
            }
        }
        if current != nil { trailing = text }
        flush()
        return (perCell, finished, trailing)
    }

    private func shell(_ arguments: [String], in directory: String, environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
