import XCTest
@testable import TapestryHDF5

/// Reads attributes that h5py wrote (see Fixtures/make_fixtures.py).
final class HDF5AttributeReadingTests: XCTestCase {
    private var file: HDF5File!
    private let path = Fixtures.path("attributes.h5")

    override func setUpWithError() throws {
        file = try HDF5File(path: path)
    }

    func testFixedLengthNullPaddedKeepsFullWidthStrings() throws {
        // "block1_conv1" fills all 12 bytes: a NULLTERM memory type would drop its last character.
        XCTAssertEqual(try file.stringArrayAttribute("fixed_nullpad"), ["block1_conv1", "fc", "x"])
        let info = try file.attributeInfo("fixed_nullpad")
        XCTAssertEqual(info.elementType, .string(variableLength: false))
        XCTAssertEqual(info.shape, [3])
    }

    func testFixedLengthNullTerminated() throws {
        XCTAssertEqual(try file.stringArrayAttribute("fixed_nullterm"), ["relu", "softmax"])
    }

    func testVariableLengthStrings() throws {
        XCTAssertEqual(try file.stringArrayAttribute("vlen_utf8"), ["dense", "dense_1", "\u{fc}n\u{ef}code"])
        XCTAssertEqual(try file.stringArrayAttribute("vlen_ascii"), ["alpha", "beta"])
        XCTAssertEqual(try file.attributeInfo("vlen_utf8").elementType, .string(variableLength: true))
    }

    func testScalarStrings() throws {
        XCTAssertEqual(try file.stringAttribute("keras_version"), "2.15.0")   // variable-length scalar
        XCTAssertEqual(try file.stringAttribute("backend"), "tensorflow")      // numpy bytes_ scalar
        XCTAssertEqual(try file.stringArrayAttribute("backend"), ["tensorflow"])
        XCTAssertEqual(try file.attributeInfo("keras_version").shape, [])
        let many = assertHDF5Error(try file.stringAttribute("vlen_utf8"))
        XCTAssertEqual(many?.kind, .shapeMismatch)
        XCTAssertEqual(many?.description, "attribute 'vlen_utf8' of the root group in '\(path)' holds 3 strings, not one")
    }

    func testNumpyBytesArrayReadsAsString() throws {
        let dense = try file.group(at: "dense")
        XCTAssertEqual(try dense.stringArrayAttribute("weight_names"), ["dense/kernel:0", "dense/bias:0"])
        XCTAssertEqual(try file.dataset(at: "dense/dense/kernel:0").stringAttribute("note"), "kernel")
    }

    func testEmptyFloatAttributeReadsAsEmptyList() throws {
        let pool = try file.group(at: "pool")
        XCTAssertEqual(try pool.stringArrayAttribute("weight_names"), [])
        XCTAssertEqual(try pool.doubleArrayAttribute("weight_names"), [])
        XCTAssertEqual(try pool.attributeInfo("weight_names"),
                       HDF5AttributeInfo(name: "weight_names", elementType: .float(bits: 64), shape: [0]))
        XCTAssertEqual(try file.stringArrayAttribute("empty_float"), [])
    }

    func testNumericAttributes() throws {
        XCTAssertEqual(try file.doubleArrayAttribute("numbers_f64"), [1.5, -2.25, 3.0])
        XCTAssertEqual(try file.doubleArrayAttribute("numbers_i32"), [1, -2, 300])
        XCTAssertEqual(try file.doubleArrayAttribute("epoch"), [7])
        XCTAssertEqual(try file.doubleArrayAttribute("grid_f32"), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try file.attributeInfo("grid_f32").shape, [2, 3])
        XCTAssertEqual(try file.attributeInfo("numbers_i32").elementType, .integer(bits: 32, signed: true))
    }

    func testTypeMismatches() throws {
        let numbers = assertHDF5Error(try file.stringArrayAttribute("numbers_f64"))
        XCTAssertEqual(numbers?.kind, .typeMismatch)
        XCTAssertEqual(numbers?.description, "attribute 'numbers_f64' of the root group in '\(path)' holds float64 values, not strings")
        let strings = assertHDF5Error(try file.doubleArrayAttribute("vlen_utf8"))
        XCTAssertEqual(strings?.description, "attribute 'vlen_utf8' of the root group in '\(path)' holds variable-length string values, not numbers")
    }

    func testMissingAttributeNamesObjectAndFile() throws {
        let error = assertHDF5Error(try file.group(at: "dense").stringArrayAttribute("layer_names"))
        XCTAssertEqual(error?.kind, .notFound)
        XCTAssertEqual(error?.objectPath, "dense")
        XCTAssertEqual(error?.description, "no attribute 'layer_names' on group 'dense' in '\(path)'")
        let onDataset = assertHDF5Error(try file.dataset(at: "dense/dense/bias:0").stringAttribute("note"))
        XCTAssertEqual(onDataset?.description, "no attribute 'note' on dataset 'dense/dense/bias:0' in '\(path)'")
    }

    func testChunkedLayerNames() throws {
        XCTAssertFalse(file.hasAttribute("layer_names"))
        XCTAssertEqual(try file.chunkedStringArrayAttribute("layer_names"), ["input_1", "dense", "dense_1"])
        // An unchunked attribute is read as it is; a missing one is empty, as in Keras.
        XCTAssertEqual(try file.group(at: "dense").chunkedStringArrayAttribute("weight_names"), ["dense/kernel:0", "dense/bias:0"])
        XCTAssertEqual(try file.chunkedStringArrayAttribute("nothing_here"), [])
    }

    func testAttributeNamesAndExistence() throws {
        XCTAssertEqual(try file.attributeNames(), [
            "backend", "empty_float", "epoch", "fixed_nullpad", "fixed_nullterm", "grid_f32", "keras_version",
            "layer_names0", "layer_names1", "numbers_f64", "numbers_i32", "vlen_ascii", "vlen_utf8",
        ])
        XCTAssertEqual(try file.dataset(at: "dense/dense/kernel:0").attributeNames(), ["note"])
        XCTAssertEqual(try file.group(at: "dense/dense").attributeNames(), [])
        XCTAssertTrue(file.hasAttribute("epoch"))
        XCTAssertFalse(file.hasAttribute("epochs"))
    }
}
