import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A filter in Winograd's transform domain, freed when the last user lets go of it.
final class TransformedFilter {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    init(count: Int) { self.count = count; pointer = .allocate(capacity: count) }
    deinit { pointer.deallocate() }
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
        let source: [Float], filter: TransformedFilter
        var lastUse: UInt64
        init(source: [Float], filter: TransformedFilter, lastUse: UInt64) { self.source = source; self.filter = filter; self.lastUse = lastUse }
        var bytes: Int { (source.count + filter.count) * MemoryLayout<Float>.size }
    }
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private let queue = DispatchQueue(label: "tapestry.winograd-filter-cache")

    /// The transform of the HWIO filter `w` ([3, 3, c, k]), or of its adjoint (for input
    /// gradients), from the cache when `w` still holds the same values.
    func transformed(_ w: UnsafePointer<Float>, inChannels c: Int, outChannels k: Int, adjoint: Bool,
                     make: () -> TransformedFilter) -> TransformedFilter {
        let key = Key(address: UInt(bitPattern: w), inChannels: c, outChannels: k, adjoint: adjoint)
        let count = 9 * c * k
        let hit: TransformedFilter? = queue.sync {
            guard let entry = entries[key] else { return nil }
            let same = entry.source.withUnsafeBufferPointer { memcmp($0.baseAddress!, w, count * MemoryLayout<Float>.size) == 0 }
            guard same else { entries[key] = nil; return nil }
            clock += 1
            entry.lastUse = clock
            return entry.filter
        }
        if let hit { return hit }
        let filter = make()
        let entry = Entry(source: Array(UnsafeBufferPointer(start: w, count: count)), filter: filter, lastUse: 0)
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
        return filter
    }

    /// Drops every entry (tests; memory).
    func removeAll() { queue.sync { entries.removeAll() } }
    var count: Int { queue.sync { entries.count } }
}
