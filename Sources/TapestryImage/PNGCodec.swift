import CImageCodecs
import Foundation

/// PNG decoding and encoding through libpng (via the `CImageCodecs` shim).
///
/// Decoded layouts: gray → 1 channel, gray+alpha → RGBA, RGB → 3, RGBA → 4,
/// palette → RGB (RGBA when the palette has transparency). 16-bit samples keep their high
/// byte, which is what Pillow does for 16-bit RGB/RGBA. (Pillow opens 16-bit *gray* as mode
/// "I;16" and its `convert("L")` clips values above 255 instead; Tapestry scales by taking the
/// high byte, which is the useful behaviour for a network input.)
enum PNGCodec {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, source: String) throws -> Image {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var w: Int32 = 0, h: Int32 = 0, c: Int32 = 0
        var err = [CChar](repeating: 0, count: 512)
        let rc = cimg_decode_png(bytes.baseAddress, bytes.count, &out, &w, &h, &c, &err, err.count)
        defer { cimg_free(out) }
        guard rc == 0, let out else {
            throw ImageError.corruptPNG(path: source, reason: String(cString: err).replacingOccurrences(of: "PNG: ", with: ""))
        }
        let count = Int(w) * Int(h) * Int(c)
        return try Image(width: Int(w), height: Int(h), channels: Int(c),
                         pixels: Array(UnsafeBufferPointer(start: out, count: count)))
    }

    static func encode(_ image: Image, destination: String) throws -> Data {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var length = 0
        var err = [CChar](repeating: 0, count: 512)
        let rc = image.pixels.withUnsafeBufferPointer { px in
            cimg_encode_png(px.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                            &out, &length, &err, err.count)
        }
        defer { cimg_free(out) }
        guard rc == 0, let out else {
            throw ImageError.encodingFailed(path: destination, reason: String(cString: err).replacingOccurrences(of: "PNG: ", with: ""))
        }
        return Data(bytes: out, count: length)
    }
}
