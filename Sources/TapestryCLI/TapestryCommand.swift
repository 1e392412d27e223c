import ArgumentParser

/// `tapestry`: the Keras transfer-learning workflow from the command line.
@main
struct TapestryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapestry",
        abstract: "Keras-style transfer learning with VGG16, in Swift.",
        subcommands: [TransferCommand.self, ExtractCommand.self, PredictCommand.self, SummaryCommand.self, NotebookCommand.self])
}

/// A command-line failure with a message for the user.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
