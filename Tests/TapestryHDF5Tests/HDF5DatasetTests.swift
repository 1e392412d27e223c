import XCTest
@testable import TapestryHDF5

final class HDF5DatasetTests: XCTestCase {
    private var file: HDF5File!

    override func setUpWithError() throws {
        file = try HDF5File(path: Fixtures.path("datasets.h5"))
    }

    func testFloat32OfSeveralRanks() throws {
        let scalar = try file.dataset(at: "f32/scalar")
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(scalar.count, 1)
        XCTAssertEqual(try scalar.readFloats(), [3.5])

        XCTAssertEqual(try file.dataset(at: "f32/rank1").readFloats(), [1, -2, 0.25])

        let rank2 = try file.dataset(at: "f32/rank2")
        XCTAssertEqual(rank2.shape, [2, 3])
        XCTAssertEqual(rank2.elementType, .float(bits: 32))
        XCTAssertEqual(try rank2.readFloats(), [0, 1, 2, 3, 4, 5])

        let rank4 = try file.dataset(at: "f32/rank4")
        XCTAssertEqual(rank4.shape, [3, 3, 2, 4])
        let values = try rank4.readFloats()
        XCTAssertEqual(values, (0..<72).map { Float($0) * 0.5 - 10 })
        // Row-major: element (h=1, w=2, ci=1, co=3) sits at ((1*3 + 2)*2 + 1)*4 + 3.
        XCTAssertEqual(values[((1 * 3 + 2) * 2 + 1) * 4 + 3], Float(47) * 0.5 - 10)
    }

    func testFloat64IsConvertedOnRead() throws {
        let dataset = try file.dataset(at: "f64/rank2")
        XCTAssertEqual(dataset.elementType, .float(bits: 64))
        XCTAssertEqual(dataset.shape, [2, 2])
        XCTAssertEqual(try dataset.readFloats(), [Float(0.1), Float(0.2), Float(0.3), -4.5])
        XCTAssertEqual(try dataset.readDoubles(), [0.1, 0.2, 0.3, -4.5])
    }

    func testFloat16AndIntegersAreConvertedOnRead() throws {
        let half = try file.dataset(at: "f16/rank1")
        XCTAssertEqual(half.elementType, .float(bits: 16))
        XCTAssertEqual(try half.readFloats(), [0.5, -1.25, 65504])
        let ints = try file.dataset(at: "i32/rank1")
        XCTAssertEqual(ints.elementType, .integer(bits: 32, signed: true))
        XCTAssertEqual(try ints.readFloats(), [1, -2, 3])
    }

    func testEmptyAndCompressedDatasets() throws {
        let empty1 = try file.dataset(at: "empty/rank1")
        XCTAssertEqual(empty1.shape, [0])
        XCTAssertEqual(try empty1.readFloats(), [])
        let empty2 = try file.dataset(at: "empty/rank2")
        XCTAssertEqual(empty2.shape, [2, 0])
        XCTAssertEqual(empty2.count, 0)
        XCTAssertEqual(try empty2.readFloats(), [])
        XCTAssertEqual(try file.dataset(at: "gzip").readFloats(), (0..<100).map(Float.init))
        XCTAssertEqual(try file.dataset(at: "a/b/c/deep").readFloats(), [42])
    }

    func testStringDatasetCannotBeReadAsNumbers() throws {
        let text = try file.dataset(at: "text")
        XCTAssertEqual(text.elementType, .string(variableLength: false))
        let error = assertHDF5Error(try text.readFloats())
        XCTAssertEqual(error?.kind, .typeMismatch)
        XCTAssertEqual(error?.description,
                       "cannot read dataset 'text' in '\(Fixtures.path("datasets.h5"))' as numbers: it holds fixed-length string values")
    }

