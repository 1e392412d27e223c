import XCTest
@testable import TapestryLayers

final class Conv2DTests: XCTestCase {
    /// Same/valid padding, strides 1 and 2 on odd and even sizes (TF pads the odd extra at the
    /// bottom/right), 1×1 and 5×5 kernels, non-square inputs, relu, no bias.
    func testConv2DMatchesKerasOnEveryFixtureCase() throws {
        XCTAssertEqual(try checkLayerCases(classes: ["Conv2D"]), 8)
    }

    func testKernelIsHWIOAndParamsCountLikeKeras() throws {
        let conv = Conv2D(64, kernelSize: 3, activation: .relu, padding: .same)
        let out = conv(Input(shape: [150, 150, 3]))
        XCTAssertEqual(out.shape, [150, 150, 64])
        XCTAssertEqual(conv.weights.map(\.shape), [[3, 3, 3, 64], [64]])
        XCTAssertEqual(conv.countParams(), 1_792)
    }

    func testDefaultPaddingIsValidAndStridesShrink() {
        XCTAssertEqual(Conv2D(2, kernelSize: 3)(Input(shape: [7, 9, 1])).shape, [5, 7, 2])
        XCTAssertEqual(Conv2D(2, kernelSize: 3, strides: 2, padding: .same)(Input(shape: [7, 8, 1])).shape, [4, 4, 2])
        XCTAssertEqual(Conv2D(2, kernelSize: [1, 3])(Input(shape: [4, 4, 1])).shape, [4, 2, 2])
    }

    func testConvOnANonImageInputIsALayerErrorNamingLayerAndShape() {
        let inputs = Input(shape: [8])
        let out = Conv2D(4, kernelSize: 3, name: "conv_on_vector")(inputs)
        let model = Model(inputs: inputs, outputs: out)
        XCTAssertThrowsError(try model.validate()) { error in
            XCTAssertTrue(error is LayerError)
            XCTAssertTrue("\(error)".contains("'conv_on_vector'") && "\(error)".contains("(None, 8)"), "\(error)")
        }
    }

    func testKernelLargerThanAValidInputIsAnError() {
        let out = Conv2D(1, kernelSize: 5, name: "too_big")(Input(shape: [3, 3, 1]))
        XCTAssertNotNil(out.error)
        XCTAssertTrue("\(out.error!)".contains("'too_big'") && "\(out.error!)".contains("(None, 3, 3, 1)"), "\(out.error!)")
    }

    func testChannelMismatchOnReuseNamesBothChannelCounts() throws {
        let conv = Conv2D(2, kernelSize: 1, name: "c3")
        _ = conv(Input(shape: [4, 4, 3]))
        let bad = conv(Input(shape: [4, 4, 5]))
        XCTAssertTrue("\(bad.error!)".contains("'c3'") && "\(bad.error!)".contains("3 channels")
                      && "\(bad.error!)".contains("(None, 4, 4, 5)"), "\(bad.error!)")
    }
}
