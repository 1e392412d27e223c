import XCTest
@testable import TapestryTensor

final class ReductionTests: XCTestCase {
    let t = Tensor<Float>(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])

    func testSumMeanOverAxes() {
        XCTAssertEqual(t.sum().scalar, 21)
        XCTAssertEqual(t.sum(axes: [0]).scalars, [5, 7, 9])
        XCTAssertEqual(t.sum(axes: [1]).scalars, [9, 12])
        XCTAssertEqual(t.sum(axes: [1], keepDims: true).shape, [2, 1])
        XCTAssertEqual(t.mean(axes: [-1]).scalars, [3, 4])
        XCTAssertEqual(t.mean().scalar, 3.5)
    }

    func testMaxMinArgmax() {
        XCTAssertEqual(t.max(axes: [0]).scalars, [4, 5, 6])
        XCTAssertEqual(t.max(axes: [1], keepDims: true).scalars, [5, 6])
        XCTAssertEqual(t.min().scalar, 1)
        XCTAssertEqual(t.argmax(axis: 1), [1, 2])
        XCTAssertEqual(t.argmax(axis: 0), [1, 0, 1])
    }

    func testReductionOfStridedAndBroadcastInputs() {
        XCTAssertEqual(t.transposed().sum(axes: [1]).scalars, [5, 7, 9])
        let e = Tensor<Float>(shape: [3], scalars: [1, 2, 3]).expanded(to: [4, 3])
        XCTAssertEqual(e.sum(axes: [0]).scalars, [4, 8, 12])
        let three = Tensor<Double>(shape: [2, 3, 4], scalars: (0..<24).map(Double.init))
        XCTAssertEqual(three.sum(axes: [0, 2]).scalars, [60, 92, 124])
    }

    func testLargeReductionMatchesSerialSum() {
        let x: Tensor<Double> = seededTensor([64, 1000], seed: 9)
        let rows = x.sum(axes: [1]).scalars
        let values = x.scalars
        for r in 0..<64 {
            XCTAssertEqual(rows[r], values[(r * 1000)..<((r + 1) * 1000)].reduce(0, +), accuracy: 1e-9)
        }
    }
}