    func testMissingDatasetNamesFileAndPath() throws {
        let path = Fixtures.path("keras3.weights.h5")
        let keras = try HDF5File(path: path)
        let error = assertHDF5Error(try keras.dataset(at: "layers/dense/vars/2"))
        XCTAssertEqual(error?.kind, .notFound)
        XCTAssertEqual(error?.objectPath, "layers/dense/vars/2")
        XCTAssertEqual(error?.description, "no dataset 'layers/dense/vars/2' in '\(path)'")
        // The same path relative to a subgroup is reported in full.
        let vars = try keras.group(at: "layers/dense")
        XCTAssertEqual(assertHDF5Error(try vars.dataset(at: "vars/9"))?.description,
                       "no dataset 'layers/dense/vars/9' in '\(path)'")
        // A missing intermediate group is the same error, not an HDF5 failure.
        XCTAssertEqual(assertHDF5Error(try keras.dataset(at: "layers/conv2d/vars/0"))?.description,
                       "no dataset 'layers/conv2d/vars/0' in '\(path)'")
    }

    func testGroupWhereDatasetExpected() throws {
        let error = assertHDF5Error(try file.dataset(at: "f32"))
        XCTAssertEqual(error?.kind, .wrongKind)
        XCTAssertEqual(error?.description, "'f32' in '\(Fixtures.path("datasets.h5"))' is a group, not a dataset")
    }

    func testWriteThenReadBack() throws {
        let tmp = try TemporaryDirectory()
        let path = tmp.path("w.h5")
        let kernel = (0..<24).map { Float($0) / 8 - 1 }
        do {
            let out = try HDF5File(path: path, mode: .create)
            let written = try out.createDataset(at: "layers/conv2d/vars/0", values: kernel, shape: [2, 2, 3, 2])
            XCTAssertEqual(written.path, "layers/conv2d/vars/0")
            XCTAssertEqual(written.shape, [2, 2, 3, 2])
            try out.createDataset(at: "scalar", values: [2.5], shape: [])
            try out.createDataset(at: "empty", values: [], shape: [0])
            try out.createDataset(at: "empty2", values: [], shape: [3, 0])
            let group = try out.group(at: "layers/conv2d")
            try group.createDataset(at: "vars/1", values: [Float.greatestFiniteMagnitude, -0.0], shape: [2])
            out.close()
        }
        let back = try HDF5File(path: path)
        let dataset = try back.dataset(at: "layers/conv2d/vars/0")
        XCTAssertEqual(dataset.shape, [2, 2, 3, 2])
        XCTAssertEqual(dataset.elementType, .float(bits: 32))
        XCTAssertEqual(try dataset.readFloats(), kernel)
        let scalar = try back.dataset(at: "scalar")
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(try scalar.readFloats(), [2.5])
        XCTAssertEqual(try back.dataset(at: "empty").shape, [0])
        XCTAssertEqual(try back.dataset(at: "empty2").shape, [3, 0])
        XCTAssertEqual(try back.dataset(at: "empty2").readFloats(), [])
        let bias = try back.dataset(at: "layers/conv2d/vars/1").readFloats()
        XCTAssertEqual(bias[0], Float.greatestFiniteMagnitude)
        XCTAssertEqual(bias[1].sign, .minus)
    }

    func testCreateDatasetValidatesShapeAndExistence() throws {
        let tmp = try TemporaryDirectory()
        let path = tmp.path("v.h5")
        let out = try HDF5File(path: path, mode: .create)
        let mismatch = assertHDF5Error(try out.createDataset(at: "x", values: [1, 2, 3], shape: [2, 2]))
        XCTAssertEqual(mismatch?.kind, .shapeMismatch)
        XCTAssertEqual(mismatch?.description, "cannot create dataset 'x' in '\(path)': 3 values for shape [2, 2] (4 elements)")
        XCTAssertFalse(out.contains("x"))
        try out.createDataset(at: "x", values: [1, 2, 3, 4], shape: [2, 2])
        let taken = assertHDF5Error(try out.createDataset(at: "x", values: [1], shape: [1]))
        XCTAssertEqual(taken?.kind, .alreadyExists)
        XCTAssertEqual(taken?.description, "cannot create dataset 'x' in '\(path)': a dataset is already there")
        XCTAssertEqual(assertHDF5Error(try out.dataset(at: "x").write([1]))?.kind, .shapeMismatch)
        XCTAssertEqual(assertHDF5Error(try out.createDataset(at: "n", values: [], shape: [-1]))?.kind, .shapeMismatch)
    }
}
