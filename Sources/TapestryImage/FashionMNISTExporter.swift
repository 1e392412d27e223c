import Dispatch
import Foundation

/// Writes chosen Fashion-MNIST classes as a Keras-style image-folder tree:
///
///     root/train/<class folder>/<index>.png
///     root/validation/<class folder>/<index>.png
///     root/test/<class folder>/<index>.png
///
/// Train and validation images are drawn (disjointly) from the 60 000 training images and
/// test images from the 10 000 test images. `<index>` is the image's position in its IDX
/// file, so every PNG can be traced back to its source. Counts are totals per split,
/// divided equally between the classes. The choice is a seeded shuffle of each class's
/// indices, so the same settings always produce the same tree on every machine.
///
/// ```swift
/// // The "cats vs dogs"-sized binary task of Chollet's book, from shirts vs T-shirts:
/// var exporter = FashionMNISTExporter(classes: [0, 6])      // T-shirt/top, Shirt
/// exporter.targetSize = (150, 150)                          // upscaled with bilinear
/// exporter.channels = 3                                     // gray copied to RGB
/// let summary = try exporter.export(to: "/tmp/shirts")      // 2000 / 1000 / 1000 PNGs
/// ```
public struct FashionMNISTExporter: Sendable {
    /// Class labels to export (0...9), e.g. `[0, 6]` for T-shirt/top vs Shirt.
    public var classes: [Int]
    /// Total images per split, shared equally between `classes`.
    public var trainCount: Int
    public var validationCount: Int
    public var testCount: Int
    /// Output size; nil keeps 28×28.
    public var targetSize: (width: Int, height: Int)?
    /// Filter used when `targetSize` is set.
    public var interpolation: Interpolation = .bilinear
    /// 1 keeps gray PNGs, 3 writes RGB (what ImageNet-pretrained networks expect).
    public var channels: Int = 1
    /// Seed of the image choice.
    public var seed: UInt64 = 0
    /// Whether to delete existing `train`, `validation` and `test` folders under the root first.
    /// Without it, exporting into a root that already holds any of them is an error, because
    /// leftover files from an earlier export would silently change the counts.
    public var replaceExisting = false

    public init(classes: [Int], trainCount: Int = 2000, validationCount: Int = 1000, testCount: Int = 1000) {
        self.classes = classes
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.testCount = testCount
    }

    /// What an export wrote.
    public struct Summary: Sendable, Equatable {
        public let root: String
        /// Class folder names, in the order of `classes`.
        public let classFolders: [String]
        /// Number of files per split ("train", "validation", "test") and class folder.
        public let counts: [String: [String: Int]]
        public var totalFiles: Int { counts.values.reduce(0) { $0 + $1.values.reduce(0, +) } }
    }

    private struct Job { let split: String; let folder: String; let fromTrain: Bool; let index: Int }

    /// Exports the tree under `root`, reading the IDX files from `directory`.
    /// Runs on all cores; each PNG is written atomically (temporary file + rename).
    /// - Throws: `DatasetError` for bad arguments, missing data or an occupied root; `ImageError` for write failures.
    @discardableResult
    public func export(to root: String, from directory: String = FashionMNIST.defaultDirectory) throws -> Summary {
        try validate()
        let k = classes.count
        let perClass = (train: trainCount / k, validation: validationCount / k, test: testCount / k)
        let fm = FileManager.default
        let splits = ["train", "validation", "test"]
        for split in splits where fm.fileExists(atPath: root + "/" + split) {
            guard replaceExisting else { throw DatasetError.outputExists(path: root + "/" + split) }
            try fm.removeItem(atPath: root + "/" + split)
        }

        let train = try FashionMNIST.load(.train, from: directory)
        let test = try FashionMNIST.load(.test, from: directory)

        var jobs: [Job] = []
        for label in classes {
            let folder = FashionMNIST.folderNames[label]
            let trainPick = try choose(label, from: train.labels, count: perClass.train + perClass.validation, stream: 0, split: "train+validation")
            let testPick = try choose(label, from: test.labels, count: perClass.test, stream: 1, split: "test")
            jobs += trainPick[..<perClass.train].map { Job(split: "train", folder: folder, fromTrain: true, index: $0) }
            jobs += trainPick[perClass.train...].map { Job(split: "validation", folder: folder, fromTrain: true, index: $0) }
            jobs += testPick.map { Job(split: "test", folder: folder, fromTrain: false, index: $0) }
        }
        for split in splits {
            for label in classes {
                try fm.createDirectory(atPath: "\(root)/\(split)/\(FashionMNIST.folderNames[label])", withIntermediateDirectories: true)
            }
        }

        let failures = FailureBox()
        let chunkCount = min(jobs.count, 64)
        let settings = (size: targetSize, interpolation: interpolation, channels: channels)
        let allJobs = jobs
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let lo = chunk * allJobs.count / chunkCount, hi = (chunk + 1) * allJobs.count / chunkCount
            for job in allJobs[lo..<hi] {
                if failures.hasFailure { return }
                var img = (job.fromTrain ? train : test).image(at: job.index)
                if let size = settings.size {
                    img = img.resized(width: size.width, height: size.height, interpolation: settings.interpolation)
                }
                if settings.channels != 1 { img = img.converted(toChannels: settings.channels) }
                do {
                    try img.write(toPNG: "\(root)/\(job.split)/\(job.folder)/\(job.index).png")
                } catch {
                    failures.record(error)
                }
            }
        }
        if let error = failures.first { throw error }

        var counts: [String: [String: Int]] = [:]
        for job in jobs { counts[job.split, default: [:]][job.folder, default: 0] += 1 }
        return Summary(root: root, classFolders: classes.map { FashionMNIST.folderNames[$0] }, counts: counts)
    }

    private func validate() throws {
        guard !classes.isEmpty else { throw DatasetError.invalidArgument("FashionMNISTExporter: choose at least one class") }
        guard classes.allSatisfy({ (0...9).contains($0) }), Set(classes).count == classes.count else {
            throw DatasetError.invalidArgument("FashionMNISTExporter: classes \(classes) must be distinct labels in 0...9")
        }
        for (name, total) in [("trainCount", trainCount), ("validationCount", validationCount), ("testCount", testCount)] {
            guard total >= 0, total % classes.count == 0 else {
                throw DatasetError.invalidArgument("FashionMNISTExporter: \(name) \(total) cannot be split equally between \(classes.count) classes")
            }
        }
        guard [1, 3].contains(channels) else { throw DatasetError.invalidArgument("FashionMNISTExporter: channels must be 1 or 3") }
        if let s = targetSize, s.width <= 0 || s.height <= 0 {
            throw DatasetError.invalidArgument("FashionMNISTExporter: targetSize \(s) must be positive")
        }
    }

    /// `count` indices of images labelled `label`, in a seeded random order.
    private func choose(_ label: Int, from labels: [UInt8], count: Int, stream: UInt64, split: String) throws -> [Int] {
        var indices = labels.indices.filter { Int(labels[$0]) == label }
        guard indices.count >= count else {
            throw DatasetError.invalidArgument("FashionMNISTExporter: \(split) needs \(count) images of \(FashionMNIST.classNames[label]), only \(indices.count) exist")
        }
        var rng = SplitMix64(seed: seed, keys: stream, UInt64(label))
        rng.shuffle(&indices)
        return Array(indices[..<count])
    }
}

/// Collects the first error from concurrent workers.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    var hasFailure: Bool { lock.lock(); defer { lock.unlock() }; return error != nil }
    var first: Error? { lock.lock(); defer { lock.unlock() }; return error }
    func record(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}
