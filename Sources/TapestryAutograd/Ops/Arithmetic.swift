import TapestryTensor

// Binary ops broadcast like NumPy; their rules return gradients in the broadcast shape and the
// tape sums them back to each input's shape.

extension Variable {
    public static func + (a: Variable, b: Variable) -> Variable {
        record(a.value + b.value, op: "add", inputs: [a, b]) { g in [g, g] }
    }

    public static func - (a: Variable, b: Variable) -> Variable {
        record(a.value - b.value, op: "subtract", inputs: [a, b]) { g in [g, b.requiresGrad ? -g : nil] }
    }

    public static func * (a: Variable, b: Variable) -> Variable {
        let (x, y) = (a.value, b.value)
        return record(x * y, op: "multiply", inputs: [a, b]) { g in
            [a.requiresGrad ? g * y : nil, b.requiresGrad ? g * x : nil]
        }
    }

    public static func / (a: Variable, b: Variable) -> Variable {
        let (x, y) = (a.value, b.value)
        return record(x / y, op: "divide", inputs: [a, b]) { g in
            [a.requiresGrad ? g / y : nil, b.requiresGrad ? -(g * x) / (y * y) : nil]
        }
    }

    public static prefix func - (a: Variable) -> Variable {
        record(-a.value, op: "negate", inputs: [a]) { g in [-g] }
    }

    public static func + (a: Variable, s: Scalar) -> Variable { record(a.value + s, op: "add", inputs: [a]) { g in [g] } }
    public static func - (a: Variable, s: Scalar) -> Variable { record(a.value - s, op: "subtract", inputs: [a]) { g in [g] } }
    public static func * (a: Variable, s: Scalar) -> Variable { record(a.value * s, op: "multiply", inputs: [a]) { g in [g * s] } }
    public static func / (a: Variable, s: Scalar) -> Variable { record(a.value / s, op: "divide", inputs: [a]) { g in [g / s] } }
    public static func + (s: Scalar, a: Variable) -> Variable { a + s }
    public static func * (s: Scalar, a: Variable) -> Variable { a * s }
    public static func - (s: Scalar, a: Variable) -> Variable { record(s - a.value, op: "subtract", inputs: [a]) { g in [-g] } }
}
