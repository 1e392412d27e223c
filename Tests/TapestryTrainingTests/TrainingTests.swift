import XCTest
import TapestryTraining

final class SmokeTests: XCTestCase {
    func testMLPLearnsXOR() throws {
        setRandomSeed(1)
        let inputs = Input(shape: [2])
        let hidden = Dense(8, activation: .tanh)(inputs)
        let model = Model(inputs: inputs, outputs: Dense(1, activation: .sigmoid)(hidden), name: "xor")
        model.compile(optimizer: Adam(learningRate: 0.05), loss: .binaryCrossentropy, metrics: [.accuracy])
        let x = Tensor<Float>(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
        let y = Tensor<Float>(shape: [4, 1], scalars: [0, 1, 1, 0])
        let history = try model.fit(x: x, y: y, batchSize: 4, epochs: 300, verbose: .silent)
        XCTAssertEqual(history["accuracy"].last, 1)
        let p = try model.predict(x).scalars
        XCTAssertLessThan(p[0], 0.2); XCTAssertGreaterThan(p[1], 0.8); XCTAssertGreaterThan(p[2], 0.8); XCTAssertLessThan(p[3], 0.2)
        print(model.summary())
    }
}
