import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A filter in Winograd's transform domain, given back to the buffer pool when the last user
/// lets go of it (weights being trained are transformed anew on every step).
final class TransformedFilter {
    private let storage: TensorStorage<Float>
    var pointer: UnsafeMutablePointer<Float> { storage.pointer }
    var count: Int { storage.count }
    init(count: Int) { storage = TensorStorage(uninitializedCount: count) }
}

/// The transformed filters of recent convolutions, so that weights that do not change — a
/// frozen base, inference, evaluation — are transformed once rather than on every batch (for a
/// 512→512 layer that is 9.4 M floats of output per call, and at batch 1 most of the layer's time).
///
/// An entry is used only while the filter's values are bit-identical to the ones it was made
/// from (a copy is kept and compared), so weights updated in place by an optimizer, or a buffer
/// reused at the same address, simply miss. The least recently used entries go first once the
/// cache holds more than ``byteBudget``.
final class WinogradFilterCache: @unchecked Sendable {
    static let shared = WinogradFilterCache()

    /// Enough for every transformed filter of VGG16 (≈ 300 MB with the source copies).
    var byteBudget = 384 << 20

    private struct Key: Hashable { let address: UInt, inChannels: Int, outChannels: Int, adjoint: Bool }
    private final class Entry {
        let source: TensorStorage<Float>
        var filter: TransformedFilter
        var lastUse: UInt64 = 0
        init(source: TensorStorage<Float>, filter: TransformedFilter) { self.source = source; self.filter = filter }
        var bytes: Int { (source.count + filter.count) * MemoryLayout<Float>.size }
    }
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private let queue = DispatchQueue(label: "tapestry.winograd-filter-cache")

    /// The transform of the HWIO filter `w` ([3, 3, c, k]), or of its adjoint (for input
    /// gradients), from the cache when `w` still holds the same values; otherwise `fill` writes
    /// the 36·c·k transformed values into the buffer it is given.
    func transformed(_ w: UnsafePointer<Float>, inChannels c: Int, outChannels k: Int, adjoint: Bool,
                     fill: (UnsafeMutablePointer<Float>) -> Void) -> TransformedFilter {
        let key = Key(address: UInt(bitPattern: w), inChannels: c, outChannels: k, adjoint: adjoint)
        let count = 9 * c * k
        let (hit, stale): (TransformedFilter?, Entry?) = queue.sync {
            guard let entry = entries[key] else { return (nil, nil) }
            guard memcmp(entry.source.pointer, w, count * MemoryLayout<Float>.size) == 0 else {
                entries[key] = nil
                return (nil, entry)
            }
            clock += 1
            entry.lastUse = clock
            return (entry.filter, nil)
        }
        if let hit { return hit }
        // Weights being trained change in place every step: their entry's buffers (38 MB for a
        // 512→512 layer, which malloc would map and fault in afresh) are refilled, unless a
        // convolution on another thread still holds the old transform.
        let entry: Entry
        if let stale, isKnownUniquelyReferenced(&stale.filter) {
            entry = stale
        } else {
            entry = Entry(source: TensorStorage(uninitializedCount: count), filter: TransformedFilter(count: Winograd.transformedCount(inChannels: c, outChannels: k)))
        }
        entry.source.pointer.update(from: w, count: count)
        fill(entry.filter.pointer)
        queue.sync {
            guard entry.bytes <= byteBudget else { return }
            clock += 1
            entry.lastUse = clock
            entries[key] = entry
            var total = entries.values.reduce(0) { $0 + $1.bytes }
            while total > byteBudget, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                total -= oldest.value.bytes
                entries[oldest.key] = nil
            }
        }
        return entry.filter
    }

    /// Drops every entry (tests; memory).
    func removeAll() { queue.sync { entries.removeAll() } }
    var count: Int { queue.sync { entries.count } }
}
