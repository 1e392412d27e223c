import Foundation
import XCTest
import TapestryTraining
#if canImport(Glibc)
import Glibc
#endif

/// Keras's progress output: `10/10 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - accuracy: 0.9000 - loss: 0.2000`.
final class ProgressBarTests: XCTestCase {
    let values: [String: Double] = ["loss": 0.2, "accuracy": 0.9, "val_loss": 0.35, "val_accuracy": 0.85]
    static let kerasLine = #"^10/10 ━{20} \d+s \d+ms/step - accuracy: 0\.9000 - loss: 0\.2000 - val_accuracy: 0\.8500 - val_loss: 0\.3500\n$"#

    func capture(_ verbosity: Verbosity, interactive: Bool, steps: Int = 10, pause: Bool = false) -> [String] {
        var written: [String] = []
        let bar = ProgressBar(total: 10, verbosity: verbosity, interactive: interactive) { written.append($0) }
        for step in 1...steps {
            if pause { Thread.sleep(forTimeInterval: 0.11) }
            bar.update(step: step, values: ["loss": 0.2, "accuracy": 0.9])
        }
        bar.finish(values: values)
        return written
    }

    func matches(_ text: String, _ pattern: String) -> Bool { text.range(of: pattern, options: .regularExpression) != nil }

    func testVerboseOneNonInteractivePrintsOnlyTheFinishedLineInKerasShape() {
        let written = capture(.progressBar, interactive: false)
        XCTAssertEqual(written.count, 1, "\(written)")
        XCTAssertTrue(matches(written[0], Self.kerasLine), written[0])
    }

    func testVerboseOneInteractiveRedrawsInPlaceAndEndsWithTheFinishedLine() {
        let written = capture(.progressBar, interactive: true, steps: 3, pause: true)
        XCTAssertEqual(written.count, 4, "three throttled redraws, then the finished line: \(written)")
        XCTAssertTrue(matches(written[0], #"^\r 1/10 ━━─{18} \d+s \d+ms/step - accuracy: 0\.9000 - loss: 0\.2000\x{1B}\[K$"#), written[0])
        XCTAssertTrue(written[2].hasPrefix("\r 3/10 ━━━━━━──────────────"), written[2])
        XCTAssertTrue(written[3].hasPrefix("\r10/10 ━━━━━━━━━━━━━━━━━━━━ "), written[3])
        XCTAssertTrue(written[3].hasSuffix("val_loss: 0.3500\u{1B}[K\n"), written[3])
        // Without pauses, redraws are throttled to ten a second.
        XCTAssertLessThan(capture(.progressBar, interactive: true, steps: 9).count, 9)
    }

    func testVerboseTwoPrintsOneLinePerEpoch() {
        let written = capture(.oneLinePerEpoch, interactive: true)
        XCTAssertEqual(written.count, 1)
        XCTAssertTrue(matches(written[0], #"^10/10 - \d+s - \d+ms/step - accuracy: 0\.9000 - loss: 0\.2000 - val_accuracy: 0\.8500 - val_loss: 0\.3500\n$"#), written[0])
    }

    func testVerboseZeroPrintsNothing() {
        XCTAssertEqual(capture(.silent, interactive: true), [])
        XCTAssertEqual(capture(.silent, interactive: false), [])
    }

    /// Runs `body` with the process's standard output sent to a file, and returns what was written.
    func capturingStandardOutput(_ body: () throws -> Void) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tapestry-stdout-\(UUID().uuidString)").path
        defer { unlink(path) }
        fflush(stdout)
        let saved = dup(STDOUT_FILENO)
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        dup2(file, STDOUT_FILENO)
        close(file)
        defer { fflush(stdout); dup2(saved, STDOUT_FILENO); close(saved) }
        try body()
        fflush(stdout)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func testFitPrintsEpochHeadersAndOneFinishedLinePerEpochWhenOutputIsAFile() throws {
        setRandomSeed(30)
        let model = mlp(inputs: 4, hidden: 3, outputs: 1, activation: .sigmoid)
        model.compile(optimizer: SGD(learningRate: 0.1), loss: .binaryCrossentropy, metrics: [.accuracy])
        let (x, y) = separableData(samples: 20)
        for verbosity in [Verbosity.progressBar, .oneLinePerEpoch] {
            let text = try capturingStandardOutput {
                try model.fit(x: x, y: y, batchSize: 4, epochs: 2, validationData: (x, y), verbose: verbosity)
            }
            let lines = text.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, 4, "\(verbosity): \(text)")
            guard lines.count == 4 else { continue }
            XCTAssertEqual(lines[0], "Epoch 1/2"); XCTAssertEqual(lines[2], "Epoch 2/2")
            let pattern = verbosity == .progressBar
                ? #"^5/5 ━{20} \d+s \d+ms/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}$"#
                : #"^5/5 - \d+s - \d+ms/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}$"#
            for line in [lines[1], lines[3]] { XCTAssertTrue(matches(line, pattern), line) }
            XCTAssertFalse(text.contains("\r"), "no carriage returns in a file")
        }
        XCTAssertEqual(try capturingStandardOutput { try model.fit(x: x, y: y, epochs: 1, verbose: .silent) }, "")
    }
}
