/// Errors from data-set level code: IDX files, Fashion-MNIST, image folders and exports.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A required file is missing; `hint` says how to get it.
    case missingFile(path: String, hint: String)
    /// A file exists but its content is malformed (bad magic, wrong size, truncated).
    case corruptFile(path: String, reason: String)
    /// The directory does not exist (or is not a directory).
    case directoryNotFound(path: String)
    /// The directory has no class sub-folders.
    case noClassFolders(path: String)
    /// No image files were found.
    case noImages(path: String)
    /// An argument is out of range or inconsistent.
    case invalidArgument(String)
    /// The output location already holds data.
    case outputExists(path: String)

    public var description: String {
        switch self {
        case let .missingFile(path, hint): return hint.isEmpty ? "\(path): file not found" : "\(path): file not found. \(hint)"
        case let .corruptFile(path, reason): return "\(path): corrupt file (\(reason))"
        case let .directoryNotFound(path): return "\(path): directory not found"
        case let .noClassFolders(path): return "\(path): no class sub-folders (expected DIR/<class>/<image files>)"
        case let .noImages(path): return "found 0 images in \(path) (looked for .jpg, .jpeg, .png files in its class sub-folders)"
        case let .invalidArgument(message): return message
        case let .outputExists(path): return "\(path): already contains files (pass replaceExisting: true to overwrite)"
        }
    }
}
