import Foundation
import TapestryImage

/// The built-in image set of the transfer-learning examples: two Fashion-MNIST classes from
/// Debian's `dataset-fashion-mnist`, exported once as RGB PNG folders `train/`, `validation/`,
/// `test/` (one sub-folder per class) at the tutorials' sizes, and reused from the cache after.
///
/// The default pair, T-shirt/top vs Shirt, is two similar garments — not trivially separable.
public struct FashionMNISTTransferSet: CustomStringConvertible {
    public static let defaultClasses = [0, 6]
    public let root: String
    public let classes: [Int]
    public let imageSize: Int
    public let counts: (train: Int, validation: Int, test: Int)

    public func directory(_ split: String) -> String { root + "/" + split }

    public var description: String {
        "Fashion-MNIST (Debian dataset-fashion-mnist) \(classes.map { FashionMNIST.classNames[$0] }.joined(separator: " vs ")): "
            + "\(counts.train) train / \(counts.validation) validation / \(counts.test) test images, "
            + "upscaled from 28×28 to \(imageSize)×\(imageSize) RGB, at \(root)"
    }

    /// Exports the set into the cache unless it is already there.
    public static func prepare(imageSize: Int = 150, counts: (Int, Int, Int) = (2000, 1000, 1000),
                               classes: [Int] = defaultClasses, log: (String) -> Void = { print($0) }) throws -> FashionMNISTTransferSet {
        let names = classes.map { FashionMNIST.folderNames[$0] }.joined(separator: "-vs-")
        let root = "\(TapestryCache.directory)/datasets/fashion-mnist-\(names)-\(imageSize)px-\(counts.0)-\(counts.1)-\(counts.2)"
        let set = FashionMNISTTransferSet(root: root, classes: classes, imageSize: imageSize, counts: counts)
        let marker = root + "/.complete"
        if !FileManager.default.fileExists(atPath: marker) {
            log("exporting \(set.description)")
            var exporter = FashionMNISTExporter(classes: classes, trainCount: counts.0, validationCount: counts.1, testCount: counts.2)
            exporter.targetSize = (imageSize, imageSize)
            exporter.channels = 3
            exporter.replaceExisting = true
            _ = try exporter.export(to: root)
            try Data().write(to: URL(fileURLWithPath: marker))
        }
        return set
    }
}
