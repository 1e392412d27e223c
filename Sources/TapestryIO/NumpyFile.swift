import Foundation
import TapestryTensor

/// Reads and writes NumPy `.npy` files, for exchanging arrays (features, predictions) with Python.
///
/// ```swift
/// try NumpyFile.write(features, to: "features.npy")      // np.load("features.npy") in Python
/// let labels = try NumpyFile.read("labels.npy")          // from np.save("labels.npy", y.astype("float32"))
/// ```
///
/// Reads format versions 1.0, 2.0 and 3.0 with little-endian `<f4` or `<f8` elements in C order
/// (float64 is rounded to Float); big-endian data and Fortran order are refused with an error
/// saying what to change in Python. Writes `<f4` in C order, version 1.0 (2.0 when the header
/// needs more than 65,535 bytes), through a temporary file renamed into place.
public enum NumpyFile {
    /// The format version to write.
    public enum Version: Sendable {
        /// 1.0 when the header fits, else 2.0 (what NumPy does).
        case automatic
        case v1
        case v2
    }

    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads the array in `path`.
    ///
    /// - Throws: ``NumpyFileError`` naming the path: missing file, not `.npy`, unsupported
    ///   version, dtype or order, or fewer bytes than the shape needs.
    public static func read(_ path: String) throws -> Tensor<Float> {
        guard FileManager.default.fileExists(atPath: path) else {
            throw NumpyFileError(path: path, "cannot read '\(path)': no such file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw NumpyFileError(path: path, "cannot read '\(path)': \(error.localizedDescription)")
        }
        return try decode(data, path: path)
    }

    /// Writes `tensor` to `path` as `<f4` in C order, replacing any file there atomically.
    public static func write(_ tensor: Tensor<Float>, to path: String, version: Version = .automatic) throws {
        let data = encode(tensor, version: version)
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temp)
            guard rename(temp.path, path) == 0 else {
                throw NumpyFileError(path: path, "cannot write '\(path)': renaming the temporary file failed: \(String(cString: strerror(errno)))")
            }
        } catch let error as NumpyFileError {
            try? FileManager.default.removeItem(at: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw NumpyFileError(path: path, "cannot write '\(path)': \(error.localizedDescription)")
        }
    }

    /// The `.npy` bytes for `tensor`.
    public static func encode(_ tensor: Tensor<Float>, version: Version = .automatic) -> Data {
        let shape = tensor.shape.isEmpty ? "()" : tensor.shape.count == 1 ? "(\(tensor.shape[0]),)"
            : "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
        let dictionary = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        // The header (with its newline) pads the data start to a multiple of 64 bytes.
        func header(lengthBytes: Int) -> [UInt8] {
            let prefix = magic.count + 2 + lengthBytes
            let unpadded = prefix + dictionary.utf8.count + 1
            let padding = (64 - unpadded % 64) % 64
            return Array((dictionary + String(repeating: " ", count: padding) + "\n").utf8)
        }
        let useV2: Bool
        switch version {
        case .v1: useV2 = false
        case .v2: useV2 = true
        case .automatic: useV2 = header(lengthBytes: 2).count > Int(UInt16.max)
        }
        let text = header(lengthBytes: useV2 ? 4 : 2)
        var bytes = magic + [useV2 ? 2 : 1, 0]
        if useV2 {
            withUnsafeBytes(of: UInt32(text.count).littleEndian) { bytes += $0 }
        } else {
            withUnsafeBytes(of: UInt16(text.count).littleEndian) { bytes += $0 }
        }
        bytes += text
        var data = Data(bytes)
        let scalars = tensor.scalars.map { $0.bitPattern.littleEndian }
        scalars.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Parses `.npy` bytes; `path` only names the source in errors.
    public static func decode(_ data: Data, path: String = "<data>") throws -> Tensor<Float> {
        let bytes = [UInt8](data)
        func fail(_ why: String) -> NumpyFileError { NumpyFileError(path: path, "cannot read '\(path)' as .npy: \(why)") }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail("it does not start with the NumPy magic string \\x93NUMPY")
        }
        let major = bytes[6]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("the file ends inside the header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw fail("format version \(major).\(bytes[7]) is not supported (1.0, 2.0 and 3.0 are)")
        }
        guard bytes.count >= headerStart + headerLength else { throw fail("the file ends inside the header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = value(of: "descr", in: header), let order = value(of: "fortran_order", in: header),
              let shapeText = value(of: "shape", in: header) else {
            throw fail("the header \(header.trimmingCharacters(in: .whitespacesAndNewlines)) lacks 'descr', 'fortran_order' or 'shape'")
        }
        let dtype = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        let elementSize: Int
        switch dtype {
        case "<f4": elementSize = 4
        case "<f8": elementSize = 8
        case ">f4", ">f8":
            throw fail("dtype '\(dtype)' is big-endian; save a little-endian array (arr.astype('<f4')) instead")
        default:
            throw fail("dtype '\(dtype)' is not supported; save float32 or float64 (arr.astype('float32'))")
        }
        guard order == "False" else {
            throw fail("the array is in Fortran order (fortran_order: True); save np.ascontiguousarray(arr) for C order")
        }
        let inner = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        let dims = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = try dims.map { text -> Int in
            guard let n = Int(text), n >= 0 else { throw fail("shape \(shapeText) is not a tuple of sizes") }
            return n
        }
        let count = shape.reduce(1, *)
        let dataStart = headerStart + headerLength
        guard bytes.count - dataStart >= count * elementSize else {
            throw fail("shape \(shape) of \(dtype) needs \(count * elementSize) bytes of data, the file has \(bytes.count - dataStart); is it truncated?")
        }
        let scalars: [Float] = bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + dataStart
            if elementSize == 4 {
                return (0..<count).map { Float(bitPattern: UInt32(littleEndian: (base + 4 * $0).loadUnaligned(as: UInt32.self))) }
            }
            return (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: (base + 8 * $0).loadUnaligned(as: UInt64.self)))) }
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// The text after `'key':` in the header dictionary, up to the next top-level comma or `}`.
    private static func value(of key: String, in header: String) -> String? {
        guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\""),
              let colon = header[keyRange.upperBound...].firstIndex(of: ":") else { return nil }
        var depth = 0
        var end = header.index(after: colon)
        while end < header.endIndex {
            let c = header[end]
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if depth == 0 && (c == "," || c == "}") { break }
            end = header.index(after: end)
        }
        return header[header.index(after: colon)..<end].trimmingCharacters(in: .whitespaces)
    }
}
