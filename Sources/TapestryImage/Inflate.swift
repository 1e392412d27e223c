import CImageCodecs
import Foundation

/// Whole-buffer decompression of gzip (`.gz`) and zlib streams through zlib.
public enum Inflate {
    /// Whether `bytes` start with the gzip magic number (1F 8B).
    public static func isGzip<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var it = bytes.makeIterator()
        return it.next() == 0x1F && it.next() == 0x8B
    }

    /// Decompresses a complete gzip or zlib stream (the header decides which).
    /// - Parameter source: names the data in error messages (usually the file path).
    /// - Throws: `DatasetError.corruptFile` for truncated or corrupt input.
    public static func decompress(_ data: Data, source: String) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var length = 0
        var err = [CChar](repeating: 0, count: 512)
        let rc = data.withUnsafeBytes { raw in
            cimg_inflate(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &out, &length, &err, err.count)
        }
        defer { cimg_free(out) }
        guard rc == 0, let out else {
            throw DatasetError.corruptFile(path: source, reason: String(cString: err))
        }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }
}
