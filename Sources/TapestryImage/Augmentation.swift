import Foundation

/// How `ImageAugmenter` fills pixels that the transform maps from outside the input
/// (Keras `fill_mode`, illustrated for a row `abcd`).
public enum FillMode: Sendable, Equatable {
    /// `aaaaaaaa|abcd|dddddddd`: repeat the edge pixel (Keras default).
    case nearest
    /// `kkkkkkkk|abcd|kkkkkkkk`: a constant value (Keras `cval`).
    case constant(Float)
    /// `abcddcba|abcd|dcbaabcd`: mirror about the pixel edges.
    case reflect
    /// Tile the image the way SciPy's `mode="wrap"` (and therefore Keras) does: the period is
    /// n − 1 pixels, so the last column coincides with the first: `abcd` continues `…bcd|abcd|bcd…`
    /// (Keras's documentation draws `abcdabcd|abcd|abcdabcd`, which is not what it computes).
    case wrap
}

/// One concrete random transform, as drawn by `ImageAugmenter.randomParameters`.
/// Shifts are in pixels; angles in degrees.
public struct AugmentationParameters: Sendable, Equatable {
    public var rotation: Double = 0
    /// Horizontal shift in pixels (positive: content moves left, as Keras's inverse mapping).
    public var shiftX: Double = 0
    /// Vertical shift in pixels.
    public var shiftY: Double = 0
    public var shear: Double = 0
    public var zoomX: Double = 1
    public var zoomY: Double = 1
    public var flipHorizontal = false
    public var flipVertical = false

    public init(rotation: Double = 0, shiftX: Double = 0, shiftY: Double = 0, shear: Double = 0,
                zoomX: Double = 1, zoomY: Double = 1, flipHorizontal: Bool = false, flipVertical: Bool = false) {
        self.rotation = rotation
        self.shiftX = shiftX
        self.shiftY = shiftY
        self.shear = shear
        self.zoomX = zoomX
        self.zoomY = zoomY
        self.flipHorizontal = flipHorizontal
        self.flipVertical = flipVertical
    }

    var hasAffine: Bool { rotation != 0 || shiftX != 0 || shiftY != 0 || shear != 0 || zoomX != 1 || zoomY != 1 }
}

/// Random geometric augmentation of float HWC images, after Keras `ImageDataGenerator`.
///
/// Parameters are drawn like `ImageDataGenerator.get_random_transform`, in the same order:
/// rotation ~ U(-r, r) degrees; height and width shifts ~ U(-s, s), a fraction of the
/// height/width when s < 1 and pixels otherwise; shear ~ U(-g, g) degrees; zoomX and zoomY
/// drawn independently from `zoomRange` (Keras `zoom_range=z` is `1-z...1+z`, use
/// `zoom(_:)`); then one draw each for the horizontal and vertical flip (probability ½).
/// A range of 0 draws nothing, as in Keras.
///
/// The transform is Keras's single matrix `rotation · shift · shear · zoom` about the image
/// centre, sampled with bilinear interpolation (Keras `interpolation_order=1`), followed by the
/// flips. Two deliberate differences from Keras's code: the centre is the true centre
/// ((w−1)/2, (h−1)/2) for non-square images too, and the height shift moves rows and the width
/// shift columns (Keras's axis swap applies its height-sampled shift to columns; for square
/// images with equal ranges the distributions are the same). For square images, `apply` with
/// Keras's `(theta, tx, ty, shear, zx, zy)` as `(rotation, shiftX, shiftY, shear, zoomX, zoomY)`
/// reproduces Keras's `apply_affine_transform` for all four fill modes within 3e-5 on 0-255
/// values (float32 rounding; see `AugmentationTests`).
///
/// Randomness is keyed by `(seed, epoch, index)` through `SplitMix64`: the same sample in the
/// same epoch always gets the same transform on every machine, and a new epoch gets new ones.
///
/// ```swift
/// var aug = ImageAugmenter(seed: 42)
/// aug.rotationRange = 40; aug.widthShiftRange = 0.2; aug.heightShiftRange = 0.2
/// aug.shearRange = 0.2; aug.zoom(0.2); aug.horizontalFlip = true
/// let x = aug.augment(pixels, width: 150, height: 150, channels: 3, epoch: 0, index: 17)
/// ```
public struct ImageAugmenter: Sendable {
    public var rotationRange: Double = 0
    public var widthShiftRange: Double = 0
    public var heightShiftRange: Double = 0
    /// Shear angle range in degrees (Keras treats `shear_range` as degrees in its current code).
    public var shearRange: Double = 0
    public var zoomRange: ClosedRange<Double> = 1...1
    public var horizontalFlip = false
    public var verticalFlip = false
    public var fillMode: FillMode = .nearest
    public var seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// Keras's scalar `zoom_range=z`, i.e. zoom factors in `1-z...1+z`.
    public mutating func zoom(_ z: Double) { zoomRange = (1 - z)...(1 + z) }

