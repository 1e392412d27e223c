import Foundation
import XCTest
@testable import TapestryImage

final class ImageFolderTests: XCTestCase {
    private var root = ""

    /// cats: 7 images (one nested), dogs: 5 images, plus files that must be ignored.
    override func setUpWithError() throws {
        root = try Fixtures.temporaryDirectory("folder")
        let png = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("rgb.png")))
        let fm = FileManager.default
        for (cls, n) in [("cats", 6), ("dogs", 5)] {
            try fm.createDirectory(atPath: "\(root)/\(cls)", withIntermediateDirectories: true)
            for i in 0..<n { try png.write(to: URL(fileURLWithPath: "\(root)/\(cls)/\(cls).\(i).\(i % 2 == 0 ? "jpg" : "PNG")")) }
        }
        try fm.createDirectory(atPath: "\(root)/cats/more", withIntermediateDirectories: true)
        try png.write(to: URL(fileURLWithPath: "\(root)/cats/more/nested.jpeg"))
        for junk in ["cats/.DS_Store", "cats/._cats.0.jpg", "dogs/notes.txt", "dogs/model.h5", ".DS_Store"] {
            try Data("junk".utf8).write(to: URL(fileURLWithPath: "\(root)/\(junk)"))
        }
        try fm.createDirectory(atPath: "\(root)/.ipynb_checkpoints", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    func testIndexesClassesAndIgnoresHiddenAndNonImages() throws {
        let f = try ImageFolder(directory: root, shuffle: false)
        XCTAssertEqual(f.classNames, ["cats", "dogs"])
        XCTAssertEqual(f.count, 12)
        XCTAssertEqual(f.classCounts, [7, 5])
        XCTAssertFalse(f.files.contains { $0.contains(".DS_Store") || $0.contains("._") || $0.hasSuffix(".txt") })
        // Sorted by (folder, name): cats/ files first, then cats/more/, then dogs/.
        XCTAssertEqual(f.files.first, root + "/cats/cats.0.jpg")
        XCTAssertEqual(f.files[6], root + "/cats/more/nested.jpeg")
        XCTAssertEqual(f.labels, [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        for path in f.files { XCTAssertNoThrow(try Image(contentsOfFile: path)) }
    }

    func testValidationSplitIsDeterministicDisjointAndComplete() throws {
        let train = try ImageFolder(directory: root, seed: 42, validationSplit: 0.25, subset: .training)
        let val = try ImageFolder(directory: root, seed: 42, validationSplit: 0.25, subset: .validation)
        XCTAssertEqual(val.count, 3)  // Int(0.25 * 12)
        XCTAssertEqual(train.count, 9)
        XCTAssertTrue(Set(train.files).isDisjoint(with: val.files))
        XCTAssertEqual(Set(train.files).union(val.files), Set(try ImageFolder(directory: root, shuffle: false).files))
        let again = try ImageFolder(directory: root, seed: 42, validationSplit: 0.25, subset: .validation)
        XCTAssertEqual(again.files, val.files)
        XCTAssertEqual(again.labels, val.labels)
        for (path, label) in zip(val.files, val.labels) { XCTAssertTrue(path.contains("/\(val.classNames[label])/")) }
        // Another seed gives another split (with 220 possible 3-of-12 choices, seeds 42 and 43 differ).
        let other = try ImageFolder(directory: root, seed: 43, validationSplit: 0.25, subset: .validation)
        XCTAssertNotEqual(Set(other.files), Set(val.files))
    }

    func testFlowFromDirectorySplitTakesHeadOfEachClass() throws {
        let val = try ImageFolder(directory: root, shuffle: false, validationSplit: 0.5, subset: .validation, splitRule: .perClassHead)
        XCTAssertEqual(val.classCounts, [3, 2])  // Int(0.5 * 7), Int(0.5 * 5)
        XCTAssertEqual(val.files.first, root + "/cats/cats.0.jpg")
        let train = try ImageFolder(directory: root, shuffle: false, validationSplit: 0.5, subset: .training, splitRule: .perClassHead)
        XCTAssertEqual(train.classCounts, [4, 3])
    }

    func testErrors() throws {
        XCTAssertThrowsError(try ImageFolder(directory: root + "/missing")) {
            XCTAssertEqual($0 as? DatasetError, .directoryNotFound(path: root + "/missing"))
        }
        XCTAssertThrowsError(try ImageFolder(directory: root + "/dogs")) {  // files but no class folders
            XCTAssertEqual($0 as? DatasetError, .noClassFolders(path: root + "/dogs"))
        }
        let empty = root + "/cats/more/emptyclasses"
        try FileManager.default.createDirectory(atPath: empty + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: empty + "/b", withIntermediateDirectories: true)
        XCTAssertThrowsError(try ImageFolder(directory: empty)) {
            XCTAssertEqual("\($0)", "found 0 images in \(empty) (looked for .jpg, .jpeg, .png files in its class sub-folders)")
        }
        let single = root + "/single"
        try FileManager.default.createDirectory(atPath: single + "/cats", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("rgb.png"), toPath: single + "/cats/a.png")
        XCTAssertThrowsError(try ImageFolder(directory: single, labelMode: .binary)) {
            XCTAssertTrue("\($0)".contains("exactly 2 class folders, found 1"), "\($0)")
        }
        XCTAssertThrowsError(try ImageFolder(directory: root, validationSplit: 0.2, subset: .training)) {
            XCTAssertTrue("\($0)".contains("needs a seed"), "\($0)")
        }
        XCTAssertThrowsError(try ImageFolder(directory: root, seed: 1, validationSplit: 1.5, subset: .training))
        XCTAssertThrowsError(try ImageFolder(directory: root, seed: 1, validationSplit: 0.2))
    }

    func testExplicitClassOrderControlsLabels() throws {
        let f = try ImageFolder(directory: root, classNames: ["dogs", "cats"], shuffle: false)
        XCTAssertEqual(f.classCounts, [5, 7])
        XCTAssertThrowsError(try ImageFolder(directory: root, classNames: ["dogs"]))
    }
}
