import XCTest
import TapestryTensor
import TapestryAutograd

/// A trainable rank-1 weight.
func weight(_ scalars: [Float], name: String? = nil) -> Variable<Float> {
    Variable(Tensor(shape: [scalars.count], scalars: scalars), requiresGrad: true, name: name)
}

/// A rank-1 gradient.
func gradient(_ scalars: [Float]) -> Tensor<Float> { Tensor(shape: [scalars.count], scalars: scalars) }

/// The Float values widened, so reference computations start from exactly what the optimizer saw.
func widened(_ scalars: [Float]) -> [Double] { scalars.map(Double.init) }

/// Checks every element of `actual` against a Double reference to an absolute `tolerance`.
func assertClose(_ actual: Tensor<Float>, _ expected: [Double], tolerance: Double = 1e-6, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(message): element count", file: file, line: line)
    for (i, (a, e)) in zip(actual.scalars, expected).enumerated() {
        XCTAssertEqual(Double(a), e, accuracy: tolerance, "\(message): element \(i)", file: file, line: line)
    }
}
