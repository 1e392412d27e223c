import CHDF5
import Foundation

/// Writing attributes, shared by files (the root group), groups and datasets.
///
/// Writing an attribute that already exists replaces it, as assigning to h5py's `attrs` does.
///
/// ```swift
/// let out = try HDF5File(path: "/tmp/legacy.h5", mode: .create)
/// try out.setChunkedStringArrayAttribute("layer_names", ["dense", "dense_1"])
/// try out.setStringAttribute("keras_version", "2.15.0")
/// let dense = try out.createGroup(at: "dense")
/// try dense.setStringArrayAttribute("weight_names", ["dense/kernel:0", "dense/bias:0"])
/// ```
extension HDF5Object {
    /// Keras's `HDF5_OBJECT_HEADER_LIMIT`: attributes above this many bytes are split.
    public static var keras2AttributeChunkLimit: Int { 64_512 }

    /// Writes a one-dimensional list of strings (an empty list is allowed).
    ///
    /// - Parameter storage: `.fixedLength` (default) matches Keras 2 and numpy `S` arrays;
    ///   `.variableLengthUTF8` matches a list of Python `str` written by h5py.
    public func setStringArrayAttribute(_ name: String, _ values: [String], storage: HDF5StringStorage = .fixedLength) throws {
        try writeStrings(name, values, shape: [values.count], storage: storage, fixedWidth: nil)
    }

    /// Writes a scalar string attribute.
    ///
    /// - Parameter storage: `.variableLengthUTF8` (default) matches h5py's `attrs["x"] = "text"`,
    ///   which is how Keras stores `keras_version` and `backend`; `.fixedLength` matches `np.bytes_`.
    public func setStringAttribute(_ name: String, _ value: String, storage: HDF5StringStorage = .variableLengthUTF8) throws {
        try writeStrings(name, [value], shape: [], storage: storage, fixedWidth: nil)
    }

    /// Writes a one-dimensional float64 attribute; `[]` gives the empty array Keras writes as
    /// `weight_names` for a layer without weights.
    public func setDoubleArrayAttribute(_ name: String, _ values: [Double]) throws {
        let loc = try writableLocation()
        try removeAttributeIfPresent(loc, name)
        let space = HDF5Runtime.makeSpace([values.count])
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(loc, name, chdf5_ieee_f64le(), space, chdf5_p_default(), chdf5_p_default())
        guard attribute >= 0 else { throw writeError(name) }
        defer { H5Aclose(attribute) }
        if values.isEmpty { return }
        guard H5Awrite(attribute, chdf5_native_double(), values) >= 0 else { throw writeError(name) }
    }

    /// Writes a list of strings the way Keras 2's `save_attributes_to_hdf5_group` does: as one
    /// fixed-length attribute `name` when it fits in ``keras2AttributeChunkLimit`` bytes,
    /// otherwise split into `name0`, `name1`, … of near-equal length (numpy `array_split`),
    /// each keeping the full list's string width. ``chunkedStringArrayAttribute(_:)`` reads either form.
    ///
    /// Any existing `name` and `name0`, `name1`, … are removed first, so a shorter list never
    /// leaves stale chunks behind.
    ///
    /// - Throws: ``HDF5Error`` when a single string is longer than the limit (Keras refuses those too).
    public func setChunkedStringArrayAttribute(_ name: String, _ values: [String]) throws {
        let loc = try writableLocation()
        let limit = Self.keras2AttributeChunkLimit
        if let long = values.first(where: { $0.utf8.count > limit }) {
            throw error(.shapeMismatch, "cannot write attribute '\(name)' of \(displayName) in '\(filePath)': the string '\(long.prefix(40))…' is longer than \(limit) bytes")
        }
        try removeAttributeIfPresent(loc, name)
        var stale = 0
        while H5Aexists(loc, "\(name)\(stale)") > 0 {
            try removeAttributeIfPresent(loc, "\(name)\(stale)")
            stale += 1
        }
        let width = max(1, values.map { $0.utf8.count }.max() ?? 1)
        var chunks = 1
        while Self.arraySplitSizes(values.count, chunks).contains(where: { $0 * width > limit }) {
            chunks += 1
        }
        if chunks == 1 {
            try writeStrings(name, values, shape: [values.count], storage: .fixedLength, fixedWidth: width)
            return
        }
        var start = 0
        for (index, size) in Self.arraySplitSizes(values.count, chunks).enumerated() {
            try writeStrings("\(name)\(index)", Array(values[start..<(start + size)]), shape: [size],
                             storage: .fixedLength, fixedWidth: width)
            start += size
        }
    }

