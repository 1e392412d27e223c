import Foundation
import XCTest
import TapestryIO

final class NumpyFileTests: XCTestCase {
    private func fixture(_ name: String) -> String { Fixtures.path("numpy/" + name) }

    func testReadsFilesWrittenByNumPy() throws {
        let f4 = try NumpyFile.read(fixture("f4_v1.npy"))
        XCTAssertEqual(f4.shape, [3, 4])
        XCTAssertEqual(f4.scalars, (0..<12).map { Float(Double($0 - 5) / 7) })

        let f8 = try NumpyFile.read(fixture("f8_v2.npy"))  // version 2.0, float64
        XCTAssertEqual(f8.shape, [2, 3, 2])
        XCTAssertEqual(f8.scalars, (0..<12).map { Float(Double($0) * 0.1 - 0.35) })

        let scalar = try NumpyFile.read(fixture("f4_scalar.npy"))
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(scalar.scalars, [2.5])
    }

    func testRefusesWhatItCannotReadWithClearErrors() {
        let cases: [(String, String)] = [
            ("fortran.npy", "Fortran order"), ("big_endian.npy", "big-endian"), ("int64.npy", "'<i8' is not supported"),
            ("missing.npy", "no such file"),
        ]
        for (name, message) in cases {
            XCTAssertThrowsError(try NumpyFile.read(fixture(name)), name) { error in
                XCTAssertTrue("\(error)".contains(message) && "\(error)".contains(name), "\(error)")
            }
        }
        XCTAssertThrowsError(try NumpyFile.decode(Data("PK\u{3}\u{4}not npy".utf8), path: "x.npz")) { error in
            XCTAssertTrue("\(error)".contains("magic"), "\(error)")
        }
    }

    func testTruncatedDataIsAnError() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture("f4_v1.npy")))
        XCTAssertThrowsError(try NumpyFile.decode(bytes.dropLast(4), path: "cut.npy")) { error in
            XCTAssertTrue("\(error)".contains("48 bytes") && "\(error)".contains("truncated"), "\(error)")
        }
    }

    func testRoundTripInBothVersionsAndTheHeaderNumPyWrites() throws {
        let dir = try scratchDirectory()
        let tensor = Tensor<Float>(shape: [2, 3], scalars: [1, -2.5, 3e-8, .greatestFiniteMagnitude, 0, -0])
        for version in [NumpyFile.Version.v1, .v2, .automatic] {
            let path = dir + "/t.npy"
            try NumpyFile.write(tensor, to: path, version: version)
            let back = try NumpyFile.read(path)
            XCTAssertEqual(back.shape, [2, 3])
            XCTAssertEqual(back.scalars.map(\.bitPattern), tensor.scalars.map(\.bitPattern))
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            XCTAssertEqual(bytes[6], version == .v2 ? 2 : 1)
            let dataStart = bytes.count - 24
            XCTAssertEqual(dataStart % 64, 0, "the data starts on a 64-byte boundary")
        }
        // Byte for byte what numpy.save writes for np.arange(12).reshape(3, 4) float32 (version 1.0).
        let numpyFile = try Data(contentsOf: URL(fileURLWithPath: fixture("f4_v1.npy")))
        let same = NumpyFile.encode(try NumpyFile.read(fixture("f4_v1.npy")))
        XCTAssertEqual(same, numpyFile)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["t.npy"])
    }

    func testOneDimensionalAndEmptyShapes() throws {
        for shape in [[5], [0], [2, 0, 3]] {
            let t = Tensor<Float>(shape: shape, scalars: (0..<shape.reduce(1, *)).map(Float.init))
            let back = try NumpyFile.decode(NumpyFile.encode(t))
            XCTAssertEqual(back.shape, shape)
            XCTAssertEqual(back.scalars, t.scalars)
        }
        let header = String(decoding: NumpyFile.encode(Tensor<Float>(shape: [5], scalars: [0, 1, 2, 3, 4])).dropFirst(10).prefix(60), as: UTF8.self)
        XCTAssertTrue(header.contains("'shape': (5,)"), header)
    }
}
