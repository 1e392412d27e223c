import Foundation
import XCTest
import TapestryIO

/// Paths of the Keras-written fixtures.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Where the round trip keeps the Tapestry-written files that `check_roundtrip.py` vouched for.
    static var tapestryWritten: String { path("tapestry_written") }

}

extension XCTestCase {
    /// A fresh empty directory under the system temporary directory, removed when the test ends.
    func scratchDirectory(_ name: String = #function) throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("tapestry-io-tests-\(ProcessInfo.processInfo.processIdentifier)")
            .appendingPathComponent(name.filter { $0.isLetter || $0.isNumber })
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.path
    }
}

/// `mini_vgg_reference.json`, written by Keras 3.15 (see Tests/FIXTURES.md).
struct MiniVGGReference: Decodable {
    struct Array: Decodable {
        let shape: [Int]
        let data: [Float]
        var tensor: Tensor<Float> { Tensor(shape: shape, scalars: data) }
    }
    struct Weight: Decodable {
        let path: String
        let layer: String
        let name: String
        let value: Array
    }
    struct Loss: Decodable { let value: Double }
    struct Finetune: Decodable {
        let trainable_weight_paths: [String]
        let gradients: [Weight]
        let input_gradient: Array
    }
    let input: Array
    let labels: Array
    let weights: [Weight]
    let base_output: Array
    let model_output: Array
    let loss: Loss
    let finetune: Finetune

    static let shared: MiniVGGReference = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Fixtures.path("mini_vgg_reference.json")))
        return try! JSONDecoder().decode(MiniVGGReference.self, from: data)
    }()

    /// The reference weights of the base (`block*`) or of the whole classifier.
    func weights(baseOnly: Bool) -> [Weight] {
        weights.filter { !baseOnly || $0.layer.hasPrefix("block") }
    }
}

/// mini_vgg as `mini_vgg_model.py` builds it: a functional base named `mini_vgg` and the
/// Sequential classifier `[mini_vgg, flatten, head]`.
enum MiniVGG {
    static func base() -> Model {
        clearSession()
        let inputs = Input(shape: [32, 32, 3], name: "input_layer")
        var x = Conv2D(8, kernelSize: 3, activation: .relu, padding: .same, name: "block1_conv1")(inputs)
        x = Conv2D(8, kernelSize: 3, activation: .relu, padding: .same, name: "block1_conv2")(x)
        x = MaxPooling2D(poolSize: 2, name: "block1_pool")(x)
        x = Conv2D(16, kernelSize: 3, activation: .relu, padding: .same, name: "block2_conv1")(x)
        x = Conv2D(16, kernelSize: 3, activation: .relu, padding: .same, name: "block2_conv2")(x)
        x = MaxPooling2D(poolSize: 2, name: "block2_pool")(x)
        return Model(inputs: inputs, outputs: x, name: "mini_vgg")
    }

    static func classifier() -> (base: Model, model: Sequential) {
        let base = base()
        let model = Sequential([base, Flatten(name: "flatten"), Dense(1, activation: .sigmoid, name: "head")],
                               name: "mini_vgg_classifier")
        return (base, model)
    }

    /// The fine-tuning pattern of the fixtures: only block2 (and the head) trainable.
    static func setFinetuneTrainability(_ base: Model) {
        base.trainable = true
        for layer in base.layers { layer.trainable = layer.name.hasPrefix("block2") }
    }

    /// Sets every weight to zero, so a weight a load fails to set shows up.
    static func zero(_ model: Model) throws {
        try model.setWeights(model.weights.map { Tensor(shape: $0.shape, repeating: 0) })
    }

    /// The model variable for a reference entry (`layer` + `name`, e.g. `head` + `kernel`).
    static func variable(_ model: Model, layer: String, name: String) -> Variable<Float>? {
        model.weights.first { $0.name == "\(layer)/\(name)" }
    }
}

/// Asserts `actual` equals `expected` to `tolerance` relative to the reference array's largest
/// magnitude (so near-zero entries are judged on the array's scale).
func assertClose(_ actual: Tensor<Float>, _ expected: Tensor<Float>, relative tolerance: Float = 1e-4,
                 _ what: @autoclosure () -> String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "\(what()): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let a = actual.scalars, e = expected.scalars
    let scale = e.map(abs).max() ?? 0
    XCTAssertGreaterThan(scale, 0, "\(what()): the reference is all zeros, which would prove nothing", file: file, line: line)
    let worst = zip(a, e).map { abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance * scale,
                             "\(what()): max |difference| \(worst) exceeds \(tolerance) × max |reference| \(scale)",
                             file: file, line: line)
}
