import CHDF5

/// The open file behind every object taken from it.
///
/// Groups and datasets keep this alive, so the file stays open while any of them is
/// in use even after the ``HDF5File`` value itself is gone. It is opened with the
/// STRONG close degree: an explicit ``close()`` closes every object opened from
/// the file too, and later uses of those objects throw ``HDF5Error/Kind-swift.enum/fileClosed``.
final class HDF5FileState {
    let path: String
    let writable: Bool
    private(set) var id: hid_t

    init(path: String, id: hid_t, writable: Bool) {
        self.path = path
        self.id = id
        self.writable = writable
    }

    var isOpen: Bool { id >= 0 }

    func close() {
        guard id >= 0 else { return }
        HDF5Runtime.silenceErrorPrinting()
        _ = H5Fclose(id)
        id = -1
    }

    deinit { close() }
}

/// Something inside an HDF5 file that can carry attributes: a group (the file's root
/// group included) or a dataset.
///
/// The attribute readers and writers live in extensions of this class, so they work the
/// same on ``HDF5File``, ``HDF5Group`` and ``HDF5Dataset``.
public class HDF5Object {
    let file: HDF5FileState
    /// The HDF5 location identifier; for the file itself this is the file identifier,
    /// which HDF5 accepts wherever a group is expected and which the file state owns.
    let locationID: hid_t
    private let closer: ((hid_t) -> herr_t)?

    /// The object's path inside the file, without a leading slash (`"layers/dense/vars"`);
    /// `"/"` for the root group.
    public let path: String

    /// The path of the file on disk, as it was given when opening it.
    public var filePath: String { file.path }

    /// The last component of ``path`` (`"vars"`), or `"/"` for the root group.
    public var name: String {
        path == "/" ? "/" : String(path.split(separator: "/").last ?? Substring(path))
    }

    init(file: HDF5FileState, locationID: hid_t, path: String, closer: ((hid_t) -> herr_t)?) {
        self.file = file
        self.locationID = locationID
        self.path = path
        self.closer = closer
    }

    deinit {
        // After an explicit close the STRONG close degree has closed this identifier already.
        if let closer, file.isOpen {
            HDF5Runtime.silenceErrorPrinting()
            _ = closer(locationID)
        }
    }

    /// How messages refer to this object: "the root group", "group 'a/b'", "dataset 'a/b/c'".
    var displayName: String {
        if path == "/" { return "the root group" }
        return self is HDF5Dataset ? "dataset '\(path)'" : "group '\(path)'"
    }

    /// The identifier to pass to HDF5, after making sure the file is still open.
    /// Every public operation starts here, which also silences HDF5's stderr output on this thread.
    func location() throws -> hid_t {
        HDF5Runtime.silenceErrorPrinting()
        guard file.isOpen else {
            throw HDF5Error(.fileClosed, file: file.path, object: path,
                            message: "'\(file.path)' was closed before using \(displayName)")
        }
        return locationID
    }

    /// Like ``location()``, and also refuses files opened read-only.
    func writableLocation() throws -> hid_t {
        let id = try location()
        guard file.writable else {
            throw HDF5Error(.readOnly, file: file.path, object: path,
                            message: "cannot modify \(displayName): '\(file.path)' is open read-only")
        }
        return id
    }

    func error(_ kind: HDF5Error.Kind, _ message: String, object: String? = nil) -> HDF5Error {
        HDF5Error(kind, file: file.path, object: object ?? path, message: message)
    }
}
