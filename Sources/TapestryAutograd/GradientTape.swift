import TapestryTensor

/// Records differentiable ops run inside ``record(_:)`` and plays them back in reverse to
/// compute gradients (reverse-mode automatic differentiation).
///
/// Nodes are appended in execution order, which is already a topological order, so the
/// backward pass is one reverse walk. Ops whose inputs need no gradient are not recorded, and
/// after a backward pass the tape drops its nodes and the tensors they saved (unless
/// `persistent`).
///
/// ```swift
/// let x = Variable(Tensor<Double>(shape: [3], scalars: [1, 2, 3]), requiresGrad: true)
/// let tape = GradientTape()
/// let y = tape.record { x.exp().sum() }
/// let dx = tape.gradient(of: y, withRespectTo: [x])[0]   // equals exp(x)
/// ```
public final class GradientTape {
    @TaskLocal static var active: GradientTape?
    @TaskLocal static var paused: Bool = false

    private var nodes: [AnyTapeNode] = []
    /// Keep the nodes after a backward pass, so several gradients can be taken.
    public let persistent: Bool

    public init(persistent: Bool = false) { self.persistent = persistent }

    /// The tape new ops record onto, or nil inside ``withoutGradients(_:)`` or outside any tape.
    static var recordingTape: GradientTape? { paused ? nil : active }

    /// The number of recorded nodes (for tests and diagnostics).
    public var nodeCount: Int { nodes.count }

    func append(_ node: AnyTapeNode) { nodes.append(node) }

    /// Runs `body` with this tape recording.
    public func record<R>(_ body: () throws -> R) rethrows -> R {
        try GradientTape.$active.withValue(self) { try GradientTape.$paused.withValue(false) { try body() } }
    }

    /// Gradients of `target` with respect to each of `sources` (zeros where a source does not
    /// influence the target). `seed` is the gradient of the target itself, ones by default.
    public func gradient<S>(of target: Variable<S>, withRespectTo sources: [Variable<S>],
                            seed: Tensor<S>? = nil) -> [Tensor<S>] {
        let store = GradientStore(keeping: Set(sources.map { ObjectIdentifier($0) }))
        run(from: target, seed: seed ?? Tensor<S>.ones(target.shape), store: store)
        return sources.map { store.gradient(of: $0) ?? Tensor<S>.zeros($0.shape) }
    }

    /// Runs the backward pass from `target`, adding into `.grad` of every leaf that requires one.
    func backward<S>(from target: Variable<S>, seed: Tensor<S>) {
        let store = GradientStore(keeping: [])
        run(from: target, seed: seed, store: store)
        store.applyToLeaves()
    }

    private func run<S>(from target: Variable<S>, seed: Tensor<S>, store: GradientStore) {
        precondition(seed.shape == target.shape, "gradient: seed shape \(seed.shape) differs from target shape \(target.shape)")
        store.add(seed, to: target)
        for node in nodes.reversed() { node.propagate(store) }
        if !persistent { nodes.removeAll() }
    }
}

/// Runs `body` without recording anything, even inside a tape: for inference, feature
/// extraction with a frozen model, and optimiser updates. Nothing is kept for a backward pass.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradientTape.$paused.withValue(true) { try body() }
}

/// True when differentiable ops would currently be recorded.
public var isRecordingGradients: Bool { GradientTape.recordingTape != nil }

extension Variable {
    /// Computes the gradient of this variable (ones for its seed, so usually a scalar loss) with
    /// respect to every leaf that requires one, adding it to the leaf's ``grad``.
    public func backward(seed: Tensor<Scalar>? = nil) {
        guard let tape else {
            preconditionFailure("backward(): this variable was not recorded on a GradientTape (run the forward pass inside tape.record { })")
        }
        tape.backward(from: self, seed: seed ?? Tensor.ones(shape))
    }
}

/// One recorded op: its inputs, its output and its gradient rule.
protocol AnyTapeNode: AnyObject {
    func propagate(_ store: GradientStore)
}

final class TapeNode<S: TensorScalar>: AnyTapeNode {
    let op: String
    let inputs: [Variable<S>]
    let output: Variable<S>
    let rule: (Tensor<S>) -> [Tensor<S>?]

    init(op: String, inputs: [Variable<S>], output: Variable<S>, rule: @escaping (Tensor<S>) -> [Tensor<S>?]) {
        self.op = op; self.inputs = inputs; self.output = output; self.rule = rule
    }

    func propagate(_ store: GradientStore) {
        // No gradient reached this op's output: it does not influence the target, skip its rule.
        guard let g = store.take(output) else { return }
        let grads = rule(g)
        precondition(grads.count == inputs.count, "\(op): gradient rule returned \(grads.count) gradients for \(inputs.count) inputs")
        for (input, grad) in zip(inputs, grads) where input.requiresGrad {
            guard let grad else { continue }
            store.add(grad, to: input)
        }
    }
}

/// Gradients accumulated during one backward pass, keyed by variable identity.
final class GradientStore {
    private var grads: [ObjectIdentifier: Any] = [:]
    private var leaves: [ObjectIdentifier: () -> Void] = [:]
    private let keep: Set<ObjectIdentifier>

    init(keeping keep: Set<ObjectIdentifier>) { self.keep = keep }

    /// Adds `g` to `v`'s gradient, first summing away axes that were broadcast in the forward pass.
    func add<S>(_ g: Tensor<S>, to v: Variable<S>) {
        let g = unbroadcast(g, to: v.shape)
        let id = ObjectIdentifier(v)
        if var existing = grads[id] as? Tensor<S> {
            grads[id] = nil  // so `existing` is uniquely referenced and can be added in place
            existing.add(g)
            grads[id] = existing
        } else {
            grads[id] = g
        }
        if v.isLeaf && leaves[id] == nil {
            leaves[id] = { [unowned self] in
                guard let total = self.grads[id] as? Tensor<S> else { return }
                if var current = v.grad { current.add(total); v.grad = current } else { v.grad = total.contiguous() }
            }
        }
    }

    /// Removes and returns an intermediate's gradient once its op has used it, so gradients of
    /// activations are freed as the backward pass moves on.
    func take<S>(_ v: Variable<S>) -> Tensor<S>? {
        let id = ObjectIdentifier(v)
        guard let g = grads[id] as? Tensor<S> else { return nil }
        if !keep.contains(id) { grads[id] = nil }
        return g
    }

    func gradient<S>(of v: Variable<S>) -> Tensor<S>? { grads[ObjectIdentifier(v)] as? Tensor<S> }

    func applyToLeaves() { for apply in leaves.values { apply() } }
}

/// Sums a gradient over the axes NumPy broadcasting added or stretched, giving `shape` back.
func unbroadcast<S>(_ g: Tensor<S>, to shape: [Int]) -> Tensor<S> {
    if g.shape == shape { return g }
    let lead = g.rank - shape.count
    precondition(lead >= 0, "unbroadcast: gradient shape \(g.shape) has fewer axes than \(shape)")
    var axes = Array(0..<lead)
    for (i, size) in shape.enumerated() where size == 1 && g.shape[lead + i] != 1 { axes.append(lead + i) }
    let summed = axes.isEmpty ? g : g.sum(axes: axes, keepDims: true)
    return summed.reshaped(shape)
}
