import CHDF5

/// A dataset: an n-dimensional array with a shape and one element type.
///
/// Values come back flat in row-major (C) order, as h5py and numpy store them, so the
/// element at index `(i, j)` of a `[rows, cols]` dataset is `values[i * cols + j]`.
///
/// ```swift
/// let kernel = try file.dataset(at: "block1_conv1/block1_conv1_W_1:0")
/// kernel.shape          // [3, 3, 3, 64]
/// kernel.elementType    // .float(bits: 32)
/// let values = try kernel.readFloats()   // 1,728 floats
/// ```
public final class HDF5Dataset: HDF5Object {
    /// The dimensions, outermost first: `[]` for a scalar; an empty dataset has a zero among them.
    public let shape: [Int]
    /// The element type as stored in the file.
    public let elementType: HDF5ElementType

    /// The number of elements, the product of ``shape`` (1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    init(file: HDF5FileState, id: hid_t, path: String) throws {
        let space = H5Dget_space(id)
        let type = H5Dget_type(id)
        defer {
            if space >= 0 { H5Sclose(space) }
            if type >= 0 { H5Tclose(type) }
        }
        guard space >= 0, type >= 0 else {
            let message = HDF5Runtime.withDetail("cannot read the type and shape of dataset '\(path)' in '\(file.path)'")
            H5Dclose(id)
            throw HDF5Error(.ioFailed, file: file.path, object: path, message: message)
        }
        shape = HDF5Runtime.shape(ofSpace: space)
        elementType = HDF5ElementType(typeID: type)
        super.init(file: file, locationID: id, path: path, closer: H5Dclose)
    }

    /// Reads every element as `Float`, in row-major order.
    ///
    /// float64, float16 and integer datasets are converted by HDF5 while reading
    /// (float64 rounds to the nearest float).
    ///
    /// - Throws: ``HDF5Error`` when the dataset does not hold numbers or the read fails.
    public func readFloats() throws -> [Float] {
        try read(memoryType: chdf5_native_float(), as: Float.self)
    }

    /// Reads every element as `Double`, in row-major order, converting other numeric types.
    public func readDoubles() throws -> [Double] {
        try read(memoryType: chdf5_native_double(), as: Double.self)
    }

    /// Overwrites every element with `values` (row-major), converting to the stored type.
    ///
    /// - Throws: ``HDF5Error`` when `values.count` differs from ``count`` or the file is read-only.
    public func write(_ values: [Float]) throws {
        let id = try writableLocation()
        guard elementType.isNumeric else {
            throw error(.typeMismatch, "cannot write numbers to dataset '\(path)' in '\(filePath)': it holds \(elementType) values")
        }
        guard values.count == count else {
            throw error(.shapeMismatch, "cannot write \(values.count) values to dataset '\(path)' of shape \(shape) (\(count) elements) in '\(filePath)'")
        }
        guard count > 0 else { return }
        let status = values.withUnsafeBufferPointer {
            H5Dwrite(id, chdf5_native_float(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress)
        }
        guard status >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot write dataset '\(path)' in '\(filePath)'"))
        }
    }

    private func read<T: Numeric>(memoryType: hid_t, as: T.Type) throws -> [T] {
        let id = try location()
        guard elementType.isNumeric else {
            throw error(.typeMismatch, "cannot read dataset '\(path)' in '\(filePath)' as numbers: it holds \(elementType) values")
        }
        let n = count
        guard n > 0 else { return [] }
        var status: herr_t = 0
        let values = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            status = H5Dread(id, memoryType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), buffer.baseAddress)
            if status < 0 { buffer.initialize(repeating: 0) }  // so the array is valid even on failure
            initialized = n
        }
        guard status >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot read dataset '\(path)' in '\(filePath)'"))
        }
        return values
    }
}

// MARK: - Creating datasets

extension HDF5Group {
    /// Creates a float32 dataset at `path` (relative to this group) holding `values` in
    /// row-major order, creating missing intermediate groups.
    ///
    /// `shape: []` makes a scalar (one value); a shape with a zero makes an empty dataset.
    ///
    /// ```swift
    /// try file.createDataset(at: "layers/dense/vars/0", values: kernel, shape: [784, 10])
    /// ```
    ///
    /// - Throws: ``HDF5Error`` when the count does not match the shape, the path is taken,
    ///   or the file is read-only.
    @discardableResult
    public func createDataset(at path: String, values: [Float], shape: [Int]) throws -> HDF5Dataset {
        let loc = try writableLocation()
        let full = HDF5Runtime.join(self.path, path)
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw error(.shapeMismatch, "cannot create dataset '\(full)' in '\(filePath)': negative dimension in shape \(shape)", object: full)
        }
        let expected = shape.reduce(1, *)
        guard values.count == expected else {
            throw error(.shapeMismatch, "cannot create dataset '\(full)' in '\(filePath)': \(values.count) values for shape \(shape) (\(expected) elements)", object: full)
        }
        if let existing = try kind(of: path) {
            throw error(.alreadyExists, "cannot create dataset '\(full)' in '\(filePath)': a \(existing) is already there", object: full)
        }
        let space = HDF5Runtime.makeSpace(shape)
        defer { H5Sclose(space) }
        let lcpl = H5Pcreate(chdf5_p_link_create())
        defer { H5Pclose(lcpl) }
        H5Pset_create_intermediate_group(lcpl, 1)
        // Little-endian IEEE float32 on disk, what numpy float32 gives h5py on x86 and ARM.
        let id = H5Dcreate2(loc, path, chdf5_ieee_f32le(), space, lcpl, chdf5_p_default(), chdf5_p_default())
        guard id >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot create dataset '\(full)' in '\(filePath)'"), object: full)
        }
        let dataset = try HDF5Dataset(file: file, id: id, path: full)
        try dataset.write(values)
        return dataset
    }
}
