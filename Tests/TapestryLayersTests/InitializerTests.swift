import XCTest
@testable import TapestryLayers

final class InitializerTests: XCTestCase {
    func testGlorotUniformFansLimitsAndSpreadMatchKeras() {
        setRandomSeed(2024)
        for testCase in KerasFixture.list("glorot_uniform") {
            let shape = (testCase["shape"] as! [NSNumber]).map(\.intValue)
            let fans = Initializer.fans(shape)
            XCTAssertEqual(Int(fans.fanIn), fixtureInt(testCase["fan_in"]), "\(shape)")
            XCTAssertEqual(Int(fans.fanOut), fixtureInt(testCase["fan_out"]), "\(shape)")
            let limit = fixtureDouble(testCase["limit"])
            XCTAssertEqual((6 / (fans.fanIn + fans.fanOut)).squareRoot(), limit, accuracy: 1e-12)

            let values = Initializer.glorotUniform.make(shape).scalars.map(Double.init)
            XCTAssertEqual(values.count, shape.reduce(1, *))
            let maxAbs = values.map(abs).max()!
            // Keras's draw reaches within float rounding of the limit; ours must stay inside it.
            XCTAssertLessThanOrEqual(maxAbs, Double(Float(limit)), "\(shape): draws exceed the limit")
            let mean = values.reduce(0, +) / Double(values.count)
            let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
            let expectedSD = limit / 3.0.squareRoot()   // uniform on ±limit
            if values.count >= 1000 {
                // Large draws: spread within 3 %, mean near 0, and the extremes near the limit as Keras's sample.
                XCTAssertEqual(sd, expectedSD, accuracy: 0.03 * expectedSD, "\(shape): spread")
                XCTAssertEqual(mean, 0, accuracy: 0.05 * expectedSD, "\(shape): mean")
                XCTAssertGreaterThan(maxAbs, 0.99 * fixtureDouble(testCase["sample_max_abs"]), "\(shape): extremes")
            } else {
                XCTAssertGreaterThan(sd, 0.4 * expectedSD, "\(shape): not degenerate")
                XCTAssertLessThan(sd, 1.6 * expectedSD, "\(shape): not too wide")
            }
        }
    }

    func testDenseAndConvDrawGlorotUniformKernelsAndZeroBiases() throws {
        let dense = Dense(256)
        _ = dense(Input(shape: [8192]))
        let limit = Float((6.0 / (8192 + 256)).squareRoot())
        XCTAssertLessThanOrEqual(dense.kernel.value.scalars.map(abs).max()!, limit)
        XCTAssertGreaterThan(dense.kernel.value.scalars.map(abs).max()!, 0.99 * limit)
        XCTAssertTrue(dense.bias!.value.scalars.allSatisfy { $0 == 0 })
        let conv = Conv2D(64, kernelSize: 3)
        _ = conv(Input(shape: [32, 32, 3]))
        XCTAssertLessThanOrEqual(conv.kernel.value.scalars.map(abs).max()!, Float((6.0 / (27 + 576)).squareRoot()))
    }

    func testSeedingMakesWeightsRepeat() {
        setRandomSeed(5)
        let a = Initializer.glorotUniform.make([4, 8])
        setRandomSeed(5)
        let b = Initializer.glorotUniform.make([4, 8])
        XCTAssertEqual(a.scalars, b.scalars)
        XCTAssertNotEqual(Initializer.glorotUniform.make([4, 8]).scalars, a.scalars)
    }

    func testConstantInitializers() {
        XCTAssertEqual(Initializer.zeros.make([2, 2]).scalars, [0, 0, 0, 0])
        XCTAssertEqual(Initializer.ones.make([3]).scalars, [1, 1, 1])
        XCTAssertEqual(Initializer.constant(0.5).make([2]).scalars, [0.5, 0.5])
    }

    func testHeAndNormalInitializersHaveKerasSpread() {
        setRandomSeed(9)
        let shape = [3, 3, 64, 64]   // fan in 576, fan out 576
        let heUniform = Initializer.heUniform.make(shape).scalars
        XCTAssertLessThanOrEqual(heUniform.map(abs).max()!, Float((6.0 / 576).squareRoot()))
        func sd(_ v: [Float]) -> Double {
            let d = v.map(Double.init), m = d.reduce(0, +) / Double(d.count)
            return (d.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(d.count)).squareRoot()
        }
        // A unit normal truncated at ±2 has sd 0.8796; Keras divides by it, so the result has the target sd.
        XCTAssertEqual(sd(Initializer.heNormal.make(shape).scalars), (2.0 / 576).squareRoot(), accuracy: 0.03 * (2.0 / 576).squareRoot())
        XCTAssertEqual(sd(Initializer.glorotNormal.make(shape).scalars), (2.0 / 1152).squareRoot(),
                       accuracy: 0.03 * (2.0 / 1152).squareRoot())
        let glorotNormal = Initializer.glorotNormal.make(shape).scalars
        XCTAssertLessThanOrEqual(Double(glorotNormal.map(abs).max()!), 2 * (2.0 / 1152).squareRoot() / 0.87962566103423978 * 1.0001,
                                 "truncated at two (pre-correction) standard deviations")
    }
}
