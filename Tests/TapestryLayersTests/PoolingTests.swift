import XCTest
@testable import TapestryLayers

final class PoolingTests: XCTestCase {
    /// Pool 2 and 3, default strides (= pool size), stride 1 and 2, valid (drops the last odd
    /// row) and same padding (average counts only real elements, as Keras).
    func testMaxPoolingMatchesKeras() throws {
        XCTAssertEqual(try checkLayerCases(classes: ["MaxPooling2D"]), 7)
    }

    func testAveragePoolingMatchesKeras() throws {
        XCTAssertEqual(try checkLayerCases(classes: ["AveragePooling2D"]), 7)
    }

    func testGlobalPoolingMatchesKeras() throws {
        XCTAssertEqual(try checkLayerCases(classes: ["GlobalAveragePooling2D", "GlobalMaxPooling2D"]), 2)
    }

    func testFlattenMatchesKerasRowMajorNHWC() throws {
        XCTAssertEqual(try checkLayerCases(classes: ["Flatten"]), 1)
        XCTAssertEqual(Flatten()(Input(shape: [4, 4, 512])).shape, [8192])
    }

    func testPoolingLayersHaveNoWeights() throws {
        for layer in [MaxPooling2D(), AveragePooling2D(), GlobalMaxPooling2D(), GlobalAveragePooling2D(), Flatten()] as [Layer] {
            _ = try layer(Variable(Tensor<Float>.ones([1, 4, 4, 2])))
            XCTAssertEqual(layer.weights.count, 0, layer.name)
            XCTAssertEqual(layer.countParams(), 0, layer.name)
        }
    }

    func testPoolingOnANonImageInputNamesTheLayerAndShape() {
        let out = MaxPooling2D(name: "pool_on_vector")(Input(shape: [10]))
        XCTAssertTrue("\(out.error!)".contains("'pool_on_vector'") && "\(out.error!)".contains("(None, 10)"), "\(out.error!)")
        let gap = GlobalAveragePooling2D(name: "gap")(Input(shape: [4, 4]))
        XCTAssertTrue("\(gap.error!)".contains("'gap'") && "\(gap.error!)".contains("(None, 4, 4)"), "\(gap.error!)")
    }

    func testVGGPoolingShapes() {
        XCTAssertEqual(MaxPooling2D(poolSize: 2, strides: 2)(Input(shape: [75, 75, 64])).shape, [37, 37, 64])
        XCTAssertEqual(MaxPooling2D(poolSize: 2, strides: 2)(Input(shape: [9, 9, 512])).shape, [4, 4, 512])
    }
}
