@testable import TapestryHDF5

/// Every group, dataset and attribute of an HDF5 file, described as `structure.json` describes
/// Keras's files, so Tapestry-written files can be compared with Keras-written ones.
struct HDF5Inventory {
    struct Attribute: Equatable, CustomStringConvertible {
        let name: String
        let shape: [Int]
        /// "string" or "numeric".
        let type: String
        /// "variable" or "fixed" for strings.
        let storage: String?
        /// "utf8" or "ascii" for strings.
        let charset: String?
        /// Values as strings (numbers printed), flattened.
        let values: [String]
        var description: String {
            "\(name) \(type)/\(storage ?? "-")/\(charset ?? "-") \(shape) = \(values)"
        }
    }
    struct Object: Equatable, CustomStringConvertible {
        let path: String
        let kind: String
        let shape: [Int]?
        /// numpy's name for a dataset's element type ("<f4"), nil for groups.
        let dtype: String?
        let attributes: [Attribute]
        var description: String { "\(path) \(kind) \(shape.map { "\($0)" } ?? "") \(dtype ?? "") \(attributes)" }
    }

    let objects: [String: Object]

    init(file path: String) throws {
        let file = try HDF5File(path: path)
        var objects: [String: Object] = [:]
        func attributes(of object: HDF5Object) throws -> [Attribute] {
            try object.attributeNames().map { name in
                let info = try object.attributeInfo(name)
                if case .string(let variable) = info.elementType {
                    let encoding = try object.stringEncoding(ofAttribute: name)
                    return Attribute(name: name, shape: info.shape, type: "string", storage: variable ? "variable" : "fixed",
                                     charset: encoding?.cset.lowercased(), values: try object.stringArrayAttribute(name))
                }
                return Attribute(name: name, shape: info.shape, type: "numeric", storage: nil, charset: nil,
                                 values: try object.doubleArrayAttribute(name).map { "\($0)" })
            }
        }
        func visit(_ group: HDF5Group, _ path: String) throws {
            objects[path] = Object(path: path, kind: "group", shape: nil, dtype: nil, attributes: try attributes(of: group))
            for name in try group.childNames() {
                let childPath = path == "/" ? "/\(name)" : "\(path)/\(name)"
                switch try group.kind(of: name) {
                case .group: try visit(try group.group(at: name), childPath)
                case .dataset:
                    let dataset = try group.dataset(at: name)
                    // Tapestry writes little-endian IEEE float32 only.
                    let dtype = dataset.elementType == .float(bits: 32) ? "<f4" : "\(dataset.elementType)"
                    objects[childPath] = Object(path: childPath, kind: "dataset", shape: dataset.shape, dtype: dtype,
                                                attributes: try attributes(of: dataset))
                default: break
                }
            }
        }
        try visit(file, "/")
        self.objects = objects
    }

    /// The objects `structure.json` lists for `file` (one of Keras's fixture files).
    static func keras(_ file: String, structure: [String: Any]) -> [String: Object] {
        let files = structure["files"] as! [[String: Any]]
        let entry = files.first { $0["file"] as? String == file }!
        var objects: [String: Object] = [:]
        for object in entry["objects"] as! [[String: Any]] {
            let path = object["path"] as! String
            let attributes = (object["attrs"] as! [[String: Any]]).map { a -> Attribute in
                let type = a["type"] as! String
                let raw = a["value"]
                let values: [String]
                if let list = raw as? [Any] {
                    values = list.map { type == "numeric" ? "\($0 as! Double)" : "\($0)" }
                } else if let one = raw {
                    values = [type == "numeric" ? "\(one as! Double)" : "\(one)"]
                } else {
                    values = ["<\(a["value_length"] ?? "?") characters>"]
                }
                return Attribute(name: a["name"] as! String, shape: a["shape"] as! [Int], type: type,
                                 storage: a["string"] as? String, charset: a["charset"] as? String, values: values)
            }
            objects[path] = Object(path: path, kind: object["kind"] as! String, shape: object["shape"] as? [Int],
                                   dtype: object["dtype"] as? String, attributes: attributes.sorted { $0.name < $1.name })
        }
        return objects
    }
}
