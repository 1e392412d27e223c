import Foundation
import Tapestry

/// The three image sets of a transfer run: exported from Fashion-MNIST by default, or the user's.
struct TransferData: CustomStringConvertible {
    enum Split: String, CaseIterable { case train, validation, test }

    let directories: [Split: String]
    /// Sub-folder and split for a single `--data` folder (train and validation from one tree).
    let singleFolderSplit: Double?
    let classNames: [String]
    let imageSize: Int
    let batchSize: Int
    let seed: UInt64
    let description: String

    static func prepare(_ options: TransferOptions) throws -> TransferData {
        if let dir = options.dataDirectory {
            let fm = FileManager.default
            if fm.fileExists(atPath: dir + "/train") {
                var dirs: [Split: String] = [:]
                for split in Split.allCases {
                    guard fm.fileExists(atPath: dir + "/" + split.rawValue) else {
                        throw CLIError("\(dir) has train/ but no \(split.rawValue)/: give train/, validation/ and test/, or a single folder of class sub-folders")
                    }
                    dirs[split] = dir + "/" + split.rawValue
                }
                let classes = try ImageFolder(directory: dirs[.train]!, labelMode: .binary, shuffle: false).classNames
                return TransferData(directories: dirs, singleFolderSplit: nil, classNames: classes, imageSize: options.imageSize,
                                    batchSize: options.batchSize, seed: options.seed,
                                    description: "\(dir) (train/validation/test, classes \(classes))")
            }
            let classes = try ImageFolder(directory: dir, labelMode: .binary, shuffle: false).classNames
            return TransferData(directories: [.train: dir, .validation: dir, .test: dir], singleFolderSplit: options.validationSplit,
                                classNames: classes, imageSize: options.imageSize, batchSize: options.batchSize, seed: options.seed,
                                description: "\(dir) with a seeded \(Int(options.validationSplit * 100))% validation split, which also serves as the test set (classes \(classes))")
        }
        let set = try FashionMNISTTransferSet.prepare(imageSize: options.imageSize, counts: options.counts)
        return TransferData(directories: [.train: set.directory("train"), .validation: set.directory("validation"), .test: set.directory("test")],
                            singleFolderSplit: nil, classNames: try ImageFolder(directory: set.directory("train"), labelMode: .binary, shuffle: false).classNames,
                            imageSize: options.imageSize, batchSize: options.batchSize, seed: options.seed, description: set.description)
    }

    /// The images of one split, in a fixed order unless `shuffle`.
    func dataset(_ split: Split, shuffle: Bool, rescale: Float? = nil,
                 preprocessing: (@Sendable (Tensor<Float>) -> Tensor<Float>)? = nil) throws -> ImageDataset {
        let dir = directories[split]!
        let ds: ImageDataset
        if let fraction = singleFolderSplit {
            ds = try ImageDataset.fromDirectory(dir, imageSize: (imageSize, imageSize), batchSize: batchSize, labelMode: .binary,
                                                shuffle: true, seed: seed, validationSplit: fraction,
                                                subset: split == .train ? .training : .validation, rescale: rescale)
        } else {
            ds = try ImageDataset.fromDirectory(dir, imageSize: (imageSize, imageSize), batchSize: batchSize, labelMode: .binary,
                                                shuffle: shuffle, seed: seed, rescale: rescale)
        }
        ds.preprocessing = preprocessing
        return ds
    }
}
