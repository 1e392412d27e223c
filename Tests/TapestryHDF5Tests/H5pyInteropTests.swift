import Foundation
import XCTest
@testable import TapestryHDF5

/// Checks that h5py reads a Swift-written file the way the Swift writer meant it.
///
/// `swift_written.h5py.json` is h5py's view of the file that `writeReferenceFile` makes,
/// recorded once with Fixtures/check_swift_written.py (the steps are in that script).
/// This test writes the file again, describes it with the Swift reader in the same
/// schema (string padding, character set and width included), and requires both views to
/// agree. If the writer changes, this test fails until the JSON is recorded again and inspected.
final class H5pyInteropTests: XCTestCase {
    static func writeReferenceFile(to path: String) throws {
        let out = try HDF5File(path: path, mode: .create)
        try out.setChunkedStringArrayAttribute("layer_names", ["input_layer", "dense", "dropout", "dense_1"])
        try out.setStringAttribute("keras_version", "3.6.0")
        try out.setStringAttribute("backend", "tensorflow", storage: .fixedLength)
        try out.setStringArrayAttribute("notes", ["plain", "\u{fc}tf-8 \u{2713}"], storage: .variableLengthUTF8)
        try out.setDoubleArrayAttribute("scores", [0.5, -1.25])

        let dense = try out.createGroup(at: "dense")
        try dense.setStringArrayAttribute("weight_names", ["dense/kernel:0", "dense/bias:0"])
        try dense.createDataset(at: "dense/kernel:0", values: [1, -2, 3.5, 0.25, 0, 8], shape: [3, 2])
        try dense.createDataset(at: "dense/bias:0", values: [0.5, -0.5], shape: [2])
        let dropout = try out.createGroup(at: "dropout")
        try dropout.setDoubleArrayAttribute("weight_names", [])

        let vars = try out.createGroup(at: "layers/conv2d/vars")
        try vars.createDataset(at: "0", values: (0..<16).map { Float($0) - 7.5 }, shape: [2, 2, 1, 4])
        try vars.createDataset(at: "1", values: [], shape: [0])
        let scalar = try out.createDataset(at: "layers/conv2d/scale", values: [0.125], shape: [])
        try scalar.setStringAttribute("unit", "none")
        out.close()
    }

    func testH5pyReadsSwiftWrittenFileAsWritten() throws {
        let tmp = try TemporaryDirectory()
        let path = tmp.path("swift_written.h5")
        try Self.writeReferenceFile(to: path)
        if let export = ProcessInfo.processInfo.environment["TAPESTRY_HDF5_EXPORT"] {
            try? FileManager.default.removeItem(atPath: export)
            try FileManager.default.copyItem(atPath: path, toPath: export)
        }

        let recorded = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: Fixtures.directory.appendingPathComponent("swift_written.h5py.json"))) as? [String: Any])
        let h5pyObjects = try XCTUnwrap(recorded["objects"] as? [String: Any])

        // What the writer promises: Keras-2-style fixed-length NULLPAD ASCII lists as wide as
        // their longest string, and UTF-8 variable-length strings.
        let rootAttributes = try XCTUnwrap((h5pyObjects["/"] as? [String: Any])?["attrs"] as? [String: [String: Any]])
        XCTAssertEqual(rootAttributes["layer_names"]?["strpad"] as? String, "NULLPAD")
        XCTAssertEqual(rootAttributes["layer_names"]?["cset"] as? String, "ASCII")
        XCTAssertEqual(rootAttributes["layer_names"]?["width"] as? Int, 11)
        XCTAssertEqual(rootAttributes["backend"]?["width"] as? Int, 10)
        XCTAssertEqual(rootAttributes["keras_version"]?["cset"] as? String, "UTF8")
        XCTAssertEqual(rootAttributes["notes"]?["cset"] as? String, "UTF8")

        let swiftObjects = try Self.describe(HDF5File(path: path))
        XCTAssertEqual(try Self.canonical(swiftObjects), try Self.canonical(h5pyObjects))
    }

    // MARK: The Swift reader's view, in check_swift_written.py's schema

    static func describe(_ file: HDF5File) throws -> [String: Any] {
        var objects: [String: Any] = ["/": ["kind": "group", "attrs": try attributes(of: file)]]
        func visit(_ group: HDF5Group) throws {
            for name in try group.childNames() {
                switch try group.kind(of: name) {
                case .group:
                    let child = try group.group(at: name)
                    objects[child.path] = ["kind": "group", "attrs": try attributes(of: child)]
                    try visit(child)
                case .dataset:
                    let dataset = try group.dataset(at: name)
                    objects[dataset.path] = [
                        "kind": "dataset", "dtype": dataset.elementType.description, "shape": dataset.shape,
                        "values": try dataset.readDoubles(), "attrs": try attributes(of: dataset),
                    ] as [String: Any]
                default:
                    XCTFail("unexpected object \(name)")
                }
            }
        }
        try visit(file)
        return objects
    }

    static func attributes(of object: HDF5Object) throws -> [String: Any] {
        var out: [String: Any] = [:]
        for name in try object.attributeNames() {
            let info = try object.attributeInfo(name)
            let values: Any = info.elementType.isNumeric
                ? try object.doubleArrayAttribute(name) : try object.stringArrayAttribute(name)
            var entry: [String: Any] = ["dtype": info.elementType.description, "shape": info.shape, "values": values]
            if let encoding = try object.stringEncoding(ofAttribute: name) {
                entry["cset"] = encoding.cset
                entry["strpad"] = encoding.strpad
                entry["width"] = encoding.width
            }
            out[name] = entry
        }
        return out
    }

    /// Sorted-key JSON text, so both views compare as one string with a readable diff.
    static func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }
}