    /// The transform for sample `index` in `epoch` (deterministic).
    public func randomParameters(width: Int, height: Int, epoch: Int, index: Int) -> AugmentationParameters {
        var rng = SplitMix64(seed: seed, keys: UInt64(truncatingIfNeeded: epoch), UInt64(truncatingIfNeeded: index))
        var p = AugmentationParameters()
        if rotationRange != 0 { p.rotation = rng.nextUniform(-rotationRange, rotationRange) }
        if heightShiftRange != 0 {
            p.shiftY = rng.nextUniform(-heightShiftRange, heightShiftRange)
            if heightShiftRange < 1 { p.shiftY *= Double(height) }
        }
        if widthShiftRange != 0 {
            p.shiftX = rng.nextUniform(-widthShiftRange, widthShiftRange)
            if widthShiftRange < 1 { p.shiftX *= Double(width) }
        }
        if shearRange != 0 { p.shear = rng.nextUniform(-shearRange, shearRange) }
        if zoomRange != 1...1 {
            p.zoomX = rng.nextUniform(zoomRange.lowerBound, zoomRange.upperBound)
            p.zoomY = rng.nextUniform(zoomRange.lowerBound, zoomRange.upperBound)
        }
        p.flipHorizontal = rng.nextUniform() < 0.5 && horizontalFlip
        p.flipVertical = rng.nextUniform() < 0.5 && verticalFlip
        return p
    }

    /// Draws the parameters for `(epoch, index)` and applies them.
    public func augment(_ pixels: [Float], width: Int, height: Int, channels: Int, epoch: Int, index: Int) -> [Float] {
        apply(randomParameters(width: width, height: height, epoch: epoch, index: index),
              to: pixels, width: width, height: height, channels: channels)
    }

    /// Applies given parameters to a float HWC image (`pixels.count == width * height * channels`).
    public func apply(_ p: AugmentationParameters, to pixels: [Float], width w: Int, height h: Int, channels ch: Int) -> [Float] {
        precondition(pixels.count == w * h * ch, "pixel buffer has \(pixels.count) values, expected \(w)x\(h)x\(ch)")
        var out = pixels
        if p.hasAffine { out = affine(p, pixels, w, h, ch) }
        if p.flipHorizontal || p.flipVertical { out = flip(out, w, h, ch, horizontal: p.flipHorizontal, vertical: p.flipVertical) }
        return out
    }

