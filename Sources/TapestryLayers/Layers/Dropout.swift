import TapestryTensor
import TapestryAutograd

/// Randomly zeroes a fraction `rate` of its inputs during training and scales the rest by
/// `1 / (1 - rate)`; the identity at inference (Keras `Dropout`).
///
/// The mask generator is seeded from the global seed when the layer is created (or from
/// `seed`), so `setRandomSeed(_:)` makes training runs repeat exactly.
public final class Dropout: Layer {
    public let rate: Double
    private var generator: SeededGenerator

    public init(_ rate: Double, seed: UInt64? = nil, name: String? = nil) {
        precondition(rate >= 0 && rate < 1, "Dropout: rate must be in [0, 1), got \(rate)")
        self.rate = rate
        generator = SeededGenerator(seed: seed ?? GlobalRandom.nextSeed())
        super.init(name: name)
    }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> {
        training ? x.dropout(rate: rate, using: &generator) : x
    }
}
