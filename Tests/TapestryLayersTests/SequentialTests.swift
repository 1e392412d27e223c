import XCTest
@testable import TapestryLayers

final class SequentialTests: XCTestCase {
    func testSequentialWithAnInputLayerIsBuiltAtOnce() throws {
        let model = Sequential([InputLayer(shape: [4]), Dense(3, activation: .relu), Dense(1)])
        XCTAssertEqual(model.inputs.map(\.shape), [[4]])
        XCTAssertEqual(model.outputs.map(\.shape), [[1]])
        XCTAssertEqual(model.layers.count, 2, "the input layer is not listed, as in Keras")
        XCTAssertEqual(model.countParams(), 4 * 3 + 3 + 3 + 1)
        XCTAssertEqual(model.className, "Sequential")
    }

    func testSequentialWithoutAnInputShapeBuildsOnItsFirstBatch() throws {
        let model = Sequential([Dense(3), Dense(2)])
        XCTAssertTrue(model.inputs.isEmpty)
        XCTAssertEqual(model.weights.count, 0, "no weights before the input size is known")
        let y = try model(Variable(Tensor<Float>.ones([5, 7])))
        XCTAssertEqual(y.shape, [5, 2])
        XCTAssertEqual(model.layers[0].weights.map(\.shape), [[7, 3], [3]])
    }

    func testBuildInputShapeAndAddRebuild() throws {
        let model = Sequential()
        model.add(Dense(3))
        model.build(inputShape: [2])
        XCTAssertEqual(model.outputs.map(\.shape), [[3]])
        model.add(Dense(5))
        XCTAssertEqual(model.outputs.map(\.shape), [[5]])
        XCTAssertEqual(model.inputs.map(\.shape), [[2]])
        XCTAssertEqual(try model(Variable(Tensor<Float>.zeros([1, 2]))).shape, [1, 5])
    }

    func testSequentialMatchesCallingItsLayersInTurn() throws {
        let a = Dense(3, activation: .tanh), b = Dense(2)
        let model = Sequential([InputLayer(shape: [4]), a, b])
        setRandomSeed(11)
        let x = Variable(Tensor<Float>.randomNormal([3, 4]))
        XCTAssertEqual(try model(x).value.scalars, try b(try a(x)).value.scalars)
    }

    func testASequentialWithAWrongLayerReportsIt() {
        let model = Sequential([InputLayer(shape: [10]), Conv2D(2, kernelSize: 3, name: "conv_in_mlp")])
        XCTAssertThrowsError(try model.validate()) { error in
            XCTAssertTrue("\(error)".contains("'conv_in_mlp'") && "\(error)".contains("(None, 10)"), "\(error)")
        }
    }

    func testSequentialWithoutShapeCannotValidateItsInput() {
        let model = Sequential([Dense(1)])
        XCTAssertThrowsError(try model.computeOutputShapes([])) { error in
            XCTAssertTrue("\(error)".contains("no input shape"), "\(error)")
        }
    }

    func testSequentialNestedInAFunctionalModel() throws {
        let block = Sequential([InputLayer(shape: [3]), Dense(2, name: "inner_dense")], name: "block")
        let inputs = Input(shape: [3])
        let model = Model(inputs: inputs, outputs: Dense(1)(block(inputs)))
        try model.validate()
        XCTAssertEqual(model.layers[1].name, "block")
        XCTAssertEqual(model.countParams(), 8 + 3)
        XCTAssertTrue(model.summary().contains("block (Sequential)"))
    }
}
