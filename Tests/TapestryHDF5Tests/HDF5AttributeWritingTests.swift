import XCTest
@testable import TapestryHDF5

/// Writes attributes from Swift and reads them back.
final class HDF5AttributeWritingTests: XCTestCase {
    private var tmp: TemporaryDirectory!

    override func setUpWithError() throws {
        tmp = try TemporaryDirectory()
    }

    func testStringListsRoundTripInBothStorages() throws {
        let path = tmp.path("s.h5")
        do {
            let out = try HDF5File(path: path, mode: .create)
            try out.setStringArrayAttribute("fixed", ["block1_conv1", "fc", ""])
            try out.setStringArrayAttribute("vlen", ["dense", "d\u{e9}nse_1"], storage: .variableLengthUTF8)
            try out.setStringArrayAttribute("fixed_utf8", ["caf\u{e9}", "x"])
            try out.setStringArrayAttribute("none", [])
            try out.setStringArrayAttribute("none_vlen", [], storage: .variableLengthUTF8)
        }
        let back = try HDF5File(path: path)
        XCTAssertEqual(try back.stringArrayAttribute("fixed"), ["block1_conv1", "fc", ""])
        XCTAssertEqual(try back.attributeInfo("fixed").elementType, .string(variableLength: false))
        XCTAssertEqual(try back.stringArrayAttribute("vlen"), ["dense", "d\u{e9}nse_1"])
        XCTAssertEqual(try back.attributeInfo("vlen").elementType, .string(variableLength: true))
        XCTAssertEqual(try back.stringArrayAttribute("fixed_utf8"), ["caf\u{e9}", "x"])
        XCTAssertEqual(try back.stringArrayAttribute("none"), [])
        XCTAssertEqual(try back.attributeInfo("none").shape, [0])
        XCTAssertEqual(try back.stringArrayAttribute("none_vlen"), [])
    }

    func testVariableLengthASCIIStringsAsH5pyStoresBytes() throws {
        let path = tmp.path("ascii.h5")
        do {
            let out = try HDF5File(path: path, mode: .create)
            try out.setStringArrayAttribute("layer_names", ["input_layer", "block1_conv1"], storage: .variableLengthASCII)
            try out.setStringAttribute("backend", "tensorflow", storage: .variableLengthASCII)
            try out.setStringArrayAttribute("accented", ["d\u{e9}nse"], storage: .variableLengthASCII)
        }
        let back = try HDF5File(path: path)
        XCTAssertEqual(try back.stringArrayAttribute("layer_names"), ["input_layer", "block1_conv1"])
        XCTAssertEqual(try back.attributeInfo("layer_names").elementType, .string(variableLength: true))
        XCTAssertEqual(try back.stringEncoding(ofAttribute: "layer_names")?.cset, "ASCII")
        XCTAssertEqual(try back.attributeInfo("backend").shape, [])
        XCTAssertEqual(try back.stringEncoding(ofAttribute: "backend")?.cset, "ASCII")
        // Not ASCII: kept intact as UTF-8 rather than mislabelled.
        XCTAssertEqual(try back.stringArrayAttribute("accented"), ["d\u{e9}nse"])
        XCTAssertEqual(try back.stringEncoding(ofAttribute: "accented")?.cset, "UTF8")
    }

    func testScalarStringsAndNumbersOnGroupsAndDatasets() throws {
        let path = tmp.path("n.h5")
        do {
            let out = try HDF5File(path: path, mode: .create)
            try out.setStringAttribute("keras_version", "3.6.0")
            try out.setStringAttribute("backend", "tensorflow", storage: .fixedLength)
            let pool = try out.createGroup(at: "block1_pool")
            try pool.setDoubleArrayAttribute("weight_names", [])
            let dataset = try out.createDataset(at: "d", values: [1, 2], shape: [2])
            try dataset.setDoubleArrayAttribute("scale", [0.5, 1e-3])
        }
        let back = try HDF5File(path: path)
        XCTAssertEqual(try back.stringAttribute("keras_version"), "3.6.0")
        XCTAssertEqual(try back.attributeInfo("keras_version"),
                       HDF5AttributeInfo(name: "keras_version", elementType: .string(variableLength: true), shape: []))
        XCTAssertEqual(try back.stringAttribute("backend"), "tensorflow")
        XCTAssertEqual(try back.attributeInfo("backend").elementType, .string(variableLength: false))
        let pool = try back.group(at: "block1_pool")
        XCTAssertEqual(try pool.attributeInfo("weight_names").elementType, .float(bits: 64))
        XCTAssertEqual(try pool.stringArrayAttribute("weight_names"), [])
        XCTAssertEqual(try back.dataset(at: "d").doubleArrayAttribute("scale"), [0.5, 1e-3])
    }

