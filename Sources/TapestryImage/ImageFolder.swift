import Foundation

/// An index of a class-per-folder image tree, with Keras `image_dataset_from_directory`
/// semantics but no tensors: it lists files and integer labels; decoding is up to the caller.
///
///     root/
///       cats/ cat.1.jpg cat.2.jpg ...
///       dogs/ dog.1.jpg ...
///
/// Rules (matching Keras unless noted):
/// - Each sub-folder of `root` is a class; `classNames` are sorted by Unicode code points
///   (Python's `sorted`), and the label of a file is the index of its class there.
/// - Files are found recursively inside each class folder, ordered by (folder path, file name).
/// - Only `.jpg`, `.jpeg` and `.png` (any letter case) are indexed, because those are the
///   formats `Image` decodes. (Keras also lists `.bmp` and `.gif`; they are skipped here.)
/// - Hidden entries (names starting with ".", such as `.DS_Store`, `._cat.jpg` resource forks
///   or `.ipynb_checkpoints`) are ignored, unlike Keras which would try to decode `._x.jpg`.
/// - With `validationSplit`, the sorted list is shuffled with `seed`, and the validation
///   subset is the last `Int(validationSplit * n)` files, the training subset the rest, so the
///   two subsets built with the same seed are disjoint and together cover every file. The
///   shuffle uses `SplitMix64`, not NumPy's, so the *members* of each subset differ from
///   Keras's for the same seed; the sizes are the same.
///
/// ```swift
/// let train = try ImageFolder(directory: "data/train", labelMode: .binary,
///                             validationSplit: 0.2, subset: .training, seed: 1337)
/// let val   = try ImageFolder(directory: "data/train", labelMode: .binary,
///                             validationSplit: 0.2, subset: .validation, seed: 1337)
/// for (path, label) in zip(train.files, train.labels) { ... }
/// ```
///
/// Keras `flow_from_directory` (ImageDataGenerator) does not shuffle before splitting: it
/// takes the *first* `validation_split` fraction of each class folder as validation. That
/// rule is available as `SplitRule.perClassHead`.
public struct ImageFolder: Sendable {
    public enum Subset: String, Sendable { case training, validation }

    /// How the caller will turn labels into targets; only `.binary` is checked here
    /// (it needs exactly two classes).
    public enum LabelMode: Sendable { case int, categorical, binary }

    /// How `validationSplit` chooses validation files.
    public enum SplitRule: Sendable {
        /// `image_dataset_from_directory`: shuffle all files with the seed, validation = the tail.
        case shuffledTail
        /// `ImageDataGenerator.flow_from_directory`: validation = the first `Int(split * n_c)` sorted files of each class.
        case perClassHead
    }

    /// File extensions that are indexed (compared lowercased).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    public let directory: String
    public let classNames: [String]
    /// Paths (`directory/<class>/…/<file>`), in the order Keras would yield them (shuffled when `shuffle`).
    public let files: [String]
    /// Class index of each file in `files`.
    public let labels: [Int]

    public var count: Int { files.count }

    /// Number of files of each class, indexed like `classNames`.
    public var classCounts: [Int] {
        var c = [Int](repeating: 0, count: classNames.count)
        for l in labels { c[l] += 1 }
        return c
    }

    /// Indexes `directory`.
    /// - Parameters:
    ///   - classNames: optional explicit class order; must name exactly the sub-folders.
    ///   - shuffle: shuffle the file order with `seed` (Keras default `true`); without a seed, 0 is used.
    ///   - validationSplit: fraction in (0, 1) reserved for validation; requires `subset` and,
    ///     when shuffling, an explicit `seed` (as Keras, so both subsets agree).
    /// - Throws: `DatasetError` for a missing directory, no class folders, no images, a binary
    ///   task without exactly two classes, or inconsistent split arguments.
    public init(directory: String, classNames explicitClasses: [String]? = nil, labelMode: LabelMode = .int,
                shuffle: Bool = true, seed: UInt64? = nil,
                validationSplit: Double? = nil, subset: Subset? = nil, splitRule: SplitRule = .shuffledTail) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw DatasetError.directoryNotFound(path: directory)
        }
        let found = try ImageFolder.visibleEntries(directory).filter { ImageFolder.isDirectory(directory + "/" + $0) }
        guard !found.isEmpty else { throw DatasetError.noClassFolders(path: directory) }
        let classes: [String]
        if let explicitClasses {
            guard Set(explicitClasses) == Set(found), explicitClasses.count == found.count else {
                throw DatasetError.invalidArgument("classNames \(explicitClasses) must list exactly the sub-folders of \(directory): \(found)")
            }
            classes = explicitClasses
        } else {
            classes = found
        }
        if labelMode == .binary && classes.count != 2 {
            throw DatasetError.invalidArgument("labelMode .binary needs exactly 2 class folders, found \(classes.count) in \(directory): \(classes)")
        }
        if let split = validationSplit {
            guard split > 0, split < 1 else { throw DatasetError.invalidArgument("validationSplit must be in (0, 1), got \(split)") }
            guard subset != nil else { throw DatasetError.invalidArgument("validationSplit needs a subset (.training or .validation)") }
            if shuffle && splitRule == .shuffledTail && seed == nil {
                throw DatasetError.invalidArgument("validationSplit with shuffle needs a seed, so the training and validation subsets do not overlap")
            }
        } else if subset != nil {
            throw DatasetError.invalidArgument("subset \(subset!) given without validationSplit")
        }

        var perClass: [[String]] = []
        for name in classes { perClass.append(try ImageFolder.imageFiles(under: directory + "/" + name)) }
        guard perClass.contains(where: { !$0.isEmpty }) else { throw DatasetError.noImages(path: directory) }

        var items: [(String, Int)] = []
        if let split = validationSplit, let subset, splitRule == .perClassHead {
            for (label, list) in perClass.enumerated() {
                let nVal = Int(split * Double(list.count))
                let part = subset == .validation ? list[..<nVal] : list[nVal...]
                items += part.map { ($0, label) }
            }
            if shuffle {
                var rng = SplitMix64(seed: seed ?? 0)
                rng.shuffle(&items)
            }
        } else {
            for (label, list) in perClass.enumerated() { items += list.map { ($0, label) } }
            if shuffle {
                var rng = SplitMix64(seed: seed ?? 0)
                rng.shuffle(&items)
            }
            if let split = validationSplit, let subset {
                let nVal = Int(split * Double(items.count))
                items = subset == .validation ? Array(items[(items.count - nVal)...]) : Array(items[..<(items.count - nVal)])
            }
        }
        guard !items.isEmpty else {
            throw DatasetError.invalidArgument("validationSplit \(validationSplit ?? 0) leaves the \(subset?.rawValue ?? "") subset of \(directory) empty")
        }
        self.directory = directory
        self.classNames = classes
        self.files = items.map { $0.0 }
        self.labels = items.map { $0.1 }
    }

    /// Non-hidden names in `dir`, sorted like Python's `sorted` (by Unicode scalars).
    static func visibleEntries(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { !$0.hasPrefix(".") }
            .sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Image files below `root`, ordered by (folder path, file name) as Keras's sorted `os.walk`.
    static func imageFiles(under root: String) throws -> [String] {
        var folders: [(String, [String])] = []
        var pending = [root]
        while let dir = pending.popLast() {
            var files: [String] = []
            for name in try visibleEntries(dir) {
                let path = dir + "/" + name
                if isDirectory(path) {
                    pending.append(path)
                } else if imageExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    files.append(path)
                }
            }
            folders.append((dir, files))
        }
        folders.sort { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
        return folders.flatMap { $0.1 }
    }
}
