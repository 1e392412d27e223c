/// What a path inside an HDF5 file points to.
public enum HDF5ObjectKind: String, Equatable, Sendable, CustomStringConvertible {
    /// A group: a folder of named children.
    case group
    /// A dataset: an n-dimensional array of one element type.
    case dataset
    /// A named (committed) datatype, which Keras never writes but h5py can.
    case namedDatatype = "named datatype"

    public var description: String { rawValue }
}
