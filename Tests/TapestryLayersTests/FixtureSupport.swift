import Foundation
import XCTest
@testable import TapestryLayers

/// `Fixtures/layers.json`, made by Keras 3.15 (see `Tests/FIXTURES.md` and `make_layer_fixtures.py`).
enum KerasFixture {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("layers.json")

    static let root: [String: Any] = load(url)

    /// `Fixtures/summaries_extra.json` (make_summary_fixtures.py): more Keras summary texts.
    static let extraSummaries: [String: Any] = load(url.deletingLastPathComponent().appendingPathComponent("summaries_extra.json"))

    private static func load(_ url: URL) -> [String: Any] {
        do {
            let data = try Data(contentsOf: url)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                fatalError("\(url.path) is not a JSON object")
            }
            return object
        } catch {
            fatalError("cannot read the Keras fixture \(url.path): \(error)")
        }
    }

    static func list(_ key: String) -> [[String: Any]] {
        guard let value = root[key] as? [[String: Any]] else { fatalError("fixture has no list '\(key)'") }
        return value
    }

    static func object(_ key: String) -> [String: Any] {
        guard let value = root[key] as? [String: Any] else { fatalError("fixture has no object '\(key)'") }
        return value
    }

    /// The case called `name` in the list `key`.
    static func named(_ name: String, in key: String) -> [String: Any] {
        guard let found = list(key).first(where: { $0["name"] as? String == name }) else {
            fatalError("fixture list '\(key)' has no case '\(name)'")
        }
        return found
    }
}

/// A fixture array `{"shape": [Int], "data": [Double]}` as a Float tensor (exact: the data are float32 values).
func fixtureTensor(_ value: Any?) -> Tensor<Float> {
    guard let dict = value as? [String: Any], let shape = dict["shape"] as? [NSNumber],
          let data = dict["data"] as? [NSNumber] else {
        fatalError("not a fixture array: \(String(describing: value))")
    }
    return Tensor(shape: shape.map(\.intValue), scalars: data.map { Float($0.doubleValue) })
}

func fixtureInt(_ value: Any?) -> Int {
    guard let n = value as? NSNumber else { fatalError("not a number: \(String(describing: value))") }
    return n.intValue
}

func fixtureDouble(_ value: Any?) -> Double {
    guard let n = value as? NSNumber else { fatalError("not a number: \(String(describing: value))") }
    return n.doubleValue
}

/// Asserts equal shapes and `|actual − expected| ≤ tolerance · max(|expected|, 1)` everywhere
/// (relative for values of magnitude above 1, absolute below), reporting the worst element.
func assertClose(_ actual: Tensor<Float>, _ expected: Tensor<Float>, tolerance: Float = 1e-5, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "shape differs: \(message)", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let a = actual.scalars, e = expected.scalars
    var worst: (error: Float, index: Int) = (0, -1)
    for i in a.indices {
        let error = abs(a[i] - e[i]) / max(abs(e[i]), 1)
        if !(error <= worst.error) { worst = (error.isNaN ? .infinity : error, i) }
    }
    if worst.index >= 0 {
        XCTAssertLessThanOrEqual(worst.error, tolerance,
                                 "\(message): worst at flat index \(worst.index): got \(a[worst.index]), Keras \(e[worst.index])",
                                 file: file, line: line)
    }
}

/// Builds the Tapestry layer for a fixture case from Keras's constructor kwargs.
func makeLayer(className: String, args: [String: Any]) -> Layer {
    func size(_ key: String) -> Size2D? {
        if let n = args[key] as? NSNumber { return Size2D(n.intValue, n.intValue) }
        if let pair = args[key] as? [NSNumber] { return Size2D(pair[0].intValue, pair[1].intValue) }
        return nil
    }
    let padding = Padding(rawValue: args["padding"] as? String ?? "valid")!
    let activation = ActivationFunction(rawValue: args["activation"] as? String ?? "linear")!
    let useBias = args["use_bias"] as? Bool ?? true
    switch className {
    case "Conv2D":
        return Conv2D(fixtureInt(args["filters"]), kernelSize: size("kernel_size")!, strides: size("strides") ?? 1,
                      activation: activation, padding: padding, useBias: useBias)
    case "Dense":
        return Dense(fixtureInt(args["units"]), activation: activation, useBias: useBias)
    case "MaxPooling2D":
        return MaxPooling2D(poolSize: size("pool_size") ?? 2, strides: size("strides"), padding: padding)
    case "AveragePooling2D":
        return AveragePooling2D(poolSize: size("pool_size") ?? 2, strides: size("strides"), padding: padding)
    case "GlobalAveragePooling2D": return GlobalAveragePooling2D()
    case "GlobalMaxPooling2D": return GlobalMaxPooling2D()
    case "Flatten": return Flatten()
    default: fatalError("no Tapestry layer for fixture class \(className)")
    }
}

/// Runs every `layers` fixture case of the given classes: same args, Keras's weights, eager call.
/// Returns the number of cases run.
@discardableResult
func checkLayerCases(classes: Set<String>, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
    var count = 0
    for testCase in KerasFixture.list("layers") {
        let className = testCase["class"] as! String
        guard classes.contains(className) else { continue }
        let name = testCase["name"] as! String
        let layer = makeLayer(className: className, args: testCase["args"] as! [String: Any])
        let input = fixtureTensor(testCase["input"])
        try layer.buildIfNeeded([Array(input.shape.dropFirst())])
        let weights = (testCase["weights"] as! [Any]).map(fixtureTensor)
        XCTAssertEqual(layer.weights.map(\.shape), weights.map(\.shape), "\(name): weight shapes", file: file, line: line)
        try layer.setWeights(weights)
        let output = try layer(Variable(input))
        assertClose(output.value, fixtureTensor(testCase["output"]), name, file: file, line: line)
        // The symbolic shape agrees with the eager one.
        XCTAssertEqual(try layer.computeOutputShapes([Array(input.shape.dropFirst())]), [Array(output.shape.dropFirst())],
                       "\(name): computeOutputShape", file: file, line: line)
        count += 1
    }
    return count
}

/// Keras's VGG16 (`keras.applications.VGG16(weights=None, …)`) layer for layer, with the given
/// kernel initializer (summaries only count parameters, so tests may use `.zeros` to skip the draws).
func makeVGG16(inputShape: [Int] = [150, 150, 3], includeTop: Bool = false,
               kernelInitializer: Initializer = .zeros) -> Model {
    let inputs = Input(shape: inputShape)
    var x = inputs
    for (block, (filters, convs)) in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)].enumerated() {
        for i in 1...convs {
            x = Conv2D(filters, kernelSize: 3, activation: .relu, padding: .same, kernelInitializer: kernelInitializer,
                       name: "block\(block + 1)_conv\(i)")(x)
        }
        x = MaxPooling2D(poolSize: 2, strides: 2, name: "block\(block + 1)_pool")(x)
    }
    if includeTop {
        x = Flatten(name: "flatten")(x)
        x = Dense(4096, activation: .relu, kernelInitializer: kernelInitializer, name: "fc1")(x)
        x = Dense(4096, activation: .relu, kernelInitializer: kernelInitializer, name: "fc2")(x)
        x = Dense(1000, activation: .softmax, kernelInitializer: kernelInitializer, name: "predictions")(x)
    }
    return Model(inputs: inputs, outputs: x, name: "vgg16")
}

/// The number of scalars in a list of weights.
func scalarCount(_ weights: [Variable<Float>]) -> Int { weights.reduce(0) { $0 + $1.value.count } }
