import Foundation
import XCTest
@testable import TapestryImage

final class AugmentationTests: XCTestCase {
    /// A w×h image whose value encodes its position: v = y * w + x (1 channel) plus a second channel 1000 + v.
    private func ramp(_ w: Int, _ h: Int) -> [Float] {
        var px = [Float]()
        for y in 0..<h { for x in 0..<w { let v = Float(y * w + x); px += [v, 1000 + v] } }
        return px
    }

    private func kerasLike(seed: UInt64) -> ImageAugmenter {
        var a = ImageAugmenter(seed: seed)
        a.rotationRange = 40
        a.widthShiftRange = 0.2
        a.heightShiftRange = 0.2
        a.shearRange = 20
        a.zoom(0.2)
        a.horizontalFlip = true
        return a
    }

    func testReproducibleForSameSeedEpochIndexAndDifferentAcrossEpochs() {
        let img = ramp(12, 10)
        let a = kerasLike(seed: 42)
        let first = a.augment(img, width: 12, height: 10, channels: 2, epoch: 0, index: 5)
        XCTAssertEqual(first, kerasLike(seed: 42).augment(img, width: 12, height: 10, channels: 2, epoch: 0, index: 5))
        XCTAssertNotEqual(first, img)
        XCTAssertNotEqual(first, a.augment(img, width: 12, height: 10, channels: 2, epoch: 1, index: 5))
        XCTAssertNotEqual(first, a.augment(img, width: 12, height: 10, channels: 2, epoch: 0, index: 6))
        XCTAssertNotEqual(first, kerasLike(seed: 43).augment(img, width: 12, height: 10, channels: 2, epoch: 0, index: 5))
    }

