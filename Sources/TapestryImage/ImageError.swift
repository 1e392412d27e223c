/// Why an image could not be read, decoded, encoded or written.
///
/// Every case carries the path (or the `source` label given for in-memory data) so that a
/// failure inside a 4000-file data set says *which* file was bad.
///
/// ```swift
/// do { _ = try Image(contentsOfFile: "cats/1.jpg") }
/// catch let e as ImageError { print(e) }  // "cats/1.jpg: corrupt or truncated JPEG (Premature end of JPEG file)"
/// ```
public enum ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not exist or could not be opened.
    case unreadable(path: String, reason: String)
    /// The file exists but has no bytes.
    case emptyFile(path: String)
    /// The first bytes match no image format known to Tapestry.
    case notAnImage(path: String)
    /// A recognised image format that Tapestry cannot decode (GIF, BMP, WebP, TIFF, CMYK JPEG, ...).
    case unsupportedFormat(path: String, format: String)
    /// A JPEG that libjpeg could not decode, or could only decode with damage (truncated, corrupt data).
    case corruptJPEG(path: String, reason: String)
    /// A PNG that libpng rejected (truncated, bad CRC, bad chunk).
    case corruptPNG(path: String, reason: String)
    /// PNG encoding failed.
    case encodingFailed(path: String, reason: String)
    /// Writing or renaming the output file failed.
    case writeFailed(path: String, reason: String)
    /// Width, height, channel count or buffer size are inconsistent.
    case invalidImage(reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read file (\(reason))"
        case let .emptyFile(path): return "\(path): empty file (0 bytes), not an image"
        case let .notAnImage(path): return "\(path): not an image (the first bytes match no JPEG or PNG signature)"
        case let .unsupportedFormat(path, format): return "\(path): unsupported image format \(format) (Tapestry decodes JPEG and PNG)"
        case let .corruptJPEG(path, reason): return "\(path): corrupt or truncated JPEG (\(reason))"
        case let .corruptPNG(path, reason): return "\(path): corrupt or truncated PNG (\(reason))"
        case let .encodingFailed(path, reason): return "\(path): PNG encoding failed (\(reason))"
        case let .writeFailed(path, reason): return "\(path): cannot write file (\(reason))"
        case let .invalidImage(reason): return "invalid image: \(reason)"
        }
    }
}
