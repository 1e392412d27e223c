import TapestryTensor

extension Variable {
    /// Matrix product (batched over leading axes, which broadcast).
    public func matmul(_ other: Variable) -> Variable {
        let (a, b) = (value, other.value)
        return Variable.record(a.matmul(b), op: "matmul", inputs: [self, other]) { g in
            [self.requiresGrad ? g.matmul(b.transposed()) : nil,
             other.requiresGrad ? a.transposed().matmul(g) : nil]
        }
    }
}
