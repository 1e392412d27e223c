/// How string attributes are stored in the file.
public enum HDF5StringStorage: Sendable {
    /// Fixed-length, NULL-padded, one width for all strings (the longest one's UTF-8 byte
    /// count): what h5py writes for a numpy `S` array and what Keras 2 used for
    /// `layer_names` and `weight_names`. The character set is ASCII unless a string needs UTF-8.
    case fixedLength
    /// Variable-length UTF-8: what h5py writes for Python `str` values and lists.
    case variableLengthUTF8
    /// Variable-length with the ASCII character set: what h5py writes for Python `bytes`
    /// values, and so how Keras 3's legacy `.h5` writer stores `layer_names`, `weight_names`,
    /// `keras_version` and `backend`. A string that is not pure ASCII is stored as UTF-8 instead.
    case variableLengthASCII
}
