/// A small, fast, seedable PRNG (Steele, Lea & Flood's SplitMix64) with the same output on
/// every machine and Swift version, unlike `SystemRandomNumberGenerator`.
///
/// Tapestry derives independent streams from a tuple of keys, e.g. `(seed, epoch, index)`,
/// so that augmentations are reproducible per sample and still differ between epochs:
///
/// ```swift
/// var rng = SplitMix64(seed: 42, keys: 3, 17)   // epoch 3, sample 17
/// let u = rng.nextUniform()                     // in [0, 1)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A stream keyed by `seed` and further integers; different keys give unrelated streams.
    public init(seed: UInt64, keys: UInt64...) {
        var s = SplitMix64.mix(seed ^ 0x6A09_E667_F3BC_C908)
        for k in keys { s = SplitMix64.mix(s ^ SplitMix64.mix(k &+ 0x9E37_79B9_7F4A_7C15)) }
        state = s
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// A double uniformly distributed in [0, 1), from the top 53 bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A double uniformly distributed in [low, high).
    public mutating func nextUniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUniform()
    }

    /// An integer uniformly distributed in 0..<bound, without modulo bias (rejection sampling).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let r = next()
            if r < limit { return Int(r % b) }
        }
    }

    /// Fisher–Yates shuffle driven by this generator; stable across platforms, unlike
    /// `Array.shuffle(using:)` whose algorithm the standard library does not promise.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextInt(below: i + 1))
        }
    }

    static func mix(_ z0: UInt64) -> UInt64 {
        var z = z0
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
