import TapestryTensor

/// The same logical values in the layouts a gradient rule must handle: contiguous, a transposed
/// view, a strided slice, and a stride-0 broadcast.
enum Layout: CaseIterable {
    case contiguous, transposed, sliced, broadcast

    func make(_ shape: [Int], seed: UInt64, low: Double = -1, high: Double = 1) -> Tensor<Double> {
        var g = SeededGenerator(seed: seed)
        switch self {
        case .contiguous:
            return .randomUniform(shape, low: low, high: high, using: &g)
        case .transposed:
            guard shape.count >= 2 else { return Layout.sliced.make(shape, seed: seed, low: low, high: high) }
            var swapped = shape
            swapped.swapAt(shape.count - 2, shape.count - 1)
            return Tensor<Double>.randomUniform(swapped, low: low, high: high, using: &g).transposed()
        case .sliced:
            var wide = shape
            wide[shape.count - 1] = shape[shape.count - 1] * 2 + 1
            return Tensor<Double>.randomUniform(wide, low: low, high: high, using: &g)
                .slice(axis: shape.count - 1, from: 1, to: wide[shape.count - 1], step: 2)
        case .broadcast:
            var small = shape
            small[0] = 1
            return Tensor<Double>.randomUniform(small, low: low, high: high, using: &g).expanded(to: shape)
        }
    }
}
