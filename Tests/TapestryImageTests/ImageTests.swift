import Foundation
import XCTest
@testable import TapestryImage

final class ImageTests: XCTestCase {
    /// Every fixture decodes to exactly the pixels Pillow decoded (JPEG included: same ISLOW DCT).
    func testDecodeMatchesPillow() throws {
        let decode = try XCTUnwrap(Fixtures.manifest()["decode"] as? [String: [String: Any]])
        XCTAssertGreaterThanOrEqual(decode.count, 12)
        for (name, info) in decode.sorted(by: { $0.key < $1.key }) {
            let img = try Image(contentsOfFile: Fixtures.path(name))
            XCTAssertEqual(img.width, info["width"] as? Int, name)
            XCTAssertEqual(img.height, info["height"] as? Int, name)
            XCTAssertEqual(img.channels, info["channels"] as? Int, name)
            let expected = try Fixtures.bytes(try XCTUnwrap(info["raw"] as? String))
            XCTAssertEqual(img.pixels.count, expected.count, name)
            if img.pixels.count == expected.count {
                XCTAssertEqual(maxAbsDifference(img.pixels, expected), 0, "\(name) differs from Pillow")
            }
        }
    }

    func testChannelLayoutsPerFormat() throws {
        let cases: [(String, Int)] = [("gray.jpg", 1), ("rgb.jpg", 3), ("progressive.jpg", 3), ("gray.png", 1),
                                      ("gray_alpha.png", 4), ("rgb.png", 3), ("rgba.png", 4), ("palette.png", 3),
                                      ("palette_trns.png", 4), ("rgb16.png", 3), ("gray16.png", 1)]
        for (name, channels) in cases {
            XCTAssertEqual(try Image(contentsOfFile: Fixtures.path(name)).channels, channels, name)
        }
    }

    func testFormatComesFromBytesNotExtension() throws {
        let png = try Image(contentsOfFile: Fixtures.path("rgb.png"))
        let misnamed = try Image(contentsOfFile: Fixtures.path("png_named.jpg"))
        XCTAssertEqual(png, misnamed)
        XCTAssertEqual(ImageFormat.sniff(try Fixtures.bytes("rgb.jpg")), .jpeg)
        XCTAssertEqual(ImageFormat.sniff(try Fixtures.bytes("image.gif")), .gif)
        XCTAssertNil(ImageFormat.sniff(try Fixtures.bytes("not_an_image.png")))
    }

    private func assertError(_ name: String, file: StaticString = #filePath, line: UInt = #line,
                             _ check: (ImageError) -> Bool) {
        let path = Fixtures.path(name)
        do {
            let img = try Image(contentsOfFile: path)
            XCTFail("\(name) decoded to \(img.width)x\(img.height) instead of failing", file: file, line: line)
        } catch let error as ImageError {
            XCTAssertTrue(check(error), "unexpected error \(error)", file: file, line: line)
            XCTAssertTrue(error.description.contains(path), "message must name the path: \(error)", file: file, line: line)
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
        }
    }

    func testBrokenInputsGiveErrorsNamingThePath() {
        assertError("truncated.jpg") { if case .corruptJPEG = $0 { return true }; return false }
        assertError("truncated_header.jpg") { if case .corruptJPEG = $0 { return true }; return false }
        assertError("garbage.jpg") { if case .corruptJPEG = $0 { return true }; return false }
        assertError("truncated.png") { if case .corruptPNG = $0 { return true }; return false }
        assertError("badcrc.png") { if case .corruptPNG = $0 { return true }; return false }
        assertError("not_an_image.png") { $0 == .notAnImage(path: Fixtures.path("not_an_image.png")) }
        assertError("empty.jpg") { $0 == .emptyFile(path: Fixtures.path("empty.jpg")) }
        assertError("image.gif") { if case .unsupportedFormat(_, "GIF") = $0 { return true }; return false }
        assertError("cmyk.jpg") { if case .unsupportedFormat(_, "CMYK JPEG") = $0 { return true }; return false }
        assertError("does_not_exist.png") { if case .unreadable = $0 { return true }; return false }
    }

    func testTruncatedJPEGMessageSaysWhy() throws {
        do {
            _ = try Image(contentsOfFile: Fixtures.path("truncated.jpg"))
            XCTFail("truncated JPEG decoded")
        } catch let error as ImageError {
            XCTAssertTrue(error.description.contains("Premature end of JPEG file"), error.description)
        }
    }

    /// Junk bytes before EOI only make libjpeg warn: accepted like Pillow unless strict.
    func testExtraneousBytesJPEGIsAcceptedUnlessStrict() throws {
        let path = Fixtures.path("extraneous.jpg")
        XCTAssertEqual(try Image(contentsOfFile: path), try Image(contentsOfFile: Fixtures.path("rgb.jpg")))
        XCTAssertThrowsError(try Image(contentsOfFile: path, strictJPEG: true)) { error in
            XCTAssertTrue("\(error)".contains(path) && "\(error)".contains("extraneous bytes"), "\(error)")
        }
    }

    func testPNGWriteReadRoundTrip() throws {
        let dir = try Fixtures.temporaryDirectory("png")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["gray.png", "rgb.png", "rgba.png"] {
            let img = try Image(contentsOfFile: Fixtures.path(name))
            let out = dir + "/" + name
            try img.write(toPNG: out)
            XCTAssertEqual(try Image(contentsOfFile: out), img, name)
            XCTAssertEqual(try Image(data: try img.pngData()), img, name)
            XCTAssertEqual(try Image(data: try img.pngData(compression: .fast)), img, name)
        }
        // Only the final files remain: the temporary files were renamed, not left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["gray.png", "rgb.png", "rgba.png"])
    }

    func testWriteIntoMissingFolderFailsWithPath() throws {
        let img = try Image(width: 2, height: 2, channels: 1, pixels: [0, 1, 2, 3])
        let path = "/nonexistent-tapestry-dir/x.png"
        XCTAssertThrowsError(try img.write(toPNG: path)) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }

    func testChannelConversion() throws {
        let gray = try Image(width: 2, height: 1, channels: 1, pixels: [10, 200])
        XCTAssertEqual(gray.converted(toChannels: 3).pixels, [10, 10, 10, 200, 200, 200])
        XCTAssertEqual(gray.converted(toChannels: 4).pixels, [10, 10, 10, 255, 200, 200, 200, 255])
        let rgba = try Image(width: 1, height: 1, channels: 4, pixels: [1, 2, 3, 4])
        XCTAssertEqual(rgba.converted(toChannels: 3).pixels, [1, 2, 3])
        // Pillow's convert("L") of the RGB fixture is the gray fixture.
        let rgb = try Image(contentsOfFile: Fixtures.path("rgb.png"))
        XCTAssertEqual(rgb.converted(toChannels: 1), try Image(contentsOfFile: Fixtures.path("gray.png")))
    }

    func testFloatPixelsScale() throws {
        let img = try Image(width: 1, height: 1, channels: 3, pixels: [0, 51, 255])
        XCTAssertEqual(img.floatPixels(scale: 1 / 255), [0, 0.2, 1].map { Float($0) }, accuracy: 1e-6)
        XCTAssertEqual(img.floatPixels(), [0, 51, 255])
    }

    func testInvalidBufferIsRejected() {
        XCTAssertThrowsError(try Image(width: 2, height: 2, channels: 3, pixels: [0, 1]))
        XCTAssertThrowsError(try Image(width: 2, height: 2, channels: 2, pixels: [UInt8](repeating: 0, count: 8)))
    }
}

func XCTAssertEqual(_ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
