import XCTest
@testable import TapestryTensor

final class ElementwiseTests: XCTestCase {
    func testBroadcastingAgainstHandComputedValues() {
        let a = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let row = Tensor<Float>(shape: [3], scalars: [10, 20, 30])
        let col = Tensor<Float>(shape: [2, 1], scalars: [100, 200])
        XCTAssertEqual((a + row).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual((a * col).scalars, [100, 200, 300, 800, 1000, 1200])
        XCTAssertEqual((row + col).shape, [2, 3])
        XCTAssertEqual((row - col).scalars, [-90, -80, -70, -190, -180, -170])
        XCTAssertEqual((a / 2).scalars, [0.5, 1, 1.5, 2, 2.5, 3])
    }

    func testStridedOperands() {
        let a = Tensor<Double>(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]).transposed()   // [[1,3,5],[2,4,6]]
        let b = Tensor<Double>(shape: [2, 6], scalars: (0..<12).map(Double.init)).slice(axis: 1, from: 0, to: 6, step: 2)
        XCTAssertEqual((a + b).scalars, [1, 5, 9, 8, 12, 16])
    }

    func testLargeTensorsSplitAcrossThreadsGiveSameResult() {
        let n = 1 << 18
        let a: Tensor<Float> = seededTensor([n], seed: 1)
        let serial = a.scalars.map { $0 * 2 + 1 }
        XCTAssertEqual((a * 2 + 1).scalars, serial)
    }

    func testShapeMismatchNamesOpAndShapes() {
        XCTAssertThrowsError(try checkedBroadcastShapes([2, 3], [4], op: "add")) { error in
            XCTAssertEqual("\(error)", "add: shapes [2, 3] and [4] cannot be broadcast together")
        }
        XCTAssertEqual(try checkedBroadcastShapes([5, 1, 3], [4, 1], op: "add"), [5, 4, 3])
    }

    func testActivations() {
        let x = Tensor<Double>(shape: [4], scalars: [-2, -0.5, 0.5, 2])
        XCTAssertEqual(x.relu().scalars, [0, 0, 0.5, 2])
        assertClose(x.sigmoid(), Tensor(shape: [4], scalars: [-2, -0.5, 0.5, 2].map { 1 / (1 + Foundation.exp(-$0)) }), tolerance: 1e-12)
        assertClose(x.leakyRelu(), Tensor(shape: [4], scalars: [-0.6, -0.15, 0.5, 2]), tolerance: 1e-12)
        assertClose(x.elu(), Tensor(shape: [4], scalars: [Foundation.exp(-2) - 1, Foundation.exp(-0.5) - 1, 0.5, 2]), tolerance: 1e-12)
        // gelu(1) = 0.5 · (1 + erf(1/√2)) = 0.8413447460685429
        XCTAssertEqual(Tensor<Double>(1).gelu().scalar, 0.8413447460685429, accuracy: 1e-12)
        XCTAssertEqual(Tensor<Double>(1).gelu(approximate: true).scalar, 0.8411919906082768, accuracy: 1e-12)
        XCTAssertEqual(Tensor<Float>(-1000).sigmoid().scalar, 0)
        XCTAssertEqual(Tensor<Float>(1000).sigmoid().scalar, 1)
    }

    func testSoftmaxIsStableAndNormalised() {
        let x = Tensor<Float>(shape: [2, 3], scalars: [1000, 1001, 1002, -5, 0, 5])
        let s = x.softmax()
        XCTAssertFalse(s.scalars.contains { $0.isNaN })
        XCTAssertEqual(s.sum(axes: [1]).scalars[0], 1, accuracy: 1e-6)
        XCTAssertEqual(s[0, 2], 0.66524096, accuracy: 1e-6)
        assertClose(x.logSoftmax(), s.log(), tolerance: 1e-5)
        let colwise = x.softmax(axis: 0)
        XCTAssertEqual(colwise[0, 0] + colwise[1, 0], 1, accuracy: 1e-6)
    }

    func testSelectAndClip() {
        let c = Tensor<Float>(shape: [3], scalars: [1, 0, 1])
        let r = Tensor.select(c, Tensor(shape: [3], scalars: [1, 2, 3]), Tensor(shape: [1], scalars: [-1]))
        XCTAssertEqual(r.scalars, [1, -1, 3])
        XCTAssertEqual(Tensor<Float>(shape: [3], scalars: [-2, 0.5, 2]).clipped(min: 0, max: 1).scalars, [0, 0.5, 1])
    }
}
