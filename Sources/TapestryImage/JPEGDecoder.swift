import CImageCodecs
import Foundation

/// JPEG decoding through libjpeg-turbo (via the `CImageCodecs` shim).
///
/// Gray JPEGs stay 1-channel (like Pillow's "L"); colour JPEGs decode to RGB. CMYK is rejected.
/// The DCT method is libjpeg's default (ISLOW) with fancy upsampling, the same settings Pillow
/// uses, so pixels are bit-identical to `PIL.Image.open(path)` (checked by the fixture tests).
///
/// A file that libjpeg can only decode with warnings (typically a truncated download, which it
/// pads with gray) is an error here: silently training on half-gray images is worse than failing.
enum JPEGDecoder {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, source: String) throws -> Image {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var w: Int32 = 0, h: Int32 = 0, c: Int32 = 0, warnings: Int32 = 0
        var err = [CChar](repeating: 0, count: 512)
        let rc = cimg_decode_jpeg(bytes.baseAddress, bytes.count, &out, &w, &h, &c, &warnings, &err, err.count)
        defer { cimg_free(out) }
        let message = String(cString: err).replacingOccurrences(of: "JPEG: ", with: "")
        if rc == 2 { throw ImageError.unsupportedFormat(path: source, format: "CMYK JPEG") }
        if rc != 0 { throw ImageError.corruptJPEG(path: source, reason: message) }
        if warnings > 0 { throw ImageError.corruptJPEG(path: source, reason: message) }
        guard let out else { throw ImageError.corruptJPEG(path: source, reason: "decoder returned no pixels") }
        let count = Int(w) * Int(h) * Int(c)
        return try Image(width: Int(w), height: Int(h), channels: Int(c),
                         pixels: Array(UnsafeBufferPointer(start: out, count: count)))
    }
}
