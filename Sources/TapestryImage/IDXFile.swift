import Foundation

/// An IDX file (the MNIST / Fashion-MNIST container) holding unsigned bytes.
///
/// Layout: two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions,
/// then each dimension as a big-endian UInt32, then the data in row-major order.
/// Gzipped files (`.gz`) are recognised by their magic bytes and inflated in memory.
///
/// ```swift
/// let images = try IDXFile(contentsOfFile: "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")
/// images.dimensions   // [10000, 28, 28]
/// ```
public struct IDXFile: Sendable {
    /// The sizes of each dimension, outermost first.
    public let dimensions: [Int]
    /// The samples, row-major.
    public let data: [UInt8]

    /// Reads a plain or gzipped IDX file of unsigned bytes.
    /// - Throws: `DatasetError.missingFile` or `.corruptFile`, naming `path`.
    public init(contentsOfFile path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError.missingFile(path: path, hint: "")
        }
        let raw = try Data(contentsOf: URL(fileURLWithPath: path))
        try self.init(data: raw, source: path)
    }

    /// Parses IDX bytes (plain or gzipped). `source` names the data in error messages.
    public init(data raw: Data, source: String) throws {
        let bytes: [UInt8] = Inflate.isGzip(raw) ? try Inflate.decompress(raw, source: source) : [UInt8](raw)
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw DatasetError.corruptFile(path: source, reason: "not an IDX file (bad magic number)")
        }
        guard bytes[2] == 0x08 else {
            throw DatasetError.corruptFile(path: source, reason: String(format: "IDX type 0x%02X is not unsigned byte (0x08)", bytes[2]))
        }
        let rank = Int(bytes[3])
        let headerSize = 4 + 4 * rank
        guard rank > 0, bytes.count >= headerSize else {
            throw DatasetError.corruptFile(path: source, reason: "IDX header truncated")
        }
        var dims = [Int]()
        for d in 0..<rank {
            let o = 4 + 4 * d
            dims.append(Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3]))
        }
        let expected = dims.reduce(1, *)
        guard bytes.count - headerSize == expected else {
            throw DatasetError.corruptFile(path: source,
                reason: "IDX dimensions \(dims) need \(expected) bytes of data, file has \(bytes.count - headerSize)")
        }
        dimensions = dims
        data = Array(bytes[headerSize...])
    }
}
