import Foundation

/// A small, fast generator (xoshiro256**) whose sequence depends only on its seed, so the same
/// seed gives the same numbers on every run and machine — unlike `SystemRandomNumberGenerator`.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        // SplitMix64 spreads any seed, including 0, over the whole state.
        var z = seed
        func splitMix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// A generator for one (seed, stream, index) triple, e.g. (seed, epoch, sample), so
    /// parallel or resumed work draws the same numbers it would have drawn in order.
    public init(seed: UInt64, stream: UInt64, index: UInt64 = 0) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ (index &* 0x8CB9_2BA7_2F3D_8DD7))
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal sample (Box–Muller).
    public mutating func nextNormal() -> Double {
        let u1 = Swift.max(nextUnit(), 0x1p-53), u2 = nextUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}

/// The process-wide generator behind initialisers, dropout and shuffling.
/// ``setRandomSeed(_:)`` resets it, like `keras.utils.set_random_seed`.
public enum GlobalRandom {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var generator = SeededGenerator(seed: UInt64(Date().timeIntervalSince1970 * 1000))

    /// Runs `body` with exclusive access to the global generator.
    public static func with<R>(_ body: (inout SeededGenerator) -> R) -> R {
        lock.lock(); defer { lock.unlock() }
        return body(&generator)
    }

    /// Draws a fresh 64-bit seed, for components that keep their own generator.
    public static func nextSeed() -> UInt64 { with { $0.next() } }

    public static func setSeed(_ seed: UInt64) {
        lock.lock(); defer { lock.unlock() }
        generator = SeededGenerator(seed: seed)
    }
}

/// Seeds every source of randomness in Tapestry (initialisers, dropout, shuffling), so two runs
/// of the same program give bit-identical results on the same machine.
public func setRandomSeed(_ seed: UInt64) { GlobalRandom.setSeed(seed) }

extension Tensor {
    /// Uniform samples in `[low, high)`.
    public static func randomUniform(_ shape: [Int], low: Scalar = 0, high: Scalar = 1,
                                     using generator: inout SeededGenerator) -> Tensor {
        let span = Double(high - low), lo = Double(low)
        return Tensor(shape: shape) { p in
            for i in 0..<shape.reduce(1, *) { p[i] = Scalar(lo + span * generator.nextUnit()) }
        }
    }

    /// Normal samples with the given mean and standard deviation.
    public static func randomNormal(_ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1,
                                    using generator: inout SeededGenerator) -> Tensor {
        let m = Double(mean), sd = Double(standardDeviation)
        return Tensor(shape: shape) { p in
            for i in 0..<shape.reduce(1, *) { p[i] = Scalar(m + sd * generator.nextNormal()) }
        }
    }

    /// Normal samples redrawn until within two standard deviations (Keras's `TruncatedNormal`).
    public static func randomTruncatedNormal(_ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1,
                                             using generator: inout SeededGenerator) -> Tensor {
        let m = Double(mean), sd = Double(standardDeviation)
        return Tensor(shape: shape) { p in
            for i in 0..<shape.reduce(1, *) {
                var z = generator.nextNormal()
                while Swift.abs(z) > 2 { z = generator.nextNormal() }
                p[i] = Scalar(m + sd * z)
            }
        }
    }

    /// Uniform samples from the global generator (see ``setRandomSeed(_:)``).
    public static func randomUniform(_ shape: [Int], low: Scalar = 0, high: Scalar = 1) -> Tensor {
        GlobalRandom.with { randomUniform(shape, low: low, high: high, using: &$0) }
    }

    /// Normal samples from the global generator (see ``setRandomSeed(_:)``).
    public static func randomNormal(_ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1) -> Tensor {
        GlobalRandom.with { randomNormal(shape, mean: mean, standardDeviation: standardDeviation, using: &$0) }
    }
}
