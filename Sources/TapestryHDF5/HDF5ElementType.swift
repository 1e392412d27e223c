import CHDF5

/// The element type stored in a dataset or attribute, as far as callers need to know it.
public enum HDF5ElementType: Equatable, Sendable, CustomStringConvertible {
    /// IEEE floating point of 16, 32 or 64 bits (h5py stores numpy float16 as a 16-bit float type).
    case float(bits: Int)
    /// A signed or unsigned integer of 8 to 64 bits.
    case integer(bits: Int, signed: Bool)
    /// Text: fixed-length (numpy `S`, Keras 2 name lists) or variable-length (h5py `str`).
    case string(variableLength: Bool)
    /// Anything else (compound, enum, opaque, reference, array, …), with HDF5's class name.
    case other(String)

    /// `float32`, `int64`, `uint8`, `fixed-length string`, … — numpy's names where there is one.
    public var description: String {
        switch self {
        case .float(let bits): return "float\(bits)"
        case .integer(let bits, let signed): return "\(signed ? "" : "u")int\(bits)"
        case .string(let variable): return variable ? "variable-length string" : "fixed-length string"
        case .other(let name): return name
        }
    }

    /// Whether values of this type can be read as numbers (floats and integers).
    public var isNumeric: Bool {
        switch self {
        case .float, .integer: return true
        default: return false
        }
    }

    /// Classifies an HDF5 datatype identifier.
    init(typeID: hid_t) {
        let bits = Int(H5Tget_size(typeID)) * 8
        switch H5Tget_class(typeID) {
        case H5T_FLOAT: self = .float(bits: bits)
        case H5T_INTEGER: self = .integer(bits: bits, signed: H5Tget_sign(typeID) != H5T_SGN_NONE)
        case H5T_STRING: self = .string(variableLength: H5Tis_variable_str(typeID) > 0)
        case H5T_COMPOUND: self = .other("compound")
        case H5T_ENUM: self = .other("enum")
        case H5T_OPAQUE: self = .other("opaque")
        case H5T_REFERENCE: self = .other("reference")
        case H5T_ARRAY: self = .other("array")
        case H5T_VLEN: self = .other("variable-length sequence")
        case H5T_BITFIELD: self = .other("bitfield")
        case H5T_TIME: self = .other("time")
        default: self = .other("unknown")
        }
    }
}
