import Foundation
import TapestryImage
import TapestryTraining

/// Batches of decoded images and labels from a class-per-folder tree, streamed to `fit`,
/// `evaluate` and `predict` (Keras `image_dataset_from_directory`, or `flow_from_directory`
/// with `interpolation: .nearest`).
///
/// ```swift
/// let train = try ImageDataset.fromDirectory("data/train", imageSize: (150, 150), batchSize: 20,
///                                            labelMode: .binary, rescale: 1.0 / 255)
/// try model.fit(train, epochs: 30, validationData: validation)
/// ```
///
/// Decoding, resizing and augmentation run on a background queue a few batches ahead of the
/// model, so memory stays bounded by those batches however many images the folder holds.
/// A file that cannot be decoded is reported with its path and skipped (or, with `strict`,
/// thrown). Augmentation applies only where a dataset is given one — pass it to the training set.
public final class ImageDataset: BatchSource {
    public let folder: ImageFolder
    public let imageSize: (height: Int, width: Int)
    public let batchSize: Int
    public let labelMode: ImageFolder.LabelMode
    /// Reshuffle the batch order every epoch (from `seed` and the epoch number).
    public let shuffle: Bool
    public let seed: UInt64
    public var interpolation: Interpolation
    /// Multiplies pixel values (0…255) after augmentation, e.g. `1.0 / 255` as in the tutorials.
    public var rescale: Float?
    /// Runs on each batch `(N, H, W, 3)` after rescaling — e.g. `VGG16.preprocessInput`.
    public var preprocessing: (@Sendable (Tensor<Float>) -> Tensor<Float>)?
    public var augmentation: ImageAugmenter?
    /// Throw on an unreadable image instead of skipping it with a warning.
    public var strict = false
    /// How many batches are decoded ahead of the consumer.
    public var prefetchBatches = 2

    public var classNames: [String] { folder.classNames }
    public var sampleCount: Int { folder.count }
    public var batchCount: Int { (folder.count + batchSize - 1) / batchSize }

    public init(folder: ImageFolder, imageSize: (height: Int, width: Int), batchSize: Int,
                labelMode: ImageFolder.LabelMode, shuffle: Bool, seed: UInt64, interpolation: Interpolation) throws {
        guard batchSize > 0 else { throw DatasetError.invalidArgument("batchSize must be positive, got \(batchSize)") }
        guard imageSize.height > 0, imageSize.width > 0 else {
            throw DatasetError.invalidArgument("imageSize must be positive, got \(imageSize.height)×\(imageSize.width)")
        }
        self.folder = folder; self.imageSize = imageSize; self.batchSize = batchSize; self.labelMode = labelMode
        self.shuffle = shuffle; self.seed = seed; self.interpolation = interpolation
    }

    /// Indexes `directory` (class = sub-folder, classes sorted) and prepares batches.
    ///
    /// - Parameters:
    ///   - imageSize: (height, width) every image is resized to.
    ///   - labelMode: `.binary` gives `(N, 1)` 0/1 targets, `.categorical` one-hot `(N, classes)`,
    ///     `.int` class indices `(N)`.
    ///   - shuffle: shuffle once by Keras's rule and reshuffle the order every epoch.
    ///   - validationSplit, subset: a seeded, disjoint split (needs `seed` when shuffling).
    ///   - interpolation: `.bilinear` like `image_dataset_from_directory`; `.nearest` like `flow_from_directory`.
    public static func fromDirectory(_ directory: String, imageSize: (Int, Int) = (256, 256), batchSize: Int = 32,
                                     labelMode: ImageFolder.LabelMode = .int, shuffle: Bool = true, seed: UInt64? = nil,
                                     validationSplit: Double? = nil, subset: ImageFolder.Subset? = nil,
                                     interpolation: Interpolation = .bilinear, rescale: Float? = nil) throws -> ImageDataset {
        let folder = try ImageFolder(directory: directory, labelMode: labelMode, shuffle: shuffle,
                                     seed: seed.map { UInt32(truncatingIfNeeded: $0) },
                                     validationSplit: validationSplit, subset: subset)
        let dataset = try ImageDataset(folder: folder, imageSize: (imageSize.0, imageSize.1), batchSize: batchSize,
                                       labelMode: labelMode, shuffle: shuffle, seed: seed ?? 0, interpolation: interpolation)
        dataset.rescale = rescale
        return dataset
    }

    /// The file order of an epoch: the folder's order, reshuffled per epoch when `shuffle`.
    public func filePaths(epoch: Int = 0) -> [String] { order(epoch: epoch).map { folder.files[$0] } }

    func order(epoch: Int) -> [Int] {
        var indices = Array(0..<folder.count)
        if shuffle && epoch > 0 {
            var g = SeededGenerator(seed: seed, stream: UInt64(epoch))
            indices.shuffle(using: &g)
        }
        return indices
    }

    public func makeIterator(epoch: Int) -> any BatchIterator {
        let order = order(epoch: epoch)
        let batches = stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, order.count)]) }
        return PrefetchingIterator(count: batches.count, depth: prefetchBatches) { [self] i in
            try self.loadBatch(batches[i], epoch: epoch)
        }
    }

    /// Decodes, resizes, augments and labels the files at `indices` (in parallel over the cores).
    func loadBatch(_ indices: [Int], epoch: Int) throws -> Batch {
        let (h, w) = imageSize
        let pixelsPerImage = h * w * 3
        var slots = [[Float]?](repeating: nil, count: indices.count)
        var failures = [(String, Error)?](repeating: nil, count: indices.count)
        slots.withUnsafeMutableBufferPointer { out in
            failures.withUnsafeMutableBufferPointer { errs in
                DispatchQueue.concurrentPerform(iterations: indices.count) { k in
                    let path = folder.files[indices[k]]
                    do {
                        let image = try Image(contentsOfFile: path).converted(toChannels: 3)
                            .resized(width: w, height: h, interpolation: interpolation)
                        var pixels = image.floatPixels()
                        if let augmentation {
                            pixels = augmentation.augment(pixels, width: w, height: h, channels: 3, epoch: epoch, index: indices[k])
                        }
                        if let rescale { for i in pixels.indices { pixels[i] *= rescale } }
                        out[k] = pixels
                    } catch {
                        errs[k] = (path, error)
                    }
                }
            }
        }
        for case let (path, error)? in failures {
            if strict { throw DatasetError.corruptFile(path: path, reason: "\(error)") }
            FileHandle.standardError.write(Data("warning: skipping unreadable image \(path): \(error)\n".utf8))
        }
        let kept = indices.indices.filter { slots[$0] != nil }
        let x = Tensor<Float>(shape: [kept.count, h, w, 3]) { p in
            for (row, k) in kept.enumerated() {
                slots[k]!.withUnsafeBufferPointer { (p + row * pixelsPerImage).initialize(from: $0.baseAddress!, count: pixelsPerImage) }
            }
        }
        let labels = kept.map { folder.labels[indices[$0]] }
        let y: Tensor<Float>
        switch labelMode {
        case .binary: y = Tensor(shape: [labels.count, 1], scalars: labels.map(Float.init))
        case .int: y = Tensor(shape: [labels.count], scalars: labels.map(Float.init))
        case .categorical:
            let c = folder.classNames.count
            y = Tensor(shape: [labels.count, c], scalars: labels.flatMap { l in (0..<c).map { $0 == l ? 1 : 0 } })
        }
        return Batch(x: preprocessing.map { $0(x) } ?? x, y: y, paths: kept.map { folder.files[indices[$0]] })
    }
}
