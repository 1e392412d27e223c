import XCTest
@testable import TapestryLayers

final class DenseTests: XCTestCase {
    func testDenseMatchesKerasOnEveryFixtureCase() throws {
        XCTAssertEqual(try checkLayerCases(classes: ["Dense"]), 3)
    }

    func testDenseWeightsAreKernelThenBiasWithKerasShapes() throws {
        let dense = Dense(4)
        _ = try dense(Variable(Tensor<Float>.zeros([2, 5])))
        XCTAssertEqual(dense.weights.map(\.shape), [[5, 4], [4]])
        XCTAssertEqual(dense.weights.map(\.name), ["\(dense.name)/kernel", "\(dense.name)/bias"])
        XCTAssertEqual(dense.countParams(), 24)
        XCTAssertEqual(dense.bias!.value.scalars, [Float](repeating: 0, count: 4), "Keras's bias starts at zeros")
    }

    func testDenseWithoutBiasHasOnlyAKernel() throws {
        let dense = Dense(3, useBias: false)
        let x = Tensor<Float>(shape: [1, 2], scalars: [1, 2])
        _ = try dense(Variable(x))
        try dense.setWeights([Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])])
        XCTAssertEqual(try dense(Variable(x)).value.scalars, [9, 12, 15])
        XCTAssertNil(dense.bias)
    }

    func testDenseActsOnTheLastAxisOfAnyRank() throws {
        let inputs = Input(shape: [4, 4, 3])
        let out = Dense(2)(inputs)
        XCTAssertNil(out.error)
        XCTAssertEqual(out.shape, [4, 4, 2])
    }

    func testSetWeightsRejectsWrongCountAndShapeNamingTheLayer() throws {
        let dense = Dense(4, name: "probe")
        _ = try dense(Variable(Tensor<Float>.zeros([1, 5])))
        XCTAssertThrowsError(try dense.setWeights([Tensor.zeros([5, 4])])) { error in
            XCTAssertTrue("\(error)".contains("'probe'") && "\(error)".contains("expected 2"), "\(error)")
        }
        XCTAssertThrowsError(try dense.setWeights([Tensor.zeros([4, 5]), Tensor.zeros([4])])) { error in
            XCTAssertTrue("\(error)".contains("probe/kernel") && "\(error)".contains("[5, 4]") && "\(error)".contains("[4, 5]"),
                          "\(error)")
        }
    }

    func testEagerCallWithTheWrongFeatureSizeThrowsWithBothSizes() throws {
        let dense = Dense(2, name: "fc")
        _ = try dense(Variable(Tensor<Float>.zeros([1, 4])))
        XCTAssertThrowsError(try dense(Variable(Tensor<Float>.zeros([1, 5])))) { error in
            XCTAssertTrue(error is LayerError)
            let message = "\(error)"
            XCTAssertTrue(message.contains("'fc'") && message.contains("4") && message.contains("(None, 5)"), message)
        }
    }
}
