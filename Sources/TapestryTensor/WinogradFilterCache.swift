import Dispatch

/// A filter in Winograd's transform domain, given back to the buffer pool when the last user
/// lets go of it.
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
/// An entry is used only while the filter still has the values it was made from, checked by a
/// 64-bit fingerprint of the filter (``fingerprint(_:count:)``) rather than a kept copy (20 % of
/// the cache's memory): weights updated in place by an optimizer, or a buffer reused at the same
/// address, miss. Weights seen to change are being trained and are not cached at all — their
/// transform is made for the call and its buffer goes back to the pool, where the next layer of
/// the same shape picks it up — until two calls in a row see the same values again (validation,
/// or the layer was frozen). The least recently used entries go first once the cache holds more
/// than ``byteBudget``.
final class WinogradFilterCache: @unchecked Sendable {
    static let shared = WinogradFilterCache()

    /// Enough for every transformed filter of VGG16 (≈ 240 MB).
    var byteBudget = 320 << 20

    private struct Key: Hashable { let address: UInt, inChannels: Int, outChannels: Int, adjoint: Bool }
    private final class Entry {
        let fingerprint: UInt64
        let filter: TransformedFilter
        var lastUse: UInt64 = 0
        init(fingerprint: UInt64, filter: TransformedFilter) { self.fingerprint = fingerprint; self.filter = filter }
        var bytes: Int { filter.count * MemoryLayout<Float>.size }
    }
    private var entries: [Key: Entry] = [:]
    /// Filters seen to change, with the fingerprint of their latest values.
    private var changing: [Key: UInt64] = [:]
    private var clock: UInt64 = 0
    private let queue = DispatchQueue(label: "tapestry.winograd-filter-cache")

    /// The transform of the HWIO filter `w` ([3, 3, c, k]), or of its adjoint (for input
    /// gradients), from the cache when `w` still holds the same values; otherwise `fill` writes
    /// the transformed values into the buffer it is given.
    func transformed(_ w: UnsafePointer<Float>, inChannels c: Int, outChannels k: Int, adjoint: Bool,
                     fill: (UnsafeMutablePointer<Float>) -> Void) -> TransformedFilter {
        let key = Key(address: UInt(bitPattern: w), inChannels: c, outChannels: k, adjoint: adjoint)
        let print = Self.fingerprint(w, count: 9 * c * k)
        let (hit, keep): (TransformedFilter?, Bool) = queue.sync {
            if let entry = entries[key] {
                if entry.fingerprint == print {
                    clock += 1
                    entry.lastUse = clock
                    return (entry.filter, false)
                }
                entries[key] = nil
                changing[key] = print
                return (nil, false)
            }
            if let last = changing[key] {
                if last != print { changing[key] = print; return (nil, false) }
                changing[key] = nil
            }
            return (nil, true)
        }
        if let hit { return hit }
        let filter = TransformedFilter(count: Winograd.transformedCount(inChannels: c, outChannels: k))
        fill(filter.pointer)
        guard keep else { return filter }
        queue.sync {
            let entry = Entry(fingerprint: print, filter: filter)
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

    /// A 64-bit fingerprint of `count` floats. Each step `h ← (h ⊕ word) · P` (P odd) is a
    /// bijection of `h`, so a filter that differs from another in a single 8-byte word always
    /// fingerprints differently; filters differing in more places collide with probability about
    /// 2⁻⁶⁴. Four independent lanes keep the multiplies from waiting on one another.
    static func fingerprint(_ p: UnsafePointer<Float>, count: Int) -> UInt64 {
        let prime: UInt64 = 0x100_0000_01B3
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (0xCBF2_9CE4_8422_2325, 0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F,
                                                       0x1656_67B1_9E37_79F9)
        let raw = UnsafeRawPointer(p)
        let words = count * MemoryLayout<Float>.size / 8
        var i = 0
        while i + 4 <= words {
            lanes.0 = (lanes.0 ^ raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) &* prime
            lanes.1 = (lanes.1 ^ raw.loadUnaligned(fromByteOffset: 8 * i + 8, as: UInt64.self)) &* prime
            lanes.2 = (lanes.2 ^ raw.loadUnaligned(fromByteOffset: 8 * i + 16, as: UInt64.self)) &* prime
            lanes.3 = (lanes.3 ^ raw.loadUnaligned(fromByteOffset: 8 * i + 24, as: UInt64.self)) &* prime
            i += 4
        }
        var h = ((lanes.0 &* prime ^ lanes.1) &* prime ^ lanes.2) &* prime ^ lanes.3
        // The words and the odd float left over, then the length.
        for j in (8 * i / MemoryLayout<Float>.size)..<count { h = (h ^ UInt64(p[j].bitPattern)) &* prime }
        return (h ^ UInt64(count)) &* prime
    }

    /// Drops every entry (tests; memory).
    func removeAll() { queue.sync { entries.removeAll(); changing.removeAll() } }
    var count: Int { queue.sync { entries.count } }
}
