/// An error from reading or writing an HDF5 file.
///
/// The ``description`` always names the file and, where one is involved, the
/// object inside it, so a failed weight load says which file and which dataset:
///
/// ```swift
/// do {
///     let kernel = try file.dataset(at: "layers/dense/vars/0")
/// } catch let error as HDF5Error {
///     print(error)   // no dataset 'layers/dense/vars/0' in '/tmp/model.weights.h5'
/// }
/// ```
public struct HDF5Error: Error, CustomStringConvertible, Equatable {
    /// What went wrong, for callers that branch on the cause rather than the text.
    public enum Kind: Equatable, Sendable {
        /// Nothing exists at the file path.
        case fileNotFound
        /// The file exists but does not carry the HDF5 signature.
        case notHDF5
        /// The file looks like HDF5 but the library could not open it (truncated, damaged, no permission).
        case cannotOpen
        /// A new file could not be created.
        case cannotCreate
        /// No group, dataset or attribute exists at the path.
        case notFound
        /// The object exists but is of another kind (a group where a dataset was asked for, …).
        case wrongKind
        /// Creating an object whose path is already taken.
        case alreadyExists
        /// The stored element type cannot be converted to the requested one (strings read as numbers, …).
        case typeMismatch
        /// The number of values does not match the shape, or a write does not match the stored shape.
        case shapeMismatch
        /// The file was closed with ``HDF5File/close()`` before this use.
        case fileClosed
        /// Writing to a file opened read-only.
        case readOnly
        /// Any other failure reported by the HDF5 library while reading or writing.
        case ioFailed
    }

    /// The cause, for programmatic handling.
    public let kind: Kind
    /// The path of the HDF5 file on disk, as given when it was opened.
    public let filePath: String
    /// The object path inside the file (`"/"` for the root group), or `nil` for whole-file errors.
    public let objectPath: String?
    /// A one-line message naming the file and the object, e.g.
    /// `no dataset 'layers/dense/vars/0' in '/tmp/model.weights.h5'`.
    public let description: String

    init(_ kind: Kind, file: String, object: String?, message: String) {
        self.kind = kind
        self.filePath = file
        self.objectPath = object
        self.description = message
    }
}
