import ArgumentParser
import Tapestry

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Print the summary of VGG16 (no weights are loaded).")

    @Option(help: "Input image size (height = width).") var imageSize = 150
    @Flag(help: "Include the ImageNet classifier (needs --image-size 224).") var includeTop = false

    func run() throws {
        let model = try VGG16(includeTop: includeTop, weights: .none, inputShape: [imageSize, imageSize, 3])
        print(model.summary(), terminator: "")
    }
}
