import XCTest
@testable import TapestryTensor

func assertClose<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>, tolerance: Double = 1e-5,
                                  file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, "shapes differ", file: file, line: line)
    guard a.shape == b.shape else { return }
    for (i, (x, y)) in zip(a.scalars, b.scalars).enumerated() {
        let scale = Swift.max(1, Swift.abs(Double(y)))
        if Swift.abs(Double(x) - Double(y)) > tolerance * scale {
            XCTFail("element \(i): \(x) vs \(y)", file: file, line: line)
            return
        }
    }
}

func seededTensor<S: TensorScalar>(_ shape: [Int], seed: UInt64) -> Tensor<S> {
    var g = SeededGenerator(seed: seed)
    return Tensor<S>.randomUniform(shape, low: -1, high: 1, using: &g)
}