    /// Pinned values: SplitMix64 is our own code, so a change in the stream is a visible break.
    func testParameterStreamIsPinned() {
        var rng = SplitMix64(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(rng.next(), 0x6E78_9E6A_A1B9_65F4)
        let p = kerasLike(seed: 42).randomParameters(width: 150, height: 150, epoch: 0, index: 0)
        XCTAssertEqual(p, kerasLike(seed: 42).randomParameters(width: 150, height: 150, epoch: 0, index: 0))
    }

    func testParametersStayInKerasRanges() {
        let a = kerasLike(seed: 7)
        var flips = 0
        for i in 0..<2000 {
            let p = a.randomParameters(width: 150, height: 100, epoch: 3, index: i)
            XCTAssertLessThanOrEqual(abs(p.rotation), 40)
            XCTAssertLessThanOrEqual(abs(p.shiftX), 0.2 * 150)
            XCTAssertLessThanOrEqual(abs(p.shiftY), 0.2 * 100)
            XCTAssertLessThanOrEqual(abs(p.shear), 20)
            XCTAssertTrue((0.8...1.2).contains(p.zoomX) && (0.8...1.2).contains(p.zoomY))
            XCTAssertFalse(p.flipVertical)
            if p.flipHorizontal { flips += 1 }
        }
        XCTAssertEqual(Double(flips) / 2000, 0.5, accuracy: 0.05)
        // Ranges ≥ 1 are pixels, not fractions.
        var px = ImageAugmenter(seed: 1)
        px.widthShiftRange = 3
        for i in 0..<200 { XCTAssertLessThanOrEqual(abs(px.randomParameters(width: 150, height: 150, epoch: 0, index: i).shiftX), 3) }
    }

    func testIdentityWhenNothingIsEnabled() {
        let img = ramp(7, 5)
        XCTAssertEqual(ImageAugmenter(seed: 9).augment(img, width: 7, height: 5, channels: 2, epoch: 4, index: 2), img)
    }

    func testFlips() {
        let img = ramp(3, 2)  // v: [[0,1,2],[3,4,5]]
        let a = ImageAugmenter(seed: 0)
        let h = a.apply(AugmentationParameters(flipHorizontal: true), to: img, width: 3, height: 2, channels: 2)
        XCTAssertEqual(stride(from: 0, to: h.count, by: 2).map { h[$0] }, [2, 1, 0, 5, 4, 3])
        let v = a.apply(AugmentationParameters(flipVertical: true), to: img, width: 3, height: 2, channels: 2)
        XCTAssertEqual(stride(from: 0, to: v.count, by: 2).map { v[$0] }, [3, 4, 5, 0, 1, 2])
    }

    func testIntegerShiftWithEachFillMode() {
        let w = 4, h = 1
        let img: [Float] = [10, 20, 30, 40]  // one row, abcd
        func shifted(_ mode: FillMode, _ dx: Double) -> [Float] {
            var a = ImageAugmenter(seed: 0)
            a.fillMode = mode
            return a.apply(AugmentationParameters(shiftX: dx), to: img, width: w, height: h, channels: 1)
        }
        // Output x samples input x + dx.
        XCTAssertEqual(shifted(.nearest, 2), [30, 40, 40, 40])
        XCTAssertEqual(shifted(.constant(-1), 2), [30, 40, -1, -1])
        XCTAssertEqual(shifted(.wrap, 2), [30, 40, 20, 30])  // SciPy/Keras wrap: period n - 1 = 3
        XCTAssertEqual(shifted(.reflect, 2), [30, 40, 40, 30])
        XCTAssertEqual(shifted(.reflect, -3), [30, 20, 10, 10])
        XCTAssertEqual(shifted(.nearest, 0.5), [15, 25, 35, 40])  // bilinear between neighbours
    }

    func testRotationBy90DegreesOnSquareImage() {
        let n = 5
        let img = ramp(n, n)
        let out = ImageAugmenter(seed: 0).apply(AugmentationParameters(rotation: 90), to: img, width: n, height: n, channels: 2)
        // Inverse map with [[cos,-sin],[sin,cos]] at 90°: output (x, y) reads input (c - (y - c), x) with c = 2.
        for y in 0..<n {
            for x in 0..<n {
                let sx = 2 - (y - 2), sy = x
                XCTAssertEqual(out[(y * n + x) * 2], Float(sy * n + sx), accuracy: 1e-3)
                XCTAssertEqual(out[(y * n + x) * 2 + 1], 1000 + Float(sy * n + sx), accuracy: 1e-3)
            }
        }
    }

    func testZoomAboutCentreKeepsCentrePixel() {
        let n = 9
        let img = ramp(n, n)
        let out = ImageAugmenter(seed: 0).apply(AugmentationParameters(zoomX: 0.5, zoomY: 0.5), to: img, width: n, height: n, channels: 2)
        XCTAssertEqual(out[(4 * n + 4) * 2], img[(4 * n + 4) * 2])
        // Zoom 0.5 samples half the distance from the centre: output (8, 4) reads input (6, 4).
        XCTAssertEqual(out[(4 * n + 8) * 2], img[(4 * n + 6) * 2], accuracy: 1e-4)
    }

    /// Against Keras's own `apply_affine_transform` (SciPy `affine_transform`, order 1), run by
    /// make_fixtures.py on a square 16×16×2 image with values in 0-255. Measured max abs
    /// difference: 3e-5 (float32 rounding) for every fill mode, inside and outside the image.
    func testMatchesKerasApplyAffineTransform() throws {
        let info = try XCTUnwrap(Fixtures.manifest()["augment"] as? [String: Any])
        let n = try XCTUnwrap(info["width"] as? Int), ch = try XCTUnwrap(info["channels"] as? Int)
        let source = try floats(try XCTUnwrap(info["source"] as? String))
        let cases = try XCTUnwrap(info["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 20)
        var worstOutside: [String: Float] = [:]
        var outsideCount = 0
        for c in cases {
            let raw = try XCTUnwrap(c["params"] as? [String: Double])
            // For square images Keras's (tx, ty) land on (x, y) = (column, row) after its axis swap.
            let p = AugmentationParameters(rotation: raw["theta"] ?? 0, shiftX: raw["tx"] ?? 0, shiftY: raw["ty"] ?? 0,
                                           shear: raw["shear"] ?? 0, zoomX: raw["zx"] ?? 1, zoomY: raw["zy"] ?? 1)
            let modeName = try XCTUnwrap(c["fill_mode"] as? String)
            let cval = Float(try XCTUnwrap(c["cval"] as? Double))
            var aug = ImageAugmenter(seed: 0)
            aug.fillMode = ["nearest": .nearest, "constant": .constant(cval), "reflect": .reflect, "wrap": .wrap][modeName]!
            let ours = aug.apply(p, to: source, width: n, height: n, channels: ch)
            let keras = try floats(try XCTUnwrap(c["raw"] as? String))
            // Which output pixels sample inside the image: NaN fill marks the others.
            var probe = ImageAugmenter(seed: 0)
            probe.fillMode = .constant(.nan)
            let inside = probe.apply(p, to: source, width: n, height: n, channels: ch).map { !$0.isNaN }
            var worstInside: Float = 0
            for i in 0..<ours.count {
                let d = abs(ours[i] - keras[i])
                if inside[i] {
                    worstInside = max(worstInside, d)
                } else {
                    worstOutside[modeName] = max(worstOutside[modeName] ?? 0, d)
                    outsideCount += 1
                }
            }
            XCTAssertLessThan(worstInside, 1e-3, "\(raw) \(modeName)")
        }
        XCTAssertGreaterThan(outsideCount, 100, "the cases must exercise the fill modes")
        for (mode, d) in worstOutside { XCTAssertLessThan(d, 1e-3, "fill mode \(mode) differs from Keras outside the image") }
        print("augmentation vs Keras outside the image, max abs diff per fill mode (values 0-255):", worstOutside)
    }

    private func floats(_ relative: String) throws -> [Float] {
        let bytes = try Fixtures.bytes(relative)
        return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