    /// Deletes the attribute `name`.
    ///
    /// - Throws: ``HDF5Error`` when there is no such attribute or the file is read-only.
    public func deleteAttribute(_ name: String) throws {
        let loc = try writableLocation()
        guard H5Aexists(loc, name) > 0 else {
            throw error(.notFound, "no attribute '\(name)' on \(displayName) in '\(filePath)'")
        }
        try removeAttributeIfPresent(loc, name)
    }

    // MARK: Internals

    /// numpy's `array_split` sizes: the first `count % parts` pieces get one extra element.
    static func arraySplitSizes(_ count: Int, _ parts: Int) -> [Int] {
        (0..<parts).map { count / parts + ($0 < count % parts ? 1 : 0) }
    }

    private func removeAttributeIfPresent(_ loc: hid_t, _ name: String) throws {
        guard H5Aexists(loc, name) > 0 else { return }
        guard H5Adelete(loc, name) >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot replace attribute '\(name)' of \(displayName) in '\(filePath)'"))
        }
    }

    private func writeError(_ name: String) -> HDF5Error {
        error(.ioFailed, HDF5Runtime.withDetail("cannot write attribute '\(name)' of \(displayName) in '\(filePath)'"))
    }

    /// Writes `values` with dataspace `shape` (`[]` scalar, `[n]` list). `fixedWidth` forces
    /// the fixed-length width, so that Keras-style chunks all share the full list's width.
    private func writeStrings(_ name: String, _ values: [String], shape: [Int], storage: HDF5StringStorage, fixedWidth: Int?) throws {
        let loc = try writableLocation()
        try removeAttributeIfPresent(loc, name)
        let type = H5Tcopy(chdf5_c_s1())
        defer { H5Tclose(type) }
        let needsUTF8 = values.contains { $0.utf8.contains { $0 >= 0x80 } }
        switch storage {
        case .fixedLength:
            H5Tset_size(type, fixedWidth ?? max(1, values.map { $0.utf8.count }.max() ?? 1))
            H5Tset_strpad(type, H5T_STR_NULLPAD)
            H5Tset_cset(type, needsUTF8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII)
        case .variableLengthUTF8:
            H5Tset_size(type, chdf5_variable())
            H5Tset_cset(type, H5T_CSET_UTF8)
        case .variableLengthASCII:
            H5Tset_size(type, chdf5_variable())
            H5Tset_cset(type, needsUTF8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII)
        }
        let space = HDF5Runtime.makeSpace(shape)
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(loc, name, type, space, chdf5_p_default(), chdf5_p_default())
        guard attribute >= 0 else { throw writeError(name) }
        defer { H5Aclose(attribute) }
        if values.isEmpty { return }

        let status: herr_t
        switch storage {
        case .fixedLength:
            let width = Int(H5Tget_size(type))
            var bytes = [UInt8](repeating: 0, count: values.count * width)
            for (index, value) in values.enumerated() {
                for (offset, byte) in value.utf8.prefix(width).enumerated() { bytes[index * width + offset] = byte }
            }
            status = H5Awrite(attribute, type, bytes)
        case .variableLengthUTF8, .variableLengthASCII:
            // HDF5 reads each char* during the call and keeps no reference to it.
            var pointers: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0) }
            defer { pointers.forEach { free($0) } }
            status = H5Awrite(attribute, type, &pointers)
        }
        guard status >= 0 else { throw writeError(name) }
    }
}
