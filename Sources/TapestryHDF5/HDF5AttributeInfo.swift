/// The stored type and shape of one attribute, for callers that must decide how to read it.
public struct HDF5AttributeInfo: Equatable, Sendable {
    /// The attribute's name on its object.
    public let name: String
    /// The element type as stored (a Keras `weight_names` of a weightless layer is `float64`).
    public let elementType: HDF5ElementType
    /// `[]` for a scalar, `[n]` for a list; `[0]` when the attribute holds no values.
    public let shape: [Int]

    /// The number of values, the product of ``shape``.
    public var count: Int { shape.reduce(1, *) }
}
