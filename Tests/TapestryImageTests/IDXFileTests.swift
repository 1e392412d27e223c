import Foundation
import XCTest
@testable import TapestryImage

final class IDXFileTests: XCTestCase {
    private func idx(_ dims: [Int], _ data: [UInt8]) -> [UInt8] {
        var b: [UInt8] = [0, 0, 0x08, UInt8(dims.count)]
        for d in dims { b += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return b + data
    }

    func testParsesPlainIDX() throws {
        let f = try IDXFile(data: Data(idx([2, 3], [1, 2, 3, 4, 5, 6])), source: "mem")
        XCTAssertEqual(f.dimensions, [2, 3])
        XCTAssertEqual(f.data, [1, 2, 3, 4, 5, 6])
    }

    func testRejectsWrongSizeAndMagicNamingSource() {
        XCTAssertThrowsError(try IDXFile(data: Data(idx([2, 3], [1, 2, 3])), source: "short.idx")) {
            XCTAssertTrue("\($0)".contains("short.idx") && "\($0)".contains("need 6 bytes"), "\($0)")
        }
        XCTAssertThrowsError(try IDXFile(data: Data([1, 2, 3, 4, 5]), source: "bad.idx")) {
            XCTAssertTrue("\($0)".contains("bad.idx"), "\($0)")
        }
        XCTAssertThrowsError(try IDXFile(contentsOfFile: "/nonexistent/x-idx1-ubyte")) {
            XCTAssertEqual($0 as? DatasetError, .missingFile(path: "/nonexistent/x-idx1-ubyte", hint: ""))
        }
    }

    func testTruncatedGzipIsAnError() throws {
        let path = FashionMNIST.defaultDirectory + "/t10k-labels-idx1-ubyte.gz"
        let gz = try Data(contentsOf: URL(fileURLWithPath: try XCTUnwrap(requireFashionMNIST(path))))
        XCTAssertThrowsError(try IDXFile(data: gz.prefix(gz.count / 2), source: "half.gz")) {
            XCTAssertTrue("\($0)".contains("half.gz") && "\($0)".contains("truncated"), "\($0)")
        }
    }
}

/// Returns `path` if the Debian Fashion-MNIST files exist; otherwise records a failure that
/// says how to install them (these tests must never pass silently without the data).
func requireFashionMNIST(_ path: String = FashionMNIST.defaultDirectory + "/train-images-idx3-ubyte.gz",
                         file: StaticString = #filePath, line: UInt = #line) -> String? {
    if FileManager.default.fileExists(atPath: path) { return path }
    XCTFail("\(path) is missing: run `apt-get install dataset-fashion-mnist`", file: file, line: line)
    return nil
}
