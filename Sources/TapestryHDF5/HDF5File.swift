import CHDF5
import Foundation

/// An open HDF5 file, which is also its root group (as in h5py).
///
/// ```swift
/// // Read
/// let file = try HDF5File(path: "vgg16_notop.h5")
/// let layers = try file.chunkedStringArrayAttribute("layer_names")
///
/// // Write
/// let out = try HDF5File(path: "/tmp/model.weights.h5", mode: .create)
/// try out.createDataset(at: "layers/dense/vars/0", values: kernel, shape: [4, 2])
/// out.close()
/// ```
///
/// The file closes when this value and every group and dataset opened from it have
/// been released, or at once on ``close()``. HDF5's own error printing is switched
/// off: failures arrive as ``HDF5Error`` values naming the file and object instead.
public final class HDF5File: HDF5Group {
    /// How to open a file.
    public enum Mode: Sendable {
        /// Open an existing file for reading only.
        case readOnly
        /// Open an existing file for reading and writing.
        case readWrite
        /// Create a new file, replacing any file already at the path.
        case create
    }

    /// The mode the file was opened with.
    public let mode: Mode

    /// Opens or creates the HDF5 file at `path`.
    ///
    /// - Throws: ``HDF5Error`` such as `cannot open '/tmp/x.h5': not an HDF5 file`, with kind
    ///   ``HDF5Error/Kind-swift.enum/fileNotFound``, ``HDF5Error/Kind-swift.enum/notHDF5``,
    ///   ``HDF5Error/Kind-swift.enum/cannotOpen`` (truncated or damaged) or
    ///   ``HDF5Error/Kind-swift.enum/cannotCreate``.
    public init(path: String, mode: Mode = .readOnly) throws {
        HDF5Runtime.silenceErrorPrinting()
        let fapl = H5Pcreate(chdf5_p_file_access())
        defer { H5Pclose(fapl) }
        // STRONG: close() also closes every group and dataset still open from this file,
        // so an explicit close really releases the file on disk.
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG)

        let id: hid_t
        switch mode {
        case .create:
            id = H5Fcreate(path, chdf5_acc_trunc(), chdf5_p_default(), fapl)
            guard id >= 0 else {
                throw HDF5Error(.cannotCreate, file: path, object: nil,
                                message: HDF5Runtime.withDetail("cannot create '\(path)'"))
            }
        case .readOnly, .readWrite:
            try Self.checkReadable(path)
            id = H5Fopen(path, mode == .readOnly ? chdf5_acc_rdonly() : chdf5_acc_rdwr(), fapl)
            guard id >= 0 else {
                throw HDF5Error(.cannotOpen, file: path, object: nil,
                                message: HDF5Runtime.withDetail("cannot open '\(path)'"))
            }
        }
        self.mode = mode
        super.init(file: HDF5FileState(path: path, id: id, writable: mode != .readOnly),
                   locationID: id, path: "/", closer: nil)
    }

    /// Gives the two common failures a plain message before HDF5 reports them in its own words.
    private static func checkReadable(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HDF5Error(.fileNotFound, file: path, object: nil, message: "cannot open '\(path)': no such file")
        }
        guard !isDirectory.boolValue else {
            throw HDF5Error(.cannotOpen, file: path, object: nil, message: "cannot open '\(path)': it is a directory")
        }
        // 0 means readable and without the HDF5 signature; a negative answer (no permission,
        // I/O error) is left for H5Fopen to explain.
        if H5Fis_hdf5(path) == 0 {
            throw HDF5Error(.notHDF5, file: path, object: nil, message: "cannot open '\(path)': not an HDF5 file")
        }
    }

    /// Whether the file is still open (``close()`` has not been called).
    public var isOpen: Bool { file.isOpen }

    /// Closes the file now, together with every group and dataset opened from it.
    /// Later uses of any of them throw ``HDF5Error/Kind-swift.enum/fileClosed``. Calling it twice is harmless.
    public func close() {
        file.close()
    }

    /// Writes buffered changes to disk without closing.
    public func flush() throws {
        let id = try writableLocation()
        guard H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0 else {
            throw error(.ioFailed, HDF5Runtime.withDetail("cannot flush '\(filePath)'"))
        }
    }
}