    /// 3×3 row-major matrices acting on (x, y, 1), composed as Keras does.
    private func matrix(_ p: AugmentationParameters, _ w: Int, _ h: Int) -> [Double] {
        func mul(_ a: [Double], _ b: [Double]) -> [Double] {
            var r = [Double](repeating: 0, count: 9)
            for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { r[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j] } } }
            return r
        }
        let t = p.rotation * .pi / 180, s = p.shear * .pi / 180
        var m: [Double] = [cos(t), -sin(t), 0, sin(t), cos(t), 0, 0, 0, 1]
        m = mul(m, [1, 0, p.shiftX, 0, 1, p.shiftY, 0, 0, 1])
        m = mul(m, [1, -sin(s), 0, 0, cos(s), 0, 0, 0, 1])
        m = mul(m, [p.zoomX, 0, 0, 0, p.zoomY, 0, 0, 0, 1])
        let cx = Double(w) / 2 - 0.5, cy = Double(h) / 2 - 0.5
        m = mul(mul([1, 0, cx, 0, 1, cy, 0, 0, 1], m), [1, 0, -cx, 0, 1, -cy, 0, 0, 1])
        return m
    }

    private func affine(_ p: AugmentationParameters, _ input: [Float], _ w: Int, _ h: Int, _ ch: Int) -> [Float] {
        let m = matrix(p, w, h)
        var out = [Float](repeating: 0, count: input.count)
        let mode = fillMode
        @inline(__always) func index(_ i: Int, _ n: Int) -> Int {
            switch mode {
            case .nearest, .constant, .wrap: return min(max(i, 0), n - 1)
            case .reflect:
                let period = 2 * n
                var r = i % period
                if r < 0 { r += period }
                return r < n ? r : period - 1 - r
            }
        }
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    for x in 0..<w {
                        // Inverse mapping: where in the input does output pixel (x, y) come from?
                        var sx = m[0] * Double(x) + m[1] * Double(y) + m[2]
                        var sy = m[3] * Double(x) + m[4] * Double(y) + m[5]
                        let o = (y * w + x) * ch
                        if case let .constant(value) = mode,
                           sx < -1e-9 || sy < -1e-9 || sx > Double(w - 1) + 1e-9 || sy > Double(h - 1) + 1e-9 {
                            for c in 0..<ch { dst[o + c] = value }
                            continue
                        }
                        if case .wrap = mode {
                            sx = ImageAugmenter.wrapCoordinate(sx, w)
                            sy = ImageAugmenter.wrapCoordinate(sy, h)
                        }
                        let fx0 = sx.rounded(.down), fy0 = sy.rounded(.down)
                        let ax = Float(sx - fx0), ay = Float(sy - fy0)
                        let x0 = Int(fx0), y0 = Int(fy0)
                        let xa = index(x0, w), xb = index(x0 + 1, w), ya = index(y0, h), yb = index(y0 + 1, h)
                        let r0 = ya * w, r1 = yb * w
                        for c in 0..<ch {
                            let top = src[(r0 + xa) * ch + c] * (1 - ax) + src[(r0 + xb) * ch + c] * ax
                            let bottom = src[(r1 + xa) * ch + c] * (1 - ax) + src[(r1 + xb) * ch + c] * ax
                            dst[o + c] = top * (1 - ay) + bottom * ay
                        }
                    }
                }
            }
        }
        return out
    }

    /// SciPy's `mode="wrap"` (what Keras runs): the period is n − 1, so the first and last
    /// samples coincide, e.g. `abcd` continues as `…bc|abcd|bcd…` rather than `abcd|abcd`.
    static func wrapCoordinate(_ v: Double, _ n: Int) -> Double {
        let period = Double(n - 1)
        if period <= 0 || (v >= 0 && v <= period) { return v }
        return v - period * (v / period).rounded(.down)
    }

    private func flip(_ input: [Float], _ w: Int, _ h: Int, _ ch: Int, horizontal: Bool, vertical: Bool) -> [Float] {
        var out = input
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let sy = vertical ? h - 1 - y : y
                    for x in 0..<w {
                        let sx = horizontal ? w - 1 - x : x
                        for c in 0..<ch { dst[(y * w + x) * ch + c] = src[(sy * w + sx) * ch + c] }
                    }
                }
            }
        }
        return out
    }
}
