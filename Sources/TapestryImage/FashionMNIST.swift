import Foundation

/// The Fashion-MNIST data set (Zalando): 28×28 gray clothing images in 10 classes,
/// 60 000 for training and 10 000 for testing, read from IDX files.
///
/// On Debian the files come from `apt-get install dataset-fashion-mnist`
/// (in `/usr/share/datasets/fashion-mnist`).
///
/// ```swift
/// let test = try FashionMNIST.load(.test)
/// print(FashionMNIST.classNames[Int(test.labels[0])])   // "Ankle boot"
/// let first: Image = test.image(at: 0)                  // 28x28, 1 channel
/// ```
public enum FashionMNIST {
    /// Where the Debian package installs the files.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

    /// Human-readable class names, indexed by label.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Folder-safe class names (lowercase, no "/" or spaces), indexed by label.
    public static let folderNames = ["tshirt_top", "trouser", "pullover", "dress", "coat",
                                     "sandal", "shirt", "sneaker", "bag", "ankle_boot"]

    public static let imageSide = 28

    public enum Split: String, Sendable {
        case train, test
        var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// One split: `count` images of 28×28 bytes, back to back, and their labels 0...9.
    public struct Subset: Sendable {
        public let images: [UInt8]
        public let labels: [UInt8]
        public var count: Int { labels.count }

        /// Image `i` as a 1-channel `Image`.
        public func image(at i: Int) -> Image {
            let n = FashionMNIST.imageSide * FashionMNIST.imageSide
            return Image(unchecked: FashionMNIST.imageSide, FashionMNIST.imageSide, 1, Array(images[i * n..<(i + 1) * n]))
        }
    }

    /// Loads a split from `directory`, accepting gzipped (`…-ubyte.gz`) or plain (`…-ubyte`) files.
    /// - Throws: `DatasetError.missingFile` naming the path and the apt package, or `.corruptFile`.
    public static func load(_ split: Split, from directory: String = defaultDirectory) throws -> Subset {
        let images = try IDXFile(contentsOfFile: try locate("\(split.filePrefix)-images-idx3-ubyte", in: directory))
        let labels = try IDXFile(contentsOfFile: try locate("\(split.filePrefix)-labels-idx1-ubyte", in: directory))
        let expectedCount = split == .train ? 60_000 : 10_000
        guard images.dimensions == [expectedCount, imageSide, imageSide] else {
            throw DatasetError.corruptFile(path: directory, reason: "\(split) images have shape \(images.dimensions), expected [\(expectedCount), 28, 28]")
        }
        guard labels.dimensions == [expectedCount] else {
            throw DatasetError.corruptFile(path: directory, reason: "\(split) labels have shape \(labels.dimensions), expected [\(expectedCount)]")
        }
        if let bad = labels.data.first(where: { $0 > 9 }) {
            throw DatasetError.corruptFile(path: directory, reason: "label \(bad) outside 0...9")
        }
        return Subset(images: images.data, labels: labels.data)
    }

    private static func locate(_ stem: String, in directory: String) throws -> String {
        let fm = FileManager.default
        for name in [stem + ".gz", stem] where fm.fileExists(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        throw DatasetError.missingFile(path: directory + "/" + stem + ".gz",
            hint: "Install the Fashion-MNIST files with `apt-get install dataset-fashion-mnist` or pass the folder holding \(stem)[.gz].")
    }
}
