import ArgumentParser
import Foundation

struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook", abstract: "Run notebooks whose code cells are Swift.", subcommands: [Run.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Execute a notebook's Swift cells in order against the Tapestry library and write the outputs back into it.")

        @Argument(help: "Notebooks (.ipynb).") var notebooks: [String]
        @Option(help: "The Tapestry package root (the folder with Package.swift).") var packageRoot = FileManager.default.currentDirectoryPath
        @Flag(help: "Set TAPESTRY_QUICK=1 for the cells (small settings, as CI uses).") var quick = false
        @Flag(help: "Run without writing outputs back.") var check = false

        func run() throws {
            let runner = try NotebookRunner(packageRoot: packageRoot, quick: quick)
            var failed: [String] = []
            for path in notebooks {
                print("notebook: \(path)")
                let result = try runner.run(notebookAt: path, writeBack: !check)
                print(result.summary)
                if !result.succeeded { failed.append(path) }
            }
            if !failed.isEmpty { throw CLIError("failed notebooks: \(failed.joined(separator: ", "))") }
        }
    }
}