    func testWritingReplacesAndDeleteRemoves() throws {
        let out = try HDF5File(path: tmp.path("r.h5"), mode: .create)
        try out.setStringArrayAttribute("names", ["a", "b", "c"])
        try out.setStringArrayAttribute("names", ["longer_name"], storage: .variableLengthUTF8)
        XCTAssertEqual(try out.stringArrayAttribute("names"), ["longer_name"])
        try out.deleteAttribute("names")
        XCTAssertFalse(out.hasAttribute("names"))
        let error = assertHDF5Error(try out.deleteAttribute("names"))
        XCTAssertEqual(error?.kind, .notFound)
    }

    func testArraySplitSizesMatchNumpy() {
        // np.array_split(np.arange(10), 3) -> sizes 4, 3, 3; (7, 7) -> seven ones; (2, 3) -> 1, 1, 0.
        XCTAssertEqual(HDF5Object.arraySplitSizes(10, 3), [4, 3, 3])
        XCTAssertEqual(HDF5Object.arraySplitSizes(7, 7), [1, 1, 1, 1, 1, 1, 1])
        XCTAssertEqual(HDF5Object.arraySplitSizes(2, 3), [1, 1, 0])
    }

    func testShortListIsWrittenUnchunked() throws {
        let out = try HDF5File(path: tmp.path("c1.h5"), mode: .create)
        try out.setChunkedStringArrayAttribute("layer_names", ["input_1", "dense"])
        XCTAssertEqual(try out.attributeNames(), ["layer_names"])
        XCTAssertEqual(try out.chunkedStringArrayAttribute("layer_names"), ["input_1", "dense"])
    }

    func testLongListIsChunkedLikeKeras() throws {
        let path = tmp.path("c2.h5")
        // 5,000 names of width 20 = 100,000 bytes > 64,512, so numpy would split into 2 chunks of 2,500.
        let names = (0..<5000).map { "layer_\(String(format: "%014d", $0))" }
        XCTAssertEqual(names[0].utf8.count, 20)
        do {
            let out = try HDF5File(path: path, mode: .create)
            try out.setStringArrayAttribute("layer_names", ["stale"])
            try out.setStringArrayAttribute("layer_names7", ["unrelated"])
            try out.setChunkedStringArrayAttribute("layer_names", names)
        }
        do {
            let back = try HDF5File(path: path)
            XCTAssertEqual(try back.attributeNames(), ["layer_names0", "layer_names1", "layer_names7"])
            XCTAssertEqual(try back.attributeInfo("layer_names0").shape, [2500])
            XCTAssertEqual(try back.attributeInfo("layer_names1").shape, [2500])
            XCTAssertEqual(try back.chunkedStringArrayAttribute("layer_names"), names)
        }

        // Rewriting a short list removes the old chunks.
        let rewrite = try HDF5File(path: path, mode: .readWrite)
        try rewrite.setChunkedStringArrayAttribute("layer_names", ["only"])
        XCTAssertEqual(try rewrite.attributeNames(), ["layer_names", "layer_names7"])
        XCTAssertEqual(try rewrite.chunkedStringArrayAttribute("layer_names"), ["only"])
    }

    func testOverlongSingleStringIsRefused() throws {
        let out = try HDF5File(path: tmp.path("c3.h5"), mode: .create)
        let error = assertHDF5Error(try out.setChunkedStringArrayAttribute("x", [String(repeating: "a", count: 70_000)]))
        XCTAssertEqual(error?.kind, .shapeMismatch)
        XCTAssertFalse(out.hasAttribute("x"))
    }
}
