import XCTest
@testable import TapestryHDF5

final class HDF5GroupTests: XCTestCase {
    func testChildNamesAreInByteWiseNameOrder() throws {
        let file = try HDF5File(path: Fixtures.path("datasets.h5"))
        // Created as b, a, 10, 2, ds; listed in name order.
        XCTAssertEqual(try file.group(at: "order").childNames(), ["10", "2", "a", "b", "ds"])
        XCTAssertEqual(try file.group(at: "order").groupNames(), ["10", "2", "a", "b"])
        XCTAssertEqual(try file.group(at: "order").datasetNames(), ["ds"])
        XCTAssertEqual(try file.childNames(), ["a", "empty", "f16", "f32", "f64", "gzip", "i32", "order", "text"])
    }

    func testKeras3VarsListInNameOrderAndSortNumerically() throws {
        let file = try HDF5File(path: Fixtures.path("keras3.weights.h5"))
        XCTAssertEqual(try file.group(at: "layers").childNames(), ["batch_normalization", "dense"])
        let vars = try file.group(at: "layers/batch_normalization/vars")
        let names = try vars.childNames()
        XCTAssertEqual(names, ["0", "1", "10", "11", "2", "3", "4", "5", "6", "7", "8", "9"])
        let numeric = names.sorted { Int($0)! < Int($1)! }
        let values = try numeric.map { try vars.dataset(at: $0).readFloats()[0] }
        XCTAssertEqual(values, (0..<12).map(Float.init))
        XCTAssertEqual(try file.group(at: "optimizer/vars").childNames(), [])
        XCTAssertEqual(try file.group(at: "layers/dense").stringAttribute("name"), "dense")
    }

    func testKindAndContains() throws {
        let file = try HDF5File(path: Fixtures.path("datasets.h5"))
        XCTAssertEqual(try file.kind(of: "a/b/c"), .group)
        XCTAssertEqual(try file.kind(of: "a/b/c/deep"), .dataset)
        XCTAssertEqual(try file.kind(of: "/a/b"), .group)
        XCTAssertNil(try file.kind(of: "a/x/c"))
        XCTAssertNil(try file.kind(of: "a/b/c/deep/deeper"))
        XCTAssertTrue(file.contains("f32/rank4"))
        XCTAssertFalse(file.contains("f32/rank5"))
        XCTAssertFalse(file.contains("missing/intermediate/group"))
        let b = try file.group(at: "a/b")
        XCTAssertTrue(b.contains("c/deep"))
        XCTAssertTrue(b.contains("/f32"))  // absolute paths start at the root
        XCTAssertEqual(b.path, "a/b")
        XCTAssertEqual(b.name, "b")
        XCTAssertEqual(file.path, "/")
        XCTAssertEqual(file.name, "/")
    }

    func testMissingAndWrongKindGroups() throws {
        let path = Fixtures.path("datasets.h5")
        let file = try HDF5File(path: path)
        let missing = assertHDF5Error(try file.group(at: "layers/dense"))
        XCTAssertEqual(missing?.kind, .notFound)
        XCTAssertEqual(missing?.description, "no group 'layers/dense' in '\(path)'")
        let wrong = assertHDF5Error(try file.group(at: "gzip"))
        XCTAssertEqual(wrong?.kind, .wrongKind)
        XCTAssertEqual(wrong?.description, "'gzip' in '\(path)' is a dataset, not a group")
    }

    func testCreateNestedGroupsIsIdempotent() throws {
        let tmp = try TemporaryDirectory()
        let path = tmp.path("g.h5")
        let out = try HDF5File(path: path, mode: .create)
        let vars = try out.createGroup(at: "layers/dense/vars")
        XCTAssertEqual(vars.path, "layers/dense/vars")
        XCTAssertEqual(try out.kind(of: "layers"), .group)
        XCTAssertEqual(try out.kind(of: "layers/dense"), .group)
        let again = try out.createGroup(at: "layers/dense/vars")
        try again.createDataset(at: "0", values: [1], shape: [1])
        XCTAssertEqual(try vars.childNames(), ["0"])
        let nested = try out.group(at: "layers").createGroup(at: "dense_1")
        XCTAssertEqual(nested.path, "layers/dense_1")
        XCTAssertEqual(try out.group(at: "layers").childNames(), ["dense", "dense_1"])
        let blocked = assertHDF5Error(try out.createGroup(at: "layers/dense/vars/0"))
        XCTAssertEqual(blocked?.kind, .wrongKind)
        XCTAssertEqual(blocked?.description, "cannot create group 'layers/dense/vars/0' in '\(path)': a dataset is already there")
    }
}
