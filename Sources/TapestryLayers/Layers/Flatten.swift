import TapestryAutograd

/// Flattens each sample to one axis: (4, 4, 512) → (8192) (Keras `Flatten`). A view, no copy.
public final class Flatten: Layer {
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] { [inputShape.reduce(1, *)] }

    public override func call(_ x: Variable<Float>, training: Bool) -> Variable<Float> {
        x.reshaped([x.shape[0], x.shape.dropFirst().reduce(1, *)])
    }
}
