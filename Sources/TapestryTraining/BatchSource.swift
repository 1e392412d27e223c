import TapestryTensor

/// One batch: inputs, and targets when the source has them.
public struct Batch {
    public var x: Tensor<Float>
    public var y: Tensor<Float>?
    /// The file behind each sample, for sources read from files.
    public var paths: [String]?
    public init(x: Tensor<Float>, y: Tensor<Float>?, paths: [String]? = nil) { self.x = x; self.y = y; self.paths = paths }
}

/// A stream of batches that `fit`, `evaluate` and `predict` consume — in-memory tensors
/// (``TensorBatches``) or image folders decoded on the fly (TapestryData's `ImageDataset`).
public protocol BatchSource: AnyObject {
    var sampleCount: Int { get }
    var batchCount: Int { get }
    /// The batches of one epoch, in order. Sources that shuffle or augment key their randomness
    /// by `epoch`, so every epoch differs and a run repeats exactly.
    func makeIterator(epoch: Int) -> any BatchIterator
}

public protocol BatchIterator {
    /// The next batch, nil at the end of the epoch, or an error (an unreadable file, say).
    mutating func next() throws -> Batch?
}

/// Batches over tensors held in memory; the last partial batch is kept.
public final class TensorBatches: BatchSource {
    public let x: Tensor<Float>
    public let y: Tensor<Float>?
    public let batchSize: Int
    public let shuffle: Bool
    private let seed: UInt64

    /// `seed` defaults to a draw from the global generator, so `setRandomSeed(_:)` fixes the order.
    public init(x: Tensor<Float>, y: Tensor<Float>?, batchSize: Int, shuffle: Bool = false, seed: UInt64? = nil) {
        precondition(batchSize > 0, "batchSize must be positive, got \(batchSize)")
        self.x = x.contiguous(); self.y = y?.contiguous(); self.batchSize = batchSize; self.shuffle = shuffle
        self.seed = seed ?? GlobalRandom.nextSeed()
    }

    public var sampleCount: Int { x.shape.first ?? 0 }
    public var batchCount: Int { (sampleCount + batchSize - 1) / batchSize }

    /// The sample order of an epoch: a seeded Fisher–Yates shuffle, or the identity.
    public func order(epoch: Int) -> [Int] {
        var indices = Array(0..<sampleCount)
        if shuffle {
            var g = SeededGenerator(seed: seed, stream: UInt64(epoch))
            indices.shuffle(using: &g)
        }
        return indices
    }

    public func makeIterator(epoch: Int) -> any BatchIterator {
        Iterator(source: self, order: order(epoch: epoch))
    }

    struct Iterator: BatchIterator {
        let source: TensorBatches
        let order: [Int]
        var position = 0

        mutating func next() throws -> Batch? {
            guard position < order.count else { return nil }
            let rows = Array(order[position..<Swift.min(position + source.batchSize, order.count)])
            position += rows.count
            return Batch(x: gatherRows(source.x, rows), y: source.y.map { gatherRows($0, rows) })
        }
    }
}

/// The rows `rows` of a contiguous tensor, as a new contiguous tensor; consecutive rows are one
/// slice view (no copy).
func gatherRows(_ t: Tensor<Float>, _ rows: [Int]) -> Tensor<Float> {
    if let first = rows.first, rows == Array(first..<(first + rows.count)) {
        return t.slice(axis: 0, from: first, to: first + rows.count)
    }
    let rowSize = t.shape.dropFirst().reduce(1, *)
    return t.withUnsafeBufferPointer { src in
        Tensor(shape: [rows.count] + Array(t.shape.dropFirst())) { dst in
            for (i, r) in rows.enumerated() {
                (dst + i * rowSize).initialize(from: src.baseAddress! + r * rowSize, count: rowSize)
            }
        }
    }
}
