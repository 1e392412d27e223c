/// An `.npy` file could not be read or written; the message names the file and the reason.
public struct NumpyFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let description: String
    init(path: String, _ description: String) {
        self.path = path
        self.description = description
    }
}
