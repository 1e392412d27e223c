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

final class FrozenPrefixCacheTests: XCTestCase {
    /// The cached run must train exactly what a plain fit trains, for a model whose frozen
    /// prefix is deterministic.
    func testCachedTrainingEqualsPlainTrainingAndLeavesThePrefixUntouched() throws {
        func build() -> (Model, Model) {
            setRandomSeed(11)
            let input = Input(shape: [6, 6, 2])
            var x = Conv2D(4, kernelSize: 3, activation: .relu, padding: .same, name: "block1_conv1")(input)
            x = MaxPooling2D(poolSize: 2, name: "block1_pool")(x)
            x = Conv2D(4, kernelSize: 3, activation: .relu, padding: .same, name: "block2_conv1")(x)
            let base = Model(inputs: input, outputs: x, name: "base")
            base.trainable = true
            for layer in base.layers { layer.trainable = layer.name.hasPrefix("block2") }
            let model = Sequential([base, Flatten(), Dense(1, activation: .sigmoid)])
            model.compile(optimizer: RMSprop(learningRate: 1e-3), loss: .binaryCrossentropy, metrics: [.accuracy])
            return (model, base)
        }
        var g = SeededGenerator(seed: 4)
        let x = Tensor<Float>.randomUniform([12, 6, 6, 2], using: &g)
        let y = Tensor<Float>(shape: [12, 1], scalars: (0..<12).map { Float($0 % 2) })
        let (plain, plainBase) = build()
        let frozenBefore = try plainBase.layer(named: "block1_conv1").weights.map(\.value)
        try plain.fit(TensorBatches(x: x, y: y, batchSize: 4), epochs: 3, verbose: .silent)
        let (cached, _) = build()
        var logged = ""
        try cached.fitWithFrozenPrefixCache(TensorBatches(x: x, y: y, batchSize: 4), epochs: 3, shuffle: false,
                                            verbose: .silent, log: { logged = $0 })
        XCTAssertTrue(logged.contains("block1_conv1 … block1_pool computed once for 12 samples"), logged)
        for (a, b) in zip(plain.weights, cached.weights) {
            XCTAssertEqual(a.value.scalars, b.value.scalars, a.name ?? "")
        }
        XCTAssertEqual(try plainBase.layer(named: "block1_conv1").weights.map(\.value), frozenBefore)
    }
}
