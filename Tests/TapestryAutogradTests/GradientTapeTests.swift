import XCTest
import TapestryTensor
@testable import TapestryAutograd

final class GradientTapeTests: XCTestCase {
    func testBackwardFillsLeafGradients() {
        let w = Variable(Tensor<Float>(shape: [2], scalars: [1, 2]), requiresGrad: true)
        let tape = GradientTape()
        let loss = tape.record { (w * w).sum() }
        loss.backward()
        XCTAssertEqual(w.grad?.scalars, [2, 4])
    }

    func testGradientsAccumulateWhenAVariableFeedsSeveralOps() {
        let x = Variable(Tensor<Double>(shape: [3], scalars: [1, 2, 3]), requiresGrad: true)
        let tape = GradientTape()
        let y = tape.record { (x * x + x.exp() + x * 3).sum() }
        let g = tape.gradient(of: y, withRespectTo: [x])[0]
        for (i, v) in [1.0, 2, 3].enumerated() { XCTAssertEqual(g.scalars[i], 2 * v + Foundation.exp(v) + 3, accuracy: 1e-12) }
    }

    func testNothingIsRecordedWithoutRequiresGrad() {
        let frozen = Variable(Tensor<Float>.ones([4, 4]))
        let x = Variable(Tensor<Float>.ones([2, 4]))
        let tape = GradientTape()
        _ = tape.record { x.matmul(frozen).relu().sum() }
        XCTAssertEqual(tape.nodeCount, 0)
    }

    func testFrozenPrefixIsNotRecordedAndItsInputGradientIsNotComputed() {
        let frozenW = Variable(Tensor<Double>.ones([3, 3]))
        let trainableW = Variable(Tensor<Double>.ones([3, 1]), requiresGrad: true)
        let x = Variable(Tensor<Double>.ones([2, 3]))
        let tape = GradientTape()
        let loss = tape.record { x.matmul(frozenW).tanh().matmul(trainableW).sum() }
        // Only the trainable matmul and the sum are on the tape: the frozen matmul and tanh are constants.
        XCTAssertEqual(tape.nodeCount, 2)
        loss.backward()
        XCTAssertNotNil(trainableW.grad)
        XCTAssertNil(frozenW.grad)
    }

    func testNoGradientScopeRecordsNothingInsideATape() {
        let w = Variable(Tensor<Float>.ones([3]), requiresGrad: true)
        let tape = GradientTape()
        tape.record {
            _ = withoutGradients { (w * w).sum() }
            XCTAssertFalse(withoutGradients { isRecordingGradients })
            XCTAssertTrue(isRecordingGradients)
        }
        XCTAssertEqual(tape.nodeCount, 0)
        XCTAssertFalse(isRecordingGradients)
    }

    func testTapeReleasesSavedTensorsAfterBackward() {
        weak var saved: TensorStorage<Float>?
        let w = Variable(Tensor<Float>.ones([3]), requiresGrad: true)
        let tape = GradientTape()
        let loss: Variable<Float> = tape.record {
            let h = w.exp()
            saved = h.value.storage
            return (h * h).sum()
        }
        XCTAssertEqual(tape.nodeCount, 3)
        XCTAssertNotNil(saved)
        _ = tape.gradient(of: loss, withRespectTo: [w])
        XCTAssertEqual(tape.nodeCount, 0)
        XCTAssertNil(saved, "the tape kept an intermediate alive after backward")
    }

    func testPersistentTapeAllowsSeveralGradients() {
        let x = Variable(Tensor<Double>(3), requiresGrad: true)
        let tape = GradientTape(persistent: true)
        let y = tape.record { x * x }
        XCTAssertEqual(tape.gradient(of: y, withRespectTo: [x])[0].scalar, 6)
        XCTAssertEqual(tape.gradient(of: y, withRespectTo: [x])[0].scalar, 6)
    }

    func testUnconnectedSourceGetsZeros() {
        let a = Variable(Tensor<Double>(2), requiresGrad: true), b = Variable(Tensor<Double>.ones([2]), requiresGrad: true)
        let tape = GradientTape()
        let y = tape.record { a * a }
        XCTAssertEqual(tape.gradient(of: y, withRespectTo: [b])[0].scalars, [0, 0])
    }

    /// A deliberately broken gradient rule must make the check fail: the check can catch errors.
    func testGradientCheckCatchesABrokenRule() {
        func brokenSquare(_ x: Variable<Double>) -> Variable<Double> {
            let v = x.value
            return Variable.record(v * v, op: "broken_square", inputs: [x]) { g in [g * v] }   // should be 2·v·g
        }
        let result = gradientCheck(of: { brokenSquare($0[0]) }, at: [Tensor<Double>(shape: [3], scalars: [0.5, 1, 2])])
        XCTAssertFalse(result.passed)
        XCTAssertTrue(result.description.contains("FAILED"))
        func square(_ x: Variable<Double>) -> Variable<Double> {
            let v = x.value
            return Variable.record(v * v, op: "square", inputs: [x]) { g in [g * v * 2] }
        }
        XCTAssertTrue(gradientCheck(of: { square($0[0]) }, at: [Tensor<Double>(shape: [3], scalars: [0.5, 1, 2])]).passed)
    }

    func testFloatGradientCheckWithLooserTolerances() {
        let x: Tensor<Float> = .randomNormal([3, 4])
        let w: Tensor<Float> = .randomNormal([4, 2])
        let result = gradientCheck(of: { $0[0].matmul($0[1]).tanh() }, at: [x, w], epsilon: 1e-2,
                                   relativeTolerance: 1e-2, absoluteTolerance: 1e-3)
        XCTAssertTrue(result.passed, "\(result)")
    }
}

final class VariableGradientCheckTests: XCTestCase {
    func testChecksExistingVariablesAndRestoresThem() {
        let w = Variable(Tensor<Double>(shape: [3], scalars: [0.3, -0.2, 0.5]))
        let b = Variable(Tensor<Double>(0.1))
        let x = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, -1, 0.5, 2])
        let result = gradientCheck(of: { (Variable(x) * w).sum(axes: [1]).tanh() + b }, withRespectTo: [w, b])
        XCTAssertTrue(result.passed, "\(result)")
        XCTAssertEqual(result.checkedElements, 4)
        XCTAssertEqual(w.value.scalars, [0.3, -0.2, 0.5])
        XCTAssertFalse(w.requiresGrad)
    }
}
