import Foundation
import XCTest
@testable import TapestryImage

final class FashionMNISTExporterTests: XCTestCase {
    /// The full 2000/1000/1000 two-class export, read back through ImageFolder.
    func testExportsTwoClassTreeReadableByImageFolder() throws {
        _ = try XCTUnwrap(requireFashionMNIST())
        let root = try Fixtures.temporaryDirectory("export")
        defer { try? FileManager.default.removeItem(atPath: root) }

        var exporter = FashionMNISTExporter(classes: [0, 6])
        exporter.targetSize = (64, 64)
        exporter.channels = 3
        exporter.seed = 7
        let start = Date()
        let summary = try exporter.export(to: root)
        let seconds = Date().timeIntervalSince(start)
        print("exported \(summary.totalFiles) PNGs in \(String(format: "%.2f", seconds)) s")
        XCTAssertEqual(summary.totalFiles, 4000)
        XCTAssertEqual(summary.counts["train"], ["tshirt_top": 1000, "shirt": 1000])
        XCTAssertEqual(summary.counts["validation"], ["tshirt_top": 500, "shirt": 500])
        XCTAssertEqual(summary.counts["test"], ["tshirt_top": 500, "shirt": 500])

        let expected = ["train": 2000, "validation": 1000, "test": 1000]
        var trainNames = Set<String>()
        var validationNames = Set<String>()
        for (split, total) in expected {
            let folder = try ImageFolder(directory: root + "/" + split, labelMode: .binary, shuffle: false)
            XCTAssertEqual(folder.classNames, ["shirt", "tshirt_top"], split)  // sorted, as Keras
            XCTAssertEqual(folder.count, total, split)
            XCTAssertEqual(folder.classCounts, [total / 2, total / 2], split)
            for (path, label) in zip(folder.files, folder.labels) {
                XCTAssertTrue(path.contains("/\(folder.classNames[label])/"), path)
            }
            let names = Set(folder.files.map { ($0 as NSString).lastPathComponent })
            if split == "train" { trainNames = names }
            if split == "validation" { validationNames = names }
        }
        // Train and validation come from the same 60k set and must not share an image.
        XCTAssertTrue(trainNames.isDisjoint(with: validationNames))

        // A written file decodes to an upscaled RGB copy of its source image, with the right label.
        let test = try FashionMNIST.load(.test)
        let sample = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: root + "/test/shirt").sorted().first)
        let index = try XCTUnwrap(Int((sample as NSString).deletingPathExtension))
        XCTAssertEqual(test.labels[index], 6)
        let decoded = try Image(contentsOfFile: root + "/test/shirt/" + sample)
        let expectedImage = test.image(at: index).resized(width: 64, height: 64, interpolation: .bilinear).converted(toChannels: 3)
        XCTAssertEqual(decoded, expectedImage)
        XCTAssertLessThan(seconds, 60)
    }

    func testChoiceIsDeterministicAndRefusesToOverwrite() throws {
        _ = try XCTUnwrap(requireFashionMNIST())
        let a = try Fixtures.temporaryDirectory("export-a"), b = try Fixtures.temporaryDirectory("export-b")
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let exporter = FashionMNISTExporter(classes: [5, 7, 9], trainCount: 30, validationCount: 15, testCount: 15)
        try exporter.export(to: a)
        try exporter.export(to: b)
        for split in ["train", "validation", "test"] {
            for folder in ["sandal", "sneaker", "ankle_boot"] {
                let la = try FileManager.default.contentsOfDirectory(atPath: "\(a)/\(split)/\(folder)").sorted()
                let lb = try FileManager.default.contentsOfDirectory(atPath: "\(b)/\(split)/\(folder)").sorted()
                XCTAssertEqual(la, lb)
                XCTAssertEqual(la.count, split == "train" ? 10 : 5)
            }
        }
        XCTAssertThrowsError(try exporter.export(to: a)) {
            XCTAssertEqual($0 as? DatasetError, .outputExists(path: a + "/train"))
        }
        var replacing = exporter
        replacing.replaceExisting = true
        replacing.seed = 99
        let summary = try replacing.export(to: a)
        XCTAssertEqual(summary.totalFiles, 60)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: a + "/train/sandal").count, 10)
    }

    func testRejectsUnbalancedCounts() {
        let exporter = FashionMNISTExporter(classes: [0, 1, 2], trainCount: 100, validationCount: 30, testCount: 30)
        XCTAssertThrowsError(try exporter.export(to: "/tmp/never-written")) {
            XCTAssertTrue("\($0)".contains("trainCount 100"), "\($0)")
        }
    }
}
