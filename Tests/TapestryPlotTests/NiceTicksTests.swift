import XCTest
@testable import TapestryPlot

final class NiceTicksTests: XCTestCase {
    func testStepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        XCTAssertEqual(NiceTicks.step(from: 0, to: 1, maxCount: 6), 0.2)
        XCTAssertEqual(NiceTicks.step(from: 0, to: 1, maxCount: 11), 0.1)
        XCTAssertEqual(NiceTicks.step(from: 0.61, to: 0.93, maxCount: 8), 0.05)
        XCTAssertEqual(NiceTicks.step(from: 0, to: 10, maxCount: 5), 2.5)
        XCTAssertEqual(NiceTicks.step(from: 0, to: 1000, maxCount: 6), 200)
        XCTAssertEqual(NiceTicks.step(from: -3e-4, to: 4e-4, maxCount: 8), 1e-4, accuracy: 1e-18)
    }

    func testTicksAreExactMultiplesInsideTheRange() {
        XCTAssertEqual(NiceTicks.ticks(from: 0.61, to: 0.93, maxCount: 8), [0.65, 0.7, 0.75, 0.8, 0.85, 0.9].map { $0 })
        let ticks = NiceTicks.ticks(from: -0.35, to: 0.35, step: 0.1)
        XCTAssertEqual(ticks.count, 7)
        XCTAssertEqual(ticks[3], 0)
        XCTAssertEqual(ticks[3].sign, .plus)  // never -0
        XCTAssertEqual(NiceTicks.ticks(from: 0.1, to: 0.9, step: 0.1).count, 9)  // both ends kept despite rounding
        XCTAssertEqual(NiceTicks.ticks(from: 0.31, to: 0.39, step: 0.1), [])
    }

    func testIntegerStepsForEpochs() {
        // Epochs 1...3 with a 5% margin: a fractional step would put ticks at 1.5 and 2.5.
        XCTAssertEqual(NiceTicks.ticks(from: 0.9, to: 3.1, maxCount: 8, integers: true), [1, 2, 3])
        XCTAssertEqual(NiceTicks.ticks(from: 0.9, to: 3.1, maxCount: 8), [1, 1.5, 2, 2.5, 3])
        XCTAssertEqual(NiceTicks.ticks(from: 0.05, to: 20.95, maxCount: 6, integers: true), [5, 10, 15, 20])
    }

    func testLabelsUseTheStepsDecimals() {
        XCTAssertEqual(NiceTicks.decimals(for: 0.05), 2)
        XCTAssertEqual(NiceTicks.decimals(for: 2.5), 1)
        XCTAssertEqual(NiceTicks.decimals(for: 0.25), 2)
        XCTAssertEqual(NiceTicks.decimals(for: 10), 0)
        XCTAssertEqual(NiceTicks.label(0.7, step: 0.05), "0.70")
        XCTAssertEqual(NiceTicks.label(5, step: 2.5), "5.0")
        XCTAssertEqual(NiceTicks.label(-0.0000001, step: 0.1), "0.0")
        XCTAssertEqual(NiceTicks.label(-0.2, step: 0.1), "-0.2")
        XCTAssertEqual(NiceTicks.label(1200, step: 200), "1200")
    }

    func testAxisAddsMarginsAndHandlesDegenerateData() {
        let axis = Axis(values: [1, 20], maxTicks: 6, integers: true)
        XCTAssertEqual(axis.lower, 0.05, accuracy: 1e-12)
        XCTAssertEqual(axis.upper, 20.95, accuracy: 1e-12)
        XCTAssertEqual(axis.labels, ["5", "10", "15", "20"])
        let flat = Axis(values: [0.5, 0.5], maxTicks: 6, integers: false)
        XCTAssertLessThan(flat.lower, 0.5)
        XCTAssertGreaterThan(flat.upper, 0.5)
        XCTAssertFalse(flat.ticks.isEmpty)
        let empty = Axis(values: [], maxTicks: 6, integers: false)
        XCTAssertEqual(empty.labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }
}
