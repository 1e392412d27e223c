import CHDF5

/// Internal glue shared by every HDF5 call: error silencing, error text, identifiers.
enum HDF5Runtime {
    /// Turns off HDF5's habit of printing its error stack to stderr.
    ///
    /// Debian's libhdf5 is built thread-safe, and in such builds the automatic error
    /// printer is a per-thread setting, so setting it once at start-up would only
    /// cover the first thread. It is a cheap call, so every entry point makes it.
    static func silenceErrorPrinting() {
        H5Eset_auto2(chdf5_e_default(), nil, nil)
    }

    /// The most specific message on the current thread's HDF5 error stack, if any.
    ///
    /// Must run right after the failing call: the next HDF5 API call clears the stack,
    /// which is why callers build their error before any `defer` closes identifiers.
    static func innermostErrorMessage() -> String? {
        var messages: [String] = []
        withUnsafeMutablePointer(to: &messages) { list in
            _ = H5Ewalk2(chdf5_e_default(), H5E_WALK_UPWARD, { _, error, context in
                if let text = error?.pointee.desc, let context {
                    context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: text))
                }
                return 0
            }, list)
        }
        return messages.first { !$0.isEmpty }
    }

    /// Appends HDF5's own explanation to a message when the library gave one.
    static func withDetail(_ message: String) -> String {
        guard let detail = innermostErrorMessage() else { return message }
        return "\(message): \(detail)"
    }

    /// Joins a parent object path and a path relative to it, for messages.
    /// A relative path that starts with "/" is absolute, as it is for HDF5 itself.
    static func join(_ parent: String, _ relative: String) -> String {
        if relative.hasPrefix("/") {
            let trimmed = String(relative.drop { $0 == "/" })
            return trimmed.isEmpty ? "/" : trimmed
        }
        if parent == "/" || parent.isEmpty { return relative.isEmpty ? "/" : relative }
        return relative.isEmpty ? parent : "\(parent)/\(relative)"
    }
}

extension HDF5Runtime {
    /// The dimensions of a dataspace: `[]` for a scalar, and `[0]` for a null
    /// dataspace (h5py's `Empty`), which holds no elements at all.
    static func shape(ofSpace space: hid_t) -> [Int] {
        switch H5Sget_simple_extent_type(space) {
        case H5S_SCALAR: return []
        case H5S_NULL: return [0]
        default:
            let rank = Int(H5Sget_simple_extent_ndims(space))
            guard rank > 0 else { return [] }
            var dims = [hsize_t](repeating: 0, count: rank)
            H5Sget_simple_extent_dims(space, &dims, nil)
            return dims.map { Int($0) }
        }
    }

    /// A dataspace for `shape`: scalar for `[]`, simple otherwise (zero-length dimensions allowed).
    static func makeSpace(_ shape: [Int]) -> hid_t {
        if shape.isEmpty { return H5Screate(H5S_SCALAR) }
        let dims = shape.map { hsize_t($0) }
        return H5Screate_simple(Int32(dims.count), dims, nil)
    }
}
