import Foundation
import XCTest
@testable import TapestryImage

final class FashionMNISTTests: XCTestCase {
    func testLoadsTestSplit() throws {
        _ = try XCTUnwrap(requireFashionMNIST())
        let test = try FashionMNIST.load(.test)
        XCTAssertEqual(test.count, 10_000)
        XCTAssertEqual(test.images.count, 10_000 * 28 * 28)
        // Known first labels of the official t10k file: Ankle boot, Pullover, Trouser, Trouser.
        XCTAssertEqual(Array(test.labels.prefix(4)), [9, 2, 1, 1])
        var perClass = [Int](repeating: 0, count: 10)
        for l in test.labels { perClass[Int(l)] += 1 }
        XCTAssertEqual(perClass, [Int](repeating: 1000, count: 10))
        let img = test.image(at: 0)
        XCTAssertEqual([img.width, img.height, img.channels], [28, 28, 1])
        XCTAssertGreaterThan(img.pixels.max() ?? 0, 200)
    }

    func testClassNames() {
        XCTAssertEqual(FashionMNIST.classNames, ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"])
        XCTAssertEqual(FashionMNIST.folderNames.count, 10)
        for name in FashionMNIST.folderNames {
            XCTAssertNil(name.rangeOfCharacter(from: CharacterSet(charactersIn: "/ \\:")), name)
        }
    }

    func testMissingDirectoryNamesPathAndPackage() {
        XCTAssertThrowsError(try FashionMNIST.load(.train, from: "/nonexistent/fmnist")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("/nonexistent/fmnist/train-images-idx3-ubyte"), message)
            XCTAssertTrue(message.contains("apt-get install dataset-fashion-mnist"), message)
        }
    }
}
