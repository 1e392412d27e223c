import CHDF5

/// Reading attributes, shared by files (the root group), groups and datasets.
///
/// Strings are accepted in every form h5py and Keras write: fixed-length (numpy `S`,
/// NULLPAD or NULLTERM, cut at the first NUL) and variable-length (h5py `str`), as a
/// scalar or as a list, and decoded as UTF-8.
///
/// ```swift
/// let file = try HDF5File(path: "vgg16_notop.h5")
/// let layers = try file.chunkedStringArrayAttribute("layer_names")
/// let weights = try file.group(at: layers[1]).stringArrayAttribute("weight_names")
/// ```
extension HDF5Object {
    /// The names of this object's attributes, in ascending byte-wise name order.
    public func attributeNames() throws -> [String] {
        let loc = try location()
        var names: [String] = []
        var index: hsize_t = 0
        let status = withUnsafeMutablePointer(to: &names) { list in
            H5Aiterate2(loc, H5_INDEX_NAME, H5_ITER_INC, &index, { _, name, _, context in
                if let name, let context {
                    context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                }
                return 0
            }, list)
        }
        guard status >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot list the attributes of \(displayName) in '\(filePath)'"))
        }
        return names
    }

    /// Whether this object has an attribute called `name`. A closed file gives `false`.
    public func hasAttribute(_ name: String) -> Bool {
        guard let loc = try? location() else { return false }
        return H5Aexists(loc, name) > 0
    }

    /// The stored element type and shape of the attribute `name`.
    public func attributeInfo(_ name: String) throws -> HDF5AttributeInfo {
        try withAttribute(name) { _, type, space in
            HDF5AttributeInfo(name: name, elementType: HDF5ElementType(typeID: type),
                              shape: HDF5Runtime.shape(ofSpace: space))
        }
    }

    /// Reads a string attribute, scalar or list, as a list of strings.
    ///
    /// An attribute with no values reads as `[]` whatever its type, because Keras writes
    /// `weight_names` of a weightless layer as an empty float64 array.
    ///
    /// - Throws: ``HDF5Error`` when the attribute is missing or holds non-empty non-string data.
    public func stringArrayAttribute(_ name: String) throws -> [String] {
        try withAttribute(name) { attribute, type, space in
            let count = Int(H5Sget_simple_extent_npoints(space))
            if count == 0 { return [] }
            guard H5Tget_class(type) == H5T_STRING else {
                throw error(.typeMismatch, "attribute '\(name)' of \(displayName) in '\(filePath)' holds \(HDF5ElementType(typeID: type)) values, not strings")
            }
            let strings = H5Tis_variable_str(type) > 0
                ? try readVariableLengthStrings(attribute, type, space, count, name)
                : try readFixedLengthStrings(attribute, type, count, name)
            return strings
        }
    }

    /// Reads an attribute that holds exactly one string: a scalar (h5py `str`, numpy
    /// `bytes_`) or a list of one (a numpy bytes array such as `np.array([b"x"])`).
    public func stringAttribute(_ name: String) throws -> String {
        let strings = try stringArrayAttribute(name)
        guard strings.count == 1 else {
            throw error(.shapeMismatch, "attribute '\(name)' of \(displayName) in '\(filePath)' holds \(strings.count) strings, not one")
        }
        return strings[0]
    }

    /// Reads a numeric attribute (any float or integer type), scalar or n-dimensional,
    /// flattened in row-major order. An attribute with no values reads as `[]`.
    public func doubleArrayAttribute(_ name: String) throws -> [Double] {
        try withAttribute(name) { attribute, type, space in
            let count = Int(H5Sget_simple_extent_npoints(space))
            if count == 0 { return [] }
            let elementType = HDF5ElementType(typeID: type)
            guard elementType.isNumeric else {
                throw error(.typeMismatch, "attribute '\(name)' of \(displayName) in '\(filePath)' holds \(elementType) values, not numbers")
            }
            var values = [Double](repeating: 0, count: count)
            guard H5Aread(attribute, chdf5_native_double(), &values) >= 0 else {
                throw error(.ioFailed, HDF5Runtime.withDetail("cannot read attribute '\(name)' of \(displayName) in '\(filePath)'"))
            }
            return values
        }
    }

    /// Reads a list of strings that Keras may have split across several attributes.
    ///
    /// HDF5 object headers are limited to 64 KB, so Keras writes a long `layer_names` as
    /// `layer_names0`, `layer_names1`, …. This returns `name` when it exists, otherwise the
    /// concatenation of `name0`, `name1`, … up to the first missing index, and `[]` when
    /// neither exists — what Keras's `load_attributes_from_hdf5_group` does.
    public func chunkedStringArrayAttribute(_ name: String) throws -> [String] {
        if hasAttribute(name) { return try stringArrayAttribute(name) }
        _ = try location()  // a closed file should throw, not look like a missing attribute
        var values: [String] = []
        var chunk = 0
        while hasAttribute("\(name)\(chunk)") {
            values += try stringArrayAttribute("\(name)\(chunk)")
            chunk += 1
        }
        return values
    }

    // MARK: Internals

    /// How a string attribute is encoded: character set ("ASCII"/"UTF8") and, for fixed-length
    /// strings, padding ("NULLTERM"/"NULLPAD"/"SPACEPAD") and width in bytes. `nil` for non-strings.
    /// Internal: the interop tests compare it with h5py's view of Swift-written files.
    func stringEncoding(ofAttribute name: String) throws -> (cset: String, strpad: String?, width: Int?)? {
        try withAttribute(name) { _, type, _ in
            guard H5Tget_class(type) == H5T_STRING else { return nil }
            let cset = H5Tget_cset(type) == H5T_CSET_UTF8 ? "UTF8" : "ASCII"
            if H5Tis_variable_str(type) > 0 { return (cset, nil, nil) }
            let pad: String
            switch H5Tget_strpad(type) {
            case H5T_STR_NULLTERM: pad = "NULLTERM"
            case H5T_STR_NULLPAD: pad = "NULLPAD"
            default: pad = "SPACEPAD"
            }
            return (cset, pad, Int(H5Tget_size(type)))
        }
    }

    /// Opens attribute `name` with its type and dataspace and closes all three afterwards.
    func withAttribute<R>(_ name: String, _ body: (hid_t, hid_t, hid_t) throws -> R) throws -> R {
        let loc = try location()
        guard H5Aexists(loc, name) > 0 else {
            throw error(.notFound, "no attribute '\(name)' on \(displayName) in '\(filePath)'")
        }
        let attribute = H5Aopen(loc, name, chdf5_p_default())
        guard attribute >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot open attribute '\(name)' of \(displayName) in '\(filePath)'"))
        }
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        defer { if type >= 0 { H5Tclose(type) } }
        let space = H5Aget_space(attribute)
        defer { if space >= 0 { H5Sclose(space) } }
        guard type >= 0, space >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot read attribute '\(name)' of \(displayName) in '\(filePath)'"))
        }
        return try body(attribute, type, space)
    }

    private func readFixedLengthStrings(_ attribute: hid_t, _ fileType: hid_t, _ count: Int, _ name: String) throws -> [String] {
        let size = Int(H5Tget_size(fileType))
        let padding = H5Tget_strpad(fileType)
        let memoryType = H5Tcopy(chdf5_c_s1())
        defer { H5Tclose(memoryType) }
        H5Tset_size(memoryType, size)
        // The memory type must keep the file's padding: C_S1 is NULLTERM, and converting a
        // full-width NULLPAD string to NULLTERM of the same size drops its last character.
        H5Tset_strpad(memoryType, padding)
        H5Tset_cset(memoryType, H5Tget_cset(fileType))
        var bytes = [UInt8](repeating: 0, count: count * size)
        guard H5Aread(attribute, memoryType, &bytes) >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot read attribute '\(name)' of \(displayName) in '\(filePath)'"))
        }
        return (0..<count).map { index in
            var field = bytes[(index * size)..<((index + 1) * size)]
            if let nul = field.firstIndex(of: 0) { field = field[..<nul] }
            if padding == H5T_STR_SPACEPAD {  // Fortran-style padding
                while field.last == UInt8(ascii: " ") { field = field.dropLast() }
            }
            return String(decoding: field, as: UTF8.self)
        }
    }

    private func readVariableLengthStrings(_ attribute: hid_t, _ fileType: hid_t, _ space: hid_t, _ count: Int, _ name: String) throws -> [String] {
        let memoryType = H5Tcopy(chdf5_c_s1())
        defer { H5Tclose(memoryType) }
        H5Tset_size(memoryType, chdf5_variable())
        H5Tset_cset(memoryType, H5Tget_cset(fileType))
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        guard H5Aread(attribute, memoryType, &pointers) >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot read attribute '\(name)' of \(displayName) in '\(filePath)'"))
        }
        let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
        // HDF5 allocated each string; it must free them too (H5Treclaim from 1.12 on).
        H5Dvlen_reclaim(memoryType, space, chdf5_p_default(), &pointers)
        return strings
    }
}
