import Foundation
import XCTest
import TapestryTraining

/// Misuse is reported by a thrown `TrainingError` that names what is wrong — never a crash.
final class TrainingErrorTests: XCTestCase {
    func compiled(outputs: Int = 1, activation: ActivationFunction = .sigmoid, loss: Loss = .binaryCrossentropy) -> Model {
        let model = mlp(inputs: 4, hidden: 3, outputs: outputs, activation: activation, name: "net")
        model.compile(optimizer: SGD(learningRate: 0.1), loss: loss, metrics: [.accuracy])
        return model
    }

    func assertTrainingError(_ body: @autoclosure () throws -> Any, mentions parts: [String],
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertTrue(error is TrainingError, "\(type(of: error)): \(error)", file: file, line: line)
            for part in parts { XCTAssertTrue("\(error)".contains(part), "'\(part)' not in: \(error)", file: file, line: line) }
        }
    }

    func testSampleCountMismatch() {
        let model = compiled()
        let (x, y) = separableData(samples: 10)
        let short = y.slice(axis: 0, from: 0, to: 9)
        assertTrainingError(try model.fit(x: x, y: short, verbose: .silent), mentions: ["[10, 4]", "[9, 1]"])
        assertTrainingError(try model.evaluate(x: x, y: short), mentions: ["[10, 4]", "[9, 1]"])
        assertTrainingError(try model.fit(x: x, y: y, validationData: (x, short), verbose: .silent), mentions: ["[9, 1]"])
    }

    func testLabelsThatDoNotFitTheLossNameTheShapes() {
        let (x, _) = separableData(samples: 6)
        let threeClasses = compiled(outputs: 3, activation: .softmax, loss: .categoricalCrossentropy)
        assertTrainingError(try threeClasses.fit(x: x, y: Tensor(shape: [6, 2], repeating: 0), verbose: .silent),
                            mentions: ["categorical_crossentropy", "[6, 3]", "[6, 2]"])
        let sparse = compiled(outputs: 3, activation: .softmax, loss: .sparseCategoricalCrossentropy)
        assertTrainingError(try sparse.fit(x: x, y: Tensor(shape: [6, 3], repeating: 0), verbose: .silent),
                            mentions: ["sparse_categorical_crossentropy", "[6, 3]"])
        assertTrainingError(try sparse.fit(x: x, y: Tensor(shape: [6], scalars: [0, 1, 2, 3, 0, 1]), verbose: .silent),
                            mentions: ["label 3.0", "0..<3"])
        let binary = compiled()
        assertTrainingError(try binary.trainOnBatch(x: x, y: Tensor(shape: [6, 2], repeating: 0)),
                            mentions: ["binary_crossentropy", "[6, 1]", "[6, 2]"])
        // [N] labels for [N, 1] sigmoid outputs are fine, as in Keras.
        XCTAssertNoThrow(try binary.fit(x: x, y: Tensor(shape: [6], scalars: [0, 1, 0, 1, 1, 0]), verbose: .silent))
    }

    func testUncompiledModel() {
        let model = mlp(inputs: 4, hidden: 3, outputs: 1, activation: .sigmoid, name: "raw")
        let (x, y) = separableData(samples: 4)
        assertTrainingError(try model.fit(x: x, y: y, verbose: .silent), mentions: ["'raw'", "not compiled"])
        assertTrainingError(try model.evaluate(x: x, y: y), mentions: ["not compiled"])
        assertTrainingError(try model.trainOnBatch(x: x, y: y), mentions: ["not compiled"])
        XCTAssertNoThrow(try model.predict(x), "predict needs no compile, as in Keras")
        XCTAssertNil(model.optimizer); XCTAssertNil(model.loss)
    }

    func testWrongInputShapeNamesBothShapes() {
        let model = compiled()
        let x = Tensor<Float>(shape: [5, 3], repeating: 1), y = Tensor<Float>(shape: [5, 1], repeating: 1)
        assertTrainingError(try model.fit(x: x, y: y, verbose: .silent), mentions: ["'net'", "(None, 4)", "[5, 3]"])
        assertTrainingError(try model.predict(x), mentions: ["(None, 4)", "[5, 3]"])
        assertTrainingError(try model.predict(Tensor(shape: [2, 4, 1], repeating: 1)), mentions: ["[2, 4, 1]"])
    }

    func testNaNLossNamesEpochAndStep() throws {
        let model = compiled()
        var (x, y) = separableData(samples: 12)
        var values = x.scalars
        values[4 * 9] = .nan                      // sample 9: epoch 1, step 3 with batches of 4
        x = Tensor(shape: x.shape, scalars: values)
        let before = model.getWeights()
        assertTrainingError(try model.fit(x: x, y: y, batchSize: 4, epochs: 2, shuffle: false, verbose: .silent),
                            mentions: ["epoch 1", "step 3", "nan"])
        XCTAssertFalse(model.getWeights().contains { $0.scalars.contains { $0.isNaN } }, "the NaN step is not applied")
        XCTAssertFalse(bitIdentical(model.getWeights(), before), "the two good steps were")
    }

    func testBadArguments() {
        let model = compiled()
        let (x, y) = separableData(samples: 4)
        assertTrainingError(try model.fit(x: x, y: y, batchSize: 0, verbose: .silent), mentions: ["batchSize", "0"])
        assertTrainingError(try model.fit(x: x, y: y, validationSplit: 1, verbose: .silent), mentions: ["validationSplit"])
        assertTrainingError(try model.fit(x: x, y: y, validationSplit: -0.1, verbose: .silent), mentions: ["validationSplit"])
    }
}
