import Foundation
import XCTest
@testable import TapestryImage

final class ResizeTests: XCTestCase {
    private func cases(_ filter: String) throws -> [(source: String, width: Int, height: Int, raw: String)] {
        let list = try XCTUnwrap(Fixtures.manifest()["resize"] as? [[String: Any]])
        return list.filter { $0["filter"] as? String == filter }.map {
            ($0["source"] as! String, $0["width"] as! Int, $0["height"] as! Int, $0["raw"] as! String)
        }
    }

    /// Nearest must be pixel-identical to Pillow's `resize(size, NEAREST)` (Keras `load_img`).
    func testNearestMatchesPillowExactly() throws {
        let all = try cases("nearest")
        XCTAssertGreaterThanOrEqual(all.count, 10)
        for c in all {
            let img = try Image(contentsOfFile: Fixtures.path(c.source))
            let out = img.resized(width: c.width, height: c.height, interpolation: .nearest)
            XCTAssertEqual(out.pixels, try Fixtures.bytes(c.raw), "\(c.source) → \(c.width)x\(c.height)")
        }
    }

    /// Bilinear (with Pillow's antialiasing support scaling) measured against Pillow:
    /// the documented tolerance is a max abs difference of 0; this asserts ≤ 1 so the
    /// failure message reports the actual worst case if a toolchain ever changes rounding.
    func testBilinearMatchesPillow() throws {
        let all = try cases("bilinear")
        XCTAssertGreaterThanOrEqual(all.count, 10)
        var worst = 0
        for c in all {
            let img = try Image(contentsOfFile: Fixtures.path(c.source))
            let out = img.resized(width: c.width, height: c.height, interpolation: .bilinear)
            let expected = try Fixtures.bytes(c.raw)
            XCTAssertEqual(out.pixels.count, expected.count)
            let diff = maxAbsDifference(out.pixels, expected)
            worst = max(worst, diff)
            XCTAssertEqual(diff, 0, "\(c.source) → \(c.width)x\(c.height): max abs diff \(diff)")
        }
        print("bilinear vs Pillow: max abs diff \(worst) over \(all.count) cases")
    }

    func testDownscaleAntialiases() throws {
        // A 1-pixel checkerboard halved: plain 2-tap bilinear would alias, the scaled triangle averages to ~gray.
        var px = [UInt8]()
        for y in 0..<8 { for x in 0..<8 { px.append((x + y) % 2 == 0 ? 255 : 0) } }
        let img = try Image(width: 8, height: 8, channels: 1, pixels: px)
        let out = img.resized(width: 2, height: 2, interpolation: .bilinear)
        for v in out.pixels { XCTAssertEqual(Int(v), 128, accuracy: 8) }
    }

    func testSameSizeIsIdentity() throws {
        let img = try Image(contentsOfFile: Fixtures.path("rgb.png"))
        XCTAssertEqual(img.resized(width: img.width, height: img.height, interpolation: .bilinear), img)
    }
}
