import CImageCodecs
import Foundation

/// JPEG decoding through libjpeg-turbo (via the `CImageCodecs` shim).
///
/// Gray JPEGs stay 1-channel (like Pillow's "L"); colour JPEGs decode to RGB. CMYK is rejected.
/// The DCT method is libjpeg's default (ISLOW) with fancy upsampling, the same settings Pillow
/// uses, so pixels are bit-identical to `PIL.Image.open(path)` (checked by the fixture tests).
///
/// Damage policy, chosen to accept what Pillow (and so Keras `load_img`) accepts:
/// - a file whose data ends before the image does (a truncated download, which libjpeg would
///   pad with gray) is an error, as Pillow's "image file is truncated";
/// - other libjpeg warnings (e.g. "extraneous bytes before marker", found in real data sets
///   such as Kaggle's cats vs dogs) are accepted by default, as Pillow does; pass
///   `strict: true` to reject them too.
enum JPEGDecoder {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, source: String, strict: Bool = false) throws -> Image {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var w: Int32 = 0, h: Int32 = 0, c: Int32 = 0, warnings: Int32 = 0, truncated: Int32 = 0
        var err = [CChar](repeating: 0, count: 512)
        let rc = cimg_decode_jpeg(bytes.baseAddress, bytes.count, &out, &w, &h, &c, &warnings, &truncated, &err, err.count)
        defer { cimg_free(out) }
        let message = String(cString: err).replacingOccurrences(of: "JPEG: ", with: "")
        if rc == 2 { throw ImageError.unsupportedFormat(path: source, format: "CMYK JPEG") }
        if rc != 0 { throw ImageError.corruptJPEG(path: source, reason: message) }
        if truncated != 0 || (strict && warnings > 0) { throw ImageError.corruptJPEG(path: source, reason: message) }
        guard let out else { throw ImageError.corruptJPEG(path: source, reason: "decoder returned no pixels") }
        let count = Int(w) * Int(h) * Int(c)
        return try Image(width: Int(w), height: Int(h), channels: Int(c),
                         pixels: Array(UnsafeBufferPointer(start: out, count: count)))
    }
}
