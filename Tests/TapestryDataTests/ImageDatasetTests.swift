import XCTest
import Foundation
import TapestryImage
import TapestryTraining
@testable import TapestryData

final class ImageDatasetTests: XCTestCase {
    var root: String!

    /// A small two-class tree of real PNG files written by TapestryImage, plus a corrupt file
    /// and a `.DS_Store`.
    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "tapestry-dataset-\(UUID().uuidString)"
        for (label, name) in ["cats", "dogs"].enumerated() {
            let dir = root + "/" + name
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for i in 0..<5 {
                let value = UInt8(label * 200 + i)
                let image = try Image(width: 6, height: 4, channels: 3, pixels: [UInt8](repeating: value, count: 6 * 4 * 3))
                try image.write(toPNG: "\(dir)/\(i).png")
            }
            FileManager.default.createFile(atPath: dir + "/.DS_Store", contents: Data([0, 1, 2]))
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    func testBatchesHaveImagesLabelsAndKeepTheLastPartialBatch() throws {
        let ds = try ImageDataset.fromDirectory(root, imageSize: (4, 6), batchSize: 4, labelMode: .binary, shuffle: false)
        XCTAssertEqual(ds.classNames, ["cats", "dogs"])
        XCTAssertEqual(ds.sampleCount, 10)
        XCTAssertEqual(ds.batchCount, 3)
        var it = ds.makeIterator(epoch: 0)
        var sizes: [Int] = [], labels: [Float] = [], firstPixels: [Float] = []
        while let batch = try it.next() {
            sizes.append(batch.x.shape[0])
            XCTAssertEqual(Array(batch.x.shape.dropFirst()), [4, 6, 3])
            XCTAssertEqual(batch.y!.shape, [batch.x.shape[0], 1])
            labels += batch.y!.scalars
            for n in 0..<batch.x.shape[0] { firstPixels.append(batch.x[n, 0, 0, 0]) }
        }
        XCTAssertEqual(sizes, [4, 4, 2])
        XCTAssertEqual(labels, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        XCTAssertEqual(firstPixels, [0, 1, 2, 3, 4, 200, 201, 202, 203, 204])
    }

    func testRescaleAndCategoricalLabels() throws {
        let ds = try ImageDataset.fromDirectory(root, imageSize: (4, 6), batchSize: 10, labelMode: .categorical,
                                                shuffle: false, rescale: 1.0 / 255)
        var it = ds.makeIterator(epoch: 0)
        let batch = try XCTUnwrap(try it.next())
        XCTAssertEqual(batch.y!.shape, [10, 2])
        XCTAssertEqual(Array(batch.y!.scalars.prefix(2)), [1, 0])
        XCTAssertEqual(batch.x[9, 0, 0, 0], 204.0 / 255, accuracy: 1e-6)
    }

    func testCorruptImageIsSkippedWithItsPathOrThrownWhenStrict() throws {
        FileManager.default.createFile(atPath: root + "/dogs/broken.png", contents: Data("not a png".utf8))
        let ds = try ImageDataset.fromDirectory(root, imageSize: (4, 6), batchSize: 11, labelMode: .binary, shuffle: false)
        var it = ds.makeIterator(epoch: 0)
        let batch = try XCTUnwrap(try it.next())
        XCTAssertEqual(batch.x.shape[0], 10)
        XCTAssertFalse(batch.paths!.contains { $0.hasSuffix("broken.png") })
        ds.strict = true
        var strictIterator = ds.makeIterator(epoch: 0)
        XCTAssertThrowsError(try strictIterator.next()) { error in
            XCTAssertTrue("\(error)".contains("broken.png"), "\(error)")
        }
    }

    func testShuffledOrderIsSeededAndDiffersAcrossEpochs() throws {
        let a = try ImageDataset.fromDirectory(root, imageSize: (4, 6), batchSize: 3, labelMode: .binary, seed: 5)
        let b = try ImageDataset.fromDirectory(root, imageSize: (4, 6), batchSize: 3, labelMode: .binary, seed: 5)
        XCTAssertEqual(a.filePaths(epoch: 1), b.filePaths(epoch: 1))
        XCTAssertNotEqual(a.filePaths(epoch: 1), a.filePaths(epoch: 2))
        XCTAssertEqual(Set(a.filePaths(epoch: 1)), Set(a.filePaths(epoch: 2)))
    }

    func testValidationSplitIsDisjoint() throws {
        let train = try ImageDataset.fromDirectory(root, imageSize: (4, 6), labelMode: .binary, seed: 1,
                                                   validationSplit: 0.2, subset: .training)
        let val = try ImageDataset.fromDirectory(root, imageSize: (4, 6), labelMode: .binary, seed: 1,
                                                 validationSplit: 0.2, subset: .validation)
        XCTAssertEqual(train.sampleCount, 8)
        XCTAssertEqual(val.sampleCount, 2)
        XCTAssertTrue(Set(train.filePaths()).isDisjoint(with: val.filePaths()))
    }

    func testMissingDirectoryIsAClearError() {
        XCTAssertThrowsError(try ImageDataset.fromDirectory(root + "/nope")) { error in
            XCTAssertTrue("\(error)".contains("nope"), "\(error)")
        }
    }

    func testFeatureExtractionAndFitOnTheDataset() throws {
        setRandomSeed(3)
        let ds = try ImageDataset.fromDirectory(root, imageSize: (4, 6), batchSize: 4, labelMode: .binary,
                                                shuffle: false, rescale: 1.0 / 255)
        let input = Input(shape: [4, 6, 3])
        let base = Model(inputs: input, outputs: GlobalAveragePooling2D()(input))
        let extracted = try base.extractFeatures(from: ds, verbose: .silent)
        XCTAssertEqual(extracted.features.shape, [10, 3])
        XCTAssertEqual(extracted.labels.shape, [10, 1])
        XCTAssertEqual(extracted.filePaths.count, 10)
        XCTAssertEqual(extracted.features[9, 0], 204.0 / 255, accuracy: 1e-6)

        let head = Sequential([base, Dense(1, activation: .sigmoid)])
        head.compile(optimizer: Adam(learningRate: 0.1), loss: .binaryCrossentropy, metrics: [.accuracy])
        let history = try head.fit(ds, epochs: 30, verbose: .silent)
        XCTAssertEqual(history["accuracy"].last, 1.0)
    }
}

/// The Fashion-MNIST export from Debian's package, read back through the directory pipeline.
final class FashionMNISTDirectoryTests: XCTestCase {
    func testExportedTwoClassTreeReadsBackWithTheRightCountsAndLabels() throws {
        guard FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory + "/train-images-idx3-ubyte.gz") else {
            return XCTFail("Debian's Fashion-MNIST is missing: run `apt-get install dataset-fashion-mnist` (Scripts/setup does)")
        }
        let root = NSTemporaryDirectory() + "tapestry-fmnist-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let exporter = FashionMNISTExporter(classes: [6, 0], trainCount: 2000, validationCount: 1000, testCount: 1000)
        _ = try exporter.export(to: root)
        for (split, expected) in [("train", 2000), ("validation", 1000), ("test", 1000)] {
            let ds = try ImageDataset.fromDirectory(root + "/" + split, imageSize: (28, 28), batchSize: 100,
                                                    labelMode: .binary, shuffle: false)
            XCTAssertEqual(ds.sampleCount, expected, split)
            XCTAssertEqual(ds.classNames.count, 2)
            XCTAssertEqual(ds.folder.classCounts, [expected / 2, expected / 2], split)
            var it = ds.makeIterator(epoch: 0)
            let first = try XCTUnwrap(try it.next())
            XCTAssertEqual(first.x.shape, [100, 28, 28, 3])
            XCTAssertGreaterThan(first.x.max().scalar, 100, "real images have bright pixels")
        }
    }
}
