import Foundation

/// An 8-bit image in row-major HWC layout: `pixels[(y * width + x) * channels + c]`.
///
/// `channels` is 1 (gray), 3 (RGB) or 4 (RGBA). Decoding sniffs the format from the magic
/// bytes, never from the file name.
///
/// ```swift
/// let img = try Image(contentsOfFile: "data/train/cats/cat.1.jpg")
///     .converted(toChannels: 3)
///     .resized(width: 150, height: 150, interpolation: .nearest)
/// let x = img.floatPixels(scale: 1 / 255)   // [Float], 150*150*3, HWC
/// ```
public struct Image: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public var pixels: [UInt8]

    /// Wraps an existing pixel buffer. Throws if `pixels.count != width * height * channels`
    /// or if `channels` is not 1, 3 or 4.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0 else { throw ImageError.invalidImage(reason: "size \(width)x\(height) is not positive") }
        guard [1, 3, 4].contains(channels) else { throw ImageError.invalidImage(reason: "\(channels) channels (expected 1, 3 or 4)") }
        guard pixels.count == width * height * channels else {
            throw ImageError.invalidImage(reason: "\(pixels.count) bytes for \(width)x\(height)x\(channels)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Trusted initialiser for code in this module that computed the buffer itself.
    init(unchecked width: Int, _ height: Int, _ channels: Int, _ pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Reads and decodes a JPEG or PNG file. The format comes from the file's first bytes.
    /// - Throws: `ImageError` naming `path` (missing, empty, not an image, unsupported, corrupt).
    /// - Parameter strictJPEG: also reject JPEGs that libjpeg decodes with warnings other than
    ///   truncation (see `JPEGDecoder`); off by default, like Pillow.
    public init(contentsOfFile path: String, strictJPEG: Bool = false) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? error.localizedDescription : "no such file"
            throw ImageError.unreadable(path: path, reason: reason)
        }
        try self.init(data: data, source: path, strictJPEG: strictJPEG)
    }

    /// Decodes JPEG or PNG bytes already in memory.
    /// - Parameters:
    ///   - source: the name used in error messages (a path or URL).
    ///   - strictJPEG: see `init(contentsOfFile:strictJPEG:)`.
    public init(data: Data, source: String = "<data>", strictJPEG: Bool = false) throws {
        if data.isEmpty { throw ImageError.emptyFile(path: source) }
        guard let format = ImageFormat.sniff(data) else { throw ImageError.notAnImage(path: source) }
        let decoded: Image = try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            switch format {
            case .jpeg: return try JPEGDecoder.decode(bytes, source: source, strict: strictJPEG)
            case .png: return try PNGCodec.decode(bytes, source: source)
            default: throw ImageError.unsupportedFormat(path: source, format: format.rawValue)
            }
        }
        self = decoded
    }

    /// The image encoded as PNG (gray, RGB or RGBA, 8 bits per sample).
    public func pngData(compression: PNGCompression = .compact) throws -> Data {
        try PNGCodec.encode(self, compression: compression, destination: "<memory>")
    }

    /// Writes the image as a PNG. The bytes go to a hidden temporary file in the same folder,
    /// which is then renamed over `path`, so a reader (or a crash) never sees a half-written file.
    public func write(toPNG path: String, compression: PNGCompression = .compact) throws {
        let data = try PNGCodec.encode(self, compression: compression, destination: path)
        try AtomicFile.write(data, to: path)
    }

    /// The sample at column `x`, row `y`, channel `c`.
    public subscript(x: Int, y: Int, c: Int) -> UInt8 {
        pixels[(y * width + x) * channels + c]
    }

    /// The image with a different channel count.
    ///
    /// - gray → RGB/RGBA copies the gray value (alpha 255);
    /// - RGBA → RGB drops alpha (no compositing: like Pillow's `convert("RGB")` and Keras `load_img`);
    /// - RGB/RGBA → gray uses Pillow's ITU-R 601 luma `(19595 R + 38470 G + 7471 B + 32768) >> 16`,
    ///   so `color_mode="grayscale"` pipelines match Keras.
    public func converted(toChannels target: Int) -> Image {
        precondition([1, 3, 4].contains(target), "channels must be 1, 3 or 4")
        if target == channels { return self }
        let n = width * height
        var out = [UInt8](repeating: 255, count: n * target)
        let src = channels
        pixels.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for i in 0..<n {
                    let si = i * src, di = i * target
                    if src == 1 {
                        let g = s[si]
                        d[di] = g
                        if target >= 3 { d[di + 1] = g; d[di + 2] = g }
                    } else if target == 1 {
                        let l = 19595 * Int(s[si]) + 38470 * Int(s[si + 1]) + 7471 * Int(s[si + 2]) + 0x8000
                        d[di] = UInt8(truncatingIfNeeded: l >> 16)
                    } else {
                        d[di] = s[si]; d[di + 1] = s[si + 1]; d[di + 2] = s[si + 2]
                        // RGB → RGBA keeps the preset 255 alpha.
                    }
                }
            }
        }
        return Image(unchecked: width, height, target, out)
    }

    /// The pixels as `Float` in HWC order, each multiplied by `scale`
    /// (Keras `rescale=1./255` is `floatPixels(scale: 1 / 255)`).
    public func floatPixels(scale: Float = 1) -> [Float] {
        var out = [Float](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for i in 0..<s.count { d[i] = Float(s[i]) * scale }
            }
        }
        return out
    }
}
